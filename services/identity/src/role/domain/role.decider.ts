import { assertNever, DomainError, type Decider } from '@leadstream/event-sourcing';
import { isGrantableByRole, isKnownPackage } from './permission-catalogue';
import type { MemberRolesEvent, RoleEvent, RoleNameEvent } from './role.events';

export const MAX_ROLE_NAME_LENGTH = 64;

export function normaliseRoleName(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase();
}

export interface RoleActor {
  readonly memberId: string;
  readonly isAdmin: boolean;
}

export interface RoleState {
  readonly exists: boolean;
  readonly deleted: boolean;
  readonly enterpriseId: string | null;
  readonly name: string;
  readonly packages: readonly string[];
}

export type RoleCommand =
  | {
      readonly kind: 'CreateRole';
      readonly roleId: string;
      readonly enterpriseId: string;
      readonly name: string;
      readonly packages: readonly string[];
      readonly copiedFrom: string | null;
      readonly actor: RoleActor;
      readonly now: string;
    }
  | { readonly kind: 'ChangeRole'; readonly roleId: string; readonly enterpriseId: string; readonly name?: string; readonly packages?: readonly string[]; readonly actor: RoleActor; readonly now: string }
  | { readonly kind: 'DeleteRole'; readonly roleId: string; readonly enterpriseId: string; readonly actor: RoleActor; readonly now: string };

export const roleNotFound = () => new DomainError('not_found', 'identity.role-not-found', 'The role was not found.');

/** Validates and de-duplicates packages (sorted, for a stable output). */
export function validatePackages(packages: readonly string[]): string[] {
  const unknown = packages.filter((p) => !isKnownPackage(p));
  if (unknown.length > 0) {
    throw new DomainError('invalid', 'identity.unknown-permission-package', `Unknown permission packages: ${unknown.join(', ')}.`, {
      packages: `unknown: ${unknown.join(', ')}`,
    });
  }
  const notByRole = packages.filter((p) => !isGrantableByRole(p));
  if (notByRole.length > 0) {
    throw new DomainError('invalid', 'identity.package-not-grantable-by-role', `${notByRole.join(', ')} cannot be granted by a role.`, {
      packages: `${notByRole.join(', ')} is granted by the administrator with PUT /v1/members/{id}/management, not by a role`,
    });
  }
  return [...new Set(packages)].sort();
}

function validateName(name: string): string {
  const trimmed = name.normalize('NFKC').trim();
  if (trimmed.length === 0 || trimmed.length > MAX_ROLE_NAME_LENGTH) {
    throw new DomainError('invalid', 'identity.invalid-role-name', 'The role name is not valid.', { name: `must be 1-${MAX_ROLE_NAME_LENGTH} characters` });
  }
  return trimmed;
}

/** ORG-8: a role, one stream per role. Name uniqueness is the role-name reservation's job. */
export const roleDecider: Decider<RoleCommand, RoleEvent, RoleState> = {
  initialState: () => ({ exists: false, deleted: false, enterpriseId: null, name: '', packages: [] }),
  evolve(state, event) {
    switch (event.type) {
      case 'identity.RoleCreated':
        return { exists: true, deleted: false, enterpriseId: event.data.enterpriseId, name: event.data.name, packages: event.data.packages };
      case 'identity.RoleChanged':
        return { ...state, name: event.data.name, packages: event.data.packages };
      case 'identity.RoleDeleted':
        return { ...state, deleted: true };
      default:
        return assertNever(event);
    }
  },
  decide(command, state) {
    switch (command.kind) {
      case 'CreateRole': {
        if (state.exists) throw new DomainError('conflict', 'identity.role-exists', 'The role already exists.');
        const name = validateName(command.name);
        const packages = validatePackages(command.packages);
        return [
          {
            type: 'identity.RoleCreated',
            data: {
              roleId: command.roleId,
              enterpriseId: command.enterpriseId,
              name,
              packages,
              copiedFrom: command.copiedFrom,
              createdBy: command.actor.memberId,
              createdAt: command.now,
            },
          },
        ];
      }
      case 'ChangeRole': {
        if (!state.exists || state.deleted || state.enterpriseId !== command.enterpriseId) throw roleNotFound();
        const name = command.name === undefined ? state.name : validateName(command.name);
        const packages = command.packages === undefined ? [...state.packages] : validatePackages(command.packages);
        if (name === state.name && packages.join(',') === [...state.packages].join(',')) return [];
        return [
          { type: 'identity.RoleChanged', data: { roleId: command.roleId, enterpriseId: command.enterpriseId, name, previousName: state.name, packages, changedBy: command.actor.memberId, changedAt: command.now } },
        ];
      }
      case 'DeleteRole': {
        if (!state.exists || state.deleted || state.enterpriseId !== command.enterpriseId) throw roleNotFound();
        return [
          { type: 'identity.RoleDeleted', data: { roleId: command.roleId, enterpriseId: command.enterpriseId, name: state.name, deletedBy: command.actor.memberId, deletedAt: command.now } },
        ];
      }
      default:
        return assertNever(command);
    }
  },
};

export interface RoleNameState {
  readonly roleId: string | null;
}

export type RoleNameCommand =
  | { readonly kind: 'ReserveRoleName'; readonly enterpriseId: string; readonly name: string; readonly roleId: string }
  | { readonly kind: 'ReleaseRoleName'; readonly enterpriseId: string; readonly name: string; readonly roleId: string };

/** Whoever reserves a role name first owns it in the enterprise, until the role releases it (rename, delete). */
export const roleNameDecider: Decider<RoleNameCommand, RoleNameEvent, RoleNameState> = {
  initialState: () => ({ roleId: null }),
  evolve(_state, event) {
    switch (event.type) {
      case 'identity.RoleNameReserved':
        return { roleId: event.data.roleId };
      case 'identity.RoleNameReleased':
        return { roleId: null };
      default:
        return assertNever(event);
    }
  },
  decide(command, state) {
    switch (command.kind) {
      case 'ReserveRoleName':
        if (state.roleId === command.roleId) return [];
        if (state.roleId !== null) {
          throw new DomainError('conflict', 'identity.role-name-taken', 'A role with this name already exists in the enterprise.', { name: 'is already in use' });
        }
        return [{ type: 'identity.RoleNameReserved', data: { enterpriseId: command.enterpriseId, name: command.name, roleId: command.roleId } }];
      case 'ReleaseRoleName':
        if (state.roleId !== command.roleId) return [];
        return [{ type: 'identity.RoleNameReleased', data: { enterpriseId: command.enterpriseId, name: command.name, roleId: command.roleId } }];
      default:
        return assertNever(command);
    }
  },
};

export interface MemberRolesState {
  readonly roleIds: readonly string[];
}

export type MemberRolesCommand =
  | { readonly kind: 'AssignRole'; readonly memberId: string; readonly enterpriseId: string; readonly roleId: string; readonly actor: RoleActor; readonly now: string }
  | { readonly kind: 'UnassignRole'; readonly memberId: string; readonly enterpriseId: string; readonly roleId: string; readonly actor: RoleActor; readonly now: string };

/** The roles of one member; assigning twice or unassigning a role it lacks changes nothing. */
export const memberRolesDecider: Decider<MemberRolesCommand, MemberRolesEvent, MemberRolesState> = {
  initialState: () => ({ roleIds: [] }),
  evolve(state, event) {
    switch (event.type) {
      case 'identity.RoleAssigned':
        return state.roleIds.includes(event.data.roleId) ? state : { roleIds: [...state.roleIds, event.data.roleId] };
      case 'identity.RoleUnassigned':
        return { roleIds: state.roleIds.filter((id) => id !== event.data.roleId) };
      default:
        return assertNever(event);
    }
  },
  decide(command, state) {
    const has = state.roleIds.includes(command.roleId);
    switch (command.kind) {
      case 'AssignRole':
        if (has) return [];
        return [
          { type: 'identity.RoleAssigned', data: { memberId: command.memberId, enterpriseId: command.enterpriseId, roleId: command.roleId, assignedBy: command.actor.memberId, assignedAt: command.now } },
        ];
      case 'UnassignRole':
        if (!has) return [];
        return [
          {
            type: 'identity.RoleUnassigned',
            data: { memberId: command.memberId, enterpriseId: command.enterpriseId, roleId: command.roleId, unassignedBy: command.actor.memberId, unassignedAt: command.now },
          },
        ];
      default:
        return assertNever(command);
    }
  },
};
