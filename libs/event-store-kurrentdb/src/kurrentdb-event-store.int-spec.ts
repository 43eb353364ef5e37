import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { WrongExpectedRevisionError, type EventMetadata, type NewEvent, type RecordedEvent } from '@leadstream/event-sourcing';
import { eventStoreContract } from '@leadstream/event-sourcing/testing';
import { EventTooLargeError } from './append-chunks';
import { KurrentDbEventStore, type KurrentDbEventStoreOptions } from './kurrentdb-event-store';

// Runs against KURRENTDB_URL (e.g. kurrentdb://127.0.0.1:2113?tls=false) when set; otherwise
// starts a KurrentDB container when a Docker engine is reachable; otherwise skips, saying why.
const IMAGE = process.env['KURRENTDB_IMAGE'] ?? 'kurrentplatform/kurrentdb:26.1.2';

interface Server {
  readonly connectionString: string;
  stop(): Promise<void>;
}

async function findServer(): Promise<Server | { skip: string }> {
  const url = process.env['KURRENTDB_URL'];
  if (url) return { connectionString: url, stop: () => Promise.resolve() };
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
  } catch (error) {
    return { skip: `KurrentDB suite skipped: no KURRENTDB_URL and no Docker engine on this machine (${firstLine(error)})` };
  }
  try {
    const { KurrentDbContainer } = await import('@testcontainers/kurrentdb');
    const container = await new KurrentDbContainer(IMAGE).start();
    return {
      connectionString: container.getConnectionString(),
      stop: async () => {
        await container.stop();
      },
    };
  } catch (error) {
    return { skip: `KurrentDB suite skipped: a Docker engine is reachable but the ${IMAGE} container did not start (${firstLine(error)})` };
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

const metadata: EventMetadata = { tenantId: 'tenant-1', correlationId: 'corr-1', causationId: 'cmd-1', actor: 'member-1' };
const ev = (type: string, data: unknown = {}): NewEvent => ({ type, data, metadata });
const category = (name: string) => `kdb.${name}${randomUUID().replace(/-/g, '').slice(0, 12)}`;

describe('KurrentDbEventStore against a KurrentDB server', async () => {
  const server = await findServer();
  if ('skip' in server) {
    console.log(server.skip);
    describe('EventStore contract: kurrentdb', { skip: server.skip }, () => undefined);
    // node:test does not count a skipped suite in its totals; this makes the skip show there.
    it('KurrentDB specifics', { skip: server.skip }, () => undefined);
    return;
  }
  after(() => server.stop());

  const open = (options: Omit<KurrentDbEventStoreOptions, 'connectionString' | 'client'> = {}) =>
    KurrentDbEventStore.connect(server.connectionString, options);

  eventStoreContract('kurrentdb', () => {
    const store = open();
    return Promise.resolve({ store, cleanup: () => store.close() });
  });

  describe('KurrentDB specifics', () => {
    async function withStore(options: Parameters<typeof open>[0], fn: (store: KurrentDbEventStore) => Promise<void>) {
      const store = open(options);
      try {
        await fn(store);
      } finally {
        await store.close();
      }
    }

    it('splits an append larger than maxAppendSize: exact revisions, order kept', { timeout: 30_000 }, () =>
      withStore({ maxAppendSize: 2_048 }, async (store) => {
        const s = `${category('split')}-1`;
        const events = Array.from({ length: 12 }, (_, i) => ev('Chunked', { i, pad: 'x'.repeat(400) }));
        const r = await store.appendToStream(s, events, { expectedRevision: 'no_stream' });
        assert.equal(r.nextExpectedRevision, 11);
        const read = await store.readStream(s);
        assert.deepEqual(read.map((e) => (e.data as { i: number }).i), events.map((_, i) => i));
        assert.equal(r.position, read[11]!.position);
        // a conflict on the first part writes nothing
        await assert.rejects(
          store.appendToStream(s, events, { expectedRevision: 3 }),
          (e: unknown) => e instanceof WrongExpectedRevisionError && e.actual === 11,
        );
        assert.equal((await store.readStream(s)).length, 12);
      }));

    it('refuses one event larger than maxAppendSize and writes nothing', { timeout: 30_000 }, () =>
      withStore({ maxAppendSize: 2_048 }, async (store) => {
        const s = `${category('toolarge')}-1`;
        await assert.rejects(store.appendToStream(s, [ev('Small'), ev('Huge', { pad: 'x'.repeat(4_096) })]), EventTooLargeError);
        assert.deepEqual(await store.readStream(s), []);
      }));

    it("stores KurrentDB's $correlationId/$causationId next to our metadata", { timeout: 30_000 }, () =>
      withStore({}, async (store) => {
        const s = `${category('meta')}-1`;
        await store.appendToStream(s, [ev('M')]);
        for await (const resolved of store.client.readStream(s)) {
          assert.deepEqual(resolved.event?.metadata, { ...metadata, $correlationId: 'corr-1', $causationId: 'cmd-1' });
        }
        assert.deepEqual((await store.readStream(s))[0]!.metadata, metadata);
      }));

    it('leaves system events out of the global log (stream metadata, tombstones)', { timeout: 30_000 }, () =>
      withStore({}, async (store) => {
        const c = category('system');
        const before = await store.headPosition();
        await store.appendToStream(`${c}-1`, [ev('A')]);
        await store.client.setStreamMetadata(`${c}-1`, { maxCount: 100 }); // a $metadata event in $$<stream>
        await store.appendToStream(`${c}-2`, [ev('B')]);
        await store.client.tombstoneStream(`${c}-2`); // a $streamDeleted event in the stream itself
        const mine = (events: RecordedEvent[]) => events.filter((e) => e.streamId.includes(c));
        assert.deepEqual(mine(await store.readAll({ after: before })).map((e) => e.type), ['A', 'B']);
        assert.deepEqual((await store.readAll({ categories: [c] })).map((e) => e.type), ['A', 'B']);
        const all = await store.readAll({ after: before });
        assert.ok(all.every((e) => !e.streamId.startsWith('$') && !e.type.startsWith('$')));
        const b = (await store.readAll({ categories: [c] }))[1]!;
        assert.equal(await store.headPosition([c]), b.position);
      }));

    it('subscribes from an `after` that is not the position of a record', { timeout: 30_000 }, () =>
      withStore({}, async (store) => {
        const c = category('oddafter');
        const first = await store.appendToStream(`${c}-1`, [ev('A')]);
        await store.appendToStream(`${c}-1`, [ev('B')]);
        const received: RecordedEvent[] = [];
        const sub = store.subscribeToAll({ after: first.position - 1, categories: [c] }, (events) => {
          received.push(...events);
          return Promise.resolve();
        });
        try {
          await sub.caughtUp;
          assert.deepEqual(received.map((e) => e.type), ['A', 'B']);
        } finally {
          await sub.stop();
        }
      }));
  });
});
