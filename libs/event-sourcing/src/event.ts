/**
 * Events are plain data: a stable, namespaced, past-tense `type` (for example `leads.LeadCreated`),
 * a JSON `data` payload and `metadata` that says who did it, for which tenant, and why.
 */
export interface EventMetadata {
  /** The enterprise (tenant) the event belongs to. */
  readonly tenantId: string;
  /** Ties together every event caused by one request. */
  readonly correlationId: string;
  /** The id of the message (command or event) that directly caused this event. */
  readonly causationId?: string | null;
  /** The member (or system actor such as `system:relay`) that caused the event. */
  readonly actor?: string | null;
}

/** An event about to be appended. `id` defaults to a new UUID. */
export interface NewEvent<TType extends string = string, TData = unknown> {
  readonly id?: string;
  readonly type: TType;
  readonly data: TData;
  readonly metadata: EventMetadata;
}

/** An event as stored, with its place in its stream and in the global log. */
export interface RecordedEvent<TType extends string = string, TData = unknown> {
  readonly id: string;
  readonly type: TType;
  readonly data: TData;
  readonly metadata: EventMetadata;
  readonly streamId: string;
  /** Zero-based revision of the event inside its stream. */
  readonly revision: number;
  /** Position in the store's global log; strictly increasing in append order. */
  readonly position: number;
  /** ISO-8601 UTC time the store recorded the event. */
  readonly recordedAt: string;
}

/** Domain event shape used by deciders: a discriminated union member. */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
}

/**
 * Stream ids are `<category>-<id>`; the category is everything before the first `-`.
 * Categories are namespaced by service: `identity.member-4f1c…`, `leads.lead-9a2b…`.
 */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
}

export function streamIdOf(category: string, id: string): string {
  if (category.includes('-')) {
    throw new Error(`stream category must not contain '-': ${category}`);
  }
  return `${category}-${id}`;
}

/**
 * Freezes a decoded event's data in place, all the way down, and returns it: events read from a
 * log are shared between their readers (a store's tail cache, the opened personal data of a lead
 * event), so none of them may change what the others see. Already frozen parts are left as they are.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}
