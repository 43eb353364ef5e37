import type { Decider } from './decider';
import type { DomainEvent } from './event';
import type { EventStore } from './event-store.port';

/** A stream's state folded up to `revision` (-1: no event yet). */
export interface FoldedState<TState> {
  readonly state: TState;
  readonly revision: number;
}

/**
 * States of streams folded by a decider, kept with the revision they were folded to: each `get`
 * reads only the events after it (the stream's tail), so an answer is always current — writes by
 * other processes included — and costs what was appended since the last call, not the whole
 * stream. At most `capacity` streams are kept; the least recently read go first. `evolve` must
 * not change the state it is given (a cached state is shared by every caller). An unchanged
 * stream answers the same object again.
 */
export class StreamStateCache<TEvent extends DomainEvent, TState> {
  private readonly cache = new Map<string, FoldedState<TState>>();

  constructor(
    private readonly store: EventStore,
    private readonly decider: Pick<Decider<unknown, TEvent, TState>, 'initialState' | 'evolve'>,
    readonly capacity = 10_000,
  ) {}

  async get(streamId: string): Promise<FoldedState<TState>> {
    const cached = this.cache.get(streamId);
    const tail = await this.store.readStream(streamId, { fromRevision: (cached?.revision ?? -1) + 1 });
    // another call may have moved the entry on while this one was reading
    const base = this.cache.get(streamId) ?? cached;
    let state = base?.state ?? this.decider.initialState();
    let revision = base?.revision ?? -1;
    for (const event of tail) {
      if (event.revision <= revision) continue;
      state = this.decider.evolve(state, event as unknown as TEvent);
      revision = event.revision;
    }
    const folded = base !== undefined && revision === base.revision ? base : { state, revision };
    this.remember(streamId, folded);
    return folded;
  }

  private remember(streamId: string, folded: FoldedState<TState>): void {
    this.cache.delete(streamId);
    this.cache.set(streamId, folded);
    if (this.cache.size > this.capacity) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
  }
}
