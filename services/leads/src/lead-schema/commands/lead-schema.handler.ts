import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { leadSchemaDecider, type LeadSchemaCommand, type RawAttributes } from '../domain/lead-schema.decider';
import { LEAD_SCHEMA_CATEGORY } from '../domain/lead-schema.events';
import { LEADS_EVENT_STORE } from '../../leads.tokens';
import { ChangeLeadSchemaCommand, type LeadSchemaChange } from './lead-schema.command';

/**
 * Options of a new choice field come as `[{ label }]` or `["label"]`; each gets a new id. Anything
 * else is handed on untouched, for the decider to refuse under `attributes.options`.
 */
function withOptionIds(attributes: RawAttributes): RawAttributes {
  const options: unknown = attributes['options'];
  if (!Array.isArray(options)) return attributes;
  const items: unknown[] = options;
  return {
    ...attributes,
    options: items.map((item) => {
      if (typeof item === 'string') return { id: randomUUID(), label: item };
      if (typeof item === 'object' && item !== null && !Array.isArray(item) && Object.keys(item).every((k) => k === 'label')) return { id: randomUUID(), label: (item as { label?: unknown }).label };
      return item;
    }),
  };
}

function withIds(change: LeadSchemaChange): { command: LeadSchemaCommand; id: string | null } {
  switch (change.kind) {
    case 'CreateCustomField': {
      const fieldId = randomUUID();
      return { command: { ...change, fieldId, attributes: withOptionIds(change.attributes ?? {}) }, id: fieldId };
    }
    case 'AddFieldOption': {
      const optionId = randomUUID();
      return { command: { ...change, optionId }, id: optionId };
    }
    default:
      return { command: change, id: null };
  }
}

@CommandHandler(ChangeLeadSchemaCommand)
export class ChangeLeadSchemaHandler implements ICommandHandler<ChangeLeadSchemaCommand> {
  constructor(@Inject(LEADS_EVENT_STORE) private readonly store: EventStore) {}

  async execute({ change, principal, correlationId }: ChangeLeadSchemaCommand): Promise<{ id: string | null }> {
    const enterpriseId = principal.tenantId;
    const { command, id } = withIds(change);
    await handleCommand(this.store, streamIdOf(LEAD_SCHEMA_CATEGORY, enterpriseId), leadSchemaDecider, command, {
      tenantId: enterpriseId,
      correlationId,
      causationId: null,
      actor: principal.memberId,
    });
    return { id };
  }
}
