import {
  EnterpriseCreatedV1Type,
  MemberCreatedV1Type,
  MemberDisabledV1Type,
  MemberEnabledV1Type,
  MemberProfileChangedV1Type,
  type EnterpriseCreatedV1,
  type MemberCreatedV1,
  type MemberDisabledV1,
  type MemberEnabledV1,
  type MemberProfileChangedV1,
} from '@leadstream/contracts-identity';
import type { ConsumerOptions, IntegrationEvent } from '@leadstream/bus';
import type { ReadStore } from '@leadstream/read-store';
import { MEMBERS_COLLECTION, membersCollectionOptions, type MemberDocument } from '../projections/members.schema';
import { TENANTS_COLLECTION, type TenantDocument } from '../projections/tenants.schema';

/**
 * Keeps the leads service's copy of each enterprise (its time zone drives the day buckets) and of
 * its members (an owner must exist and be active, LEAD-6). At-least-once: every write is a
 * replace or a guarded update, so a re-delivered event changes nothing.
 */
export function identityEventsConsumer(store: ReadStore): ConsumerOptions {
  const members = () => store.collection<MemberDocument>(MEMBERS_COLLECTION, membersCollectionOptions);
  return {
    name: 'leads.identity-events',
    from: 'identity',
    store,
    types: [EnterpriseCreatedV1Type, MemberCreatedV1Type, MemberProfileChangedV1Type, MemberDisabledV1Type, MemberEnabledV1Type],
    async handle(event: IntegrationEvent): Promise<void> {
      switch (event.type) {
        case EnterpriseCreatedV1Type: {
          const data = event.data as EnterpriseCreatedV1;
          await store
            .collection<TenantDocument>(TENANTS_COLLECTION)
            .replaceOne({ _id: data.enterpriseId }, { _id: data.enterpriseId, name: data.name, timeZone: data.timeZone }, { upsert: true });
          return;
        }
        case MemberCreatedV1Type: {
          const data = event.data as MemberCreatedV1;
          await members().updateOne(
            { _id: data.memberId },
            { $setOnInsert: { tenantId: data.enterpriseId, active: true }, $set: { accountName: data.accountName, realName: data.realName } },
            { upsert: true },
          );
          return;
        }
        case MemberProfileChangedV1Type: {
          const data = event.data as MemberProfileChangedV1;
          await members().updateOne({ _id: data.memberId, tenantId: data.enterpriseId }, { $set: { realName: data.realName } });
          return;
        }
        case MemberDisabledV1Type: {
          const data = event.data as MemberDisabledV1;
          await members().updateOne({ _id: data.memberId, tenantId: data.enterpriseId }, { $set: { active: false } });
          return;
        }
        case MemberEnabledV1Type: {
          const data = event.data as MemberEnabledV1;
          await members().updateOne({ _id: data.memberId, tenantId: data.enterpriseId }, { $set: { active: true } });
          return;
        }
        default:
          return;
      }
    },
  };
}

/** Whether `memberId` is an active member of the enterprise, as far as the leads service has heard. */
export async function isActiveMember(store: ReadStore, tenantId: string, memberId: string): Promise<boolean> {
  const member = await store.collection<MemberDocument>(MEMBERS_COLLECTION, membersCollectionOptions).findOne({ _id: memberId, tenantId });
  return member !== null && member.active;
}
