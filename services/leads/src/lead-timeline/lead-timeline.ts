import type { RecordedEvent } from '@leadstream/event-sourcing';
import type { LeadSchema } from '../lead-schema/domain/lead-schema.types';
import { PERSONAL_CONTACT_KEYS, type LeadEvent } from '../lead/domain/lead.events';
import type { BehaviourRecorded } from '../lead-behaviour/domain/behaviour.events';

/** One change in a lead's life, as the profile shows it (LEAD-12). */
export interface TimelineEntry {
  /** Where the entry comes from: the lead's own changes, or its behaviours. */
  readonly source: 'lead' | 'behaviour';
  /** The event's revision in its stream. */
  readonly revision: number;
  readonly kind: 'created' | 'updated' | 'statusChanged' | 'tagsChanged' | 'assigned' | 'behaviour';
  readonly at: string;
  /** The member who made the change. */
  readonly by: string;
  readonly changes: Readonly<Record<string, unknown>>;
}

/** Custom-field values by key, as the schema stands now: deleted fields never show. */
function fieldsByKey(schema: Pick<LeadSchema, 'customFields'>, byId: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> | undefined {
  if (!byId) return undefined;
  const out: Record<string, unknown> = {};
  for (const field of schema.customFields) {
    if (field.deleted || !(field.id in byId)) continue;
    out[field.key] = byId[field.id];
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The timeline entry of one lead event; null for events that are not a change to show. */
export function timelineEntryOf(event: RecordedEvent, schema: Pick<LeadSchema, 'customFields'>): TimelineEntry | null {
  const e = event as unknown as LeadEvent & { revision: number };
  const base = { source: 'lead' as const, revision: event.revision };
  switch (e.type) {
    case 'leads.LeadCreated': {
      const d = e.data;
      const contact: Record<string, unknown> = {};
      for (const key of PERSONAL_CONTACT_KEYS) if (d.personal?.[key] != null) contact[key] = d.personal[key];
      const fields = fieldsByKey(schema, d.personal?.fields);
      return {
        ...base,
        kind: 'created',
        at: d.createdAt,
        by: d.createdBy,
        changes: { ...contact, source: d.source, activityId: d.activityId, statusId: d.statusId, ownerId: d.ownerId, tags: [...d.tags], ...(fields ? { fields } : {}) },
      };
    }
    case 'leads.LeadUpdated': {
      const d = e.data;
      const changes: Record<string, unknown> = {};
      for (const key of PERSONAL_CONTACT_KEYS) if (d.personal && key in d.personal) changes[key] = d.personal[key] ?? null;
      if (d.source !== undefined) changes['source'] = d.source;
      const fields = fieldsByKey(schema, d.personal?.fields);
      if (fields) changes['fields'] = fields;
      // an edit of fields deleted since shows nothing: it is left out
      if (Object.keys(changes).length === 0) return null;
      return { ...base, kind: 'updated', at: d.updatedAt, by: d.updatedBy, changes };
    }
    case 'leads.LeadStatusChanged':
      return { ...base, kind: 'statusChanged', at: e.data.changedAt, by: e.data.changedBy, changes: { from: e.data.previousStatusId, to: e.data.statusId } };
    case 'leads.LeadTagsChanged':
      return { ...base, kind: 'tagsChanged', at: e.data.changedAt, by: e.data.changedBy, changes: { added: [...e.data.added], removed: [...e.data.removed] } };
    case 'leads.LeadAssigned':
      return { ...base, kind: 'assigned', at: e.data.assignedAt, by: e.data.assignedBy, changes: { from: e.data.previousOwnerId, to: e.data.ownerId } };
    default:
      return null;
  }
}

/** A behaviour as a timeline entry, at the time it happened. */
export function behaviourEntryOf(event: RecordedEvent): TimelineEntry | null {
  if (event.type !== 'leads.BehaviourRecorded') return null;
  const d = (event as unknown as BehaviourRecorded).data;
  return {
    source: 'behaviour',
    revision: event.revision,
    kind: 'behaviour',
    at: d.occurredAt,
    by: d.recordedBy,
    changes: { behaviourId: d.behaviourId, type: d.type, properties: { ...d.properties }, recordedAt: d.recordedAt },
  };
}

/** Newest first; ties broken by source and revision, so the order is total and cursors are exact. */
export function compareNewestFirst(a: Pick<TimelineEntry, 'at' | 'source' | 'revision'>, b: Pick<TimelineEntry, 'at' | 'source' | 'revision'>): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1;
  if (a.source !== b.source) return a.source < b.source ? 1 : -1;
  return b.revision - a.revision;
}
