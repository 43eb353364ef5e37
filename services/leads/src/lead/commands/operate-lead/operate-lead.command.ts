import { Command } from '@nestjs/cqrs';
import type { Principal } from '@leadstream/platform';
import type { LeadOperation, LeadOperationOutcome } from '../../domain/lead-operation';

/** One LEAD-6 operation on one lead. */
export class OperateLeadCommand extends Command<{ id: string; outcome: LeadOperationOutcome }> {
  constructor(
    readonly leadId: string,
    readonly operation: LeadOperation,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {
    super();
  }
}
