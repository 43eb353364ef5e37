import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { leadDecider } from '../../domain/lead.decider';
import { LEAD_CATEGORY } from '../../domain/lead.events';
import { LEADS_EVENT_STORE } from '../../../leads.tokens';
import { CreateLeadCommand } from './create-lead.command';

@CommandHandler(CreateLeadCommand)
export class CreateLeadHandler implements ICommandHandler<CreateLeadCommand> {
  constructor(@Inject(LEADS_EVENT_STORE) private readonly store: EventStore) {}

  async execute(command: CreateLeadCommand): Promise<{ id: string }> {
    const leadId = randomUUID();
    const { principal } = command;
    await handleCommand(
      this.store,
      streamIdOf(LEAD_CATEGORY, leadId),
      leadDecider,
      { kind: 'CreateLead', leadId, enterpriseId: principal.tenantId, ...command.input, statusId: '00000000-0000-4000-8000-000000000001', actor: principal.memberId, now: new Date().toISOString() },
      { tenantId: principal.tenantId, correlationId: command.correlationId, causationId: null, actor: principal.memberId },
    );
    return { id: leadId };
  }
}
