import type { DomainEvent } from '@leadstream/event-sourcing';

export const ENTERPRISE_CATEGORY = 'identity.enterprise';

export type EnterpriseCreated = DomainEvent<
  'identity.EnterpriseCreated',
  {
    readonly enterpriseId: string;
    readonly name: string;
    readonly timeZone: string;
    readonly seatQuota: number;
    readonly adminMemberId: string;
    readonly createdAt: string;
  }
>;

/** ORG-2: the administrator changed; the previous one is a plain member from now on. */
export type AdministratorChanged = DomainEvent<
  'identity.AdministratorChanged',
  { readonly enterpriseId: string; readonly previousAdminMemberId: string; readonly adminMemberId: string; readonly changedAt: string }
>;

/** ORG-3: an operator disabled the enterprise ("in beta"); its members cannot sign in or refresh. */
export type EnterpriseDisabled = DomainEvent<'identity.EnterpriseDisabled', { readonly enterpriseId: string; readonly disabledAt: string }>;

/** ORG-3: an operator enabled the enterprise again. */
export type EnterpriseEnabled = DomainEvent<'identity.EnterpriseEnabled', { readonly enterpriseId: string; readonly enabledAt: string }>;

export type EnterpriseEvent = EnterpriseCreated | AdministratorChanged | EnterpriseDisabled | EnterpriseEnabled;
