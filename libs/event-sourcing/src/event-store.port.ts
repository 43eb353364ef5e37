import type { NewEvent, RecordedEvent } from './event';

/**
 * What the writer expects the stream to look like:
 * - `any`: no check;
 * - `no_stream`: the stream must not exist yet;
 * - `stream_exists`: the stream must have at least one event;
 * - a number: the revision of the stream's last event must be exactly this.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendOptions {
  readonly expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event written: pass it as `expectedRevision` for the next append. */
  readonly nextExpectedRevision: number;
  /** Global position of the last event written. */
  readonly position: number;
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive). Default 0. */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Return only events strictly after this global position. Default: from the start. */
  readonly after?: number;
  readonly maxCount?: number;
  /** Only events whose stream category is one of these. Default: every category. */
  readonly categories?: readonly string[];
}

export interface SubscribeOptions {
  /** Deliver only events strictly after this global position (a checkpoint). */
  readonly after?: number;
  readonly categories?: readonly string[];
  /** Largest batch handed to the handler at once. Default 500. */
  readonly batchSize?: number;
}

/**
 * Receives events in global order, one batch at a time; the next batch is read only after the
 * returned promise settles. Throwing stops the subscription (see `Subscription.done`).
 */
export type SubscriptionHandler = (events: readonly RecordedEvent[]) => Promise<void>;

export interface Subscription {
  /** Resolves once every event that existed when the subscription started has been handled. */
  readonly caughtUp: Promise<void>;
  /** Settles when the subscription ends: resolves after `stop()`, rejects if the handler failed. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Revision of the stream's last event, or -1 when the stream does not exist. */
    readonly actual: number,
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${actual}`);
  }
}

/** The EventStore port. Adapters: in-memory, SQLite (`node:sqlite`), KurrentDB. */
export interface EventStore {
  appendToStream(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /** Events of one stream in revision order; an empty array when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The global log in position order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catches up from `after`, then follows new appends live. */
  subscribeToAll(options: SubscribeOptions, handler: SubscriptionHandler): Subscription;
  /** Position of the last event in the global log matching the categories, or 0 when empty. */
  headPosition(categories?: readonly string[]): Promise<number>;
  close(): Promise<void>;
}

/** Checks an expected revision against the stream's current one (-1 = no stream). */
export function checkExpectedRevision(streamId: string, expected: ExpectedRevision, current: number): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && current === -1) ||
    (expected === 'stream_exists' && current >= 0) ||
    (typeof expected === 'number' && expected === current);
  if (!ok) throw new WrongExpectedRevisionError(streamId, expected, current);
}
