import type { ReadStore } from '@leadstream/read-store';
import { TENANTS_COLLECTION, type TenantDocument } from './projections/tenants.schema';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** The enterprise's time zone as last heard from identity; the platform default until then. */
export async function tenantTimeZone(store: ReadStore, tenantId: string): Promise<string> {
  const tenant = await store.collection<TenantDocument>(TENANTS_COLLECTION).findOne({ _id: tenantId });
  return tenant?.timeZone ?? DEFAULT_TIME_ZONE;
}
