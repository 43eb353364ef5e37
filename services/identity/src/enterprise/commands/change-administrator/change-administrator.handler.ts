import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError, handleCommand, loadState, streamIdOf, type EventMetadata, type EventStore } from '@leadstream/event-sourcing';
import { enterpriseDecider } from '../../domain/enterprise.decider';
import { ENTERPRISE_CATEGORY } from '../../domain/enterprise.events';
import { accountNameStreamId } from '../create-enterprise/create-enterprise.handler';
import { memberDecider } from '../../../member/domain/member.decider';
import { reservationDecider } from '../../../member/domain/reservation.decider';
import { adminOnly, loadActor, memberStreamId } from '../../../member/member-access';
import { verifyAgainstDummy, verifyPassword } from '../../../auth/password-hasher';
import { IDENTITY_EVENT_STORE } from '../../../identity.tokens';
import { ChangeAdministratorCommand, type ChangeAdministratorResult } from './change-administrator.command';

/** One answer for every wrong proof: it never says which of the two was wrong. */
export const wrongProofs = () =>
  new DomainError('unauthorized', 'identity.invalid-credentials', 'The current password or the new administrator’s credentials are wrong.');

/**
 * ORG-2. Both proofs are checked (always both, so the time taken does not tell which one failed)
 * before anything is written. The enterprise stream's AdministratorChanged is the commit point and
 * the source of truth (its optimistic concurrency lets one of two concurrent hand-overs win); the
 * two member streams then follow with MemberAdminStatusChanged so the member state and the list
 * agree. Sign-in and identity's guard read the enterprise stream, so a crash between the writes
 * cannot leave two administrators.
 */
@CommandHandler(ChangeAdministratorCommand)
export class ChangeAdministratorHandler implements ICommandHandler<ChangeAdministratorCommand> {
  constructor(@Inject(IDENTITY_EVENT_STORE) private readonly store: EventStore) {}

  async execute(command: ChangeAdministratorCommand): Promise<ChangeAdministratorResult> {
    const actor = await loadActor(this.store, command.principal);
    if (!actor.isAdmin) throw adminOnly('change the administrator');
    const enterpriseId = actor.enterpriseId;

    const current = await loadState(this.store, memberStreamId(actor.memberId), memberDecider);
    const currentOk = current.state.passwordHash !== null && (await verifyPassword(current.state.passwordHash, command.currentPassword));

    const reservation = await loadState(this.store, accountNameStreamId(enterpriseId, command.newAdmin.accountName), reservationDecider);
    const newAdminId = reservation.state.enterpriseId === enterpriseId ? reservation.state.memberId : null;
    const candidate = newAdminId === null ? null : await loadState(this.store, memberStreamId(newAdminId), memberDecider);
    const newOk =
      candidate !== null && candidate.state.exists && candidate.state.enterpriseId === enterpriseId && candidate.state.passwordHash !== null
        ? await verifyPassword(candidate.state.passwordHash, command.newAdmin.password)
        : await verifyAgainstDummy(command.newAdmin.password);
    if (!currentOk || !newOk || newAdminId === null) throw wrongProofs();

    // Reasons only once both proofs are right.
    if (newAdminId === actor.memberId) {
      throw new DomainError('unprocessable', 'identity.already-admin', 'The new administrator must be another member.');
    }
    if (candidate!.state.disabled) {
      throw new DomainError('unprocessable', 'identity.new-admin-disabled', 'The new administrator is disabled; enable it first.');
    }

    const now = new Date().toISOString();
    const metadata: EventMetadata = { tenantId: enterpriseId, correlationId: command.correlationId, causationId: null, actor: actor.memberId };
    await handleCommand(
      this.store,
      streamIdOf(ENTERPRISE_CATEGORY, enterpriseId),
      enterpriseDecider,
      { kind: 'ChangeAdministrator', currentAdminMemberId: actor.memberId, newAdminMemberId: newAdminId, now },
      metadata,
    );
    await handleCommand(this.store, memberStreamId(actor.memberId), memberDecider, { kind: 'SetAdminStatus', isAdmin: false, now }, metadata);
    await handleCommand(this.store, memberStreamId(newAdminId), memberDecider, { kind: 'SetAdminStatus', isAdmin: true, now }, metadata);
    return { enterpriseId, previousAdminMemberId: actor.memberId, adminMemberId: newAdminId };
  }
}
