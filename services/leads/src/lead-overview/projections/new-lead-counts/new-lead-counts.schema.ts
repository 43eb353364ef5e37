import type { CollectionOptions, Document } from '@leadstream/read-store';

export const NEW_LEAD_COUNTS_COLLECTION = 'leads_new_lead_counts';

/** New leads per tenant per 15-minute UTC slot (summed into local days at query time). */
export interface NewLeadCountDocument extends Document {
  _id: string;
  tenantId: string;
  slot: string;
  count: number;
  /** Global position of the last event counted: a replayed event is not counted twice. */
  lastPosition: number;
}

export const newLeadCountsCollectionOptions: CollectionOptions = {
  indexes: [{ keys: { tenantId: 1, slot: 1 }, name: 'tenant_slot' }],
};
