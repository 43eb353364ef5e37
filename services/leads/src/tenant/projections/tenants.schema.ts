import type { Document } from '@leadstream/read-store';

export const TENANTS_COLLECTION = 'leads_tenants';

/** What the leads service knows of each enterprise, from identity's integration events. */
export interface TenantDocument extends Document {
  _id: string;
  name: string;
  timeZone: string;
}
