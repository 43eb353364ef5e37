// A small in-process stand-in for a KurrentDB server behind the client API the adapter uses
// (appendToStream, readStream, readAll, subscribeToAll, dispose). It reproduces the server
// behaviour the adapter relies on, as read in KurrentDB's sources:
// - positions are byte offsets of records in the log, not contiguous; every appended event is
//   its own committed record, so commit == prepare; an append reports its last event's position;
// - readAll forwards from a position includes the event there; backwards excludes it; a position
//   that is not the start of a record is refused ("invalid position");
// - a stream-name regex filter; system records (`$` streams) live in the same log;
// - appends larger than MaxAppendSize (1 MiB, SizeOnDisk) are refused;
// - subscriptions to $all: catch-up, then a "caughtUp" signal, then live events.
// It is not KurrentDB: the int-spec runs the same contract against a real server.
import { randomUUID } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import {
  MaxAppendSizeExceededError,
  StreamNotFoundError,
  UnknownError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendResult,
  type AppendStreamState,
  type EventData,
  type Filter,
  type KurrentDBClient,
  type ReadPosition,
} from '@kurrent/kurrentdb-client';

interface StoredRecord {
  readonly streamId: string;
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly revision: bigint;
  readonly position: bigint;
  readonly created: Date;
}

export interface SimulatedKurrentDbOptions {
  /** Send the caught-up signal to subscriptions (servers before 23.10 do not). Default true. */
  readonly caughtUpSignal?: boolean;
  /** Whether a subscription from a position also delivers the event at that position. Default true (the adapter must cope). */
  readonly subscriptionIncludesStart?: boolean;
  /** Answer appends with `success: false` instead of throwing (a client built with throwOnAppendFailure=false). */
  readonly appendFailuresAsResults?: boolean;
  /** Leave the position out of append results (very old servers). */
  readonly omitAppendPosition?: boolean;
  readonly maxAppendSize?: number;
}

/** Everything the adapter may call, plus counters for assertions. */
export class SimulatedKurrentDb {
  readonly log: StoredRecord[] = [];
  readonly appendCalls: { streamId: string; count: number; streamState: AppendStreamState }[] = [];
  disposed = false;
  private next = 64n;
  private readonly streams = new Map<string, StoredRecord[]>();
  private readonly validPositions = new Set<bigint>();
  private readonly live = new Set<SimulatedSubscription>();

  constructor(private readonly options: SimulatedKurrentDbOptions = {}) {
    // the log never starts empty: system records come first
    this.write('$settings', [{ id: randomUUID(), type: '$settings', data: '{}', metadata: '' }]);
    this.write('$stats-127.0.0.1:2113', [{ id: randomUUID(), type: '$statsCollected', data: '{}', metadata: '' }]);
  }

  /** The object handed to the adapter in place of a KurrentDBClient. */
  get client(): KurrentDBClient {
    return this as unknown as KurrentDBClient;
  }

  /** Writes records as another process (or the server itself) would. */
  write(streamId: string, events: readonly { id: string; type: string; data: string; metadata: string }[]): StoredRecord[] {
    const stream = this.streams.get(streamId) ?? [];
    const written = events.map((e, i) => {
      const record: StoredRecord = { ...e, streamId, revision: BigInt(stream.length + i), position: this.next, created: new Date() };
      // positions are byte offsets: the next record starts after this one
      this.next += BigInt(100 + e.data.length + e.metadata.length);
      return record;
    });
    for (const r of written) {
      stream.push(r);
      this.log.push(r);
      this.validPositions.add(r.position);
    }
    this.streams.set(streamId, stream);
    for (const subscription of this.live) subscription.offer(written);
    return written;
  }

  async appendToStream(streamId: string, events: EventData | EventData[], options: { streamState?: AppendStreamState } = {}): Promise<AppendResult> {
    await Promise.resolve(); // the client serialises later, asynchronously
    const list = Array.isArray(events) ? events : [events];
    const streamState = options.streamState ?? 'any';
    this.appendCalls.push({ streamId, count: list.length, streamState });
    const encoded = list.map((e) => ({ id: e.id, type: e.type, data: JSON.stringify(e.data), metadata: e.metadata === undefined ? '' : JSON.stringify(e.metadata) }));
    const size = encoded.reduce((n, e) => n + Buffer.byteLength(e.data) + Buffer.byteLength(e.metadata) + e.type.length * 2, 0);
    const max = this.options.maxAppendSize ?? 1024 * 1024;
    if (size > max) throw MaxAppendSizeExceededError.fromMaxAppendSize(max);
    const stream = this.streams.get(streamId) ?? [];
    const current = stream.length === 0 ? ('no_stream' as const) : BigInt(stream.length - 1);
    const ok =
      streamState === 'any' ||
      (streamState === 'no_stream' && current === 'no_stream') ||
      (streamState === 'stream_exists' && current !== 'no_stream') ||
      (typeof streamState === 'bigint' && streamState === current);
    if (!ok) {
      if (this.options.appendFailuresAsResults) {
        // the client's batch-append path reports a meaningless revision here (a known client bug)
        return { success: false, nextExpectedRevision: 1n, position: undefined };
      }
      throw new WrongExpectedVersionError(undefined, { streamName: streamId, expected: streamState, current });
    }
    const written = this.write(streamId, encoded);
    const last = written[written.length - 1]!;
    return {
      success: true,
      nextExpectedRevision: last.revision,
      position: this.options.omitAppendPosition ? undefined : { commit: last.position, prepare: last.position },
    };
  }

  readStream(streamId: string, options: { fromRevision?: bigint | 'start' | 'end'; maxCount?: number | bigint; direction?: 'forwards' | 'backwards' } = {}): AsyncIterableIterator<AllStreamResolvedEvent> {
    const records = this.streams.get(streamId);
    const snapshot = records ? [...records] : null;
    const resolve = this.resolve.bind(this);
    return (async function* () {
      await Promise.resolve();
      if (!snapshot) throw new StreamNotFoundError(undefined, streamId);
      const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
      let selected: StoredRecord[];
      if (options.direction === 'backwards') {
        const from = options.fromRevision === undefined || options.fromRevision === 'end' ? snapshot.length - 1 : Number(options.fromRevision);
        selected = snapshot.slice(0, from + 1).reverse();
      } else {
        const from = options.fromRevision === undefined || options.fromRevision === 'start' ? 0 : Number(options.fromRevision);
        selected = snapshot.slice(from);
      }
      for (const r of selected.slice(0, max)) yield resolve(r);
    })();
  }

  readAll(options: { fromPosition?: ReadPosition; maxCount?: number | bigint; direction?: 'forwards' | 'backwards'; filter?: Filter } = {}): AsyncIterableIterator<AllStreamResolvedEvent> {
    const snapshot = [...this.log];
    const matches = this.matcher(options.filter);
    const from = options.fromPosition ?? (options.direction === 'backwards' ? 'end' : 'start');
    const invalid = typeof from === 'object' && !this.isBoundary(from.commit);
    const resolve = this.resolve.bind(this);
    return (async function* () {
      await Promise.resolve();
      if (invalid) throw new UnknownError(undefined, 'invalid position');
      const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
      let selected: StoredRecord[];
      if (options.direction === 'backwards') {
        selected = (from === 'end' || from === 'start' ? snapshot : snapshot.filter((r) => r.position < (from).commit)).reverse();
      } else {
        selected = from === 'start' ? snapshot : from === 'end' ? [] : snapshot.filter((r) => r.position >= (from).commit);
      }
      let count = 0;
      for (const r of selected) {
        if (count >= max) return;
        if (!matches(r)) continue;
        count++;
        yield resolve(r);
      }
    })();
  }

  subscribeToAll(options: { fromPosition?: ReadPosition; filter?: Filter } = {}, readable: { highWaterMark?: number } = {}): SimulatedSubscription {
    const subscription = new SimulatedSubscription(readable.highWaterMark ?? 16, () => this.live.delete(subscription));
    const matches = this.matcher(options.filter);
    const from = options.fromPosition ?? 'start';
    const send = (records: readonly StoredRecord[]) => {
      for (const r of records) if (matches(r)) subscription.write({ event: this.resolve(r).event });
    };
    subscription.offer = send;
    setImmediate(() => {
      if (typeof from === 'object' && !this.isBoundary(from.commit)) {
        subscription.destroy(new UnknownError(undefined, 'invalid position'));
        return;
      }
      const start = from === 'start' ? -1n : from === 'end' ? this.next : from.commit;
      const includesStart = this.options.subscriptionIncludesStart ?? true;
      send(this.log.filter((r) => r.position > start || (includesStart && r.position === start)));
      if (this.options.caughtUpSignal ?? true) subscription.write('caughtUp');
      this.live.add(subscription);
    });
    return subscription;
  }

  dispose(): Promise<void> {
    this.disposed = true;
    for (const s of this.live) s.destroy();
    return Promise.resolve();
  }

  private isBoundary(position: bigint): boolean {
    return position === 0n || position >= this.next || this.validPositions.has(position);
  }

  private matcher(filter?: Filter): (r: StoredRecord) => boolean {
    if (!filter) return () => true;
    if ('prefixes' in filter) {
      const target = (r: StoredRecord) => (filter.filterOn === 'streamName' ? r.streamId : r.type);
      return (r) => filter.prefixes.some((p) => target(r).startsWith(p));
    }
    // the constructs the adapter emits mean the same in .NET and JavaScript
    const regex = new RegExp(filter.regex);
    return (r) => regex.test(filter.filterOn === 'streamName' ? r.streamId : r.type);
  }

  private resolve(r: StoredRecord): AllStreamResolvedEvent {
    return {
      event: {
        streamId: r.streamId,
        id: r.id,
        isJson: true,
        revision: r.revision,
        type: r.type,
        created: r.created,
        data: JSON.parse(r.data) as Record<string, unknown>,
        metadata: r.metadata === '' ? undefined : (JSON.parse(r.metadata) as Record<string, unknown>),
        position: { commit: r.position, prepare: r.position },
      },
      commitPosition: r.position,
    };
  }
}

/** Like the client's Subscription: a Transform fed with server messages, emitting `caughtUp` in order. */
export class SimulatedSubscription extends Transform {
  offer: (records: readonly StoredRecord[]) => void = () => undefined;
  unsubscribed = false;

  constructor(highWaterMark: number, private readonly onClose: () => void) {
    super({ objectMode: true, highWaterMark });
    this.on('close', onClose);
  }

  override _transform(message: { event: unknown } | 'caughtUp', _encoding: string, next: TransformCallback): void {
    if (message === 'caughtUp') {
      this.emit('caughtUp', {});
      next();
    } else {
      next(null, message);
    }
  }

  unsubscribe(): Promise<void> {
    this.unsubscribed = true;
    this.onClose();
    this.destroy();
    return Promise.resolve();
  }
}
