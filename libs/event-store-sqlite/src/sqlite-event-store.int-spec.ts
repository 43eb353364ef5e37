import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { WrongExpectedRevisionError, type EventMetadata, type NewEvent, type RecordedEvent } from '@leadstream/event-sourcing';
import { eventStoreContract } from '@leadstream/event-sourcing/testing';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'leadstream-es-sqlite-'));
}

eventStoreContract('sqlite (synchronous=full)', async () => {
  const dir = await tempDir();
  let store: SqliteEventStore;
  try {
    store = new SqliteEventStore({ path: join(dir, 'events.db') });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    store,
    async cleanup() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

const metadata: EventMetadata = { tenantId: 'tenant-1', correlationId: 'corr-1' };
const ev = (type: string, data: unknown = {}, id?: string): NewEvent => ({ id, type, data, metadata });

async function withStores(fn: (open: (o?: Partial<SqliteEventStoreOptions>) => SqliteEventStore, path: string) => Promise<void>) {
  const dir = await tempDir();
  const path = join(dir, 'events.db');
  const opened: SqliteEventStore[] = [];
  try {
    await fn((o = {}) => {
      const s = new SqliteEventStore({ path, ...o });
      opened.push(s);
      return s;
    }, path);
  } finally {
    for (const s of opened) await s.close();
    await rm(dir, { recursive: true, force: true });
  }
}

describe('SqliteEventStore', () => {
  it('group commit: appends of one event-loop turn share a transaction, each checked on its own', () =>
    withStores(async (open) => {
      const store = open();
      await store.appendToStream('orders-1', [ev('A'), ev('B')]);
      const existingId = (await store.readStream('orders-1'))[0]!.id;
      const groupsBefore = store.stats.groups;

      // All of these are issued in the same turn, so they land in one group.
      const outcomes = await Promise.allSettled([
        store.appendToStream('orders-1', [ev('C')], { expectedRevision: 1 }), // 0: ok → 2
        store.appendToStream('orders-1', [ev('X')], { expectedRevision: 1 }), // 1: conflict, actual 2 (written by 0)
        store.appendToStream('orders-1', [ev('D'), ev('E')], { expectedRevision: 2 }), // 2: ok → 4
        store.appendToStream('orders-2', [ev('F')], { expectedRevision: 'no_stream' }), // 3: ok → 0
        store.appendToStream('orders-2', [ev('X')], { expectedRevision: 'no_stream' }), // 4: conflict, actual 0
        store.appendToStream('orders-3', [ev('X')], { expectedRevision: 'stream_exists' }), // 5: conflict, actual -1
        store.appendToStream('orders-4', [ev('X1'), ev('X2', {}, existingId)]), // 6: duplicate id → fails whole
        store.appendToStream('orders-4', [ev('G')], { expectedRevision: 'no_stream' }), // 7: ok → 0 (6 wrote nothing)
        store.appendToStream('orders-5', [ev('H')], { expectedRevision: 'any' }), // 8: ok → 0
        store.appendToStream('orders-1', [ev('I')], { expectedRevision: 4 }), // 9: ok → 5
      ]);
      assert.equal(store.stats.groups, groupsBefore + 1, 'one transaction for the whole group');

      const ok = (i: number) => {
        const o = outcomes[i]!;
        assert.equal(o.status, 'fulfilled', `append ${i}: ${o.status === 'rejected' ? String(o.reason) : ''}`);
        return (o as PromiseFulfilledResult<{ nextExpectedRevision: number; position: number }>).value;
      };
      const conflict = (i: number, expected: unknown, actual: number) => {
        const o = outcomes[i]!;
        assert.equal(o.status, 'rejected', `append ${i}`);
        const reason = (o).reason as unknown;
        assert.ok(reason instanceof WrongExpectedRevisionError, `append ${i}: ${String(reason)}`);
        assert.equal(reason.expected, expected);
        assert.equal(reason.actual, actual);
      };
      assert.equal(ok(0).nextExpectedRevision, 2);
      conflict(1, 1, 2);
      assert.equal(ok(2).nextExpectedRevision, 4);
      assert.equal(ok(3).nextExpectedRevision, 0);
      conflict(4, 'no_stream', 0);
      conflict(5, 'stream_exists', -1);
      assert.equal(outcomes[6].status, 'rejected');
      assert.ok(!((outcomes[6]).reason instanceof WrongExpectedRevisionError));
      assert.match(String((outcomes[6]).reason), /UNIQUE/);
      assert.equal(ok(7).nextExpectedRevision, 0);
      assert.equal(ok(8).nextExpectedRevision, 0);
      assert.equal(ok(9).nextExpectedRevision, 5);
      // positions follow call order
      const positions = [0, 2, 3, 7, 8, 9].map((i) => ok(i).position);
      assert.deepEqual([...positions].sort((a, b) => a - b), positions);

      assert.deepEqual((await store.readStream('orders-1')).map((e) => e.type), ['A', 'B', 'C', 'D', 'E', 'I']);
      assert.deepEqual((await store.readStream('orders-2')).map((e) => e.type), ['F']);
      assert.deepEqual(await store.readStream('orders-3'), []);
      assert.deepEqual((await store.readStream('orders-4')).map((e) => e.type), ['G']);
      assert.deepEqual((await store.readStream('orders-5')).map((e) => e.type), ['H']);
      assert.equal((await store.readAll()).length, 2 + 7);
    }));

  it('group commit: a group that fails as a whole rejects every append of it and writes nothing', () =>
    withStores(async (open, path) => {
      const store = open({ busyTimeoutMs: 50 });
      await store.appendToStream('orders-1', [ev('A')]);
      // Another connection holds the write lock: BEGIN IMMEDIATE times out.
      const { DatabaseSync } = await import('node:sqlite');
      const other = new DatabaseSync(path);
      other.exec('BEGIN IMMEDIATE');
      const outcomes = await Promise.allSettled([store.appendToStream('orders-1', [ev('B')]), store.appendToStream('orders-2', [ev('C')])]);
      other.exec('ROLLBACK');
      other.close();
      assert.deepEqual(outcomes.map((o) => o.status), ['rejected', 'rejected']);
      assert.deepEqual((await store.readAll()).map((e) => e.type), ['A']);
      // and the store carries on
      assert.equal((await store.appendToStream('orders-1', [ev('B')], { expectedRevision: 0 })).nextExpectedRevision, 1);
    }));

  it('concurrent callers share commits', () =>
    withStores(async (open) => {
      const store = open();
      const before = store.stats;
      await Promise.all(
        Array.from({ length: 32 }, async (_, w) => {
          for (let k = 0; k < 10; k++) {
            await store.appendToStream(`orders-${w}`, [ev('E', { w, k })], { expectedRevision: k === 0 ? 'no_stream' : k - 1 });
          }
        }),
      );
      const after = store.stats;
      assert.equal(after.appends - before.appends, 320);
      assert.equal(after.events - before.events, 320);
      assert.ok(after.groups - before.groups <= 20, `${after.groups - before.groups} groups for 320 appends`);
    }));

  it('splits a very large group into transactions of about 10,000 events', () =>
    withStores(async (open) => {
      const store = open({ synchronous: 'normal' });
      const before = store.stats.groups;
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          store.appendToStream(`bulk-${i}`, Array.from({ length: 500 }, (_, k) => ev('Bulk', { i, k })), { expectedRevision: 'no_stream' }),
        ),
      );
      assert.equal(store.stats.groups - before, 2);
      assert.ok(results.every((r) => r.nextExpectedRevision === 499));
      const positions = results.map((r) => r.position);
      assert.deepEqual([...positions].sort((a, b) => a - b), positions);
      assert.equal((await store.readAll()).length, 12_500);
    }));

  it('keeps revisions exact with a tiny revision cache', () =>
    withStores(async (open) => {
      const store = open({ revisionCacheSize: 2 });
      for (let round = 0; round < 3; round++) {
        for (let s = 0; s < 5; s++) {
          await assert.rejects(
            store.appendToStream(`orders-${s}`, [ev('X')], { expectedRevision: round }),
            (e: unknown) => e instanceof WrongExpectedRevisionError && e.actual === round - 1,
          );
          const r = await store.appendToStream(`orders-${s}`, [ev('E')], { expectedRevision: round === 0 ? 'no_stream' : round - 1 });
          assert.equal(r.nextExpectedRevision, round);
        }
      }
    }));

  it('stays correct when another connection writes the same file', () =>
    withStores(async (open) => {
      const a = open({ pollIntervalMs: 20 });
      const b = open();
      await a.appendToStream('orders-1', [ev('A')], { expectedRevision: 'no_stream' }); // a remembers revision 0
      await b.appendToStream('orders-1', [ev('B')], { expectedRevision: 0 });
      await assert.rejects(
        a.appendToStream('orders-1', [ev('X')], { expectedRevision: 0 }),
        (e: unknown) => e instanceof WrongExpectedRevisionError && e.actual === 1,
      );
      assert.equal((await a.appendToStream('orders-1', [ev('C')], { expectedRevision: 1 })).nextExpectedRevision, 2);
      assert.deepEqual((await b.readStream('orders-1')).map((e) => e.type), ['A', 'B', 'C']);

      // a subscription on `a` picks up `b`'s appends at its next poll
      const received: RecordedEvent[] = [];
      const sub = a.subscribeToAll({ categories: ['orders'] }, (events) => {
        received.push(...events);
        return Promise.resolve();
      });
      try {
        await sub.caughtUp;
        await b.appendToStream('orders-2', [ev('D')]);
        const deadline = Date.now() + 5_000;
        while (received.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        assert.deepEqual(received.map((e) => e.type), ['A', 'B', 'C', 'D']);
      } finally {
        await sub.stop();
      }
    }));

  it('tail cache: log reads answered from memory equal the file, interleaved foreign appends and all', () =>
    withStores(async (open) => {
      const cached = open({ tailCacheSize: 50 });
      const other = open({ tailCacheSize: 0 });
      const reference = open({ tailCacheSize: 0 });
      const categories = ['alpha', 'beta', 'gamma'];
      for (let round = 0; round < 40; round++) {
        // several appends in one turn (one group), some failing, and now and then another connection
        const appends: Promise<unknown>[] = [];
        for (let i = 0; i < 1 + (round % 4); i++) {
          const c = categories[(round + i) % 3]!;
          appends.push(cached.appendToStream(`${c}-${round % 5}`, [ev(`${c}.${round}.${i}`, { round, list: [i] }), ev('second', { round })]));
        }
        appends.push(cached.appendToStream(`alpha-${round % 5}`, [ev('refused')], { expectedRevision: 'no_stream' }).catch(() => 'refused'));
        await Promise.all(appends);
        if (round % 7 === 3) await other.appendToStream(`beta-${round}`, [ev('foreign', { round })]);
      }
      // after the tail's last event: a read served from the tail must go on in the file
      await other.appendToStream('beta-last', [ev('foreign', { last: true })]);
      const all = await reference.readAll();
      assert.ok(all.some((e) => e.type === 'foreign'));
      const hitsBefore = cached.stats.tailHits;
      for (let after = 0; after <= all.length + 1; after += 3) {
        for (const options of [{ after }, { after, maxCount: 7 }, { after, categories: ['beta'] }, { after, categories: ['alpha', 'gamma'], maxCount: 5 }]) {
          assert.deepEqual(await cached.readAll(options), await reference.readAll(options), JSON.stringify(options));
        }
      }
      assert.ok(cached.stats.tailHits > hitsBefore, 'recent positions come from the tail');
      const [shared] = await cached.readAll({ after: all.length - 2, maxCount: 1 });
      assert.ok(Object.isFrozen(shared) && Object.isFrozen(shared!.data), 'events shared by readers are frozen');
    }));

  it('keeps its data across reopening, and positions continue', () =>
    withStores(async (open) => {
      const first = open({ synchronous: 'normal' });
      const r = await first.appendToStream('orders-1', [ev('A', { v: 'é🚀' }), ev('B')]);
      await first.close();
      const second = open();
      assert.deepEqual((await second.readStream('orders-1')).map((e) => [e.type, e.data]), [['A', { v: 'é🚀' }], ['B', {}]]);
      const r2 = await second.appendToStream('orders-1', [ev('C')], { expectedRevision: 1 });
      assert.equal(r2.nextExpectedRevision, 2);
      assert.ok(r2.position > r.position);
    }));

  it('rejects an unknown synchronous setting', () => {
    assert.throws(() => new SqliteEventStore({ path: ':memory:', synchronous: 'off' as 'full' }), /synchronous/);
  });

  for (const synchronous of ['full', 'normal'] as const) {
    it(`keeps every acknowledged append when the process is killed with SIGKILL (synchronous=${synchronous})`, { timeout: 60_000 }, () =>
      withStores(async (open, path) => {
        const acks = await runAndKill(path, synchronous, 1_500);
        assert.ok(acks.length >= 1_500, `${acks.length} acknowledged appends`);

        const store = open({ synchronous });
        const all = await store.readAll();
        const byPosition = new Map(all.map((e) => [e.position, e]));
        for (const ack of acks) {
          const e = byPosition.get(ack.position);
          assert.ok(e, `acknowledged event at position ${ack.position} is missing`);
          assert.equal(e.id, ack.id);
          assert.equal(e.streamId, ack.streamId);
          assert.equal(e.revision, ack.revision);
        }
        // whatever was committed is consistent: every stream is gapless
        const streams = new Map<string, number[]>();
        for (const e of all) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e.revision]);
        for (const [streamId, revisions] of streams) {
          assert.deepEqual(revisions, revisions.map((_, i) => i), streamId);
        }
        assert.ok(all.length >= acks.length);
      }),
    );
  }
});

interface Ack {
  position: number;
  id: string;
  streamId: string;
  revision: number;
}

/**
 * Spawns a Node process whose concurrent writers append to the store at `path` and print each
 * acknowledged append; kills it with SIGKILL once `killAfter` acknowledgements have been read.
 */
async function runAndKill(path: string, synchronous: 'full' | 'normal', killAfter: number): Promise<Ack[]> {
  const script = `
    const { randomUUID } = require('node:crypto');
    const { SqliteEventStore } = require(${JSON.stringify(join(__dirname, 'sqlite-event-store.js'))});
    const store = new SqliteEventStore({ path: ${JSON.stringify(path)}, synchronous: ${JSON.stringify(synchronous)} });
    const metadata = { tenantId: 'tenant-1', correlationId: 'kill-test' };
    async function writer(w) {
      for (let k = 0; k < 1000000; k++) {
        const id = randomUUID();
        const events = [{ id, type: 'Durable', data: { w, k, pad: 'x'.repeat(200) }, metadata }];
        // every third append writes two events: the acknowledged id is the last one's
        if (k % 3 === 2) events.unshift({ type: 'Durable', data: { w, k, first: true }, metadata });
        const r = await store.appendToStream('durable-' + w, events, { expectedRevision: 'any' });
        // stdout is a pipe: writes are synchronous, so a printed ack is an acknowledged append
        process.stdout.write(r.position + ' ' + id + ' durable-' + w + ' ' + r.nextExpectedRevision + '\\n');
      }
    }
    for (let w = 0; w < 16; w++) writer(w).catch((e) => { console.error(e); process.exit(1); });
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let killed = false;
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    if (!killed && out.split('\n').length > killAfter) {
      killed = true;
      child.kill('SIGKILL');
    }
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  assert.equal(signal, 'SIGKILL', `child ended with code ${code}, signal ${signal}: ${err}`);
  const lines = out.split('\n');
  lines.pop(); // the last line may be cut short
  return lines.map((line) => {
    const [position, id, streamId, revision] = line.split(' ');
    return { position: Number(position), id: id!, streamId: streamId!, revision: Number(revision) };
  });
}
