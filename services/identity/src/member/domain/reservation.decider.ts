import { assertNever, DomainError, type Decider } from '@leadstream/event-sourcing';
import type { ReservationEvent } from './member.events';

/**
 * A reservation stream: whoever appends the reservation first owns the name/number. A name whose
 * member could not be created is released again (and may then be reserved by someone else).
 */
export interface ReservationState {
  readonly memberId: string | null;
  readonly enterpriseId: string | null;
}

export type ReservationCommand =
  | { readonly kind: 'ReserveAccountName'; readonly enterpriseId: string; readonly accountName: string; readonly memberId: string }
  | { readonly kind: 'ReserveAccountNumber'; readonly enterpriseId: string; readonly accountNumber: string; readonly memberId: string }
  | { readonly kind: 'ReleaseAccountName'; readonly enterpriseId: string; readonly accountName: string; readonly memberId: string };

export const reservationDecider: Decider<ReservationCommand, ReservationEvent, ReservationState> = {
  initialState: () => ({ memberId: null, enterpriseId: null }),
  evolve(_state, event) {
    switch (event.type) {
      case 'identity.AccountNameReserved':
      case 'identity.AccountNumberReserved':
        return { memberId: event.data.memberId, enterpriseId: event.data.enterpriseId };
      case 'identity.AccountNameReleased':
        return { memberId: null, enterpriseId: null };
      default:
        return assertNever(event);
    }
  },
  decide(command, state) {
    switch (command.kind) {
      case 'ReserveAccountName':
        if (state.memberId !== null) {
          throw new DomainError('conflict', 'identity.account-name-taken', 'The account name is already in use in this enterprise.', {
            accountName: 'is already in use',
          });
        }
        return [{ type: 'identity.AccountNameReserved', data: { enterpriseId: command.enterpriseId, accountName: command.accountName, memberId: command.memberId } }];
      case 'ReserveAccountNumber':
        if (state.memberId !== null) {
          throw new DomainError('conflict', 'identity.account-number-taken', 'The account number is already in use.', {
            accountNumber: 'is already in use',
          });
        }
        return [{ type: 'identity.AccountNumberReserved', data: { enterpriseId: command.enterpriseId, accountNumber: command.accountNumber, memberId: command.memberId } }];
      case 'ReleaseAccountName':
        // only the member that holds the name can release it; anything else is a no-op
        if (state.memberId !== command.memberId) return [];
        return [{ type: 'identity.AccountNameReleased', data: { enterpriseId: command.enterpriseId, accountName: command.accountName, memberId: command.memberId } }];
      default:
        return assertNever(command);
    }
  },
};
