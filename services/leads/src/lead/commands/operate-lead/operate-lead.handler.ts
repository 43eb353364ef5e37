import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { LeadOperationOutcome } from '../../domain/lead-operation';
import { LeadOperations } from '../../lead-operations';
import { OperateLeadCommand } from './operate-lead.command';

@CommandHandler(OperateLeadCommand)
export class OperateLeadHandler implements ICommandHandler<OperateLeadCommand> {
  constructor(private readonly leads: LeadOperations) {}

  async execute({ leadId, operation, principal, correlationId }: OperateLeadCommand): Promise<{ id: string; outcome: LeadOperationOutcome }> {
    const outcome = await this.leads.apply(principal, leadId, operation, { correlationId });
    return { id: leadId, outcome };
  }
}
