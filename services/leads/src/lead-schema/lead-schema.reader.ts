import { Inject, Injectable } from '@nestjs/common';
import { StreamStateCache, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { leadSchemaDecider, type LeadSchemaState } from './domain/lead-schema.decider';
import { LEAD_SCHEMA_CATEGORY, type LeadSchemaEvent } from './domain/lead-schema.events';
import type { LeadSchema } from './domain/lead-schema.types';
import { LEADS_EVENT_STORE } from '../leads.tokens';

/** Enterprises whose schema is kept folded in memory; the least recently read ones are dropped first. */
const MAX_CACHED_ENTERPRISES = 10_000;

/**
 * The current lead object schema of an enterprise, read from its event stream. Each enterprise's folded
 * schema is cached with its revision; every `get` reads only the events after it (the tail), so the
 * answer is always current, also after writes by other processes, and stays cheap for large schemas.
 */
@Injectable()
export class LeadSchemaReader {
  private readonly schemas: StreamStateCache<LeadSchemaEvent, LeadSchemaState>;
  /** The schema of each folded state: an unchanged stream answers the same object. */
  private readonly views = new WeakMap<LeadSchemaState, LeadSchema>();

  constructor(@Inject(LEADS_EVENT_STORE) store: EventStore) {
    this.schemas = new StreamStateCache(store, leadSchemaDecider, MAX_CACHED_ENTERPRISES);
  }

  async get(enterpriseId: string): Promise<LeadSchema> {
    const { state, revision } = await this.schemas.get(streamIdOf(LEAD_SCHEMA_CATEGORY, enterpriseId));
    let schema = this.views.get(state);
    if (schema === undefined || schema.revision !== revision || schema.enterpriseId !== enterpriseId) {
      schema = { enterpriseId, systemFields: state.systemFields, customFields: state.customFields, revision };
      this.views.set(state, schema);
    }
    return schema;
  }
}
