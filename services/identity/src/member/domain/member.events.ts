import type { DomainEvent } from '@leadstream/event-sourcing';

export const MEMBER_CATEGORY = 'identity.member';
/** One stream per (enterprise, normalised account name): its first event reserves the name. */
export const ACCOUNT_NAME_CATEGORY = 'identity.accountname';
/** One stream per account number: numbers are unique across the platform. */
export const ACCOUNT_NUMBER_CATEGORY = 'identity.accountnumber';
/** One stream per enterprise: the seats taken by members other than the administrator (ORG-1). */
export const SEATS_CATEGORY = 'identity.seats';

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
    /** External nickname shown to customers (absent on members created before it existed). */
    readonly nickname?: string | null;
    readonly marketingOnly?: boolean;
    /** Holds the management permission (ORG-7). */
    readonly manager?: boolean;
  }
>;

export type MemberProfileChanged = DomainEvent<
  'identity.MemberProfileChanged',
  { readonly memberId: string; readonly enterpriseId: string; readonly realName: string | null; readonly nickname: string | null; readonly changedAt: string }
>;

export type MemberPasswordChanged = DomainEvent<
  'identity.MemberPasswordChanged',
  {
    readonly memberId: string;
    readonly enterpriseId: string;
    /** argon2id PHC string; never leaves the identity service. */
    readonly passwordHash: string;
    /** True when a manager/administrator reset it, false when the member changed its own. */
    readonly reset: boolean;
    readonly changedBy: string;
    readonly changedAt: string;
  }
>;

export type MemberDisabled = DomainEvent<
  'identity.MemberDisabled',
  { readonly memberId: string; readonly enterpriseId: string; readonly disabledBy: string; readonly disabledAt: string }
>;

export type MemberEnabled = DomainEvent<
  'identity.MemberEnabled',
  { readonly memberId: string; readonly enterpriseId: string; readonly enabledBy: string; readonly enabledAt: string }
>;

export type MemberManagementChanged = DomainEvent<
  'identity.MemberManagementChanged',
  { readonly memberId: string; readonly enterpriseId: string; readonly manager: boolean; readonly changedBy: string; readonly changedAt: string }
>;

/**
 * ORG-2: mirrors the enterprise's AdministratorChanged on the two member streams (the enterprise
 * stream is the source of truth; this keeps the member state and the list in step). Not published.
 */
export type MemberAdminStatusChanged = DomainEvent<
  'identity.MemberAdminStatusChanged',
  { readonly memberId: string; readonly enterpriseId: string; readonly isAdmin: boolean; readonly changedAt: string }
>;

/**
 * ORG-5: the member's departments were set (the whole set, replacing the previous one). Deleting a
 * department does not rewrite member streams: see DepartmentDeleted and the README.
 */
export type MemberMoved = DomainEvent<
  'identity.MemberMoved',
  { readonly memberId: string; readonly enterpriseId: string; readonly departmentIds: readonly string[]; readonly movedBy: string; readonly movedAt: string }
>;

export type MemberEvent =
  | MemberMoved
  | MemberCreated
  | MemberProfileChanged
  | MemberPasswordChanged
  | MemberDisabled
  | MemberEnabled
  | MemberManagementChanged
  | MemberAdminStatusChanged;

export type AccountNameReserved = DomainEvent<
  'identity.AccountNameReserved',
  { readonly enterpriseId: string; readonly accountName: string; readonly memberId: string }
>;

/** Undoes a reservation whose member could not be created (e.g. the seat quota was full). */
export type AccountNameReleased = DomainEvent<
  'identity.AccountNameReleased',
  { readonly enterpriseId: string; readonly accountName: string; readonly memberId: string }
>;

export type AccountNumberReserved = DomainEvent<
  'identity.AccountNumberReserved',
  { readonly accountNumber: string; readonly enterpriseId: string; readonly memberId: string }
>;

export type ReservationEvent = AccountNameReserved | AccountNameReleased | AccountNumberReserved;

export type SeatTaken = DomainEvent<'identity.SeatTaken', { readonly enterpriseId: string; readonly memberId: string }>;
export type SeatReleased = DomainEvent<'identity.SeatReleased', { readonly enterpriseId: string; readonly memberId: string }>;
export type SeatEvent = SeatTaken | SeatReleased;
