import type { CollectionOptions, Document } from '@leadstream/read-store';
import type { LeadViewFilter, LeadViewSort, LeadViewVisibility } from '../domain/lead-view.events';

export const LEAD_VIEWS_COLLECTION = 'leads_lead_views';

/** One live saved view (deleted views are removed). */
export interface LeadViewDocument extends Document {
  _id: string;
  tenantId: string;
  ownerId: string;
  name: string;
  visibility: LeadViewVisibility;
  filter: LeadViewFilter;
  sort: LeadViewSort | null;
  columns: string[] | null;
  /** Stream revision of the last event applied: the view's version. */
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Global position of the last event applied (idempotent replays). */
  position: number;
}

export const leadViewsCollectionOptions: CollectionOptions = {
  indexes: [
    { keys: { tenantId: 1, visibility: 1, name: 1, _id: 1 }, name: 'tenant_visibility_name' },
    { keys: { tenantId: 1, ownerId: 1, name: 1, _id: 1 }, name: 'tenant_owner_name' },
  ],
};
