import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '@leadstream/event-sourcing';
import { deciderSpec } from '@leadstream/event-sourcing/testing';
import { enterpriseDecider } from './enterprise.decider';
import type { AdministratorChanged, EnterpriseCreated } from './enterprise.events';
import { memberDecider } from '../../member/domain/member.decider';
import type { MemberCreated } from '../../member/domain/member.events';

const at = '2026-01-01T00:00:00.000Z';
const created: EnterpriseCreated = {
  type: 'identity.EnterpriseCreated',
  data: { enterpriseId: 'e1', name: 'Acme', timeZone: 'Europe/Berlin', seatQuota: 10, adminMemberId: 'm1', createdAt: at },
};
const change = { kind: 'ChangeAdministrator' as const, currentAdminMemberId: 'm1', newAdminMemberId: 'm2', now: at };
const changed: AdministratorChanged = {
  type: 'identity.AdministratorChanged',
  data: { enterpriseId: 'e1', previousAdminMemberId: 'm1', adminMemberId: 'm2', changedAt: at },
};

describe('ORG-2 changing the administrator (enterprise decider)', () => {
  it('hands over from the current administrator to another member', () => {
    deciderSpec(enterpriseDecider).given([created]).when(change).then([changed]);
  });

  it('afterwards only the new one is administrator', () => {
    const state = [created, changed].reduce((s, e) => enterpriseDecider.evolve(s, e), enterpriseDecider.initialState());
    assert.equal(state.adminMemberId, 'm2');
  });

  it('refuses a caller that is not (or no longer) the administrator: one of two concurrent hand-overs loses', () => {
    deciderSpec(enterpriseDecider)
      .given([created, changed])
      .when({ ...change, newAdminMemberId: 'm3' })
      .thenThrows(DomainError, /Only the administrator/);
  });

  it('refuses handing over to itself', () => {
    deciderSpec(enterpriseDecider).given([created]).when({ ...change, newAdminMemberId: 'm1' }).thenThrows(DomainError, /another member/);
  });

  it('refuses an unknown enterprise', () => {
    deciderSpec(enterpriseDecider).given([]).when(change).thenThrows(DomainError, /not found/);
  });
});

const member = (isAdmin: boolean, manager = false): MemberCreated => ({
  type: 'identity.MemberCreated',
  data: { memberId: 'm2', enterpriseId: 'e1', accountNumber: '12345678', accountName: 'x', realName: null, passwordHash: 'h', isAdmin, createdAt: at, manager },
});

describe('ORG-2 member admin status (member decider)', () => {
  it('promotes a member and demotes it again, idempotently', () => {
    deciderSpec(memberDecider)
      .given([member(false)])
      .when({ kind: 'SetAdminStatus', isAdmin: true, now: at })
      .then([{ type: 'identity.MemberAdminStatusChanged', data: { memberId: 'm2', enterpriseId: 'e1', isAdmin: true, changedAt: at } }]);
    deciderSpec(memberDecider).given([member(true)]).when({ kind: 'SetAdminStatus', isAdmin: true, now: at }).then([]);
  });

  it('a demoted administrator is a plain member: it can be disabled, and holds no management permission', () => {
    const demoted = { type: 'identity.MemberAdminStatusChanged' as const, data: { memberId: 'm2', enterpriseId: 'e1', isAdmin: false, changedAt: at } };
    const state = [member(true), demoted].reduce((s, e) => memberDecider.evolve(s, e), memberDecider.initialState());
    assert.equal(state.isAdmin, false);
    assert.equal(state.manager, false);
    deciderSpec(memberDecider)
      .given([member(true), demoted])
      .when({ kind: 'DisableMember', by: 'm9', now: at })
      .then([{ type: 'identity.MemberDisabled', data: { memberId: 'm2', enterpriseId: 'e1', disabledBy: 'm9', disabledAt: at } }]);
  });
});
