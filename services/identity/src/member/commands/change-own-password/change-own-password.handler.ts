import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError, handleCommand, type EventStore } from '@leadstream/event-sourcing';
import { hashPassword, verifyPassword } from '../../../auth/password-hasher';
import { IDENTITY_EVENT_STORE } from '../../../identity.tokens';
import { memberDecider } from '../../domain/member.decider';
import { loadActor, loadTarget, memberStreamId } from '../../member-access';
import { ChangeOwnPasswordCommand } from './change-own-password.command';

@CommandHandler(ChangeOwnPasswordCommand)
export class ChangeOwnPasswordHandler implements ICommandHandler<ChangeOwnPasswordCommand> {
  constructor(@Inject(IDENTITY_EVENT_STORE) private readonly store: EventStore) {}

  async execute(command: ChangeOwnPasswordCommand): Promise<void> {
    const actor = await loadActor(this.store, command.principal);
    const { state } = await loadTarget(this.store, actor, actor.memberId);
    if (state.passwordHash === null || !(await verifyPassword(state.passwordHash, command.currentPassword))) {
      throw new DomainError('forbidden', 'identity.wrong-current-password', 'The current password is wrong.', { currentPassword: 'is wrong' });
    }
    const passwordHash = await hashPassword(command.newPassword);
    await handleCommand(
      this.store,
      memberStreamId(actor.memberId),
      memberDecider,
      { kind: 'ChangePassword', passwordHash, reset: false, by: actor.memberId, now: new Date().toISOString() },
      { tenantId: actor.enterpriseId, correlationId: command.correlationId, causationId: null, actor: actor.memberId },
    );
  }
}
