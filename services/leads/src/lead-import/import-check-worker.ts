import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AssetInfoSource } from '../lead/lead-operations';
import type { CheckedChunk, ImportCheckOptions } from './import-check';

/** Messages to the worker: ask for the next chunk, or answer an image lookup. */
export type ToWorker =
  | { readonly type: 'more' }
  | { readonly type: 'asset'; readonly id: number; readonly found: { contentType: string; size: number } | null; readonly error?: string };

/** Messages from the worker. */
export type ToParent =
  | { readonly type: 'chunk'; readonly chunk: CheckedChunk }
  | { readonly type: 'done' }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'asset'; readonly id: number; readonly tenantId: string; readonly assetId: string };

/**
 * The worker's young generation: its chunks are short-lived, and the process's memory goal
 * (512 MB for a million-row import) counts this thread's heap too.
 */
const WORKER_YOUNG_GENERATION_MB = 16;

/**
 * `checkedChunks` run in a worker thread: reading the file, parsing CSV or XLSX and checking every
 * row cost the job's own thread nothing but receiving the chunks. The worker is one chunk ahead:
 * it checks the next chunk while the job appends this one. Ending the iteration (a cancel, a
 * stop, a failure) terminates the worker.
 */
export async function* checkedChunksInWorker(options: ImportCheckOptions, assets: AssetInfoSource): AsyncGenerator<CheckedChunk, void, undefined> {
  const worker = new Worker(join(__dirname, 'import-check.worker.js'), {
    workerData: options,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  const inbox: ToParent[] = [];
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const tell = (message: ToWorker) => worker.postMessage(message);
  worker.on('message', (message: ToParent) => {
    if (message.type === 'asset') {
      assets.find(message.tenantId, message.assetId).then(
        (found) => tell({ type: 'asset', id: message.id, found }),
        (error: unknown) => tell({ type: 'asset', id: message.id, found: null, error: error instanceof Error ? error.message : String(error) }),
      );
      return;
    }
    inbox.push(message);
    notify();
  });
  worker.on('error', (error: Error) => {
    failure = error;
    notify();
  });
  worker.on('exit', () => {
    exited = true;
    notify();
  });
  try {
    tell({ type: 'more' });
    for (;;) {
      while (inbox.length === 0 && failure === null && !exited) await new Promise<void>((resolve) => (wake = resolve));
      const message = inbox.shift();
      if (message === undefined) throw failure ?? new Error('the import file reader stopped before the end of the file');
      if (message.type === 'done') return;
      if (message.type === 'failed') throw new Error(message.message);
      if (message.type !== 'chunk') continue;
      // the worker checks the next chunk while this one is appended
      if (message.chunk.end === undefined) tell({ type: 'more' });
      yield message.chunk;
    }
  } finally {
    await worker.terminate();
  }
}
