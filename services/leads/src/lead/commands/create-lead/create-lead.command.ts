import { Command } from '@nestjs/cqrs';
import type { Principal } from '@leadstream/platform';
import type { CreateLeadInput } from '../../lead-operations';

export type { CreateLeadInput };

export class CreateLeadCommand extends Command<{ id: string }> {
  constructor(
    readonly input: CreateLeadInput,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {
    super();
  }
}
