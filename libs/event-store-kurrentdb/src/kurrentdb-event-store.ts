import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AppendResult as KurrentAppendResult,
  type AppendStreamState,
  type EventData,
  type Filter,
  type Position,
  type ReadPosition,
  type RecordedEvent as KurrentRecordedEvent,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionHandler,
} from '@leadstream/event-sourcing';
import { DEFAULT_MAX_APPEND_SIZE, PartialAppendError, chunkBySize } from './append-chunks';
import { runCatchUpSubscription } from './catch-up-subscription';
import { acceptsEvent, categoryFilter, type CategoryFilter } from './category-filter';
import {
  encodeEvent,
  fromKurrentMetadata,
  normalizeAfter,
  toGlobalPosition,
  toKurrentPosition,
  toRevision,
  toStreamState,
  wrongExpectedRevision,
  type EncodedEvent,
} from './mapping';

export interface KurrentDbEventStoreOptions {
  /** For example `kurrentdb://127.0.0.1:2113?tls=false`; `esdb://` and `+discover` forms work too. */
  readonly connectionString?: string;
  /** An existing client instead of a connection string. The store does not dispose it on `close()`. */
  readonly client?: KurrentDBClient;
  /**
   * Largest append sent in one request, in KurrentDB's size units (UTF-8 bytes of data and
   * metadata + 2 bytes per character of the type). Must not exceed the server's `MaxAppendSize`
   * (default 1 MiB, which is also the default here). Larger appends are split; see the README.
   */
  readonly maxAppendSize?: number;
}

type KurrentEvent = KurrentRecordedEvent & { readonly position?: Position };

/**
 * The EventStore port on KurrentDB (gRPC client `@kurrent/kurrentdb-client`). Streams are
 * KurrentDB streams; the global log is `$all` without system streams and system events; global
 * positions are KurrentDB commit positions.
 */
export class KurrentDbEventStore implements EventStore {
  /** `KurrentDbEventStore.connect('kurrentdb://127.0.0.1:2113?tls=false')` */
  static connect(connectionString: string, options: Omit<KurrentDbEventStoreOptions, 'connectionString' | 'client'> = {}): KurrentDbEventStore {
    return new KurrentDbEventStore({ ...options, connectionString });
  }

  readonly client: KurrentDBClient;
  private readonly ownsClient: boolean;
  private readonly maxAppendSize: number;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;
  private closing: Promise<void> | null = null;

  constructor(options: KurrentDbEventStoreOptions) {
    if ((options.client === undefined) === (options.connectionString === undefined)) {
      throw new TypeError('KurrentDbEventStore needs either a connectionString or a client');
    }
    this.maxAppendSize = options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
    if (!Number.isFinite(this.maxAppendSize) || this.maxAppendSize <= 0) {
      throw new RangeError(`maxAppendSize must be a positive number, got ${this.maxAppendSize}`);
    }
    this.ownsClient = options.client === undefined;
    this.client = options.client ?? KurrentDBClient.connectionString(options.connectionString!);
  }

  appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    return this.run(async () => {
      if (events.length === 0) throw new Error('appendToStream needs at least one event');
      const expected = options.expectedRevision ?? 'any';
      const firstState = toStreamState(expected);
      // Everything synchronous up to here: the data is captured before the first await.
      const chunks = chunkBySize(
        events.map((e) => encodeEvent(e, randomUUID)),
        this.maxAppendSize,
      );

      let state: AppendStreamState = firstState;
      let written = 0;
      let last: KurrentAppendResult | null = null;
      for (const [index, chunk] of chunks.entries()) {
        let result: KurrentAppendResult;
        try {
          result = await this.client.appendToStream(streamId, chunk.map(toEventData), { streamState: state });
          if (!result.success) {
            // Only when the client was built with throwOnAppendFailure=false; its reported
            // revision is unreliable then, so ask the stream.
            throw new WrongExpectedVersionError(undefined, {
              streamName: streamId,
              expected: state,
              current: await this.currentRevisionState(streamId),
            });
          }
        } catch (error) {
          if (index === 0) {
            throw error instanceof WrongExpectedVersionError ? wrongExpectedRevision(streamId, expected, error.actualState) : error;
          }
          // Later chunks expect the exact revision just written: any failure leaves a prefix.
          throw new PartialAppendError(streamId, written, events.length, toRevision(last!.nextExpectedRevision), { cause: error });
        }
        written += chunk.length;
        last = result;
        state = result.nextExpectedRevision;
      }
      const final = last!;
      const nextExpectedRevision = toRevision(final.nextExpectedRevision);
      const position = final.position ? toGlobalPosition(final.position.commit) : await this.positionOfRevision(streamId, nextExpectedRevision);
      return { nextExpectedRevision, position };
    });
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.run(async () => {
      const from = wholeOrZero(options.fromRevision);
      const maxCount = options.maxCount === undefined ? Number.MAX_SAFE_INTEGER : wholeOrZero(options.maxCount);
      if (maxCount === 0) return [];
      try {
        const out: RecordedEvent[] = [];
        for await (const resolved of this.client.readStream(streamId, { fromRevision: BigInt(from), maxCount, direction: FORWARDS })) {
          if (resolved.event) out.push(toRecordedEvent(resolved.event, positionOf(resolved)));
        }
        return out;
      } catch (error) {
        if (error instanceof StreamNotFoundError) return [];
        throw error;
      }
    });
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.run(async () => {
      const maxCount = options.maxCount === undefined ? Number.POSITIVE_INFINITY : wholeOrZero(options.maxCount);
      const filter = categoryFilter(options.categories);
      if (maxCount === 0 || filter.kind === 'none') return [];
      const after = normalizeAfter(options.after);
      const serverFilter = toServerFilter(filter);

      const out: RecordedEvent[] = [];
      let from: ReadPosition = after === 0 ? START : toKurrentPosition(after);
      let through = after; // positions at or before this one are not returned
      for (let page = 0; ; page++) {
        // Reading from a position includes the event at that position: ask for one more.
        const request = maxCount === Number.POSITIVE_INFINITY ? Number.MAX_SAFE_INTEGER : maxCount - out.length + 1;
        let events: AllStreamResolvedEvent[];
        try {
          events = await collect(this.client.readAll({ fromPosition: from, maxCount: request, filter: serverFilter, direction: FORWARDS }));
        } catch (error) {
          if (page > 0 || from === START) throw error;
          // `after` was not the position of a record (KurrentDB refuses to read from the middle
          // of one): start from the last event at or before it instead.
          from = await this.startAtOrBefore(after, serverFilter, error);
          events = await collect(this.client.readAll({ fromPosition: from, maxCount: request, filter: serverFilter, direction: FORWARDS }));
        }
        let lastRead = through;
        for (const resolved of events) {
          const e = resolved.event;
          if (!e) continue;
          const position = toGlobalPosition(e.position.commit);
          if (position <= through) continue;
          lastRead = Math.max(lastRead, position);
          if (acceptsEvent(filter, e.streamId, e.type)) {
            out.push(toRecordedEvent(e, position));
            if (out.length >= maxCount) return out;
          }
        }
        // A short page is the end of the log; otherwise system events were dropped: read on.
        if (events.length < request || lastRead === through) return out;
        from = toKurrentPosition(lastRead);
        through = lastRead;
      }
    });
  }

  subscribeToAll(options: SubscribeOptions, handler: SubscriptionHandler): Subscription {
    this.assertOpen();
    const filter = categoryFilter(options.categories);
    const after = normalizeAfter(options.after);
    const batchSize = Number.isFinite(options.batchSize) ? Math.max(1, Math.floor(options.batchSize!)) : 500;
    const subscription = runCatchUpSubscription(
      {
        after,
        batchSize,
        headPosition: () => this.head(filter),
        open: async () => {
          if (filter.kind === 'none') return null;
          const serverFilter = toServerFilter(filter);
          const fromPosition = await this.subscriptionStart(after, serverFilter);
          return this.client.subscribeToAll({ fromPosition, filter: serverFilter }, { highWaterMark: batchSize });
        },
        decode: (item) => {
          const e = (item as AllStreamResolvedEvent).event;
          if (!e) return null;
          const position = toGlobalPosition(e.position.commit);
          return { position, event: acceptsEvent(filter, e.streamId, e.type) ? toRecordedEvent(e, position) : null };
        },
      },
      handler,
    );
    this.subscriptions.add(subscription);
    const forget = () => this.subscriptions.delete(subscription);
    subscription.done.then(forget, forget);
    return subscription;
  }

  headPosition(categories?: readonly string[]): Promise<number> {
    return this.run(() => this.head(categoryFilter(categories)));
  }

  /** Waits for the operations already started (they complete), stops the subscriptions, then disposes the client it created. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.subscriptions].map((s) => s.stop()));
    await Promise.allSettled([...this.inflight]);
    if (this.ownsClient) await this.client.dispose();
  }

  /** Last event of the filter, read backwards from the end of `$all`; 0 when there is none. */
  private async head(filter: CategoryFilter): Promise<number> {
    if (filter.kind === 'none') return 0;
    const serverFilter = toServerFilter(filter);
    let from: ReadPosition = END;
    // One event is enough unless the newest ones are system events the server filter lets through.
    for (let pageSize = 1; ; pageSize = 64) {
      const events: AllStreamResolvedEvent[] = await collect(
        this.client.readAll({ fromPosition: from, maxCount: pageSize, filter: serverFilter, direction: BACKWARDS }),
      );
      for (const resolved of events) {
        const e = resolved.event;
        if (e && acceptsEvent(filter, e.streamId, e.type)) return toGlobalPosition(e.position.commit);
      }
      const oldest: AllStreamResolvedEvent['event'] = events[events.length - 1]?.event;
      if (events.length < pageSize || !oldest) return 0;
      from = oldest.position; // reading backwards from a position excludes the event there
    }
  }

  /** Where a subscription delivering events strictly after `after` should start (the event at the start itself is skipped). */
  private async subscriptionStart(after: number, serverFilter: Filter): Promise<ReadPosition> {
    if (after === 0) return START;
    const candidate = toKurrentPosition(after);
    try {
      await collect(this.client.readAll({ fromPosition: candidate, maxCount: 1, filter: serverFilter, direction: FORWARDS }));
      return candidate;
    } catch (error) {
      return this.startAtOrBefore(after, serverFilter, error);
    }
  }

  /**
   * Fallback for an `after` that is not the position of a record: scans the (filtered) log from
   * the start for the last event at or before it. Costs a read of everything before `after`.
   * If the scan fails too, the original error is the one that matters.
   */
  private async startAtOrBefore(after: number, serverFilter: Filter, cause: unknown): Promise<ReadPosition> {
    let best: ReadPosition = START;
    try {
      for await (const resolved of this.client.readAll({ fromPosition: START, filter: serverFilter, direction: FORWARDS })) {
        const e = resolved.event;
        if (!e) continue;
        if (e.position.commit > BigInt(after)) break;
        best = e.position;
      }
    } catch {
      throw cause;
    }
    return best;
  }

  /** Current revision of a stream as KurrentDB reports it in a conflict ('no_stream' when missing). */
  private async currentRevisionState(streamId: string): Promise<bigint | 'no_stream'> {
    try {
      for await (const resolved of this.client.readStream(streamId, { fromRevision: END, maxCount: 1, direction: BACKWARDS })) {
        if (resolved.event) return resolved.event.revision;
      }
      return 'no_stream';
    } catch (error) {
      if (error instanceof StreamNotFoundError) return 'no_stream';
      throw error;
    }
  }

  /** For servers whose append result carries no position: the position of the event at `revision`. */
  private async positionOfRevision(streamId: string, revision: number): Promise<number> {
    for await (const resolved of this.client.readStream(streamId, { fromRevision: BigInt(revision), maxCount: 1, direction: FORWARDS })) {
      return positionOf(resolved);
    }
    throw new Error(`stream ${streamId}: the event just appended at revision ${revision} cannot be read back`);
  }

  /** Runs a public operation: refused once closed, tracked so that close() lets it finish. */
  private run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    const promise = operation();
    this.inflight.add(promise);
    const forget = () => this.inflight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('event store is closed');
  }
}

function toEventData(event: EncodedEvent): EventData {
  return { id: event.id, contentType: 'application/json', type: event.type, data: event.data, metadata: event.metadata };
}

function toServerFilter(filter: Exclude<CategoryFilter, { kind: 'none' }>): Filter {
  return streamNameFilter({ regex: filter.regex });
}

function toRecordedEvent(e: KurrentEvent, position: number): RecordedEvent {
  return {
    id: e.id,
    type: e.type,
    data: e.isJson ? e.data : new Uint8Array(e.data),
    metadata: fromKurrentMetadata(e.metadata),
    streamId: e.streamId,
    revision: toRevision(e.revision),
    position,
    recordedAt: e.created.toISOString(),
  };
}

/** Global position of an event read from a stream (KurrentDB 22.6+ reports it with the event). */
function positionOf(resolved: ResolvedEvent): number {
  const commit = resolved.event?.position?.commit ?? resolved.commitPosition;
  if (commit === undefined) throw new Error('KurrentDB did not report the position of an event: servers older than 22.6 are not supported');
  return toGlobalPosition(commit);
}

function wholeOrZero(value: number | undefined): number {
  if (value === undefined || !(value > 0)) return 0;
  return Math.min(Math.floor(value), Number.MAX_SAFE_INTEGER);
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
