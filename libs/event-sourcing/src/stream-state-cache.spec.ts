import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Decider } from './decider';
import type { DomainEvent, EventMetadata } from './event';
import type { ReadStreamOptions } from './event-store.port';
import { InMemoryEventStore } from './in-memory-event-store';
import { StreamStateCache } from './stream-state-cache';

type Added = DomainEvent<'tests.Added', { readonly n: number }>;
interface Sum {
  readonly total: number;
  readonly count: number;
}
const sum: Pick<Decider<unknown, Added, Sum>, 'initialState' | 'evolve'> = {
  initialState: () => ({ total: 0, count: 0 }),
  evolve: (state, event) => ({ total: state.total + event.data.n, count: state.count + 1 }),
};
const metadata: EventMetadata = { tenantId: 't1', correlationId: 'c1' };

/** An in-memory log that records which revision each stream read started from. */
class CountingStore extends InMemoryEventStore {
  readonly reads: number[] = [];
  override readStream(streamId: string, options?: ReadStreamOptions) {
    this.reads.push(options?.fromRevision ?? 0);
    return super.readStream(streamId, options);
  }
}

async function add(store: InMemoryEventStore, streamId: string, ...ns: number[]): Promise<void> {
  await store.appendToStream(
    streamId,
    ns.map((n) => ({ type: 'tests.Added', data: { n }, metadata })),
  );
}

describe('StreamStateCache', () => {
  it('folds a stream once, then only what was appended since; an unchanged stream answers the same object', async () => {
    const store = new CountingStore();
    const cache = new StreamStateCache(store, sum);
    assert.deepEqual(await cache.get('tests-a'), { state: { total: 0, count: 0 }, revision: -1 });
    await add(store, 'tests-a', 1, 2, 3);
    const first = await cache.get('tests-a');
    assert.deepEqual(first, { state: { total: 6, count: 3 }, revision: 2 });
    assert.equal(await cache.get('tests-a'), first);
    // appended by another writer (another process sharing the log): seen at once
    await add(store, 'tests-a', 10);
    assert.deepEqual(await cache.get('tests-a'), { state: { total: 16, count: 4 }, revision: 3 });
    assert.deepEqual(store.reads, [0, 0, 3, 3], 'each read starts after the revision folded last');
  });

  it('agrees with a fold of the whole stream when calls overlap with appends', async () => {
    const store = new InMemoryEventStore();
    const cache = new StreamStateCache(store, sum);
    const writes: Promise<void>[] = [];
    const reads: Promise<unknown>[] = [];
    for (let i = 1; i <= 50; i++) {
      writes.push(add(store, 'tests-b', i));
      reads.push(cache.get('tests-b'));
    }
    await Promise.all([...writes, ...reads]);
    assert.deepEqual(await cache.get('tests-b'), { state: { total: 1275, count: 50 }, revision: 49 });
  });

  it('keeps at most `capacity` streams, dropping the least recently read', async () => {
    const store = new CountingStore();
    const cache = new StreamStateCache(store, sum, 2);
    for (const id of ['tests-x', 'tests-y', 'tests-z']) await add(store, id, 1);
    await cache.get('tests-x');
    await cache.get('tests-y');
    await cache.get('tests-x'); // y is now the least recently read
    await cache.get('tests-z'); // drops y
    store.reads.length = 0;
    await cache.get('tests-x');
    await cache.get('tests-z');
    await cache.get('tests-y');
    assert.deepEqual(store.reads, [1, 1, 0], 'x and z were kept (read from their tails), y was folded again');
  });
});
