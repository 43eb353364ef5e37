import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ConcurrencyRetriesExhaustedError, DomainError, handleCommand, loadState, streamIdOf, type EventMetadata, type EventStore } from '@leadstream/event-sourcing';
import { DOMAIN_ERROR_STATUS, type Principal } from '@leadstream/platform';
import { IDENTITY_EVENT_STORE } from '../../identity.tokens';
import { assertAuthorityOver, assertCanManage, loadActor, loadTarget, type Actor } from '../../member/member-access';
import { memberRolesDecider, normaliseRoleName, roleDecider, roleNameDecider, roleNotFound, type RoleActor, type RoleState } from '../domain/role.decider';
import { MEMBER_ROLES_CATEGORY, ROLE_CATEGORY, ROLE_NAME_CATEGORY } from '../domain/role.events';

export const roleStreamId = (roleId: string) => streamIdOf(ROLE_CATEGORY, roleId);
export const roleNameStreamId = (enterpriseId: string, name: string) => streamIdOf(ROLE_NAME_CATEGORY, `${enterpriseId}:${normaliseRoleName(name)}`);
export const memberRolesStreamId = (memberId: string) => streamIdOf(MEMBER_ROLES_CATEGORY, memberId);

/** Members handled at once by an assignment batch. */
const CONCURRENCY = 16;
export const MAX_ROLE_BATCH = 1_000;

export type RoleOperation =
  | { readonly kind: 'create'; readonly name: string; readonly packages: readonly string[]; readonly memberIds: readonly string[] }
  | { readonly kind: 'copy'; readonly sourceId: string; readonly name: string }
  | { readonly kind: 'change'; readonly roleId: string; readonly name?: string; readonly packages?: readonly string[] }
  | { readonly kind: 'delete'; readonly roleId: string }
  | { readonly kind: 'assign' | 'unassign'; readonly roleId: string; readonly memberIds: readonly string[] };

export interface RoleMemberResult {
  readonly id: string;
  readonly ok: boolean;
  /** ok: whether this call changed anything (false: the member already had / did not have the role). */
  readonly changed?: boolean;
  readonly error?: { readonly status: number; readonly code: string; readonly detail: string };
}

export interface RoleOperationResult {
  readonly roleId: string;
  readonly results: RoleMemberResult[];
}

export class RoleCommand extends Command<RoleOperationResult> {
  constructor(
    readonly operation: RoleOperation,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {
    super();
  }
}

async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}

/**
 * ORG-8 roles. A role is one stream (`identity.role-<id>`); its name is unique per enterprise by a
 * reservation stream (`identity.rolename-<enterprise>:<name>`, reserved before the role is written,
 * released on rename/delete or when the create fails); a member's roles are its own stream
 * (`identity.memberroles-<memberId>`), so assigning to 1,000 members is 1,000 independent appends
 * and sign-in reads a member's roles consistently from the event store.
 */
@CommandHandler(RoleCommand)
export class RoleCommandHandler implements ICommandHandler<RoleCommand> {
  constructor(@Inject(IDENTITY_EVENT_STORE) private readonly store: EventStore) {}

  async execute({ operation, principal, correlationId }: RoleCommand): Promise<RoleOperationResult> {
    const actor = await loadActor(this.store, principal);
    assertCanManage(actor);
    const metadata: EventMetadata = { tenantId: actor.enterpriseId, correlationId, causationId: null, actor: actor.memberId };
    const roleActor: RoleActor = { memberId: actor.memberId, isAdmin: actor.isAdmin };
    const now = new Date().toISOString();
    switch (operation.kind) {
      case 'create': {
        const roleId = await this.create(actor, roleActor, operation.name, operation.packages, null, metadata, now);
        const results = await this.assignAll(actor, roleActor, roleId, 'assign', operation.memberIds, metadata);
        return { roleId, results };
      }
      case 'copy': {
        const source = await this.loadRole(actor, operation.sourceId);
        const roleId = await this.create(actor, roleActor, operation.name, source.packages, operation.sourceId, metadata, now);
        return { roleId, results: [] };
      }
      case 'change': {
        const role = await this.loadRole(actor, operation.roleId);
        const newName = operation.name;
        const renaming = newName !== undefined && normaliseRoleName(newName) !== normaliseRoleName(role.name);
        if (renaming) await this.reserveName(actor.enterpriseId, newName, operation.roleId, metadata);
        let result;
        try {
          result = await handleCommand(
            this.store,
            roleStreamId(operation.roleId),
            roleDecider,
            { kind: 'ChangeRole', roleId: operation.roleId, enterpriseId: actor.enterpriseId, name: newName, packages: operation.packages, actor: roleActor, now },
            metadata,
          );
        } catch (error) {
          if (renaming) await this.releaseName(actor.enterpriseId, newName, operation.roleId, metadata);
          throw error;
        }
        // release the name the role had just before this change (decided on the latest state, so a
        // concurrent rename cannot leave a name reserved by a role that no longer carries it)
        const changed = result.newEvents.find((e) => e.type === 'identity.RoleChanged');
        if (changed && normaliseRoleName(changed.data.previousName) !== normaliseRoleName(changed.data.name)) {
          await this.releaseName(actor.enterpriseId, changed.data.previousName, operation.roleId, metadata);
        }
        if (renaming && normaliseRoleName(result.state.name) !== normaliseRoleName(newName)) {
          await this.releaseName(actor.enterpriseId, newName, operation.roleId, metadata);
        }
        return { roleId: operation.roleId, results: [] };
      }
      case 'delete': {
        await this.loadRole(actor, operation.roleId);
        const result = await handleCommand(this.store, roleStreamId(operation.roleId), roleDecider, { kind: 'DeleteRole', roleId: operation.roleId, enterpriseId: actor.enterpriseId, actor: roleActor, now }, metadata);
        for (const e of result.newEvents) if (e.type === 'identity.RoleDeleted') await this.releaseName(actor.enterpriseId, e.data.name, operation.roleId, metadata);
        return { roleId: operation.roleId, results: [] };
      }
      case 'assign':
      case 'unassign': {
        await this.loadRole(actor, operation.roleId);
        const results = await this.assignAll(actor, roleActor, operation.roleId, operation.kind, operation.memberIds, metadata);
        return { roleId: operation.roleId, results };
      }
      default: {
        const never: never = operation;
        throw new Error(`unknown role operation ${JSON.stringify(never)}`);
      }
    }
  }

  /** A live role of the actor's enterprise; another tenant's or a deleted role is not found. */
  private async loadRole(actor: Actor, roleId: string): Promise<RoleState> {
    const { state } = await loadState(this.store, roleStreamId(roleId), roleDecider);
    if (!state.exists || state.deleted || state.enterpriseId !== actor.enterpriseId) throw roleNotFound();
    return state;
  }

  private async create(actor: Actor, roleActor: RoleActor, name: string, packages: readonly string[], copiedFrom: string | null, metadata: EventMetadata, now: string): Promise<string> {
    const roleId = randomUUID();
    const command = { kind: 'CreateRole', roleId, enterpriseId: actor.enterpriseId, name, packages, copiedFrom, actor: roleActor, now } as const;
    roleDecider.decide(command, roleDecider.initialState()); // validate before reserving the name
    await this.reserveName(actor.enterpriseId, name, roleId, metadata);
    try {
      await handleCommand(this.store, roleStreamId(roleId), roleDecider, command, metadata);
    } catch (error) {
      await this.releaseName(actor.enterpriseId, name, roleId, metadata);
      throw error;
    }
    return roleId;
  }

  private async reserveName(enterpriseId: string, name: string, roleId: string, metadata: EventMetadata): Promise<void> {
    await handleCommand(this.store, roleNameStreamId(enterpriseId, name), roleNameDecider, { kind: 'ReserveRoleName', enterpriseId, name: normaliseRoleName(name), roleId }, metadata);
  }

  private async releaseName(enterpriseId: string, name: string, roleId: string, metadata: EventMetadata): Promise<void> {
    await handleCommand(this.store, roleNameStreamId(enterpriseId, name), roleNameDecider, { kind: 'ReleaseRoleName', enterpriseId, name: normaliseRoleName(name), roleId }, metadata, {
      maxRetries: 20,
    });
  }

  private assignAll(actor: Actor, roleActor: RoleActor, roleId: string, kind: 'assign' | 'unassign', memberIds: readonly string[], metadata: EventMetadata): Promise<RoleMemberResult[]> {
    return mapWithConcurrency([...new Set(memberIds)], CONCURRENCY, async (id): Promise<RoleMemberResult> => {
      try {
        const target = await loadTarget(this.store, actor, id);
        // as for member management (ORG-7): a manager does not change the administrator's or a manager's (its own) roles
        assertAuthorityOver(actor, target.state, 'change the roles of');
        const now = new Date().toISOString();
        const result = await handleCommand(
          this.store,
          memberRolesStreamId(id),
          memberRolesDecider,
          { kind: kind === 'assign' ? 'AssignRole' : 'UnassignRole', memberId: id, enterpriseId: actor.enterpriseId, roleId, actor: roleActor, now },
          metadata,
        );
        return { id, ok: true, changed: result.newEvents.length > 0 };
      } catch (error) {
        if (error instanceof DomainError) return { id, ok: false, error: { status: DOMAIN_ERROR_STATUS[error.kind], code: error.code, detail: error.message } };
        if (error instanceof ConcurrencyRetriesExhaustedError) {
          return { id, ok: false, error: { status: 409, code: 'concurrency-conflict', detail: 'The member was modified concurrently; retry.' } };
        }
        throw error;
      }
    });
  }
}
