import type { CollectionOptions, Document } from '@leadstream/read-store';
import type { CustomFieldValue } from '../../../lead-schema/domain/lead-schema.types';

export const LEAD_LIST_COLLECTION = 'leads_lead_list';

/**
 * One lead of the lead library as the list, the filters, views and exports read it. Personal data
 * is held here in clear (the read model is rebuilt from the log, where it is encrypted); a deleted
 * lead's document is removed.
 */
export interface LeadListDocument extends Document {
  _id: string;
  tenantId: string;
  name: string | null;
  phone: string | null;
  qq: string | null;
  email: string | null;
  company: string | null;
  title: string | null;
  source: string | null;
  activityId: string | null;
  /** Member the lead is assigned to (LEAD-6), or null. */
  ownerId: string | null;
  /** Lead status id from the enterprise's catalogue (LEAD-5). */
  statusId: string;
  tags: string[];
  /** Lead score (SCORE-3); null until the scoring service scores it. */
  score: number | null;
  /** Custom-field values keyed by field id (values of deleted fields are hidden at read time). */
  fields: Record<string, CustomFieldValue>;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Lower-cased name, phone, QQ, e-mail, company and title, for `q` search. */
  searchText: string;
  /** Global position of the last event applied: makes replays idempotent. */
  position: number;
}

export const leadListCollectionOptions: CollectionOptions = {
  indexes: [
    { keys: { tenantId: 1, createdAt: -1, _id: -1 }, name: 'tenant_created' },
    { keys: { tenantId: 1, source: 1, createdAt: -1 }, name: 'tenant_source_created' },
    { keys: { tenantId: 1, statusId: 1, createdAt: -1 }, name: 'tenant_status_created' },
    { keys: { tenantId: 1, ownerId: 1, createdAt: -1 }, name: 'tenant_owner_created' },
  ],
};
