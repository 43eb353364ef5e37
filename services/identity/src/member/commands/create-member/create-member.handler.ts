import { randomInt, randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError, handleCommand, streamIdOf, type EventMetadata, type EventStore } from '@leadstream/event-sourcing';
import { accountNameStreamId } from '../../../enterprise/commands/create-enterprise/create-enterprise.handler';
import { hashPassword } from '../../../auth/password-hasher';
import { IDENTITY_EVENT_STORE } from '../../../identity.tokens';
import { ACCOUNT_NUMBER_PATTERN, memberDecider, normaliseAccountName, type CreateMember } from '../../domain/member.decider';
import { ACCOUNT_NUMBER_CATEGORY } from '../../domain/member.events';
import { reservationDecider } from '../../domain/reservation.decider';
import { seatsDecider } from '../../domain/seats.decider';
import { adminOnly, assertCanManage, loadActor, loadDepartmentIds, loadEnterprise, memberStreamId, seatsStreamId } from '../../member-access';
import { CreateMemberCommand, type CreateMemberResult } from './create-member.command';

/** Appends on the seats stream are retried this often: concurrent creates contend for it. */
const SEAT_RETRIES = 100;

/**
 * ORG-5 create a member. Order: the account-name reservation (uniqueness in the enterprise), then a
 * seat (quota), then the account number (uniqueness on the platform), and the member last. A step
 * that fails undoes the earlier ones (name released, seat released), so a refused create leaves the
 * name and the seat free again.
 */
@CommandHandler(CreateMemberCommand)
export class CreateMemberHandler implements ICommandHandler<CreateMemberCommand> {
  constructor(@Inject(IDENTITY_EVENT_STORE) private readonly store: EventStore) {}

  async execute(command: CreateMemberCommand): Promise<CreateMemberResult> {
    const { input, principal } = command;
    const actor = await loadActor(this.store, principal);
    assertCanManage(actor);
    if (input.manager === true && !actor.isAdmin) throw adminOnly('grant the management permission');
    const enterpriseId = actor.enterpriseId;
    const memberId = randomUUID();
    const now = new Date().toISOString();
    if (input.accountNumber !== undefined && !ACCOUNT_NUMBER_PATTERN.test(input.accountNumber)) {
      throw new DomainError('invalid', 'identity.invalid-account-number', 'The account number is not valid.', { accountNumber: 'must be 5-12 digits' });
    }
    const create: CreateMember = {
      kind: 'CreateMember',
      memberId,
      enterpriseId,
      accountNumber: '',
      accountName: input.accountName,
      realName: input.realName ?? null,
      nickname: input.nickname ?? null,
      marketingOnly: input.marketingOnly ?? false,
      manager: input.manager ?? false,
      passwordHash: '',
      isAdmin: false,
      now,
      ...(input.departmentIds !== undefined && input.departmentIds.length > 0
        ? { departmentIds: input.departmentIds, knownDepartmentIds: await loadDepartmentIds(this.store, enterpriseId), by: actor.memberId }
        : {}),
    };
    memberDecider.decide(create, memberDecider.initialState()); // validate before writing anything
    const enterprise = await loadEnterprise(this.store, enterpriseId);
    const passwordHash = await hashPassword(input.password);
    const metadata: EventMetadata = { tenantId: enterpriseId, correlationId: command.correlationId, causationId: null, actor: principal.memberId };

    const accountName = normaliseAccountName(input.accountName);
    const nameStream = accountNameStreamId(enterpriseId, input.accountName);
    await handleCommand(this.store, nameStream, reservationDecider, { kind: 'ReserveAccountName', enterpriseId, accountName, memberId }, metadata);
    const releaseName = () =>
      handleCommand(this.store, nameStream, reservationDecider, { kind: 'ReleaseAccountName', enterpriseId, accountName, memberId }, metadata, {
        maxRetries: SEAT_RETRIES,
      });
    try {
      await handleCommand(this.store, seatsStreamId(enterpriseId), seatsDecider, { kind: 'TakeSeat', enterpriseId, memberId, seatQuota: enterprise.seatQuota }, metadata, {
        maxRetries: SEAT_RETRIES,
      });
    } catch (error) {
      await releaseName();
      throw error;
    }
    let accountNumber: string;
    try {
      accountNumber = await this.reserveAccountNumber(enterpriseId, memberId, input.accountNumber, metadata);
    } catch (error) {
      await handleCommand(this.store, seatsStreamId(enterpriseId), seatsDecider, { kind: 'ReleaseSeat', enterpriseId, memberId }, metadata, {
        maxRetries: SEAT_RETRIES,
      });
      await releaseName();
      throw error;
    }
    await handleCommand(this.store, memberStreamId(memberId), memberDecider, { ...create, accountNumber, passwordHash }, metadata);
    return { id: memberId, accountNumber };
  }

  /** A chosen number must be free; otherwise one is proposed from free 8-digit numbers. */
  private async reserveAccountNumber(enterpriseId: string, memberId: string, chosen: string | undefined, metadata: EventMetadata): Promise<string> {
    const reserve = (accountNumber: string) =>
      handleCommand(
        this.store,
        streamIdOf(ACCOUNT_NUMBER_CATEGORY, accountNumber),
        reservationDecider,
        { kind: 'ReserveAccountNumber', enterpriseId, accountNumber, memberId },
        metadata,
      );
    if (chosen !== undefined) {
      await reserve(chosen);
      return chosen;
    }
    for (let attempt = 0; attempt < 20; attempt++) {
      const accountNumber = String(randomInt(10_000_000, 100_000_000));
      try {
        await reserve(accountNumber);
        return accountNumber;
      } catch (error) {
        if (error instanceof DomainError && error.kind === 'conflict') continue;
        throw error;
      }
    }
    throw new DomainError('conflict', 'identity.no-free-account-number', 'No free account number was found; try again.');
  }
}
