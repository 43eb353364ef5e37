import { Command } from '@nestjs/cqrs';
import type { Principal } from '@leadstream/platform';

export interface CreateLeadInput {
  readonly name?: string;
  readonly phone?: string;
  readonly qq?: string;
  readonly email?: string;
  readonly company?: string;
  readonly source?: string;
  readonly activityId?: string;
  readonly tags?: string[];
}

export class CreateLeadCommand extends Command<{ id: string }> {
  constructor(
    readonly input: CreateLeadInput,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {
    super();
  }
}
