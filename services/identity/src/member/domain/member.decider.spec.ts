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
