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

export type EnterpriseEvent = EnterpriseCreated;
