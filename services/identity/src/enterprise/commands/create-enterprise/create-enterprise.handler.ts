import { randomInt, randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError, handleCommand, streamIdOf, type EventMetadata, type EventStore } from '@leadstream/event-sourcing';
import { DEFAULT_TIME_ZONE, enterpriseDecider } from '../../domain/enterprise.decider';
import { ENTERPRISE_CATEGORY } from '../../domain/enterprise.events';
import { ACCOUNT_NAME_CATEGORY, ACCOUNT_NUMBER_CATEGORY, MEMBER_CATEGORY } from '../../../member/domain/member.events';
import { memberDecider, normaliseAccountName } from '../../../member/domain/member.decider';
import { reservationDecider } from '../../../member/domain/reservation.decider';
import { hashPassword } from '../../../auth/password-hasher';
import { IDENTITY_EVENT_STORE } from '../../../identity.tokens';
import { CreateEnterpriseCommand, type CreateEnterpriseResult } from './create-enterprise.command';

export function accountNameStreamId(enterpriseId: string, accountName: string): string {
  return streamIdOf(ACCOUNT_NAME_CATEGORY, `${enterpriseId}:${normaliseAccountName(accountName)}`);
}

/**
 * Creates the enterprise and its administrator. Order matters: reservations first (they are the
 * uniqueness guarantees), then the member, and the enterprise last — an enterprise exists, and its
 * admin can sign in, only once every part of it is written.
 */
@CommandHandler(CreateEnterpriseCommand)
export class CreateEnterpriseHandler implements ICommandHandler<CreateEnterpriseCommand> {
  constructor(@Inject(IDENTITY_EVENT_STORE) private readonly store: EventStore) {}

  async execute(command: CreateEnterpriseCommand): Promise<CreateEnterpriseResult> {
    const enterpriseId = randomUUID();
    const adminMemberId = randomUUID();
    const now = new Date().toISOString();
    const createEnterprise = {
      kind: 'CreateEnterprise' as const,
      enterpriseId,
      name: command.name,
      timeZone: command.timeZone || DEFAULT_TIME_ZONE,
      seatQuota: command.seatQuota,
      adminMemberId,
      enabled: command.enabled,
      now,
    };
    // Validate everything before writing anything.
    enterpriseDecider.decide(createEnterprise, enterpriseDecider.initialState());
    const passwordHash = await hashPassword(command.admin.password);
    const createMember = {
      kind: 'CreateMember' as const,
      memberId: adminMemberId,
      enterpriseId,
      accountNumber: '',
      accountName: command.admin.accountName,
      realName: command.admin.realName,
      passwordHash,
      isAdmin: true,
      now,
    };
    memberDecider.decide(createMember, memberDecider.initialState());

    const metadata: EventMetadata = { tenantId: enterpriseId, correlationId: command.correlationId, causationId: null, actor: 'operator' };
    const accountNumber = await this.reserveAccountNumber(enterpriseId, adminMemberId, metadata);
    await handleCommand(
      this.store,
      accountNameStreamId(enterpriseId, command.admin.accountName),
      reservationDecider,
      { kind: 'ReserveAccountName', enterpriseId, accountName: normaliseAccountName(command.admin.accountName), memberId: adminMemberId },
      metadata,
    );
    await handleCommand(this.store, streamIdOf(MEMBER_CATEGORY, adminMemberId), memberDecider, { ...createMember, accountNumber }, metadata);
    await handleCommand(this.store, streamIdOf(ENTERPRISE_CATEGORY, enterpriseId), enterpriseDecider, createEnterprise, metadata);
    return { enterpriseId, adminMemberId, adminAccountNumber: accountNumber };
  }

  /** Account numbers are proposed from free 8-digit numbers; the reservation stream makes them unique. */
  private async reserveAccountNumber(enterpriseId: string, memberId: string, metadata: EventMetadata): Promise<string> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const accountNumber = String(randomInt(10_000_000, 100_000_000));
      try {
        await handleCommand(
          this.store,
          streamIdOf(ACCOUNT_NUMBER_CATEGORY, accountNumber),
          reservationDecider,
          { kind: 'ReserveAccountNumber', enterpriseId, accountNumber, memberId },
          metadata,
        );
        return accountNumber;
      } catch (error) {
        if (error instanceof DomainError && error.kind === 'conflict') continue;
        throw error;
      }
    }
    throw new DomainError('conflict', 'identity.no-free-account-number', 'No free account number was found; try again.');
  }
}
