import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { serialize } from 'node:v8';
import { describe, it } from 'node:test';
import { DuplicateKeyError } from '@leadstream/read-store';
import { readStoreContract } from '@leadstream/read-store/testing';
import { EmbeddedReadStore } from './embedded-read-store';

async function tempDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'read-store-embedded-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

readStoreContract('embedded (memory)', async () => {
  const store = await EmbeddedReadStore.open();
  return { store, cleanup: () => store.close() };
});

readStoreContract('embedded (SQLite file)', async () => {
  const tmp = await tempDir();
  const store = await EmbeddedReadStore.open({ path: join(tmp.dir, 'read.db') });
  return {
    store,
    async cleanup() {
      await store.close();
      await tmp.remove();
    },
  };
});

describe('EmbeddedReadStore', () => {
  it('persists documents, indexes and checkpoints across reopen', async () => {
    const tmp = await tempDir();
    const path = join(tmp.dir, 'nested', 'read.db');
    try {
      const indexes = [{ keys: { email: 1 }, unique: true }, { keys: { tenantId: 1 } }] as const;
      let store = await EmbeddedReadStore.open({ path });
      const leads = store.collection('leads', { indexes });
      await leads.insertMany([
        { _id: 'a', tenantId: 't1', email: 'a@x', at: new Date('2024-05-01T00:00:00Z'), tags: ['x'] },
        { _id: 'b', tenantId: 't1', email: 'b@x' },
        { _id: 'c', tenantId: 't2', email: 'c@x' },
      ]);
      await leads.updateOne({ _id: 'b' }, { $set: { name: 'Bea' }, $inc: { n: 2 } });
      await leads.deleteOne({ _id: 'c' });
      await store.collection('other').insertOne({ _id: 'o', v: 1 });
      await store.collection('other').drop();
      await store.collection('other').insertOne({ _id: 'p', v: 2 });
      await store.setCheckpoint('p1', 17);
      await store.setCheckpoint('p2', 3);
      await store.deleteCheckpoint('p2');
      await store.batch(async () => {
        await leads.insertOne({ _id: 'd', tenantId: 't2', email: 'd@x' });
        await store.setCheckpoint('p1', 18);
      });
      await store.close();
      await assert.rejects(leads.find(), /closed/);

      store = await EmbeddedReadStore.open({ path });
      const reopened = store.collection('leads', { indexes });
      assert.deepEqual(await reopened.find({}, { sort: { _id: 1 } }), [
        { _id: 'a', tenantId: 't1', email: 'a@x', at: new Date('2024-05-01T00:00:00Z'), tags: ['x'] },
        { _id: 'b', tenantId: 't1', email: 'b@x', name: 'Bea', n: 2 },
        { _id: 'd', tenantId: 't2', email: 'd@x' },
      ]);
      assert.deepEqual(await store.collection('other').find(), [{ _id: 'p', v: 2 }]);
      assert.equal(await store.getCheckpoint('p1'), 18);
      assert.equal(await store.getCheckpoint('p2'), null);
      assert.deepEqual((await reopened.find({ tenantId: 't1' })).map((d) => d._id).sort(), ['a', 'b']);
      await assert.rejects(reopened.insertOne({ _id: 'e', email: 'a@x' }), DuplicateKeyError);
      await store.close();
    } finally {
      await tmp.remove();
    }
  });

  it('brings a schema-1 file (documents in a WITHOUT ROWID table) up to schema 2, keeping every document and checkpoint', async () => {
    const tmp = await tempDir();
    const path = join(tmp.dir, 'read.db');
    try {
      const old = new DatabaseSync(path);
      old.exec(`
        CREATE TABLE read_documents (collection TEXT NOT NULL, id TEXT NOT NULL, body BLOB NOT NULL, PRIMARY KEY (collection, id)) WITHOUT ROWID;
        CREATE TABLE read_checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL);
        PRAGMA user_version = 1;
      `);
      const put = old.prepare('INSERT INTO read_documents (collection, id, body) VALUES (?, ?, ?)');
      for (let i = 0; i < 50; i++) put.run(i % 2 === 0 ? 'leads' : 'counts', `d${i}`, serialize({ _id: `d${i}`, n: i, tags: ['x'] }));
      old.prepare('INSERT INTO read_checkpoints (name, position) VALUES (?, ?)').run('leads.v1', 1234);
      old.close();

      let store = await EmbeddedReadStore.open({ path });
      assert.equal((await store.collection('leads').find({}, { sort: { n: 1 } })).length, 25);
      assert.deepEqual(await store.collection('counts').findOne({ _id: 'd7' }), { _id: 'd7', n: 7, tags: ['x'] });
      assert.equal(await store.getCheckpoint('leads.v1'), 1234);
      await store.collection('counts').updateOne({ _id: 'd7' }, { $set: { n: 70 } });
      await store.collection('leads').insertOne({ _id: 'new', n: 99 });
      await store.close();

      const reopened = new DatabaseSync(path, { readOnly: true });
      assert.equal((reopened.prepare('PRAGMA user_version').get() as { user_version: number }).user_version, 2);
      assert.equal(reopened.prepare("SELECT 1 FROM sqlite_master WHERE name = 'read_documents'").get(), undefined);
      reopened.close();
      store = await EmbeddedReadStore.open({ path });
      assert.equal(await store.collection('leads').count({}), 26);
      assert.equal((await store.collection('counts').findOne({ _id: 'd7' }))?.['n'], 70);
      await store.close();
    } finally {
      await tmp.remove();
    }
  });

  it('rolls a failed batch back: documents, indexes and checkpoints, in memory and on disk', async () => {
    const tmp = await tempDir();
    const path = join(tmp.dir, 'read.db');
    try {
      let store = await EmbeddedReadStore.open({ path });
      const c = store.collection('c', { indexes: [{ keys: { email: 1 }, unique: true }, { keys: { tenantId: 1 } }] });
      await c.insertOne({ _id: 'a', email: 'a@x', tenantId: 't' });
      await store.setCheckpoint('cp', 1);
      await assert.rejects(
        store.batch(async () => {
          await c.updateOne({ _id: 'a' }, { $set: { email: 'changed@x', tenantId: 'u' } });
          await c.insertOne({ _id: 'b', email: 'a@x', tenantId: 't' });
          await c.drop();
          await c.insertOne({ _id: 'z', email: 'z@x' });
          await store.setCheckpoint('cp', 2);
          throw new Error('crash before commit');
        }),
        /crash before commit/,
      );
      const check = async (s: EmbeddedReadStore): Promise<void> => {
        const col = s.collection('c', { indexes: [{ keys: { email: 1 }, unique: true }, { keys: { tenantId: 1 } }] });
        assert.deepEqual(await col.find(), [{ _id: 'a', email: 'a@x', tenantId: 't' }]);
        assert.deepEqual(await col.find({ tenantId: 't' }), [{ _id: 'a', email: 'a@x', tenantId: 't' }]);
        assert.deepEqual(await col.find({ tenantId: 'u' }), []);
        assert.equal(await s.getCheckpoint('cp'), 1);
        await assert.rejects(col.insertOne({ _id: 'q', email: 'a@x' }), DuplicateKeyError);
        await col.insertOne({ _id: 'r', email: 'changed@x' });
        await col.deleteOne({ _id: 'r' });
      };
      await check(store);
      await store.close();
      store = await EmbeddedReadStore.open({ path });
      await check(store);
      await store.close();
    } finally {
      await tmp.remove();
    }
  });

  it('serializes batches and writes outside them; a nested batch joins the outer one', async () => {
    const store = await EmbeddedReadStore.open();
    const c = store.collection('c');
    const order: string[] = [];
    const first = store.batch(async () => {
      await c.insertOne({ _id: '1' });
      await new Promise((r) => setTimeout(r, 20));
      await store.batch(async () => c.insertOne({ _id: '2' }));
      order.push('batch');
    });
    const outside = c.insertOne({ _id: '3' }).then(() => order.push('outside'));
    await Promise.all([first, outside]);
    assert.deepEqual(order, ['batch', 'outside']);
    assert.equal(await c.count(), 3);
    await store.close();
  });

  it('uses the equality index for tenant queries and keeps it right through updates', async () => {
    const store = await EmbeddedReadStore.open();
    const leads = store.collection('leads', { indexes: [{ keys: { tenantId: 1, createdAt: -1 } }] });
    const docs = Array.from({ length: 20_000 }, (_, i) => ({ _id: `l${i}`, tenantId: `t${i % 100}`, createdAt: i, tags: i % 2 ? ['odd'] : [] }));
    await leads.insertMany(docs);
    await leads.updateMany({ tenantId: 't7' }, { $set: { tenantId: 't8' } });
    assert.equal(await leads.count({ tenantId: 't7' }), 0);
    assert.equal(await leads.count({ tenantId: 't8' }), 400);
    assert.equal(await leads.count({ tenantId: { $in: ['t8', 't9'] } }), 600);
    assert.equal(await leads.count({ tenantId: 't9', tags: 'odd' }), 200);
    const started = performance.now();
    for (let i = 0; i < 200; i++) {
      const page = await leads.find({ tenantId: `t${i % 100}` }, { sort: { createdAt: -1 }, limit: 20 });
      assert.ok(page.length <= 20);
    }
    const perQueryMs = (performance.now() - started) / 200;
    assert.ok(perQueryMs < 5, `indexed query took ${perQueryMs.toFixed(2)} ms`);
    const [newest] = await leads.find({ tenantId: 't8' }, { sort: { createdAt: -1 }, limit: 1 });
    assert.equal(newest?._id, 'l19908');
    await store.close();
  });

  it('applies a projection batch of 500 upserts in milliseconds (file-backed)', async () => {
    const tmp = await tempDir();
    try {
      const store = await EmbeddedReadStore.open({ path: join(tmp.dir, 'read.db') });
      const leads = store.collection('leads', { indexes: [{ keys: { tenantId: 1 } }] });
      const runBatch = (round: number): Promise<void> =>
        store.batch(async () => {
          for (let i = 0; i < 500; i++) {
            await leads.updateOne(
              { _id: `lead-${i}` },
              { $set: { tenantId: `t${i % 10}`, name: `Lead ${i}`, round }, $setOnInsert: { createdAt: '2024-01-01' }, $inc: { updates: 1 } },
              { upsert: true },
            );
          }
          await store.setCheckpoint('bench', round);
        });
      await runBatch(0); // warm-up
      const times: number[] = [];
      for (let round = 1; round <= 5; round++) {
        const started = performance.now();
        await runBatch(round);
        times.push(performance.now() - started);
      }
      const best = Math.min(...times);
      assert.ok(best < 100, `500 upserts took ${best.toFixed(1)} ms`);
      assert.equal(await leads.count({ updates: 6 }), 500);
      await store.close();
    } finally {
      await tmp.remove();
    }
  });

  it('refuses a second owner of the same file', async () => {
    const tmp = await tempDir();
    try {
      const path = join(tmp.dir, 'read.db');
      const store = await EmbeddedReadStore.open({ path });
      await assert.rejects(EmbeddedReadStore.open({ path }), /locked/);
      await store.close();
      const again = await EmbeddedReadStore.open({ path });
      await again.close();
    } finally {
      await tmp.remove();
    }
  });

  it('keeps every acknowledged write when the process is killed with SIGKILL', async () => {
    const tmp = await tempDir();
    const path = join(tmp.dir, 'read.db');
    const modulePath = join(__dirname, 'embedded-read-store.js');
    const child = `
      const { EmbeddedReadStore } = require(${JSON.stringify(modulePath)});
      (async () => {
        const store = await EmbeddedReadStore.open({ path: ${JSON.stringify(path)} });
        const single = store.collection('single');
        const batched = store.collection('batched');
        for (let i = 1; ; i++) {
          await single.insertOne({ _id: 's' + i, i });
          await store.setCheckpoint('single', i);
          await store.batch(async () => {
            for (let j = 0; j < 10; j++) await batched.updateOne({ _id: 'b' + i + '-' + j }, { $set: { i } }, { upsert: true });
            await store.setCheckpoint('batched', i);
          });
          process.stdout.write('ack ' + i + '\\n');
        }
      })();
    `;
    try {
      const proc = spawn(process.execPath, ['-e', child], { stdio: ['ignore', 'pipe', 'inherit'] });
      let lastAck = 0;
      let buffered = '';
      const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
      await new Promise<void>((resolve, reject) => {
        proc.on('error', reject);
        proc.on('exit', () => reject(new Error('child exited before it was killed')));
        proc.stdout.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          for (const line of lines) {
            const n = Number(line.slice(4));
            if (n > lastAck) lastAck = n;
          }
          if (lastAck >= 300 && !proc.killed) {
            proc.kill('SIGKILL');
            resolve();
          }
        });
      });
      assert.equal(await exited, 'SIGKILL');

      const store = await EmbeddedReadStore.open({ path });
      const single = await store.getCheckpoint('single');
      const batched = await store.getCheckpoint('batched');
      assert.ok(single !== null && single >= lastAck, `single checkpoint ${single} < ack ${lastAck}`);
      assert.ok(batched !== null && batched >= lastAck, `batched checkpoint ${batched} < ack ${lastAck}`);
      for (let i = 1; i <= lastAck; i++) assert.ok(await store.collection('single').findOne({ _id: `s${i}` }), `s${i} lost`);
      // a batch and its checkpoint land together: exactly 10 documents per checkpointed batch
      assert.equal(await store.collection('batched').count(), batched * 10);
      assert.ok((await store.collection('single').count()) >= single);
      await store.close();
    } finally {
      await tmp.remove();
    }
  });
});
