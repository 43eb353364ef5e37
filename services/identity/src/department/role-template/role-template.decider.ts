import { assertNever, DomainError, type Decider, type DomainEvent } from '@leadstream/event-sourcing';
import type { OrgTreeEvent } from '../domain/org-tree.events';

/** ORG-9: one stream per department (`identity.deptroletemplate-<departmentId>`) holds its role template. */
export const ROLE_TEMPLATE_CATEGORY = 'identity.deptroletemplate';
export const MAX_TEMPLATE_ROLES = 50;

export type DepartmentRoleTemplateSet = DomainEvent<
  'identity.DepartmentRoleTemplateSet',
  { readonly enterpriseId: string; readonly departmentId: string; readonly roleIds: readonly string[]; readonly setBy: string; readonly setAt: string }
>;

export interface RoleTemplateState {
  readonly enterpriseId: string | null;
  readonly roleIds: readonly string[];
}

export interface SetRoleTemplate {
  readonly kind: 'SetRoleTemplate';
  readonly enterpriseId: string;
  readonly departmentId: string;
  readonly roleIds: readonly string[];
  /** The enterprise's live roles: every id must be one of them. */
  readonly knownRoleIds: ReadonlySet<string>;
  readonly by: string;
  readonly now: string;
}

export const roleTemplateDecider: Decider<SetRoleTemplate, DepartmentRoleTemplateSet, RoleTemplateState> = {
  initialState: () => ({ enterpriseId: null, roleIds: [] }),
  evolve(state, event) {
    switch (event.type) {
      case 'identity.DepartmentRoleTemplateSet':
        return { enterpriseId: event.data.enterpriseId, roleIds: event.data.roleIds };
      default:
        return assertNever(event.type);
    }
  },
  decide(command, state) {
    if (state.enterpriseId !== null && state.enterpriseId !== command.enterpriseId) {
      throw new DomainError('not_found', 'identity.department-not-found', `Department ${command.departmentId} was not found.`);
    }
    const roleIds = [...new Set(command.roleIds)];
    if (roleIds.length > MAX_TEMPLATE_ROLES) {
      throw new DomainError('unprocessable', 'identity.too-many-roles', `A role template holds at most ${MAX_TEMPLATE_ROLES} roles.`, {
        roleIds: `must name at most ${MAX_TEMPLATE_ROLES} roles`,
      });
    }
    const unknown = roleIds.filter((id) => !command.knownRoleIds.has(id));
    if (unknown.length > 0) {
      throw new DomainError('unprocessable', 'identity.unknown-role', `roleIds names a role that does not exist in this enterprise: ${unknown.join(', ')}.`, {
        roleIds: `unknown role(s): ${unknown.join(', ')}`,
      });
    }
    const same = roleIds.length === state.roleIds.length && roleIds.every((id) => state.roleIds.includes(id));
    if (same && state.enterpriseId !== null) return [];
    return [
      {
        type: 'identity.DepartmentRoleTemplateSet',
        data: { enterpriseId: command.enterpriseId, departmentId: command.departmentId, roleIds, setBy: command.by, setAt: command.now },
      },
    ];
  },
};

/**
 * A read-only fold of the org-tree stream: the live departments and where each deleted one's
 * members went (ORG-4), so a member's recorded departments resolve to live ones.
 */
export interface OrgTreeMembershipView {
  readonly live: ReadonlySet<string>;
  readonly relocated: ReadonlyMap<string, string | null>;
}

export function foldOrgTreeMembership(view: OrgTreeMembershipView, event: OrgTreeEvent): OrgTreeMembershipView {
  switch (event.type) {
    case 'identity.DepartmentCreated':
      return { ...view, live: new Set([...view.live, event.data.departmentId]) };
    case 'identity.DepartmentDeleted': {
      const live = new Set(view.live);
      live.delete(event.data.departmentId);
      const relocated = new Map(view.relocated);
      relocated.set(event.data.departmentId, event.data.membersMoveToDepartmentId);
      return { live, relocated };
    }
    default:
      return view;
  }
}

/** A member's recorded departments, each followed up to a live department (deleted → its parent …). */
export function resolveDepartments(departmentIds: readonly string[], view: OrgTreeMembershipView): string[] {
  const out = new Set<string>();
  for (const start of departmentIds) {
    let current: string | null = start;
    const seen = new Set<string>();
    while (current !== null && !view.live.has(current) && !seen.has(current)) {
      seen.add(current);
      current = view.relocated.get(current) ?? null;
    }
    if (current !== null && view.live.has(current)) out.add(current);
  }
  return [...out];
}
