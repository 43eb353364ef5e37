import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '@leadstream/event-sourcing';
import { deciderSpec } from '@leadstream/event-sourcing/testing';
import { seatsDecider, seatsInUse } from './seats.decider';

const taken = (memberId: string) => ({ type: 'identity.SeatTaken' as const, data: { enterpriseId: 'e1', memberId } });

describe('seats decider (ORG-1)', () => {
  it('counts the administrator as one seat', () => {
    assert.equal(seatsInUse(seatsDecider.initialState()), 1);
    deciderSpec(seatsDecider).given([]).when({ kind: 'TakeSeat', enterpriseId: 'e1', memberId: 'm2', seatQuota: 1 }).thenThrows(DomainError, /quota \(1\)/);
  });

  it('takes seats up to the quota and refuses beyond it', () => {
    deciderSpec(seatsDecider).given([taken('m2')]).when({ kind: 'TakeSeat', enterpriseId: 'e1', memberId: 'm3', seatQuota: 3 }).then([taken('m3')]);
    deciderSpec(seatsDecider)
      .given([taken('m2'), taken('m3')])
      .when({ kind: 'TakeSeat', enterpriseId: 'e1', memberId: 'm4', seatQuota: 3 })
      .thenThrows(DomainError, /quota/, (e) => assert.equal((e as DomainError).code, 'identity.seat-quota-exceeded'));
  });

  it('is idempotent per member and frees a released seat', () => {
    deciderSpec(seatsDecider).given([taken('m2')]).when({ kind: 'TakeSeat', enterpriseId: 'e1', memberId: 'm2', seatQuota: 2 }).thenNothing();
    const released = { type: 'identity.SeatReleased' as const, data: { enterpriseId: 'e1', memberId: 'm2' } };
    deciderSpec(seatsDecider).given([taken('m2')]).when({ kind: 'ReleaseSeat', enterpriseId: 'e1', memberId: 'm2' }).then([released]);
    deciderSpec(seatsDecider).given([taken('m2'), released]).when({ kind: 'TakeSeat', enterpriseId: 'e1', memberId: 'm3', seatQuota: 2 }).then([taken('m3')]);
  });
});
