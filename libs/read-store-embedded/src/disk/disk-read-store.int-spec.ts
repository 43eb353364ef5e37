import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStoreContract } from '@leadstream/read-store/testing';
import { DiskReadStore } from './disk-read-store';

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
