import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '@leadstream/event-sourcing';
import { deciderSpec } from '@leadstream/event-sourcing/testing';
import { memberDecider } from './member.decider';
import type { MemberCreated } from './member.events';

const at = '2026-01-01T00:00:00.000Z';
const known = new Set(['d1', 'd2', 'd3']);
const created: MemberCreated = {
  type: 'identity.MemberCreated',
  data: { memberId: 'm1', enterpriseId: 'e1', accountNumber: '12345678', accountName: 'x', realName: null, passwordHash: 'h', isAdmin: false, createdAt: at },
};
const moved = (departmentIds: string[]) => ({
  type: 'identity.MemberMoved' as const,
  data: { memberId: 'm1', enterpriseId: 'e1', departmentIds, movedBy: 'a1', movedAt: at },
});
const move = (departmentIds: string[]) => ({ kind: 'MoveMember' as const, departmentIds, knownDepartmentIds: known, by: 'a1', now: at });

describe('ORG-5 member departments (member decider)', () => {
  it('moves a member into departments, de-duplicated', () => {
    deciderSpec(memberDecider).given([created]).when(move(['d1', 'd2', 'd1'])).then([moved(['d1', 'd2'])]);
  });

  it('a move to the same set changes nothing (idempotent), in any order', () => {
    deciderSpec(memberDecider).given([created, moved(['d1', 'd2'])]).when(move(['d2', 'd1'])).then([]);
  });

  it('moves out of every department with an empty set', () => {
    deciderSpec(memberDecider).given([created, moved(['d1'])]).when(move([])).then([moved([])]);
  });

  it('refuses an unknown department with 422 naming departmentIds', () => {
    deciderSpec(memberDecider)
      .given([created])
      .when(move(['d1', 'nope']))
      .thenThrows(DomainError, /does not exist/, (error) => {
        const e = error as DomainError;
        assert.equal(e.kind, 'unprocessable');
        assert.equal(e.code, 'identity.unknown-department');
        assert.match(e.fields['departmentIds'] ?? '', /nope/);
      });
  });

  it('refuses moving a member that does not exist', () => {
    deciderSpec(memberDecider).given([]).when(move(['d1'])).thenThrows(DomainError, /not found/);
  });

  it('creates a member in departments: MemberCreated then MemberMoved', () => {
    const create = {
      kind: 'CreateMember' as const,
      memberId: 'm1',
      enterpriseId: 'e1',
      accountNumber: '12345678',
      accountName: 'x',
      realName: null,
      passwordHash: 'h',
      isAdmin: false,
      now: at,
      departmentIds: ['d3'],
      knownDepartmentIds: known,
      by: 'a1',
    };
    deciderSpec(memberDecider).given([]).when(create).then([created, moved(['d3'])]);
    deciderSpec(memberDecider)
      .given([])
      .when({ ...create, departmentIds: ['zz'] })
      .thenThrows(DomainError, /does not exist/);
  });
});
