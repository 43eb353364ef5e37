import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { streamCategory, type EventMetadata, type NewEvent, type RecordedEvent } from '../event';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type SubscriptionHandler,
} from '../event-store.port';

export interface EventStoreFixture {
  readonly store: EventStore;
  /** Closes the store (it may already be closed) and removes whatever `open` created. */
  cleanup(): Promise<void>;
}

/**
 * The behaviour every EventStore adapter must show. Each test opens its own store through
 * `open` and calls `cleanup` afterwards.
 *
 * The suite is adapter-agnostic: it does not assume that the store starts empty (a KurrentDB
 * server may be shared), nor that global positions are contiguous or start at 1. Every test
 * writes to categories of its own (random suffix) and reads the global log from the head
 * position it saw before writing.
 *
 *   eventStoreContract('in-memory', () => {
 *     const store = new InMemoryEventStore();
 *     return Promise.resolve({ store, cleanup: () => store.close() });
 *   });
 */
export function eventStoreContract(adapterName: string, open: () => Promise<EventStoreFixture>): void {
  const TIMEOUT = 30_000;

  async function withStore(fn: (store: EventStore) => Promise<void>): Promise<void> {
    const fixture = await open();
    try {
      await fn(fixture.store);
    } finally {
      await fixture.cleanup();
    }
  }

  describe(`EventStore contract: ${adapterName}`, () => {
    describe('appendToStream and expected revisions', () => {
      it('any (also the default): appends to a new and to an existing stream', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const s = `${category('any')}-1`;
          assert.equal((await store.appendToStream(s, [ev('A'), ev('B')], { expectedRevision: 'any' })).nextExpectedRevision, 1);
          assert.equal((await store.appendToStream(s, [ev('C')], { expectedRevision: 'any' })).nextExpectedRevision, 2);
          assert.equal((await store.appendToStream(s, [ev('D')])).nextExpectedRevision, 3);
          const t = `${category('any')}-2`;
          assert.equal((await store.appendToStream(t, [ev('A')])).nextExpectedRevision, 0);
          assert.deepEqual(types(await store.readStream(s)), ['A', 'B', 'C', 'D']);
          assert.deepEqual(revisions(await store.readStream(s)), [0, 1, 2, 3]);
        }));

      it('no_stream: creates a stream; fails with the actual revision when it exists', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const s = `${category('nostream')}-1`;
          const created = await store.appendToStream(s, [ev('A'), ev('B')], { expectedRevision: 'no_stream' });
          assert.equal(created.nextExpectedRevision, 1);
          await expectWrongRevision(store.appendToStream(s, [ev('C')], { expectedRevision: 'no_stream' }), s, 'no_stream', 1);
          assert.deepEqual(types(await store.readStream(s)), ['A', 'B']);
        }));

      it('stream_exists: appends to an existing stream; fails with actual -1 when missing', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const missing = `${category('exists')}-missing`;
          await expectWrongRevision(store.appendToStream(missing, [ev('A')], { expectedRevision: 'stream_exists' }), missing, 'stream_exists', -1);
          assert.deepEqual(await store.readStream(missing), []);

          const s = `${category('exists')}-1`;
          await store.appendToStream(s, [ev('A')]);
          const r = await store.appendToStream(s, [ev('B'), ev('C')], { expectedRevision: 'stream_exists' });
          assert.equal(r.nextExpectedRevision, 2);
          assert.deepEqual(types(await store.readStream(s)), ['A', 'B', 'C']);
        }));

      it('exact revision: appends when it matches; fails with the actual revision otherwise', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const s = `${category('exact')}-1`;
          await expectWrongRevision(store.appendToStream(s, [ev('A')], { expectedRevision: 0 }), s, 0, -1);
          await expectWrongRevision(store.appendToStream(s, [ev('A')], { expectedRevision: 5 }), s, 5, -1);
          assert.deepEqual(await store.readStream(s), []);

          await store.appendToStream(s, [ev('A'), ev('B'), ev('C')], { expectedRevision: 'no_stream' });
          await expectWrongRevision(store.appendToStream(s, [ev('X')], { expectedRevision: 1 }), s, 1, 2);
          await expectWrongRevision(store.appendToStream(s, [ev('X')], { expectedRevision: 3 }), s, 3, 2);
          await expectWrongRevision(store.appendToStream(s, [ev('X')], { expectedRevision: 0 }), s, 0, 2);

          const r = await store.appendToStream(s, [ev('D'), ev('E')], { expectedRevision: 2 });
          assert.equal(r.nextExpectedRevision, 4);
          const r2 = await store.appendToStream(s, [ev('F')], { expectedRevision: r.nextExpectedRevision });
          assert.equal(r2.nextExpectedRevision, 5);
          assert.deepEqual(types(await store.readStream(s)), ['A', 'B', 'C', 'D', 'E', 'F']);
        }));

      it('a rejected append writes nothing', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const c = category('rejected');
          const s = `${c}-1`;
          await store.appendToStream(s, [ev('A')]);
          const head = await store.headPosition([c]);
          const all = await store.readAll({ categories: [c] });
          await expectWrongRevision(store.appendToStream(s, [ev('X'), ev('Y'), ev('Z')], { expectedRevision: 7 }), s, 7, 0);
          await expectWrongRevision(store.appendToStream(s, [ev('X')], { expectedRevision: 'no_stream' }), s, 'no_stream', 0);
          assert.equal(await store.headPosition([c]), head);
          assert.deepEqual(await store.readAll({ categories: [c] }), all);
          assert.deepEqual(types(await store.readStream(s)), ['A']);
          // the stream keeps working at the right revision
          assert.equal((await store.appendToStream(s, [ev('B')], { expectedRevision: 0 })).nextExpectedRevision, 1);
        }));

      it('returns the revision and the global position of the last event written', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const s = `${category('result')}-1`;
          const r1 = await store.appendToStream(s, [ev('A'), ev('B'), ev('C')], { expectedRevision: 'no_stream' });
          const read1 = await store.readStream(s);
          assert.equal(r1.nextExpectedRevision, 2);
          assert.equal(r1.position, read1[2]!.position);
          assertStrictlyIncreasing(positions(read1));

          const r2 = await store.appendToStream(s, [ev('D')], { expectedRevision: 2 });
          const read2 = await store.readStream(s);
          assert.equal(r2.nextExpectedRevision, 3);
          assert.equal(r2.position, read2[3]!.position);
          assert.ok(r2.position > r1.position, `${r2.position} > ${r1.position}`);
          assert.ok(Number.isSafeInteger(r2.position) && r2.position > 0);
        }));
    });

    describe('readStream', () => {
      it('returns events in revision order; fromRevision and maxCount select a window', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const s = `${category('window')}-1`;
          await store.appendToStream(s, range(6).map((i) => ev(`E${i}`, { i })), { expectedRevision: 'no_stream' });
          await store.appendToStream(s, range(4).map((i) => ev(`E${i + 6}`, { i: i + 6 })), { expectedRevision: 5 });
          const all = await store.readStream(s);
          assert.deepEqual(revisions(all), range(10));
          assert.deepEqual(all.map((e) => (e.data as { i: number }).i), range(10));
          assert.ok(all.every((e) => e.streamId === s));
          assertStrictlyIncreasing(positions(all));

          assert.deepEqual(revisions(await store.readStream(s, { fromRevision: 4 })), [4, 5, 6, 7, 8, 9]);
          assert.deepEqual(revisions(await store.readStream(s, { maxCount: 3 })), [0, 1, 2]);
          assert.deepEqual(revisions(await store.readStream(s, { fromRevision: 4, maxCount: 3 })), [4, 5, 6]);
          assert.deepEqual(revisions(await store.readStream(s, { fromRevision: 8, maxCount: 5 })), [8, 9]);
          assert.deepEqual(revisions(await store.readStream(s, { fromRevision: 9 })), [9]);
          assert.deepEqual(await store.readStream(s, { fromRevision: 10 }), []);
          assert.deepEqual(await store.readStream(s, { fromRevision: 1000 }), []);
          // the window returns the same records as the full read
          assert.deepEqual(await store.readStream(s, { fromRevision: 2, maxCount: 2 }), all.slice(2, 4));
        }));

      it('returns [] for a stream that does not exist', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const c = category('missing');
          assert.deepEqual(await store.readStream(`${c}-nope`), []);
          assert.deepEqual(await store.readStream(`${c}-nope`, { fromRevision: 3, maxCount: 2 }), []);
        }));

      it('keeps streams apart, even when one id is a prefix of another', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const c = category('prefix');
          await store.appendToStream(`${c}-1`, [ev('one')]);
          await store.appendToStream(`${c}-10`, [ev('ten'), ev('ten')]);
          await store.appendToStream(`${c}-1-0`, [ev('one-zero')]);
          await store.appendToStream(`${c}-1`, [ev('one')]);
          assert.deepEqual(types(await store.readStream(`${c}-1`)), ['one', 'one']);
          assert.deepEqual(revisions(await store.readStream(`${c}-1`)), [0, 1]);
          assert.deepEqual(types(await store.readStream(`${c}-10`)), ['ten', 'ten']);
          assert.deepEqual(types(await store.readStream(`${c}-1-0`)), ['one-zero']);
        }));
    });

    describe('readAll', () => {
      it('returns the global log in append order; after is exclusive', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const a = category('alla');
          const b = category('allb');
          const before = await store.headPosition();
          const plan: Array<[string, string]> = [
            [`${a}-1`, 'a1'],
            [`${b}-1`, 'b1'],
            [`${a}-2`, 'a2'],
            [`${a}-1`, 'a1'],
            [`${b}-1`, 'b1'],
            [`${b}-2`, 'b2'],
          ];
          for (const [s, t] of plan) await store.appendToStream(s, [ev(t)]);
          await store.appendToStream(`${a}-3`, [ev('a3'), ev('a3'), ev('a3')]);
          const expected = [...plan.map(([s, t]) => `${s}:${t}`), `${a}-3:a3`, `${a}-3:a3`, `${a}-3:a3`];

          const ours = (events: RecordedEvent[]) => events.filter((e) => [a, b].includes(streamCategory(e.streamId)));
          const all = ours(await store.readAll({ after: before }));
          assert.deepEqual(all.map((e) => `${e.streamId}:${e.type}`), expected);
          assertStrictlyIncreasing(positions(all));
          assert.ok(all[0]!.position > before);
          // the same records readStream returns
          assert.deepEqual(await store.readStream(`${a}-3`), all.slice(6));

          const both = await store.readAll({ after: before, categories: [a, b] });
          assert.deepEqual(both, all);
          const afterThird = await store.readAll({ after: all[2]!.position, categories: [a, b] });
          assert.deepEqual(afterThird, all.slice(3));
          assert.deepEqual(await store.readAll({ after: all[all.length - 1]!.position, categories: [a, b] }), []);
          // `after` need not be the position of an event of the filtered categories
          const afterB = await store.readAll({ after: all[1]!.position, categories: [a] });
          assert.deepEqual(afterB, all.slice(2).filter((e) => streamCategory(e.streamId) === a));
        }));

      it('maxCount bounds the result', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const c = category('max');
          const before = await store.headPosition();
          for (let i = 0; i < 4; i++) await store.appendToStream(`${c}-${i}`, [ev('X', { i }), ev('Y', { i })]);
          const all = await store.readAll({ categories: [c] });
          assert.equal(all.length, 8);
          assert.deepEqual(await store.readAll({ categories: [c], maxCount: 3 }), all.slice(0, 3));
          assert.deepEqual(await store.readAll({ categories: [c], maxCount: 3, after: all[4]!.position }), all.slice(5, 8));
          assert.deepEqual(await store.readAll({ categories: [c], maxCount: 100 }), all);
          assert.deepEqual(await store.readAll({ categories: [c], maxCount: 1, after: all[7]!.position }), []);
          const unfiltered = await store.readAll({ after: before, maxCount: 3 });
          assert.equal(unfiltered.length, 3);
          assert.ok(unfiltered.every((e) => e.position > before));
          assertStrictlyIncreasing(positions(unfiltered));
        }));

      it('filters by category: the text before the first "-" of the stream id', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const c = category('cat');
          const cx = `${c}x`; // shares a prefix with c but is another category
          const d = category('other');
          await store.appendToStream(`${c}-a`, [ev('1')]);
          await store.appendToStream(`${cx}-a`, [ev('2')]);
          await store.appendToStream(`${c}-b-c`, [ev('3')]); // category c, not `${c}-b`
          await store.appendToStream(`${d}-a`, [ev('4')]);
          await store.appendToStream(c, [ev('5')]); // no dash: the whole id is the category
          await store.appendToStream(`${c}-a`, [ev('6')]);

          assert.deepEqual(types(await store.readAll({ categories: [c] })), ['1', '3', '5', '6']);
          assert.deepEqual(types(await store.readAll({ categories: [cx] })), ['2']);
          assert.deepEqual(types(await store.readAll({ categories: [d] })), ['4']);
          assert.deepEqual(types(await store.readAll({ categories: [c, d] })), ['1', '3', '4', '5', '6']);
          assert.deepEqual(types(await store.readAll({ categories: [d, cx, c] })), ['1', '2', '3', '4', '5', '6']);
          assert.deepEqual(types(await store.readAll({ categories: [`${c}-b`] })), []);
          assert.deepEqual(await store.readAll({ categories: [category('nothing')] }), []);
          for (const e of await store.readAll({ categories: [c, d] })) assert.ok([c, d].includes(streamCategory(e.streamId)));
        }));
    });

    describe('recorded events', () => {
      it('keeps metadata: tenantId, correlationId, causationId, actor', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const c = category('meta');
          const full: EventMetadata = { tenantId: 'tenant-7', correlationId: 'corr-1', causationId: 'cmd-9', actor: 'member-3' };
          const minimal: EventMetadata = { tenantId: 'tenant-8', correlationId: 'corr-2' };
          const nulls: EventMetadata = { tenantId: 'tenant-9', correlationId: 'corr-3', causationId: null, actor: null };
          await store.appendToStream(`${c}-1`, [ev('Full', {}, full), ev('Minimal', {}, minimal), ev('Nulls', {}, nulls)]);
          for (const events of [await store.readStream(`${c}-1`), await store.readAll({ categories: [c] })]) {
            const [f, m, n] = events;
            assert.equal(f!.metadata.tenantId, 'tenant-7');
            assert.equal(f!.metadata.correlationId, 'corr-1');
            assert.equal(f!.metadata.causationId, 'cmd-9');
            assert.equal(f!.metadata.actor, 'member-3');
            assert.equal(m!.metadata.tenantId, 'tenant-8');
            assert.equal(m!.metadata.correlationId, 'corr-2');
            assert.equal(m!.metadata.causationId ?? null, null);
            assert.equal(m!.metadata.actor ?? null, null);
            assert.equal(n!.metadata.tenantId, 'tenant-9');
            assert.equal(n!.metadata.correlationId, 'corr-3');
            assert.equal(n!.metadata.causationId ?? null, null);
            assert.equal(n!.metadata.actor ?? null, null);
          }
        }));

      it('keeps a given event id; otherwise assigns a new UUID', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const c = category('ids');
          const given = randomUUID();
          await store.appendToStream(`${c}-1`, [ev('A'), { ...ev('B'), id: given }, ev('C')]);
          await store.appendToStream(`${c}-2`, [ev('D')]);
          const events = await store.readAll({ categories: [c] });
          assert.equal(events[1]!.id, given);
          for (const e of events) assert.match(e.id, UUID);
          assert.equal(new Set(events.map((e) => e.id)).size, 4);
          assert.deepEqual((await store.readStream(`${c}-1`)).map((e) => e.id), events.slice(0, 3).map((e) => e.id));
        }));

      it('sets recordedAt to the ISO-8601 UTC time of the append', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const s = `${category('time')}-1`;
          const t0 = Date.now();
          await store.appendToStream(s, [ev('A'), ev('B')]);
          const t1 = Date.now();
          for (const e of await store.readStream(s)) {
            assert.match(e.recordedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
            const t = Date.parse(e.recordedAt);
            // a little slack for a store whose clock is not this process's (a server)
            assert.ok(t >= t0 - 2_000 && t <= t1 + 2_000, `${e.recordedAt} within [${new Date(t0).toISOString()}, ${new Date(t1).toISOString()}]`);
          }
        }));

      it('round-trips type and data: nested JSON, unicode, edge values', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const s = `${category('data')}-1`;
          const payloads: Record<string, unknown>[] = [
            {
              name: 'Zoë Ångström — 日本語 — עברית — 🚀👩‍💻',
              combining: 'e\u0301',
              quotes: 'He said "hi" \\ \'there\'\n\ttab\r\n',
              control: '\u0000\u0001\u001f',
              html: '<script>alert(1)</script>&amp;',
              sqlish: "'; DROP TABLE events; --",
              empty: '',
            },
            {
              numbers: [0, -1, 1.5, -0.000123, 1e21, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER],
              booleans: [true, false],
              nothing: null,
              emptyObject: {},
              emptyArray: [],
              deep: { a: { b: { c: { d: { e: [{ f: [1, [2, [3, { g: 'deep' }]]] }] } } } } },
            },
            {},
            { list: range(200).map((i) => ({ i, label: `item ${i}`, tags: ['x', 'y'] })) },
          ];
          await store.appendToStream(s, payloads.map((data, i) => ev(`data.Type${i}.v1`, data)));
          const read = await store.readStream(s);
          assert.deepEqual(types(read), payloads.map((_, i) => `data.Type${i}.v1`));
          assert.deepEqual(read.map((e) => e.data), payloads);
          const [viaAll] = await store.readAll({ after: read[0]!.position - 1, categories: [streamCategory(s)], maxCount: 1 });
          assert.deepEqual(viaAll!.data, payloads[0]);
        }));

      it('captures data at append time; no reader can change what others read', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const s = `${category('copy')}-1`;
          const data = { list: [1, 2], nested: { v: 'before' } };
          const appended = store.appendToStream(s, [ev('A', data)]);
          data.list.push(3);
          data.nested.v = 'after';
          await appended;
          const [first] = await store.readStream(s);
          assert.deepEqual(first!.data, { list: [1, 2], nested: { v: 'before' } });
          // adapters hand out either private copies or frozen events shared by readers
          try {
            (first!.data as { nested: { v: string } }).nested.v = 'mutated by a reader';
          } catch (error) {
            assert.ok(error instanceof TypeError, 'a frozen event refuses the change');
          }
          const [again] = await store.readStream(s);
          assert.deepEqual(again!.data, { list: [1, 2], nested: { v: 'before' } });
        }));
    });

    describe('global positions and headPosition', () => {
      it('positions increase strictly, across streams, in append order', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const c = category('pos');
          const before = await store.headPosition();
          const results: AppendResult[] = [];
          for (let i = 0; i < 30; i++) {
            const count = 1 + (i % 3);
            results.push(await store.appendToStream(`${c}-${i % 5}`, range(count).map(() => ev('P', { i }))));
          }
          assert.ok(results[0]!.position > before);
          assertStrictlyIncreasing(results.map((r) => r.position));
          const all = await store.readAll({ categories: [c] });
          assert.equal(all.length, 60);
          assertStrictlyIncreasing(positions(all));
          assert.equal(new Set(positions(all)).size, 60);
          assert.deepEqual(all.map((e) => (e.data as { i: number }).i), results.flatMap((_, i) => range(1 + (i % 3)).map(() => i)));
          // each append result points at the last event that append wrote
          const byPosition = new Map(all.map((e) => [e.position, e]));
          results.forEach((r, i) => {
            const e = byPosition.get(r.position)!;
            assert.equal(e.streamId, `${c}-${i % 5}`);
            assert.equal(e.revision, r.nextExpectedRevision);
          });
        }));

      it('headPosition: last event overall or of the given categories; 0 when none', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          // exact global checks only when this store is ours alone (it starts empty)
          const wasEmpty = (await store.readAll({ maxCount: 1 })).length === 0;
          if (wasEmpty) assert.equal(await store.headPosition(), 0);
          const a = category('heada');
          const b = category('headb');
          assert.equal(await store.headPosition([a]), 0);
          assert.equal(await store.headPosition([a, b]), 0);

          const ra = await store.appendToStream(`${a}-1`, [ev('A'), ev('A')]);
          const rb = await store.appendToStream(`${b}-1`, [ev('B')]);
          const ra2 = await store.appendToStream(`${a}-2`, [ev('A')]);
          const rb2 = await store.appendToStream(`${b}-1`, [ev('B')]);
          assert.equal(await store.headPosition([a]), ra2.position);
          assert.equal(await store.headPosition([b]), rb2.position);
          assert.equal(await store.headPosition([a, b]), rb2.position);
          assert.equal(await store.headPosition([category('none'), a]), ra2.position);
          assert.ok(ra.position < rb.position);

          const head = await store.headPosition();
          assert.ok(head >= rb2.position);
          assert.deepEqual(await store.readAll({ after: head, categories: [a, b] }), []);
          if (wasEmpty) assert.equal(head, rb2.position);
        }));
    });

    describe('subscribeToAll', () => {
      it('catches up, then receives live appends in order, without duplicates or gaps', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const c = category('sub');
          for (let i = 0; i < 25; i++) await store.appendToStream(`${c}-${i % 4}`, [ev('Old', { i })]);
          const received: RecordedEvent[] = [];
          const batches: number[] = [];
          const sub = store.subscribeToAll({ categories: [c], batchSize: 7 }, (events) => {
            batches.push(events.length);
            received.push(...events);
            return Promise.resolve();
          });
          try {
            await withTimeout(sub.caughtUp, 10_000, 'caughtUp');
            assert.equal(received.length, 25);
            assert.deepEqual(received.map((e) => (e.data as { i: number }).i), range(25));

            // live: sequential and concurrent appends, several streams
            await store.appendToStream(`${c}-0`, [ev('New', { i: 25 })]);
            await store.appendToStream(`${c}-9`, [ev('New', { i: 26 }), ev('New', { i: 27 })]);
            await Promise.all(range(10).map((k) => store.appendToStream(`${c}-live${k}`, [ev('New', { i: 28 + k })])));
            await waitFor(() => received.length >= 38, 10_000, () => `received ${received.length} of 38`);
            await sleep(50);

            const all = await store.readAll({ categories: [c] });
            assert.equal(all.length, 38);
            assert.deepEqual(received.map((e) => e.id), all.map((e) => e.id));
            assert.deepEqual(received, all);
            assertStrictlyIncreasing(positions(received));
            assert.ok(batches.every((n) => n >= 1 && n <= 7), `batch sizes ${batches.join(',')}`);
          } finally {
            await sub.stop();
          }
        }));

      it('respects after (exclusive) and categories, during catch-up and live', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const a = category('suba');
          const b = category('subb');
          const results: AppendResult[] = [];
          for (let i = 0; i < 10; i++) {
            results.push(await store.appendToStream(`${a}-1`, [ev('A', { i })]));
            await store.appendToStream(`${b}-1`, [ev('B', { i })]);
          }
          const received: RecordedEvent[] = [];
          const sub = store.subscribeToAll({ after: results[4]!.position, categories: [a], batchSize: 3 }, collect(received));
          try {
            await withTimeout(sub.caughtUp, 10_000, 'caughtUp');
            assert.deepEqual(received.map((e) => (e.data as { i: number }).i), [5, 6, 7, 8, 9]);
            await store.appendToStream(`${b}-1`, [ev('B', { i: 10 })]);
            await store.appendToStream(`${a}-2`, [ev('A', { i: 10 })]);
            await store.appendToStream(`${b}-2`, [ev('B', { i: 11 })]);
            await waitFor(() => received.length >= 6, 10_000, () => `received ${received.length} of 6`);
            await sleep(50);
            assert.deepEqual(received.map((e) => `${e.type}${(e.data as { i: number }).i}`), ['A5', 'A6', 'A7', 'A8', 'A9', 'A10']);
            assert.ok(received.every((e) => streamCategory(e.streamId) === a));
          } finally {
            await sub.stop();
          }
        }));

      it('without categories, delivers every category after the checkpoint', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const a = category('anya');
          const b = category('anyb');
          const before = await store.headPosition();
          await store.appendToStream(`${a}-1`, [ev('A1')]);
          await store.appendToStream(`${b}-1`, [ev('B1')]);
          const received: RecordedEvent[] = [];
          const sub = store.subscribeToAll({ after: before }, collect(received));
          try {
            await withTimeout(sub.caughtUp, 10_000, 'caughtUp');
            await store.appendToStream(`${b}-2`, [ev('B2')]);
            await store.appendToStream(`${a}-1`, [ev('A2')]);
            const ours = () => received.filter((e) => [a, b].includes(streamCategory(e.streamId)));
            await waitFor(() => ours().length >= 4, 10_000, () => `received ${ours().length} of 4`);
            assert.deepEqual(types(ours()), ['A1', 'B1', 'B2', 'A2']);
            assert.ok(received.every((e) => e.position > before));
            assertStrictlyIncreasing(positions(received));
          } finally {
            await sub.stop();
          }
        }));

      it('hands one batch at a time, each at most batchSize, and waits for the handler', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const c = category('batch');
          await store.appendToStream(`${c}-1`, range(30).map((i) => ev('E', { i })));
          let active = 0;
          let maxActive = 0;
          const batches: number[][] = [];
          const sub = store.subscribeToAll({ categories: [c], batchSize: 4 }, async (events) => {
            active++;
            maxActive = Math.max(maxActive, active);
            await sleep(2);
            batches.push(events.map((e) => (e.data as { i: number }).i));
            active--;
          });
          try {
            await withTimeout(sub.caughtUp, 10_000, 'caughtUp');
            for (let k = 0; k < 5; k++) await store.appendToStream(`${c}-2`, range(3).map((i) => ev('E', { i: 30 + k * 3 + i })));
            await waitFor(() => batches.flat().length >= 45, 10_000, () => `received ${batches.flat().length} of 45`);
            assert.equal(maxActive, 1);
            assert.ok(batches.every((b) => b.length >= 1 && b.length <= 4), `batch sizes ${batches.map((b) => b.length).join(',')}`);
            assert.deepEqual(batches.flat(), range(45));
          } finally {
            await sub.stop();
          }
        }));

      it('caughtUp resolves at once when there is nothing to catch up', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const c = category('emptysub');
          const received: RecordedEvent[] = [];
          const sub = store.subscribeToAll({ categories: [c] }, collect(received));
          try {
            await withTimeout(sub.caughtUp, 5_000, 'caughtUp');
            assert.equal(received.length, 0);
            await store.appendToStream(`${c}-1`, [ev('A')]);
            await waitFor(() => received.length === 1, 10_000, () => `received ${received.length} of 1`);
          } finally {
            await sub.stop();
          }
        }));

      it('stop() ends the subscription: done resolves and later appends are not delivered', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const c = category('stop');
          await store.appendToStream(`${c}-1`, [ev('A')]);
          const received: RecordedEvent[] = [];
          const sub = store.subscribeToAll({ categories: [c] }, collect(received));
          await withTimeout(sub.caughtUp, 10_000, 'caughtUp');
          await store.appendToStream(`${c}-1`, [ev('B')]);
          await waitFor(() => received.length === 2, 10_000, () => `received ${received.length} of 2`);
          await withTimeout(sub.stop(), 10_000, 'stop');
          await withTimeout(sub.done, 10_000, 'done');
          await store.appendToStream(`${c}-1`, [ev('C')]);
          await sleep(100);
          assert.deepEqual(types(received), ['A', 'B']);
          await sub.stop(); // stopping twice is harmless
        }));

      it('a throwing handler ends the subscription and rejects done', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const c = category('throw');
          await store.appendToStream(`${c}-1`, [ev('A'), ev('B')]);
          const boom = new Error('handler failed');
          let calls = 0;
          const sub = store.subscribeToAll({ categories: [c], batchSize: 1 }, () => {
            calls++;
            return Promise.reject(boom);
          });
          await assert.rejects(withTimeout(sub.done, 10_000, 'done'), (e) => e === boom);
          await store.appendToStream(`${c}-1`, [ev('C')]);
          await sleep(50);
          assert.equal(calls, 1);
          await sub.stop();
        }));
    });

    describe('volume and concurrency', () => {
      it('a stream of 10,000 events: appended in chunks, read back fully', { timeout: 60_000 }, () =>
        withStore(async (store) => {
          const c = category('big');
          const s = `${c}-1`;
          const total = 10_000;
          const chunk = 500;
          let expected: ExpectedRevision = 'no_stream';
          for (let start = 0; start < total; start += chunk) {
            const r: AppendResult = await store.appendToStream(
              s,
              range(chunk).map((i) => ev('Big', { n: start + i, pad: 'x'.repeat(40) })),
              { expectedRevision: expected },
            );
            assert.equal(r.nextExpectedRevision, start + chunk - 1);
            expected = r.nextExpectedRevision;
          }
          const events = await store.readStream(s);
          assert.equal(events.length, total);
          for (let i = 0; i < total; i++) {
            const e = events[i]!;
            if (e.revision !== i || (e.data as { n: number }).n !== i || e.streamId !== s) {
              assert.fail(`event ${i}: revision ${e.revision}, n ${(e.data as { n: number }).n}, stream ${e.streamId}`);
            }
            if (i > 0 && e.position <= events[i - 1]!.position) assert.fail(`position not increasing at ${i}`);
          }
          assert.deepEqual(revisions(await store.readStream(s, { fromRevision: 9_990 })), range(10).map((i) => 9_990 + i));
          assert.deepEqual(revisions(await store.readStream(s, { fromRevision: 5_000, maxCount: 3 })), [5_000, 5_001, 5_002]);
          const all = await store.readAll({ categories: [c] });
          assert.equal(all.length, total);
          assert.equal(all[total - 1]!.position, events[total - 1]!.position);
          assert.equal(await store.headPosition([c]), events[total - 1]!.position);
          await expectWrongRevision(store.appendToStream(s, [ev('Late')], { expectedRevision: 9_998 }), s, 9_998, 9_999);
        }));

      it('20 concurrent appends expecting the same revision: exactly one succeeds', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const s = `${category('race')}-1`;
          await store.appendToStream(s, [ev('A'), ev('B'), ev('C')]);
          const outcomes = await Promise.allSettled(
            range(20).map((k) => store.appendToStream(s, [ev('Racer', { k })], { expectedRevision: 2 })),
          );
          const won = outcomes.filter((o) => o.status === 'fulfilled');
          const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
          assert.equal(won.length, 1);
          assert.equal(lost.length, 19);
          for (const o of lost) assertWrongRevision(o.reason, s, 2, 3);
          const events = await store.readStream(s);
          assert.deepEqual(revisions(events), [0, 1, 2, 3]);
          assert.equal((won[0] as PromiseFulfilledResult<AppendResult>).value.position, events[3]!.position);
          assert.deepEqual(events[3]!.data, { k: outcomes.indexOf(won[0]!) });

          // the same race on a stream that does not exist yet
          const t = `${category('race')}-2`;
          const creates = await Promise.allSettled(
            range(20).map((k) => store.appendToStream(t, [ev('Create', { k }), ev('Then', { k })], { expectedRevision: 'no_stream' })),
          );
          assert.equal(creates.filter((o) => o.status === 'fulfilled').length, 1);
          for (const o of creates) if (o.status === 'rejected') assertWrongRevision(o.reason, t, 'no_stream', 1);
          const created = await store.readStream(t);
          assert.deepEqual(revisions(created), [0, 1]);
          assert.deepEqual(created[0]!.data, created[1]!.data);
        }));

      it('concurrent appends with any to one stream all succeed, each contiguous', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const s = `${category('anyrace')}-1`;
          const results = await Promise.all(
            range(20).map((k) => store.appendToStream(s, [ev('First', { k }), ev('Second', { k })], { expectedRevision: 'any' })),
          );
          assert.deepEqual(results.map((r) => r.nextExpectedRevision).sort((x, y) => x - y), range(20).map((k) => 2 * k + 1));
          const events = await store.readStream(s);
          assert.deepEqual(revisions(events), range(40));
          for (let i = 0; i < 40; i += 2) {
            assert.deepEqual([events[i]!.type, events[i + 1]!.type], ['First', 'Second']);
            assert.deepEqual(events[i]!.data, events[i + 1]!.data);
          }
          assert.equal(new Set(positions(events)).size, 40);
        }));

      it('many concurrent appenders on different streams all succeed with unique positions', { timeout: TIMEOUT }, () =>
        withStore(async (store) => {
          const c = category('many');
          const writers = 64;
          const appendsEach = 5;
          const results = await Promise.all(
            range(writers).map(async (w) => {
              const mine: AppendResult[] = [];
              let expected: ExpectedRevision = 'no_stream';
              for (let k = 0; k < appendsEach; k++) {
                const r: AppendResult = await store.appendToStream(`${c}-${w}`, [ev('W', { w, k })], { expectedRevision: expected });
                expected = r.nextExpectedRevision;
                mine.push(r);
              }
              return mine;
            }),
          );
          const allPositions = results.flat().map((r) => r.position);
          assert.equal(new Set(allPositions).size, writers * appendsEach);
          for (const mine of results) {
            assert.deepEqual(mine.map((r) => r.nextExpectedRevision), range(appendsEach));
            assertStrictlyIncreasing(mine.map((r) => r.position));
          }
          const all = await store.readAll({ categories: [c] });
          assert.equal(all.length, writers * appendsEach);
          assertStrictlyIncreasing(positions(all));
          assert.deepEqual([...positions(all)].sort((x, y) => x - y), [...allPositions].sort((x, y) => x - y));
          for (let w = 0; w < writers; w += 9) {
            const stream = await store.readStream(`${c}-${w}`);
            assert.deepEqual(stream.map((e) => (e.data as { k: number }).k), range(appendsEach));
            assert.deepEqual(positions(stream), results[w]!.map((r) => r.position));
          }
        }));
    });

    describe('close', () => {
      it('completes appends issued before close(); later calls fail', { timeout: TIMEOUT }, async () => {
        const fixture = await open();
        try {
          const { store } = fixture;
          const s = `${category('close')}-1`;
          const pending = store.appendToStream(s, [ev('A')]);
          await store.close();
          const r = await pending;
          assert.equal(r.nextExpectedRevision, 0);
          await assert.rejects(store.appendToStream(s, [ev('B')]));
          await assert.rejects(store.readStream(s));
          await store.close(); // closing twice is harmless
        } finally {
          await fixture.cleanup();
        }
      });
    });
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const METADATA: EventMetadata = { tenantId: 'tenant-1', correlationId: 'correlation-1' };

/** A category no other test (or other run against a shared store) uses. */
function category(name: string): string {
  return `contract.${name}${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

function ev(type: string, data: unknown = {}, metadata: EventMetadata = METADATA): NewEvent {
  return { type, data, metadata };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

const types = (events: readonly RecordedEvent[]) => events.map((e) => e.type);
const revisions = (events: readonly RecordedEvent[]) => events.map((e) => e.revision);
const positions = (events: readonly RecordedEvent[]) => events.map((e) => e.position);

function assertStrictlyIncreasing(values: readonly number[]): void {
  for (let i = 1; i < values.length; i++) {
    if (!(values[i]! > values[i - 1]!)) assert.fail(`not strictly increasing at ${i}: ${values[i - 1]} then ${values[i]}`);
  }
}

function assertWrongRevision(error: unknown, streamId: string, expected: ExpectedRevision, actual: number): void {
  assert.ok(error instanceof WrongExpectedRevisionError, `expected WrongExpectedRevisionError, got ${String(error)}`);
  assert.equal(error.streamId, streamId);
  assert.equal(error.expected, expected);
  assert.equal(error.actual, actual);
}

async function expectWrongRevision(append: Promise<unknown>, streamId: string, expected: ExpectedRevision, actual: number): Promise<void> {
  await assert.rejects(append, (error) => {
    assertWrongRevision(error, streamId, expected, actual);
    return true;
  });
}

/** A subscription handler that appends every batch to `into`. */
function collect(into: RecordedEvent[]): SubscriptionHandler {
  return (events) => {
    into.push(...events);
    return Promise.resolve();
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, timeoutMs: number, describeState: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms: ${describeState()}`);
    await sleep(5);
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
