import { randomUUID } from 'node:crypto';
import { streamCategory, type NewEvent, type RecordedEvent } from './event';
import {
  checkExpectedRevision,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionHandler,
} from './event-store.port';
import { subscribeToLog } from './log-subscription';

/** Event store kept in process memory: for tests and for deciders' fast feedback. */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly listeners = new Set<() => void>();
  private closed = false;

  appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    return settle(() => this.append(streamId, events, options));
  }

  private append(streamId: string, events: readonly NewEvent[], options: AppendOptions): AppendResult {
    this.assertOpen();
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    const stream = this.streams.get(streamId) ?? [];
    const current = stream.length - 1;
    checkExpectedRevision(streamId, options.expectedRevision ?? 'any', current);
    const recordedAt = new Date().toISOString();
    // Build every record before touching the log, so that a failure (e.g. data that cannot be
    // cloned) leaves the store unchanged: an append is all or nothing.
    const recorded: RecordedEvent[] = events.map((event, i) => ({
      id: event.id ?? randomUUID(),
      type: event.type,
      data: structuredClone(event.data),
      metadata: { ...event.metadata },
      streamId,
      revision: current + 1 + i,
      position: this.log.length + 1 + i,
      recordedAt,
    }));
    for (const e of recorded) {
      stream.push(e);
      this.log.push(e);
    }
    this.streams.set(streamId, stream);
    for (const listener of this.listeners) listener();
    const last = recorded[recorded.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return settle(() => {
      this.assertOpen();
      const from = Math.max(0, options.fromRevision ?? 0);
      const stream = this.streams.get(streamId) ?? [];
      const end = options.maxCount === undefined ? undefined : from + Math.max(0, options.maxCount);
      return stream.slice(from, end).map(copy);
    });
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return settle(() => {
      this.assertOpen();
      const after = Math.max(0, Math.floor(options.after ?? 0));
      const max = options.maxCount ?? Number.POSITIVE_INFINITY;
      const categories = options.categories ? new Set(options.categories) : null;
      const out: RecordedEvent[] = [];
      // positions are 1-based indexes into the log
      for (let i = after; i < this.log.length && out.length < max; i++) {
        const e = this.log[i]!;
        if (!categories || categories.has(streamCategory(e.streamId))) out.push(copy(e));
      }
      return out;
    });
  }

  subscribeToAll(options: SubscribeOptions, handler: SubscriptionHandler): Subscription {
    this.assertOpen();
    return subscribeToLog(
      {
        readAll: (o) => this.readAll(o),
        onAppended: (l) => {
          this.listeners.add(l);
          return () => this.listeners.delete(l);
        },
      },
      options,
      handler,
    );
  }

  headPosition(categories?: readonly string[]): Promise<number> {
    return settle(() => {
      this.assertOpen();
      const set = categories ? new Set(categories) : null;
      for (let i = this.log.length - 1; i >= 0; i--) {
        const e = this.log[i]!;
        if (!set || set.has(streamCategory(e.streamId))) return e.position;
      }
      return 0;
    });
  }

  close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    return Promise.resolve();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('event store is closed');
  }
}

/** Runs `fn` now; a throw becomes a rejected promise, as it would from an asynchronous store. */
function settle<T>(fn: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(fn()));
}

/** Readers get their own copy, as they would from a real store: mutating it cannot corrupt the log. */
function copy(e: RecordedEvent): RecordedEvent {
  return { ...e, data: structuredClone(e.data), metadata: { ...e.metadata } };
}
