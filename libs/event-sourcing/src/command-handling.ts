import type { DomainEvent, EventMetadata, RecordedEvent } from './event';
import type { Decider } from './decider';
import { WrongExpectedRevisionError, type EventStore } from './event-store.port';

export interface HandleCommandOptions {
  /** How many times a conflicting append is retried (reload, decide again). Default 5. */
  readonly maxRetries?: number;
  /** Fixed ids for the new events (idempotent re-submission); by default new UUIDs. */
  readonly eventIds?: readonly string[];
}

export interface CommandResult<TEvent extends DomainEvent, TState> {
  readonly streamId: string;
  readonly newEvents: readonly TEvent[];
  readonly state: TState;
  /** Revision of the stream's last event after the command (-1: stream still absent). */
  readonly revision: number;
  /** Global position of the last appended event, or null when nothing was appended. */
  readonly position: number | null;
}

export class ConcurrencyRetriesExhaustedError extends Error {
  override readonly name = 'ConcurrencyRetriesExhaustedError';
  constructor(readonly streamId: string, readonly attempts: number) {
    super(`stream ${streamId}: still conflicting after ${attempts} attempts`);
  }
}

const streamQueues = new WeakMap<EventStore, Map<string, Promise<void>>>();

/**
 * Runs `work` after every earlier command on the same stream of the same store in this process
 * has settled. Commands on one hot stream (an enterprise's seats, its org tree) then take turns
 * instead of colliding and burning their retries; optimistic concurrency still guards against
 * writers in other processes.
 */
function inStreamOrder<T>(store: EventStore, streamId: string, work: () => Promise<T>): Promise<T> {
  let queues = streamQueues.get(store);
  if (!queues) {
    queues = new Map();
    streamQueues.set(store, queues);
  }
  const previous = queues.get(streamId) ?? Promise.resolve();
  const run = previous.then(work);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(streamId, settled);
  void settled.then(() => {
    if (queues.get(streamId) === settled) queues.delete(streamId);
  });
  return run;
}

/**
 * load → decide → append with the expected revision; on a conflict, reload and decide again,
 * at most `maxRetries` times. The decider sees the latest state on every attempt, so a retry
 * is always safe. Commands on the same stream in this process run one after another.
 */
export function handleCommand<TCommand, TEvent extends DomainEvent, TState>(
  store: EventStore,
  streamId: string,
  decider: Decider<TCommand, TEvent, TState>,
  command: TCommand,
  metadata: EventMetadata,
  options: HandleCommandOptions = {},
): Promise<CommandResult<TEvent, TState>> {
  return inStreamOrder(store, streamId, () => decideAndAppend(store, streamId, decider, command, metadata, options));
}

async function decideAndAppend<TCommand, TEvent extends DomainEvent, TState>(
  store: EventStore,
  streamId: string,
  decider: Decider<TCommand, TEvent, TState>,
  command: TCommand,
  metadata: EventMetadata,
  options: HandleCommandOptions = {},
): Promise<CommandResult<TEvent, TState>> {
  const maxRetries = options.maxRetries ?? 5;
  for (let attempt = 0; ; attempt++) {
    const recorded = await store.readStream(streamId);
    let state = decider.initialState();
    for (const e of recorded) state = decider.evolve(state, e as unknown as TEvent);
    const revision = recorded.length === 0 ? -1 : recorded[recorded.length - 1]!.revision;

    const newEvents = decider.decide(command, state);
    if (newEvents.length === 0) {
      return { streamId, newEvents, state, revision, position: null };
    }
    try {
      const result = await store.appendToStream(
        streamId,
        newEvents.map((e, i) => ({ id: options.eventIds?.[i], type: e.type, data: e.data, metadata })),
        { expectedRevision: revision === -1 ? 'no_stream' : revision },
      );
      for (const e of newEvents) state = decider.evolve(state, e);
      return { streamId, newEvents, state, revision: result.nextExpectedRevision, position: result.position };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (attempt >= maxRetries) throw new ConcurrencyRetriesExhaustedError(streamId, attempt + 1);
      // back off a little so that competing writers interleave rather than collide again
      await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
    }
  }
}

/** Loads an aggregate's state by folding its stream. */
export async function loadState<TEvent extends DomainEvent, TState>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<unknown, TEvent, TState>, 'initialState' | 'evolve'>,
): Promise<{ state: TState; revision: number; events: RecordedEvent[] }> {
  const events = await store.readStream(streamId);
  let state = decider.initialState();
  for (const e of events) state = decider.evolve(state, e as unknown as TEvent);
  return { state, revision: events.length === 0 ? -1 : events[events.length - 1]!.revision, events };
}
