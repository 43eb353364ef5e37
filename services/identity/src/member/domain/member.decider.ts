import { assertNever, DomainError, type Decider } from '@leadstream/event-sourcing';
import type { MemberEvent } from './member.events';

export interface MemberState {
  readonly exists: boolean;
  readonly memberId: string | null;
  readonly enterpriseId: string | null;
  readonly accountNumber: string | null;
  readonly accountName: string | null;
  readonly realName: string | null;
  readonly passwordHash: string | null;
  readonly isAdmin: boolean;
  readonly disabled: boolean;
}

export interface CreateMember {
  readonly kind: 'CreateMember';
  readonly memberId: string;
  readonly enterpriseId: string;
  readonly accountNumber: string;
  readonly accountName: string;
  readonly realName: string | null;
  readonly passwordHash: string;
  readonly isAdmin: boolean;
  readonly now: string;
}

export type MemberCommand = CreateMember;

/** Account names compare case-insensitively after Unicode normalisation. */
export function normaliseAccountName(accountName: string): string {
  return accountName.normalize('NFKC').trim().toLowerCase();
}

export const ACCOUNT_NAME_PATTERN = /^[\p{L}\p{N}._@-]{1,64}$/u;

export const memberDecider: Decider<MemberCommand, MemberEvent, MemberState> = {
  initialState: () => ({
    exists: false,
    memberId: null,
    enterpriseId: null,
    accountNumber: null,
    accountName: null,
    realName: null,
    passwordHash: null,
    isAdmin: false,
    disabled: false,
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'identity.MemberCreated':
        return {
          ...state,
          exists: true,
          memberId: event.data.memberId,
          enterpriseId: event.data.enterpriseId,
          accountNumber: event.data.accountNumber,
          accountName: event.data.accountName,
          realName: event.data.realName,
          passwordHash: event.data.passwordHash,
          isAdmin: event.data.isAdmin,
        };
      default:
        return assertNever(event.type);
    }
  },

  decide(command, state) {
    switch (command.kind) {
      case 'CreateMember': {
        if (state.exists) throw new DomainError('conflict', 'identity.member-exists', 'The member already exists.');
        const accountName = command.accountName.normalize('NFKC').trim();
        if (!ACCOUNT_NAME_PATTERN.test(accountName)) {
          throw new DomainError('invalid', 'identity.invalid-account-name', 'The account name is not valid.', {
            accountName: 'must be 1-64 letters, digits or . _ @ -',
          });
        }
        return [
          {
            type: 'identity.MemberCreated',
            data: {
              memberId: command.memberId,
              enterpriseId: command.enterpriseId,
              accountNumber: command.accountNumber,
              accountName,
              realName: command.realName?.trim() || null,
              passwordHash: command.passwordHash,
              isAdmin: command.isAdmin,
              createdAt: command.now,
            },
          },
        ];
      }
      default:
        return assertNever(command.kind);
    }
  },
};
