import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EmbeddedReadStore } from '@leadstream/read-store-embedded';
import { CollectionLeadKeyStore, LEAD_KEYS_COLLECTION } from './collection-lead-key-store';
import { LEAD_KEY_BYTES, type LeadKeyStore } from './lead-key-store.port';
import { SqliteLeadKeyStore } from './sqlite-lead-key-store';

/** Opens a key store over storage that outlives it: a second one sees the same keys with an empty cache. */
type Open = () => Promise<LeadKeyStore>;

const adapters: [string, (dir: string) => { open: Open; close(): Promise<void> }][] = [
  ['SQLite file', (dir) => ({ open: () => Promise.resolve(new SqliteLeadKeyStore(join(dir, 'keys.db'))), close: () => Promise.resolve() })],
  [
    'document collection',
    (dir) => {
      const store = EmbeddedReadStore.open({ path: join(dir, 'read.db') });
      return {
        open: async () => CollectionLeadKeyStore.over((await store).collection(LEAD_KEYS_COLLECTION)),
        close: async () => (await store).close(),
      };
    },
  ],
];

for (const [name, make] of adapters) {
  describe(`LeadKeyStore: ${name}`, () => {
    it('creates a key once: a retried creation (a resumed import) gets the existing key, never a new one', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'leadstream-keys-'));
      const storage = make(dir);
      const opened: LeadKeyStore[] = [];
      const open = async () => {
        const s = await storage.open();
        opened.push(s);
        return s;
      };
      try {
        const first = await open();
        assert.equal(await first.keyFor('lead-1', 't1', false), null, 'no key before creation');
        const key = await first.keyFor('lead-1', 't1', true);
        assert.ok(key !== null && key.length === LEAD_KEY_BYTES);
        const copy = Buffer.from(key);
        assert.deepEqual(await first.keyFor('lead-1', 't1', true), copy);

        // another instance: nothing cached, the key comes from storage
        const second = await open();
        assert.deepEqual(await second.keyFor('lead-1', 't1', true), copy, 'creating again keeps the stored key');
        assert.deepEqual(await second.keyFor('lead-1', 't1', false), copy);

        // concurrent creations of one lead agree
        const [a, b] = await Promise.all([second.keyFor('lead-2', 't1', true), (await open()).keyFor('lead-2', 't1', true)]);
        assert.ok(a !== null && b !== null);
        assert.deepEqual(a, b);
        // readers that miss the cache at once (projections after a restart) each get a usable key:
        // the copy handed to the first is not spoiled when the second is cached
        const reader = await open();
        const [r1, r2] = await Promise.all([reader.keyFor('lead-2', 't1', false), reader.keyFor('lead-2', 't1', false)]);
        assert.deepEqual(r1, a);
        assert.deepEqual(r2, a);

        await second.destroy('lead-1');
        assert.equal(await (await open()).keyFor('lead-1', 't1', false), null, 'a destroyed key is gone');
        assert.equal(await second.keyFor('lead-1', 't1', false), null, 'and not kept in the cache');
      } finally {
        for (const s of opened) await s.close();
        await storage.close();
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('creates a lead with the key proposed (drawn by the thread that sealed with it); a lead with a key keeps its own; a key of the wrong size is refused', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'leadstream-keys-'));
      const storage = make(dir);
      const first = await storage.open();
      let second: LeadKeyStore | null = null;
      try {
        const proposed = randomBytes(LEAD_KEY_BYTES);
        const copy = Buffer.from(proposed);
        assert.deepEqual(await first.keyFor('lead-p', 't1', true, proposed), copy);
        assert.deepEqual(proposed, copy, "the caller's buffer is left as it was");
        second = await storage.open();
        assert.deepEqual(await second.keyFor('lead-p', 't1', false), copy, 'stored, not only cached');
        const other = randomBytes(LEAD_KEY_BYTES);
        assert.deepEqual(await second.keyFor('lead-p', 't1', true, other), copy, 'an existing key wins over a proposed one');
        await assert.rejects(first.keyFor('lead-q', 't1', true, randomBytes(16)), /32 bytes/);
        assert.equal(await first.keyFor('lead-q', 't1', false), null);
      } finally {
        await first.close();
        await second?.close();
        await storage.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
