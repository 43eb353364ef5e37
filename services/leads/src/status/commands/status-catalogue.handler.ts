import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { statusCatalogueDecider, type StatusCatalogueCommand } from '../domain/status-catalogue.decider';
import { STATUS_CATALOGUE_CATEGORY } from '../domain/status.events';
import { LEADS_EVENT_STORE } from '../../leads.tokens';
import { ChangeStatusCatalogueCommand } from './status-catalogue.command';

@CommandHandler(ChangeStatusCatalogueCommand)
export class ChangeStatusCatalogueHandler implements ICommandHandler<ChangeStatusCatalogueCommand> {
  constructor(@Inject(LEADS_EVENT_STORE) private readonly store: EventStore) {}

  async execute({ change, principal, correlationId }: ChangeStatusCatalogueCommand): Promise<{ id: string | null }> {
    const enterpriseId = principal.tenantId;
    const command: StatusCatalogueCommand = change.kind === 'CreateStatus' ? { ...change, enterpriseId, statusId: randomUUID() } : { ...change, enterpriseId };
    await handleCommand(this.store, streamIdOf(STATUS_CATALOGUE_CATEGORY, enterpriseId), statusCatalogueDecider, command, {
      tenantId: enterpriseId,
      correlationId,
      causationId: null,
      actor: principal.memberId,
    });
    return { id: 'statusId' in command ? command.statusId : null };
  }
}
