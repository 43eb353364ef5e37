import type { DomainEvent } from '@leadstream/event-sourcing';

/** One stream per role: `identity.role-<roleId>`. */
export const ROLE_CATEGORY = 'identity.role';
/** One stream per (enterprise, normalised role name): its holder owns the name. */
export const ROLE_NAME_CATEGORY = 'identity.rolename';
/** One stream per member: the roles assigned to it (`identity.memberroles-<memberId>`). */
export const MEMBER_ROLES_CATEGORY = 'identity.memberroles';

export type RoleCreated = DomainEvent<
  'identity.RoleCreated',
  {
    readonly roleId: string;
    readonly enterpriseId: string;
    readonly name: string;
    readonly packages: readonly string[];
    /** The role this one was copied from, or null. */
    readonly copiedFrom: string | null;
    readonly createdBy: string;
    readonly createdAt: string;
  }
>;

export type RoleChanged = DomainEvent<
  'identity.RoleChanged',
  {
    readonly roleId: string;
    readonly enterpriseId: string;
    readonly name: string;
    /** The name before this change (the handler releases its reservation when it differs). Not published. */
    readonly previousName: string;
    readonly packages: readonly string[];
    readonly changedBy: string;
    readonly changedAt: string;
  }
>;

export type RoleDeleted = DomainEvent<
  'identity.RoleDeleted',
  { readonly roleId: string; readonly enterpriseId: string; readonly name: string; readonly deletedBy: string; readonly deletedAt: string }
>;

export type RoleEvent = RoleCreated | RoleChanged | RoleDeleted;

export type RoleNameReserved = DomainEvent<'identity.RoleNameReserved', { readonly enterpriseId: string; readonly name: string; readonly roleId: string }>;
export type RoleNameReleased = DomainEvent<'identity.RoleNameReleased', { readonly enterpriseId: string; readonly name: string; readonly roleId: string }>;
export type RoleNameEvent = RoleNameReserved | RoleNameReleased;

export type RoleAssigned = DomainEvent<
  'identity.RoleAssigned',
  { readonly memberId: string; readonly enterpriseId: string; readonly roleId: string; readonly assignedBy: string; readonly assignedAt: string }
>;
export type RoleUnassigned = DomainEvent<
  'identity.RoleUnassigned',
  { readonly memberId: string; readonly enterpriseId: string; readonly roleId: string; readonly unassignedBy: string; readonly unassignedAt: string }
>;
export type MemberRolesEvent = RoleAssigned | RoleUnassigned;
