import type { ReadStore } from '@leadstream/read-store';
import { DEPARTMENT_LIST_COLLECTION, departmentListCollectionOptions, type DepartmentListDocument } from '../projections/department-list/department-list.schema';
import { TenantDepartments } from './department.view';

export async function loadTenantDepartments(store: ReadStore, tenantId: string): Promise<TenantDepartments> {
  const docs = await store
    .collection<DepartmentListDocument>(DEPARTMENT_LIST_COLLECTION, departmentListCollectionOptions)
    .find({ tenantId }, { sort: { createdAt: 1, _id: 1 } });
  return new TenantDepartments(docs);
}
