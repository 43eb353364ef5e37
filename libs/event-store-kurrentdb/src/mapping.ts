// Pure translations between the EventStore port and KurrentDB's client types. Only type imports
// from the client here, so that these functions (and their specs) do not load the native driver.
import type { AppendStreamState, CurrentStreamState, JSONType, Position } from '@kurrent/kurrentdb-client';
import { WrongExpectedRevisionError, type EventMetadata, type ExpectedRevision, type NewEvent } from '@leadstream/event-sourcing';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// ---------------------------------------------------------------------------------------------
// Expected and current revisions
// ---------------------------------------------------------------------------------------------

/**
 * Our expected revision → KurrentDB's stream state: the three keywords map one to one, a
 * revision number becomes a bigint. `-1` (the revision of a missing stream, as `loadState`
 * reports it) means `no_stream`.
 */
export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  switch (expected) {
    case 'any':
      return 'any';
    case 'no_stream':
      return 'no_stream';
    case 'stream_exists':
      return 'stream_exists';
  }
  if (expected === -1) return 'no_stream';
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(`expected revision must be 'any', 'no_stream', 'stream_exists' or an integer >= 0, got ${String(expected)}`);
  }
  return BigInt(expected);
}

/** KurrentDB's stream state → our expected revision (the inverse of `toStreamState`). */
export function fromStreamState(state: AppendStreamState): ExpectedRevision {
  return typeof state === 'bigint' ? toRevision(state) : state;
}

/** A stream revision (bigint) as a number. Revisions beyond 2^53 - 1 are refused, not rounded. */
export function toRevision(revision: bigint): number {
  if (revision < 0n || revision > MAX_SAFE) throw new RangeError(`stream revision ${revision} is outside 0..2^53-1`);
  return Number(revision);
}

/** The actual state KurrentDB reports in a conflict → our `actual`: the last revision, or -1 when there is no stream. */
export function fromCurrentStreamState(state: CurrentStreamState): number {
  if (state === 'no_stream' || state < 0n) return -1;
  return toRevision(state);
}

/** Our revision conflict, from the stream, the caller's expected revision and KurrentDB's actual state. */
export function wrongExpectedRevision(streamId: string, expected: ExpectedRevision, actual: CurrentStreamState): WrongExpectedRevisionError {
  return new WrongExpectedRevisionError(streamId, expected, fromCurrentStreamState(actual));
}

// ---------------------------------------------------------------------------------------------
// Global positions
// ---------------------------------------------------------------------------------------------

/**
 * KurrentDB's commit position (a byte offset in its transaction log, bigint) → our global
 * position (number). Exact up to 2^53 - 1 bytes (8 PiB) of log; a larger position throws rather
 * than silently losing precision.
 */
export function toGlobalPosition(commit: bigint): number {
  if (commit < 0n || commit > MAX_SAFE) throw new RangeError(`KurrentDB position ${commit} is outside 0..2^53-1`);
  return Number(commit);
}

/**
 * Our global position → a KurrentDB log position. Every event written by an append (KurrentDB
 * 20+) is its own committed record, so its commit and prepare positions are equal.
 */
export function toKurrentPosition(position: number): Position {
  const p = BigInt(normalizeAfter(position));
  return { commit: p, prepare: p };
}

/**
 * A caller's `after` as a whole, non-negative position: missing, negative or NaN → 0 (from the
 * start); fractions round down (positions are integers, so "strictly after 10.5" is "after 10");
 * beyond 2^53 - 1 → 2^53 - 1.
 */
export function normalizeAfter(after: number | undefined): number {
  if (after === undefined || !(after > 0)) return 0;
  return Math.min(Math.floor(after), Number.MAX_SAFE_INTEGER);
}

// ---------------------------------------------------------------------------------------------
// Metadata
// ---------------------------------------------------------------------------------------------

/**
 * Our metadata → the event's metadata JSON: every field as given (`null` stays `null`, an absent
 * field stays absent), plus KurrentDB's own `$correlationId`/`$causationId`, which its system
 * projections (`$by_correlation_id`) and UI read.
 */
export function toKurrentMetadata(metadata: EventMetadata): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (value !== undefined && !key.startsWith('$')) out[key] = value;
  }
  out['$correlationId'] = metadata.correlationId;
  if (metadata.causationId !== undefined && metadata.causationId !== null) out['$causationId'] = metadata.causationId;
  return out;
}

/** The event's metadata JSON → our metadata; KurrentDB's `$`-prefixed fields are dropped. Tolerates foreign events. */
export function fromKurrentMetadata(raw: unknown): EventMetadata {
  const source = isPlainObject(raw) ? raw : {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (!key.startsWith('$')) out[key] = value;
  }
  if (typeof out['tenantId'] !== 'string') out['tenantId'] = '';
  if (typeof out['correlationId'] !== 'string') {
    out['correlationId'] = typeof source['$correlationId'] === 'string' ? source['$correlationId'] : '';
  }
  return out as unknown as EventMetadata;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

// ---------------------------------------------------------------------------------------------
// Encoding events for an append
// ---------------------------------------------------------------------------------------------

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An event ready to be handed to the client, with its size as KurrentDB counts it. */
export interface EncodedEvent {
  readonly id: string;
  readonly type: string;
  /** A deep copy of the caller's data, taken at append time. */
  readonly data: JSONType;
  readonly metadata: Record<string, unknown>;
  /** `Event.SizeOnDisk` of KurrentDB: UTF-8 bytes of data and metadata + 2 bytes per UTF-16 unit of the type. */
  readonly size: number;
}

/**
 * Serialises an event as the append will send it. Runs synchronously, so the data is captured at
 * call time even though the append itself is asynchronous. Event ids must be UUIDs (KurrentDB
 * stores a Guid) and are kept in lower case, the form KurrentDB returns them in.
 */
export function encodeEvent(event: NewEvent, newId: () => string): EncodedEvent {
  if (typeof event.type !== 'string' || event.type.length === 0) throw new TypeError('event type must be a non-empty string');
  const id = event.id ?? newId();
  if (!UUID.test(id)) throw new TypeError(`event id must be a UUID, got ${JSON.stringify(id)}`);
  const dataJson = JSON.stringify(event.data) as string | undefined;
  if (dataJson === undefined) throw new TypeError(`event ${event.type}: data must be JSON-serialisable`);
  const metadataJson = JSON.stringify(toKurrentMetadata(event.metadata));
  return {
    id: id.toLowerCase(),
    type: event.type,
    data: JSON.parse(dataJson) as JSONType,
    metadata: JSON.parse(metadataJson) as Record<string, unknown>,
    size: Buffer.byteLength(dataJson, 'utf8') + Buffer.byteLength(metadataJson, 'utf8') + event.type.length * 2,
  };
}
