import {
  DepartmentCreatedV1Type,
  DepartmentDeletedV1Type,
  DepartmentMovedV1Type,
  DepartmentRenamedV1Type,
  DepartmentSupervisorChangedV1Type,
  type DepartmentCreatedV1,
  type DepartmentDeletedV1,
  type DepartmentMovedV1,
  type DepartmentRenamedV1,
  type DepartmentSupervisorChangedV1,
} from '@leadstream/contracts-identity';
import type { RecordedEvent } from '@leadstream/event-sourcing';
import type { OrgTreeEvent } from '../domain/org-tree.events';

/**
 * Org-tree domain events → identity v1 contracts, keyed by department id. Visibility lists are not
 * published (they are an access rule of this service, not a fact other services act on).
 */
export function mapOrgTreeEvent(event: RecordedEvent): { type: string; subject: string; data: unknown } | null {
  const e = event as unknown as OrgTreeEvent;
  switch (e.type) {
    case 'identity.DepartmentCreated': {
      const d = e.data;
      const data: DepartmentCreatedV1 = { enterpriseId: d.enterpriseId, departmentId: d.departmentId, name: d.name, parentId: d.parentId, createdBy: d.createdBy, createdAt: d.createdAt };
      return { type: DepartmentCreatedV1Type, subject: d.departmentId, data };
    }
    case 'identity.DepartmentRenamed': {
      const d = e.data;
      const data: DepartmentRenamedV1 = { enterpriseId: d.enterpriseId, departmentId: d.departmentId, name: d.name, renamedAt: d.renamedAt };
      return { type: DepartmentRenamedV1Type, subject: d.departmentId, data };
    }
    case 'identity.DepartmentMoved': {
      const d = e.data;
      const data: DepartmentMovedV1 = { enterpriseId: d.enterpriseId, departmentId: d.departmentId, fromParentId: d.fromParentId, toParentId: d.toParentId, movedAt: d.movedAt };
      return { type: DepartmentMovedV1Type, subject: d.departmentId, data };
    }
    case 'identity.DepartmentSupervisorChanged': {
      const d = e.data;
      const data: DepartmentSupervisorChangedV1 = { enterpriseId: d.enterpriseId, departmentId: d.departmentId, supervisorId: d.supervisorId, changedAt: d.changedAt };
      return { type: DepartmentSupervisorChangedV1Type, subject: d.departmentId, data };
    }
    case 'identity.DepartmentDeleted': {
      const d = e.data;
      const data: DepartmentDeletedV1 = {
        enterpriseId: d.enterpriseId,
        departmentId: d.departmentId,
        parentId: d.parentId,
        childIdsMovedToParent: [...d.childIdsMovedToParent],
        membersMoveToDepartmentId: d.membersMoveToDepartmentId,
        deletedAt: d.deletedAt,
      };
      return { type: DepartmentDeletedV1Type, subject: d.departmentId, data };
    }
    default:
      return null;
  }
}
