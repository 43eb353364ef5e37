import type { CollectionOptions, Document } from '@leadstream/read-store';

export const ROLE_LIST_COLLECTION = 'identity_roles';

export interface RoleListDocument extends Document {
  _id: string;
  tenantId: string;
  name: string;
  packages: string[];
  /** Members holding the role (from the members' role streams). */
  memberIds: string[];
  copiedFrom: string | null;
  createdAt: string;
  updatedAt: string;
  /** Global position of the last event applied. */
  position: number;
}

export const roleListCollectionOptions: CollectionOptions = {
  indexes: [{ keys: { tenantId: 1, createdAt: 1, _id: 1 }, name: 'tenant_created' }],
};
