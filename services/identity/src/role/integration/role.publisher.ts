import {
  RoleAssignedV1Type,
  RoleChangedV1Type,
  RoleCreatedV1Type,
  RoleDeletedV1Type,
  RoleUnassignedV1Type,
  type RoleAssignedV1,
  type RoleChangedV1,
  type RoleCreatedV1,
  type RoleDeletedV1,
  type RoleUnassignedV1,
} from '@leadstream/contracts-identity';
import type { RecordedEvent } from '@leadstream/event-sourcing';
import type { MemberRolesEvent, RoleEvent } from '../domain/role.events';

/** Role domain events → identity v1 contracts: role events keyed by role id, assignments by member id. */
export function mapRoleEvent(event: RecordedEvent): { type: string; subject: string; data: unknown } | null {
  const e = event as unknown as RoleEvent | MemberRolesEvent;
  switch (e.type) {
    case 'identity.RoleCreated': {
      const d = e.data;
      const data: RoleCreatedV1 = { enterpriseId: d.enterpriseId, roleId: d.roleId, name: d.name, packages: [...d.packages], copiedFrom: d.copiedFrom, createdBy: d.createdBy, createdAt: d.createdAt };
      return { type: RoleCreatedV1Type, subject: d.roleId, data };
    }
    case 'identity.RoleChanged': {
      const d = e.data;
      const data: RoleChangedV1 = { enterpriseId: d.enterpriseId, roleId: d.roleId, name: d.name, packages: [...d.packages], changedBy: d.changedBy, changedAt: d.changedAt };
      return { type: RoleChangedV1Type, subject: d.roleId, data };
    }
    case 'identity.RoleDeleted': {
      const d = e.data;
      const data: RoleDeletedV1 = { enterpriseId: d.enterpriseId, roleId: d.roleId, deletedBy: d.deletedBy, deletedAt: d.deletedAt };
      return { type: RoleDeletedV1Type, subject: d.roleId, data };
    }
    case 'identity.RoleAssigned': {
      const d = e.data;
      const data: RoleAssignedV1 = { enterpriseId: d.enterpriseId, memberId: d.memberId, roleId: d.roleId, assignedBy: d.assignedBy, assignedAt: d.assignedAt };
      return { type: RoleAssignedV1Type, subject: d.memberId, data };
    }
    case 'identity.RoleUnassigned': {
      const d = e.data;
      const data: RoleUnassignedV1 = { enterpriseId: d.enterpriseId, memberId: d.memberId, roleId: d.roleId, unassignedBy: d.unassignedBy, unassignedAt: d.unassignedAt };
      return { type: RoleUnassignedV1Type, subject: d.memberId, data };
    }
    default:
      return null;
  }
}
