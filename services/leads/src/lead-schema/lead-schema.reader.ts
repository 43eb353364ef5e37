import { Inject, Injectable } from '@nestjs/common';
import { streamIdOf, type EventStore } from '@leadstream/event-sourcing';
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
  private readonly cache = new Map<string, LeadSchema>();

  constructor(@Inject(LEADS_EVENT_STORE) private readonly store: EventStore) {}

  async get(enterpriseId: string): Promise<LeadSchema> {
    const cached = this.cache.get(enterpriseId);
    const fromRevision = cached ? cached.revision + 1 : 0;
    const tail = await this.store.readStream(streamIdOf(LEAD_SCHEMA_CATEGORY, enterpriseId), { fromRevision });
    // another call may have moved the cache on while this one was reading
    const base = this.cache.get(enterpriseId) ?? cached;
    let state: LeadSchemaState = base ?? leadSchemaDecider.initialState();
    let revision = base?.revision ?? -1;
    for (const event of tail) {
      if (event.revision <= revision) continue;
      state = leadSchemaDecider.evolve(state, event as unknown as LeadSchemaEvent);
      revision = event.revision;
    }
    const schema: LeadSchema = base && revision === base.revision ? base : { enterpriseId, systemFields: state.systemFields, customFields: state.customFields, revision };
    this.remember(enterpriseId, schema);
    return schema;
  }

  private remember(enterpriseId: string, schema: LeadSchema): void {
    this.cache.delete(enterpriseId);
    this.cache.set(enterpriseId, schema);
    if (this.cache.size > MAX_CACHED_ENTERPRISES) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}
