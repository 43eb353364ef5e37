import { loadState, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { permissionsOf } from './domain/permission-catalogue';
import { memberRolesDecider, roleDecider } from './domain/role.decider';
import { memberRolesStreamId, roleStreamId } from './commands/role.command';
import { memberDecider } from '../member/domain/member.decider';
import { MEMBER_CATEGORY } from '../member/domain/member.events';
import { ORG_TREE_CATEGORY } from '../department/domain/org-tree.events';
import { foldOrgTreeMembership, resolveDepartments, ROLE_TEMPLATE_CATEGORY, roleTemplateDecider } from '../department/role-template/role-template.decider';

/**
 * ORG-9: the roles a member gets from its departments' role templates — the departments it belongs
 * to now (a deleted department resolves to where its members went), not their ancestors.
 */
export async function departmentTemplateRoleIdsOf(store: EventStore, memberId: string, enterpriseId: string): Promise<string[]> {
  const member = await loadState(store, streamIdOf(MEMBER_CATEGORY, memberId), memberDecider);
  if (!member.state.exists || member.state.departmentIds.length === 0) return [];
  const tree = await loadState(store, streamIdOf(ORG_TREE_CATEGORY, enterpriseId), {
    initialState: () => ({ live: new Set<string>(), relocated: new Map<string, string | null>() }),
    evolve: foldOrgTreeMembership,
  });
  const departments = resolveDepartments(member.state.departmentIds, tree.state);
  const templates = await Promise.all(departments.map((id) => loadState(store, streamIdOf(ROLE_TEMPLATE_CATEGORY, id), roleTemplateDecider)));
  return templates.filter(({ state: t }) => t.enterpriseId === enterpriseId).flatMap(({ state: t }) => t.roleIds);
}

/**
 * ORG-8 effective permissions of a member: the union of its live roles' packages (its own roles and,
 * ORG-9, its departments' role templates), read from the
 * event store (the member's role stream and each role's stream), so a sign-in right after an
 * assignment, a role change or a delete sees it (staleness 0). Roles of another enterprise and
 * deleted roles grant nothing.
 */
export async function rolePermissionsOf(store: EventStore, memberId: string, enterpriseId: string): Promise<string[]> {
  const { state } = await loadState(store, memberRolesStreamId(memberId), memberRolesDecider);
  const roleIds = [...new Set([...state.roleIds, ...(await departmentTemplateRoleIdsOf(store, memberId, enterpriseId))])];
  const roles = await Promise.all(roleIds.map((roleId) => loadState(store, roleStreamId(roleId), roleDecider)));
  const packages = roles.filter(({ state: r }) => r.exists && !r.deleted && r.enterpriseId === enterpriseId).flatMap(({ state: r }) => r.packages);
  return permissionsOf(packages);
}
