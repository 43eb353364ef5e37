import type { CollectionOptions, Document } from '@leadstream/read-store';

export const MEMBERS_COLLECTION = 'leads_members';

/** What the leads service knows of each member, from identity's integration events: who may own leads. */
export interface MemberDocument extends Document {
  _id: string;
  tenantId: string;
  accountName: string;
  realName: string | null;
  active: boolean;
}

export const membersCollectionOptions: CollectionOptions = { indexes: [{ keys: { tenantId: 1 }, name: 'tenant' }] };
