import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ForbiddenException } from '@nestjs/common';
import { hasPermission } from '@leadstream/platform';
import { LeadOperations } from '../../lead-operations';
import { CreateLeadCommand } from './create-lead.command';

@CommandHandler(CreateLeadCommand)
export class CreateLeadHandler implements ICommandHandler<CreateLeadCommand> {
  constructor(private readonly leads: LeadOperations) {}

  execute({ input, principal, correlationId }: CreateLeadCommand): Promise<{ id: string }> {
    // Capturing a lead straight into someone's hands is an assignment (LEAD-6).
    if (input.ownerId && !hasPermission(principal, 'leads:assign')) throw new ForbiddenException('Setting ownerId needs the leads:assign permission.');
    return this.leads.create(principal, input, { correlationId });
  }
}
