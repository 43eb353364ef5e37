import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ConcurrencyRetriesExhaustedError, DomainError, handleCommand, type EventMetadata, type EventStore } from '@leadstream/event-sourcing';
import { DOMAIN_ERROR_STATUS } from '@leadstream/platform';
import { hashPassword } from '../../../auth/password-hasher';
import { IDENTITY_EVENT_STORE } from '../../../identity.tokens';
import { memberDecider, type MemberCommand } from '../../domain/member.decider';
import {
  adminOnly,
  assertAuthorityOver,
  assertCanManage,
  loadActor,
  loadDepartmentIds,
  loadEnterprise,
  loadSeatsInUse,
  loadTarget,
  memberStreamId,
  type Actor,
} from '../../member-access';
import { ManageMembersCommand, type MemberActionResult } from './manage-members.command';

/** Members handled at once: cheap actions are a few event-store round trips each. */
const CONCURRENCY = 16;
/**
 * Password resets hash with argon2id (~20-40 ms, 19 MiB each): at most this many at once, so a
 * 1,000-member reset neither starves sign-ins of the libuv thread pool nor balloons memory.
 */
const HASH_CONCURRENCY = 4;

async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}

/**
 * Disable, enable, reset password, edit profile, grant/revoke management, move: one member or a batch of
 * up to 1,000. Every member is changed by its own append (its own stream) and gets its own result;
 * nothing is silently skipped: a member that was not changed is reported with the reason.
 */
@CommandHandler(ManageMembersCommand)
export class ManageMembersHandler implements ICommandHandler<ManageMembersCommand> {
  constructor(@Inject(IDENTITY_EVENT_STORE) private readonly store: EventStore) {}

  async execute(command: ManageMembersCommand): Promise<MemberActionResult[]> {
    const actor = await loadActor(this.store, command.principal);
    assertCanManage(actor);
    if (command.action === 'management' && !actor.isAdmin) throw adminOnly('grant or revoke the management permission');
    const metadata: EventMetadata = { tenantId: actor.enterpriseId, correlationId: command.correlationId, causationId: null, actor: actor.memberId };
    const seatQuota = command.action === 'enable' ? (await loadEnterprise(this.store, actor.enterpriseId)).seatQuota : 0;
    // ORG-5: the org tree is read once for the whole batch
    const knownDepartmentIds = command.action === 'move' ? await loadDepartmentIds(this.store, actor.enterpriseId) : new Set<string>();
    const limit = command.action === 'reset-password' ? HASH_CONCURRENCY : CONCURRENCY;
    return mapWithConcurrency([...new Set(command.memberIds)], limit, async (id) => {
      try {
        await this.apply(command, actor, id, seatQuota, knownDepartmentIds, metadata);
        return { id, ok: true };
      } catch (error) {
        if (error instanceof DomainError) {
          return { id, ok: false, error: { status: DOMAIN_ERROR_STATUS[error.kind], code: error.code, detail: error.message } };
        }
        if (error instanceof ConcurrencyRetriesExhaustedError) {
          return { id, ok: false, error: { status: 409, code: 'concurrency-conflict', detail: 'The member was modified concurrently; retry.' } };
        }
        throw error;
      }
    });
  }

  private async apply(
    command: ManageMembersCommand,
    actor: Actor,
    memberId: string,
    seatQuota: number,
    knownDepartmentIds: ReadonlySet<string>,
    metadata: EventMetadata,
  ): Promise<void> {
    const target = await loadTarget(this.store, actor, memberId);
    const now = new Date().toISOString();
    const by = actor.memberId;
    let decided: MemberCommand;
    switch (command.action) {
      case 'disable':
        if (memberId === actor.memberId && !target.state.isAdmin) {
          throw new DomainError('unprocessable', 'identity.cannot-disable-self', 'A member cannot disable itself.');
        }
        if (!target.state.isAdmin) assertAuthorityOver(actor, target.state, 'disable');
        decided = { kind: 'DisableMember', by, now };
        break;
      case 'enable':
        assertAuthorityOver(actor, target.state, 'enable');
        decided = { kind: 'EnableMember', by, now, seatsInUse: await loadSeatsInUse(this.store, actor.enterpriseId), seatQuota };
        break;
      case 'reset-password':
        assertAuthorityOver(actor, target.state, 'reset the password of');
        decided = { kind: 'ChangePassword', passwordHash: await hashPassword(command.input.password ?? ''), reset: true, by, now };
        break;
      case 'edit':
        if (memberId !== actor.memberId) assertAuthorityOver(actor, target.state, 'edit');
        decided = { kind: 'ChangeProfile', realName: command.input.realName, nickname: command.input.nickname, now };
        break;
      case 'management':
        decided = { kind: 'SetManagement', manager: command.input.manager ?? false, by, now };
        break;
      case 'move':
        assertAuthorityOver(actor, target.state, 'move');
        decided = { kind: 'MoveMember', departmentIds: command.input.departmentIds ?? [], knownDepartmentIds, by, now };
        break;
    }
    await handleCommand(this.store, memberStreamId(memberId), memberDecider, decided, metadata);
  }
}
