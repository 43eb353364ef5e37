import { assertNever, DomainError, type Decider } from '@leadstream/event-sourcing';
import type { SeatEvent } from './member.events';

/**
 * ORG-1 seat quota, one stream per enterprise. The administrator always holds a seat (created with
 * the enterprise), so the seats in use are `1 + taken.length`. Disabled members keep their seat.
 * Appends use the stream's expected revision, so concurrent creates cannot overshoot the quota.
 */
export interface SeatsState {
  readonly taken: readonly string[];
}

export type SeatsCommand =
  | { readonly kind: 'TakeSeat'; readonly enterpriseId: string; readonly memberId: string; readonly seatQuota: number }
  | { readonly kind: 'ReleaseSeat'; readonly enterpriseId: string; readonly memberId: string };

export function seatsInUse(state: SeatsState): number {
  return 1 + state.taken.length;
}

export const seatQuotaExceeded = (seatQuota: number) =>
  new DomainError('conflict', 'identity.seat-quota-exceeded', `The enterprise's seat quota (${seatQuota}) is used up; disabled members still take a seat.`);

export const seatsDecider: Decider<SeatsCommand, SeatEvent, SeatsState> = {
  initialState: () => ({ taken: [] }),
  evolve(state, event) {
    switch (event.type) {
      case 'identity.SeatTaken':
        return state.taken.includes(event.data.memberId) ? state : { taken: [...state.taken, event.data.memberId] };
      case 'identity.SeatReleased':
        return { taken: state.taken.filter((m) => m !== event.data.memberId) };
      default:
        return assertNever(event);
    }
  },
  decide(command, state) {
    switch (command.kind) {
      case 'TakeSeat':
        if (state.taken.includes(command.memberId)) return [];
        if (seatsInUse(state) + 1 > command.seatQuota) throw seatQuotaExceeded(command.seatQuota);
        return [{ type: 'identity.SeatTaken', data: { enterpriseId: command.enterpriseId, memberId: command.memberId } }];
      case 'ReleaseSeat':
        if (!state.taken.includes(command.memberId)) return [];
        return [{ type: 'identity.SeatReleased', data: { enterpriseId: command.enterpriseId, memberId: command.memberId } }];
      default:
        return assertNever(command);
    }
  },
};
