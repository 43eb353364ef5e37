import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '@leadstream/event-sourcing';
import { deciderSpec } from '@leadstream/event-sourcing/testing';
import { memberDecider, normaliseAccountName } from './member.decider';
import { reservationDecider } from './reservation.decider';

const create = {
  kind: 'CreateMember' as const,
  memberId: 'm1',
  enterpriseId: 'e1',
  accountNumber: '12345678',
  accountName: ' Admin ',
  realName: '',
  passwordHash: '$argon2id$x',
  isAdmin: true,
  now: '2026-01-01T00:00:00.000Z',
};

describe('member decider', () => {
  it('creates a member, trimming the account name and dropping an empty real name', () => {
    deciderSpec(memberDecider)
      .given([])
      .when(create)
      .then([
        {
          type: 'identity.MemberCreated',
          data: {
            memberId: 'm1',
            enterpriseId: 'e1',
            accountNumber: '12345678',
            accountName: 'Admin',
            realName: null,
            passwordHash: '$argon2id$x',
            isAdmin: true,
            createdAt: '2026-01-01T00:00:00.000Z',
          },
        },
      ]);
  });

  it('refuses account names with spaces or symbols', () => {
    deciderSpec(memberDecider).given([]).when({ ...create, accountName: 'a b' }).thenThrows(DomainError, /account name/);
    deciderSpec(memberDecider).given([]).when({ ...create, accountName: '<script>' }).thenThrows(DomainError, /account name/);
  });

  it('normalises account names for uniqueness', () => {
    assert.equal(normaliseAccountName(' ＡdMin '), 'admin');
  });
});

describe('reservation decider', () => {
  const reserve = { kind: 'ReserveAccountName' as const, enterpriseId: 'e1', accountName: 'admin', memberId: 'm1' };
  it('reserves a free name once', () => {
    const [event] = deciderSpec(reservationDecider).given([]).when(reserve).then([
      { type: 'identity.AccountNameReserved', data: { enterpriseId: 'e1', accountName: 'admin', memberId: 'm1' } },
    ]);
    deciderSpec(reservationDecider)
      .given([event!])
      .when({ ...reserve, memberId: 'm2' })
      .thenThrows(DomainError, /already in use/);
  });
});

describe('member decider: profile, password, disable, enable, management', () => {
  const now = '2026-02-01T00:00:00.000Z';
  const created = memberDecider.decide({ ...create, memberId: 'm2', accountName: 'li.lei', isAdmin: false, realName: 'Li', nickname: 'Lily', marketingOnly: false, manager: false }, memberDecider.initialState())[0]!;
  const admin = memberDecider.decide(create, memberDecider.initialState())[0]!;
  const disabled = { type: 'identity.MemberDisabled' as const, data: { memberId: 'm2', enterpriseId: 'e1', disabledBy: 'm1', disabledAt: now } };

  it('keeps the optional attributes on creation', () => {
    const state = memberDecider.evolve(memberDecider.initialState(), created);
    assert.equal(state.nickname, 'Lily');
    assert.equal(state.manager, false);
    assert.equal(state.disabled, false);
  });

  it('edits the profile, clearing blanks, and does nothing when nothing changes', () => {
    deciderSpec(memberDecider)
      .given([created])
      .when({ kind: 'ChangeProfile', realName: '  Han  ', nickname: '', now })
      .then([{ type: 'identity.MemberProfileChanged', data: { memberId: 'm2', enterpriseId: 'e1', realName: 'Han', nickname: null, changedAt: now } }]);
    deciderSpec(memberDecider).given([created]).when({ kind: 'ChangeProfile', realName: 'Li', now }).thenNothing();
  });

  it('refuses every change to a member that does not exist', () => {
    deciderSpec(memberDecider).given([]).when({ kind: 'DisableMember', by: 'm1', now }).thenThrows(DomainError, /not found/);
  });

  it('disables once, keeps permissions, and never disables the administrator', () => {
    deciderSpec(memberDecider).given([created]).when({ kind: 'DisableMember', by: 'm1', now }).then([disabled]);
    deciderSpec(memberDecider).given([created, disabled]).when({ kind: 'DisableMember', by: 'm1', now }).thenNothing();
    deciderSpec(memberDecider).given([admin]).when({ kind: 'DisableMember', by: 'm1', now }).thenThrows(DomainError, /administrator cannot be disabled/);
    const granted = { type: 'identity.MemberManagementChanged' as const, data: { memberId: 'm2', enterpriseId: 'e1', manager: true, changedBy: 'm1', changedAt: now } };
    const state = [created, granted, disabled].reduce((s, e) => memberDecider.evolve(s, e), memberDecider.initialState());
    assert.equal(state.disabled, true);
    assert.equal(state.manager, true, 'a disabled member keeps its permissions');
  });

  it('enables a disabled member unless the enterprise is over its seat quota', () => {
    deciderSpec(memberDecider)
      .given([created, disabled])
      .when({ kind: 'EnableMember', by: 'm1', now, seatsInUse: 2, seatQuota: 2 })
      .then([{ type: 'identity.MemberEnabled', data: { memberId: 'm2', enterpriseId: 'e1', enabledBy: 'm1', enabledAt: now } }]);
    deciderSpec(memberDecider)
      .given([created, disabled])
      .when({ kind: 'EnableMember', by: 'm1', now, seatsInUse: 3, seatQuota: 2 })
      .thenThrows(DomainError, /quota/, (e) => assert.equal((e as DomainError).code, 'identity.seat-quota-exceeded'));
    deciderSpec(memberDecider).given([created]).when({ kind: 'EnableMember', by: 'm1', now, seatsInUse: 9, seatQuota: 2 }).thenNothing();
  });

  it('changes the password (the hash stays in the event, never in a contract)', () => {
    deciderSpec(memberDecider)
      .given([created])
      .when({ kind: 'ChangePassword', passwordHash: '$argon2id$new', reset: true, by: 'm1', now })
      .then([{ type: 'identity.MemberPasswordChanged', data: { memberId: 'm2', enterpriseId: 'e1', passwordHash: '$argon2id$new', reset: true, changedBy: 'm1', changedAt: now } }]);
  });

  it('grants and revokes management, not to the administrator', () => {
    deciderSpec(memberDecider)
      .given([created])
      .when({ kind: 'SetManagement', manager: true, by: 'm1', now })
      .then([{ type: 'identity.MemberManagementChanged', data: { memberId: 'm2', enterpriseId: 'e1', manager: true, changedBy: 'm1', changedAt: now } }]);
    deciderSpec(memberDecider).given([created]).when({ kind: 'SetManagement', manager: false, by: 'm1', now }).thenNothing();
    deciderSpec(memberDecider).given([admin]).when({ kind: 'SetManagement', manager: true, by: 'm1', now }).thenThrows(DomainError, /administrator/);
  });
});

describe('account-name release', () => {
  it('frees a name only for the member holding it', () => {
    const reserved = { type: 'identity.AccountNameReserved' as const, data: { enterpriseId: 'e1', accountName: 'x', memberId: 'm1' } };
    deciderSpec(reservationDecider).given([reserved]).when({ kind: 'ReleaseAccountName', enterpriseId: 'e1', accountName: 'x', memberId: 'm2' }).thenNothing();
    const [released] = deciderSpec(reservationDecider)
      .given([reserved])
      .when({ kind: 'ReleaseAccountName', enterpriseId: 'e1', accountName: 'x', memberId: 'm1' })
      .then([{ type: 'identity.AccountNameReleased', data: { enterpriseId: 'e1', accountName: 'x', memberId: 'm1' } }]);
    deciderSpec(reservationDecider)
      .given([reserved, released!])
      .when({ kind: 'ReserveAccountName', enterpriseId: 'e1', accountName: 'x', memberId: 'm3' })
      .then([{ type: 'identity.AccountNameReserved', data: { enterpriseId: 'e1', accountName: 'x', memberId: 'm3' } }]);
  });
});
