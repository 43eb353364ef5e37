import { Command } from '@nestjs/cqrs';
import type { Principal } from '@leadstream/platform';
import type { LeadSchemaCommand } from '../domain/lead-schema.decider';

type WithoutIds<C, K extends string> = C extends unknown ? Omit<C, K> : never;

/**
 * A change to the enterprise's lead object schema as the HTTP edge sees it: the ids of new fields and
 * options are chosen by the handler, and options of a new choice field arrive as labels.
 */
export type LeadSchemaChange =
  | WithoutIds<Extract<LeadSchemaCommand, { kind: 'CreateCustomField' }>, 'fieldId'>
  | WithoutIds<Extract<LeadSchemaCommand, { kind: 'AddFieldOption' }>, 'optionId'>
  | Exclude<LeadSchemaCommand, { kind: 'CreateCustomField' | 'AddFieldOption' }>;

/** Any change to the lead object schema (LEAD-4); answers the id of the field or option it created, if any. */
export class ChangeLeadSchemaCommand extends Command<{ id: string | null }> {
  constructor(
    readonly change: LeadSchemaChange,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {
    super();
  }
}
