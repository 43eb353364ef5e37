import { EnterpriseCreatedV1Type, type EnterpriseCreatedV1 } from '@leadstream/contracts-identity';
import type { ConsumerOptions, IntegrationEvent } from '@leadstream/bus';
import type { ReadStore } from '@leadstream/read-store';
import { TENANTS_COLLECTION, type TenantDocument } from '../projections/tenants.schema';

/** Keeps the leads service's copy of each enterprise (its time zone drives the day buckets). */
export function identityEventsConsumer(store: ReadStore): ConsumerOptions {
  return {
    name: 'leads.identity-events',
    from: 'identity',
    store,
    types: [EnterpriseCreatedV1Type],
    async handle(event: IntegrationEvent): Promise<void> {
      if (event.type !== EnterpriseCreatedV1Type) return;
      const data = event.data as EnterpriseCreatedV1;
      await store
        .collection<TenantDocument>(TENANTS_COLLECTION)
        .replaceOne({ _id: data.enterpriseId }, { _id: data.enterpriseId, name: data.name, timeZone: data.timeZone }, { upsert: true });
    },
  };
}
