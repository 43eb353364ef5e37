import type { CollectionOptions, Document } from '@leadstream/read-store';

export const DEPARTMENT_LIST_COLLECTION = 'identity_departments';

export interface DepartmentListDocument extends Document {
  _id: string;
  tenantId: string;
  name: string;
  parentId: string | null;
  supervisorId: string | null;
  hidden: boolean;
  visibleToMemberIds: string[];
  visibleToDepartmentIds: string[];
  createdAt: string;
  updatedAt: string;
  /** Global position of the last event applied. */
  position: number;
}

export const departmentListCollectionOptions: CollectionOptions = {
  indexes: [{ keys: { tenantId: 1, createdAt: 1, _id: 1 }, name: 'tenant_created' }],
};
