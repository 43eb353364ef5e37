import type { Filter, ReadStore } from '@leadstream/read-store';
import type { Viewer } from '../../department/domain/visibility';
import type { TenantDepartments } from '../../department/queries/department.view';
import { loadTenantDepartments } from '../../department/queries/load-tenant-departments';
import { MEMBER_LIST_COLLECTION, memberListCollectionOptions, type MemberListDocument } from '../projections/member-list/member-list.schema';

/**
 * ORG-4 for members, decided per request: the departments hidden from this viewer (admin: none),
 * the known departments the viewer may see, and the viewer itself (always visible).
 */
export interface MemberVisibility {
  readonly viewerId: string;
  readonly hiddenDepartmentIds: readonly string[];
  readonly visibleDepartmentIds: readonly string[];
}

export function memberVisibility(departments: TenantDepartments, viewer: Viewer): MemberVisibility {
  const hidden: string[] = [];
  const visible: string[] = [];
  for (const d of departments.docs) (departments.visibleTo(d._id, viewer) ? visible : hidden).push(d._id);
  return { viewerId: viewer.memberId, hiddenDepartmentIds: viewer.isAdmin ? [] : hidden, visibleDepartmentIds: visible };
}

/** A member is left out only when it is in at least one department and every one is hidden from the viewer. */
export function isMemberVisible(member: { readonly _id: string; readonly departmentIds?: readonly string[] }, visibility: MemberVisibility): boolean {
  if (member._id === visibility.viewerId || visibility.hiddenDepartmentIds.length === 0) return true;
  const ids = member.departmentIds ?? [];
  return ids.length === 0 || ids.some((id) => !visibility.hiddenDepartmentIds.includes(id));
}

/** The same rule as a read-store filter, so `total` and keyset paging count only visible members. */
export function memberVisibilityFilter(visibility: MemberVisibility): Filter | undefined {
  if (visibility.hiddenDepartmentIds.length === 0) return undefined;
  const or: Filter[] = [{ _id: visibility.viewerId }, { departmentIds: { $nin: [...visibility.hiddenDepartmentIds] } }];
  if (visibility.visibleDepartmentIds.length > 0) or.push({ departmentIds: { $in: [...visibility.visibleDepartmentIds] } });
  return { $or: or };
}

/** The viewer with its own departments (from the member read model), then its member visibility. */
export async function loadMemberVisibility(store: ReadStore, tenantId: string, viewer: Viewer): Promise<MemberVisibility> {
  if (viewer.isAdmin) return { viewerId: viewer.memberId, hiddenDepartmentIds: [], visibleDepartmentIds: [] };
  const [self, departments] = await Promise.all([
    store.collection<MemberListDocument>(MEMBER_LIST_COLLECTION, memberListCollectionOptions).findOne({ _id: viewer.memberId, tenantId }),
    loadTenantDepartments(store, tenantId),
  ]);
  return memberVisibility(departments, { ...viewer, departmentIds: self?.departmentIds ?? [] });
}
