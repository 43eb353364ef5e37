import type { DomainEvent } from '@leadstream/event-sourcing';

export const MEMBER_CATEGORY = 'identity.member';
/** One stream per (enterprise, normalised account name): its first event reserves the name. */
export const ACCOUNT_NAME_CATEGORY = 'identity.accountname';
/** One stream per account number: numbers are unique across the platform. */
export const ACCOUNT_NUMBER_CATEGORY = 'identity.accountnumber';

export type MemberCreated = DomainEvent<
  'identity.MemberCreated',
  {
    readonly memberId: string;
    readonly enterpriseId: string;
    readonly accountNumber: string;
    readonly accountName: string;
    readonly realName: string | null;
    /** argon2id PHC string; never leaves the identity service. */
    readonly passwordHash: string;
    readonly isAdmin: boolean;
    readonly createdAt: string;
  }
>;

export type MemberEvent = MemberCreated;

export type AccountNameReserved = DomainEvent<
  'identity.AccountNameReserved',
  { readonly enterpriseId: string; readonly accountName: string; readonly memberId: string }
>;

export type AccountNumberReserved = DomainEvent<
  'identity.AccountNumberReserved',
  { readonly accountNumber: string; readonly enterpriseId: string; readonly memberId: string }
>;

export type ReservationEvent = AccountNameReserved | AccountNumberReserved;
