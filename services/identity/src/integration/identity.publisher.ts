import {
  EnterpriseCreatedV1Type,
  IDENTITY_SOURCE,
  IDENTITY_TOPIC,
  MemberCreatedV1Type,
  type EnterpriseCreatedV1,
  type MemberCreatedV1,
} from '@leadstream/contracts-identity';
import type { PublishedLog } from '@leadstream/bus';
import type { RecordedEvent } from '@leadstream/event-sourcing';
import { ENTERPRISE_CATEGORY, type EnterpriseEvent } from '../enterprise/domain/enterprise.events';
import { MEMBER_CATEGORY, type MemberEvent } from '../member/domain/member.events';

/**
 * The relay's mapping from identity's domain events to its v1 contracts. Secrets (password hashes)
 * never cross this line.
 */
export function mapIdentityEvent(event: RecordedEvent): { type: string; subject: string; data: unknown } | null {
  const e = event as unknown as EnterpriseEvent | MemberEvent;
  switch (e.type) {
    case 'identity.EnterpriseCreated': {
      const data: EnterpriseCreatedV1 = {
        enterpriseId: e.data.enterpriseId,
        name: e.data.name,
        timeZone: e.data.timeZone,
        seatQuota: e.data.seatQuota,
        adminMemberId: e.data.adminMemberId,
        createdAt: e.data.createdAt,
      };
      return { type: EnterpriseCreatedV1Type, subject: e.data.enterpriseId, data };
    }
    case 'identity.MemberCreated': {
      const data: MemberCreatedV1 = {
        enterpriseId: e.data.enterpriseId,
        memberId: e.data.memberId,
        accountNumber: e.data.accountNumber,
        accountName: e.data.accountName,
        realName: e.data.realName,
        isAdmin: e.data.isAdmin,
        createdAt: e.data.createdAt,
      };
      return { type: MemberCreatedV1Type, subject: e.data.memberId, data };
    }
    default:
      return null;
  }
}

export const identityPublishedLog: PublishedLog = {
  service: 'identity',
  source: IDENTITY_SOURCE,
  topic: IDENTITY_TOPIC,
  categories: [ENTERPRISE_CATEGORY, MEMBER_CATEGORY],
  map: mapIdentityEvent,
};
