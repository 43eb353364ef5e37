import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { WrongExpectedRevisionError, type EventMetadata, type NewEvent, type RecordedEvent } from '@leadstream/event-sourcing';
import { eventStoreContract } from '@leadstream/event-sourcing/testing';
import { EventTooLargeError, PartialAppendError } from './append-chunks';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { encodeEvent } from './mapping';
import { SimulatedKurrentDb, type SimulatedKurrentDbOptions } from './testing/simulated-kurrentdb';

// The adapter's own logic (paging, exclusive `after`, system-event filtering, chunked appends,
// error mapping, subscriptions, close) against a simulated server. The int-spec runs the same
// contract against a real KurrentDB.
function simulated(options: SimulatedKurrentDbOptions = {}, maxAppendSize?: number) {
  const server = new SimulatedKurrentDb(options);
  const store = new KurrentDbEventStore({ client: server.client, maxAppendSize });
  return { server, store };
}

eventStoreContract('kurrentdb adapter, simulated server', () => {
  const { store } = simulated();
  return Promise.resolve({ store, cleanup: () => store.close() });
});

eventStoreContract('kurrentdb adapter, simulated server without caught-up signal, exclusive subscription start', () => {
  const { store } = simulated({ caughtUpSignal: false, subscriptionIncludesStart: false });
  return Promise.resolve({ store, cleanup: () => store.close() });
});

const metadata: EventMetadata = { tenantId: 'tenant-1', correlationId: 'corr-1', causationId: 'cmd-1' };
const ev = (type: string, data: unknown = {}): NewEvent => ({ type, data, metadata });
const padded = (n: number) => Array.from({ length: n }, (_, i) => ev('Chunked', { i: i % 10, pad: 'x'.repeat(400) }));
// all padded events have the same size; 2 KiB holds this many of them
const PER_CHUNK = Math.floor(2_048 / encodeEvent(padded(1)[0]!, randomUUID).size);

describe('KurrentDbEventStore (simulated server)', () => {
  it('splits a large append: the caller expectation first, then the exact revision just written', async () => {
    const { server, store } = simulated({}, 2_048);
    assert.equal(PER_CHUNK, 3);
    const r = await store.appendToStream('orders-1', padded(10), { expectedRevision: 'no_stream' });
    assert.equal(r.nextExpectedRevision, 9);
    assert.deepEqual(
      server.appendCalls.map((c) => [c.count, c.streamState]),
      [
        [3, 'no_stream'],
        [3, 2n],
        [3, 5n],
        [1, 8n],
      ],
    );
    const read = await store.readStream('orders-1');
    assert.deepEqual(read.map((e) => (e.data as { i: number }).i), Array.from({ length: 10 }, (_, i) => i));
    assert.equal(r.position, read[9]!.position);
    await store.close();
  });

  it('a conflict on the first part is a plain revision conflict and writes nothing', async () => {
    const { store } = simulated({}, 2_048);
    await store.appendToStream('orders-1', [ev('A')]);
    await assert.rejects(store.appendToStream('orders-1', padded(12), { expectedRevision: 5 }), (e: unknown) => {
      assert.ok(e instanceof WrongExpectedRevisionError);
      assert.equal(e.expected, 5);
      assert.equal(e.actual, 0);
      return true;
    });
    assert.equal((await store.readStream('orders-1')).length, 1);
  });

  it('a writer slipping in between parts makes a PartialAppendError, not a retryable conflict', async () => {
    const { server, store } = simulated({}, 2_048);
    const original = server.appendToStream.bind(server);
    let calls = 0;
    server.appendToStream = async (...args) => {
      const result = await original(...args);
      if (++calls === 1) server.write('orders-1', [{ id: randomUUID(), type: 'Racer', data: '{}', metadata: '' }]);
      return result;
    };
    await assert.rejects(store.appendToStream('orders-1', padded(12)), (e: unknown) => {
      assert.ok(e instanceof PartialAppendError, String(e));
      assert.ok(!(e instanceof WrongExpectedRevisionError));
      assert.equal(e.written, 3);
      assert.equal(e.total, 12);
      assert.equal(e.lastRevision, 2);
      return true;
    });
    assert.deepEqual((await store.readStream('orders-1')).map((e) => e.type), ['Chunked', 'Chunked', 'Chunked', 'Racer']);
  });

  it('refuses one event larger than the limit before writing anything', async () => {
    const { server, store } = simulated({}, 2_048);
    await assert.rejects(store.appendToStream('orders-1', [ev('Small'), ev('Huge', { pad: 'x'.repeat(4_096) })]), (e: unknown) => {
      assert.ok(e instanceof EventTooLargeError);
      assert.equal(e.index, 1);
      return true;
    });
    assert.equal(server.appendCalls.length, 0);
  });

  it('maps conflicts reported as results (throwOnAppendFailure=false), reading the actual revision', async () => {
    const { store } = simulated({ appendFailuresAsResults: true });
    await store.appendToStream('orders-1', [ev('A'), ev('B'), ev('C')]);
    await assert.rejects(
      store.appendToStream('orders-1', [ev('X')], { expectedRevision: 'no_stream' }),
      (e: unknown) => e instanceof WrongExpectedRevisionError && e.actual === 2 && e.expected === 'no_stream',
    );
    await assert.rejects(
      store.appendToStream('orders-2', [ev('X')], { expectedRevision: 'stream_exists' }),
      (e: unknown) => e instanceof WrongExpectedRevisionError && e.actual === -1,
    );
  });

  it('reads the position back when the append result carries none', async () => {
    const { store } = simulated({ omitAppendPosition: true });
    const r = await store.appendToStream('orders-1', [ev('A'), ev('B')]);
    assert.equal(r.position, (await store.readStream('orders-1'))[1]!.position);
  });

  it("stores KurrentDB's $correlationId/$causationId; ids come back lower-case", async () => {
    const { server, store } = simulated();
    const id = randomUUID().toUpperCase();
    await store.appendToStream('orders-1', [{ ...ev('A'), id }]);
    assert.deepEqual(JSON.parse(server.log.at(-1)!.metadata), { ...metadata, $correlationId: 'corr-1', $causationId: 'cmd-1' });
    const [read] = await store.readStream('orders-1');
    assert.equal(read!.id, id.toLowerCase());
    assert.deepEqual(read!.metadata, metadata);
  });

  it('leaves system streams and system event types out of the global log and the head', async () => {
    const { server, store } = simulated();
    await store.appendToStream('orders-1', [ev('A')]);
    server.write('$$orders-1', [{ id: randomUUID(), type: '$metadata', data: '{}', metadata: '' }]);
    await store.appendToStream('orders-2', [ev('B')]);
    server.write('orders-2', [{ id: randomUUID(), type: '$streamDeleted', data: '{}', metadata: '' }]);
    const all = await store.readAll();
    assert.deepEqual(all.map((e) => e.type), ['A', 'B']);
    assert.deepEqual((await store.readAll({ categories: ['orders'] })).map((e) => e.type), ['A', 'B']);
    assert.deepEqual((await store.readAll({ maxCount: 1, after: all[0]!.position })).map((e) => e.type), ['B']);
    assert.equal(await store.headPosition(), all[1]!.position);
    assert.equal(await store.headPosition(['orders']), all[1]!.position);
    const received: RecordedEvent[] = [];
    const sub = store.subscribeToAll({}, (events) => {
      received.push(...events);
      return Promise.resolve();
    });
    await sub.caughtUp;
    assert.deepEqual(received.map((e) => e.type), ['A', 'B']);
    await sub.stop();
  });

  it('reads past many system events to fill maxCount', async () => {
    const { server, store } = simulated();
    await store.appendToStream('orders-1', [ev('A')]);
    for (let i = 0; i < 10; i++) server.write('orders-1', [{ id: randomUUID(), type: '$system', data: '{}', metadata: '' }]);
    await store.appendToStream('orders-1', [ev('B'), ev('C')]);
    assert.deepEqual((await store.readAll({ maxCount: 2 })).map((e) => e.type), ['A', 'B']);
    assert.deepEqual((await store.readAll({ maxCount: 1, after: (await store.readAll())[0]!.position })).map((e) => e.type), ['B']);
  });

  it('subscribes from an `after` that is not the position of a record', async () => {
    const { store } = simulated();
    const first = await store.appendToStream('orders-1', [ev('A')]);
    await store.appendToStream('orders-1', [ev('B')]);
    for (const after of [first.position - 1, first.position, first.position + 1]) {
      const received: RecordedEvent[] = [];
      const sub = store.subscribeToAll({ after, categories: ['orders'] }, (events) => {
        received.push(...events);
        return Promise.resolve();
      });
      await sub.caughtUp;
      assert.deepEqual(received.map((e) => e.type), after < first.position ? ['A', 'B'] : ['B'], `after ${after}`);
      await sub.stop();
    }
  });

  it('close() stops subscriptions, lets started operations finish, refuses new ones; a given client is not disposed', async () => {
    const { server, store } = simulated();
    const sub = store.subscribeToAll({}, () => Promise.resolve());
    await sub.caughtUp;
    const pending = store.appendToStream('orders-1', [ev('A')]);
    await store.close();
    assert.equal((await pending).nextExpectedRevision, 0);
    await sub.done;
    await assert.rejects(store.readAll(), /closed/);
    assert.throws(() => store.subscribeToAll({}, () => Promise.resolve()), /closed/);
    assert.equal(server.disposed, false);
    await store.close();
  });

  it('connect() builds its own client from a connection string and disposes it on close', async () => {
    const store = KurrentDbEventStore.connect('kurrentdb://127.0.0.1:1?tls=false');
    await store.close();
    await assert.rejects(store.headPosition(), /closed/);
    assert.throws(() => new KurrentDbEventStore({}), /connectionString or a client/);
    assert.throws(() => KurrentDbEventStore.connect('kurrentdb://127.0.0.1:1?tls=false', { maxAppendSize: 0 }), RangeError);
  });
});
