import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import type { CollectionOptions, Sort } from '@leadstream/read-store';
import { readStoreContract } from '@leadstream/read-store/testing';
import { EmbeddedReadStore } from '../embedded-read-store';
import { DiskReadStore } from './disk-read-store';
import { READ_PAGE_SIZE } from '../sqlite-file';

async function tempDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'read-store-disk-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

for (const cacheSize of [20_000, 0]) {
  readStoreContract(`disk (SQLite file, document cache ${cacheSize})`, async () => {
    const tmp = await tempDir();
    const store = await DiskReadStore.open({ path: join(tmp.dir, 'read.db'), cacheSize });
    return {
      store,
      async cleanup() {
        await store.close();
        await tmp.remove();
      },
    };
  });
}

describe('read-model file page size', () => {
  it('makes new files with 8 KB pages; a file made with 4 KB pages opens and keeps them', async () => {
    const tmp = await tempDir();
    try {
      const fresh = join(tmp.dir, 'fresh.db');
      const store = await DiskReadStore.open({ path: fresh });
      await store.collection('c').insertOne({ _id: 'a', n: 1 });
      await store.close();
      const pageSize = (path: string) => {
        const db = new DatabaseSync(path);
        try {
          return (db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size;
        } finally {
          db.close();
        }
      };
      assert.equal(pageSize(fresh), READ_PAGE_SIZE);
      assert.equal(READ_PAGE_SIZE, 8192);

      const old = join(tmp.dir, 'old.db');
      const made = new DatabaseSync(old);
      made.exec('PRAGMA page_size = 4096');
      made.exec('PRAGMA journal_mode = WAL');
      made.close();
      const reopened = await DiskReadStore.open({ path: old });
      await reopened.collection('c').insertOne({ _id: 'b', n: 2 });
      assert.deepEqual(await reopened.collection('c').find({}), [{ _id: 'b', n: 2 }]);
      await reopened.close();
      assert.equal(pageSize(old), 4096);
    } finally {
      await tmp.remove();
    }
  });
});

describe('DiskReadStore and EmbeddedReadStore share one file', () => {
  it('moves a file from disk to memory and back: index tables dropped by the memory store are built again', async () => {
    const tmp = await tempDir();
    const path = join(tmp.dir, 'read.db');
    const options: CollectionOptions = { indexes: [{ keys: { tenantId: 1, n: -1 } }, { keys: { email: 1 }, unique: true }] };
    try {
      const disk = await DiskReadStore.open({ path });
      const docs = Array.from({ length: 300 }, (_, i) => ({ _id: `d${i}`, tenantId: i % 3 === 0 ? 'a' : 'b', n: i, email: `e${i}` }));
      await disk.collection('c', options).insertMany(docs);
      await disk.setCheckpoint('p', 7);
      await disk.close();

      // the memory store changes indexed fields without keeping the disk store's index tables
      const memory = await EmbeddedReadStore.open({ path });
      const c = memory.collection('c', options);
      await c.updateMany({ tenantId: 'a' }, { $set: { tenantId: 'z' } });
      await c.deleteMany({ n: { $lt: 10 } });
      await memory.close();

      const again = await DiskReadStore.open({ path });
      const d = again.collection('c', options);
      const expected = docs.filter((x) => x.n >= 10).map((x) => ({ ...x, tenantId: x.tenantId === 'a' ? 'z' : x.tenantId }));
      const z = await d.find({ tenantId: 'z' }, { sort: { n: -1 }, limit: 5 });
      assert.deepEqual(z.map((x) => x._id), expected.filter((x) => x.tenantId === 'z').sort((x, y) => y.n - x.n).slice(0, 5).map((x) => x._id));
      assert.equal(await d.count({ tenantId: 'a' }), 0);
      assert.equal(await d.count({ tenantId: 'b' }), expected.filter((x) => x.tenantId === 'b').length);
      await assert.rejects(d.insertOne({ _id: 'new', tenantId: 'b', n: 1, email: 'e150' }), { name: 'DuplicateKeyError' });
      assert.equal(await again.getCheckpoint('p'), 7);
      await again.close();
    } finally {
      await tmp.remove();
    }
  });
});

describe('DiskReadStore plans', () => {
  it('reads a large collection in file order when an index would visit most of it, with the same answers', async () => {
    const tmp = await tempDir();
    try {
      const disk = await DiskReadStore.open({ path: join(tmp.dir, 'read.db') });
      const memory = await EmbeddedReadStore.open();
      const options: CollectionOptions = { indexes: [{ keys: { tenantId: 1, n: -1 } }] };
      // 'big' holds 90 % of 25,000 documents: its index range is most of the collection
      const docs = Array.from({ length: 25_000 }, (_, i) => ({ _id: `d${i}`, tenantId: i % 10 === 0 ? 'small' : 'big', n: i, m: (i * 7919) % 1000 }));
      for (const store of [disk, memory]) await store.collection('c', options).insertMany(docs);
      for (const filter of [{ tenantId: 'big', m: { $lt: 10 } }, { tenantId: 'small', m: { $lt: 100 } }, { tenantId: 'big' }]) {
        const sorts: Sort[] = [{ m: 1, _id: 1 }, { n: -1 }];
        for (const sort of sorts) {
          const [a, b] = await Promise.all([disk, memory].map((s) => s.collection('c', options).findPage(filter, { sort, limit: 20 })));
          assert.deepEqual(a, b, JSON.stringify({ filter, sort }));
        }
        const [x, y] = await Promise.all([disk, memory].map((s) => s.collection('c', options).count(filter)));
        assert.equal(x, y);
      }
      await disk.close();
      await memory.close();
    } finally {
      await tmp.remove();
    }
  });
});
