import type { CollectionOptions, Document } from '@leadstream/read-store';

export const LEAD_LIST_COLLECTION = 'leads_lead_list';

export interface LeadListDocument extends Document {
  _id: string;
  tenantId: string;
  name: string | null;
  phone: string | null;
  qq: string | null;
  email: string | null;
  company: string | null;
  source: string | null;
  activityId: string | null;
  tags: string[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Lower-cased name, phone, QQ, e-mail and company, for `q` search. */
  searchText: string;
  /** Global position of the last event applied: makes replays idempotent. */
  position: number;
}

export const leadListCollectionOptions: CollectionOptions = {
  indexes: [
    { keys: { tenantId: 1, createdAt: -1, _id: -1 }, name: 'tenant_created' },
    { keys: { tenantId: 1, source: 1, createdAt: -1 }, name: 'tenant_source_created' },
  ],
};
