import { loadState, type EventStore } from '@leadstream/event-sourcing';
import { permissionsOf } from './domain/permission-catalogue';
import { memberRolesDecider, roleDecider } from './domain/role.decider';
import { memberRolesStreamId, roleStreamId } from './commands/role.command';

/**
 * ORG-8 effective permissions of a member: the union of its live roles' packages, read from the
 * event store (the member's role stream and each role's stream), so a sign-in right after an
 * assignment, a role change or a delete sees it (staleness 0). Roles of another enterprise and
 * deleted roles grant nothing.
 */
export async function rolePermissionsOf(store: EventStore, memberId: string, enterpriseId: string): Promise<string[]> {
  const { state } = await loadState(store, memberRolesStreamId(memberId), memberRolesDecider);
  const roles = await Promise.all(state.roleIds.map((roleId) => loadState(store, roleStreamId(roleId), roleDecider)));
  const packages = roles.filter(({ state: r }) => r.exists && !r.deleted && r.enterpriseId === enterpriseId).flatMap(({ state: r }) => r.packages);
  return permissionsOf(packages);
}
