import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AssetInfoSource } from '../lead/lead-operations';
import type { CheckedChunk, ImportCheckOptions } from './import-check';
import { ImportFileError, type FileSummary } from './import-file';
import type { ImportEncoding, ImportFormat } from './domain/lead-import.events';

/** What a worker is started for. */
export type WorkerTask =
  | { readonly kind: 'check'; readonly options: ImportCheckOptions }
  | { readonly kind: 'summarise'; readonly path: string; readonly format: ImportFormat; readonly encoding: ImportEncoding | null };

/** Messages to the worker: ask for the next chunk, or answer an image lookup. */
export type ToWorker =
  | { readonly type: 'more' }
  | { readonly type: 'asset'; readonly id: number; readonly found: { contentType: string; size: number } | null; readonly error?: string };

/** Messages from the worker. */
export type ToParent =
  | { readonly type: 'chunk'; readonly chunk: CheckedChunk }
  | { readonly type: 'done' }
  | { readonly type: 'summary'; readonly summary: FileSummary }
  /** `fileError`: the file's own fault (an ImportFileError), not the machine's. */
  | { readonly type: 'failed'; readonly message: string; readonly fileError: boolean }
  | { readonly type: 'asset'; readonly id: number; readonly tenantId: string; readonly assetId: string };

/**
 * The worker's young generation when the process sets none: its chunks are short-lived, and the
 * process's memory goal (512 MB for a million-row import) counts this thread's heap too. V8's
 * `--max-semi-space-size` (which `npm start` sets) wins over it: the worker then gets the main
 * thread's young generation.
 */
const WORKER_YOUNG_GENERATION_MB = 16;

/**
 * `checkedChunks` run in a worker thread: reading the file, parsing CSV or XLSX and checking every
 * row cost the job's own thread nothing but receiving the chunks. The worker is one chunk ahead:
 * it checks the next chunk while the job appends this one. Ending the iteration (a cancel, a
 * stop, a failure) terminates the worker.
 */
export async function* checkedChunksInWorker(options: ImportCheckOptions, assets: AssetInfoSource): AsyncGenerator<CheckedChunk, void, undefined> {
  const worker = startWorker({ kind: 'check', options });
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
      if (message.type === 'failed') throw reportedError(message);
      if (message.type !== 'chunk') continue;
      // the worker checks the next chunk while this one is appended
      if (message.chunk.end === undefined) tell({ type: 'more' });
      yield message.chunk;
    }
  } finally {
    await worker.terminate();
  }
}

function startWorker(task: WorkerTask): Worker {
  return new Worker(join(__dirname, 'import-check.worker.js'), {
    workerData: task,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
}

/** The error a worker reported: a file's fault stays an ImportFileError. */
function reportedError(message: { readonly message: string; readonly fileError: boolean }): Error {
  return message.fileError ? new ImportFileError(message.message) : new Error(message.message);
}

/** `summariseFile` in a worker thread: parsing a large upload to its end costs the service's thread nothing. */
export function summariseFileInWorker(path: string, format: ImportFormat, encoding: ImportEncoding | null): Promise<FileSummary> {
  return new Promise<FileSummary>((resolve, reject) => {
    const worker = startWorker({ kind: 'summarise', path, format, encoding });
    let settled = false;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      done();
      void worker.terminate();
    };
    worker.on('message', (message: ToParent) => {
      if (message.type === 'summary') settle(() => resolve(message.summary));
      else if (message.type === 'failed') settle(() => reject(reportedError(message)));
    });
    worker.on('error', (error: Error) => settle(() => reject(error)));
    worker.on('exit', () => settle(() => reject(new Error('the import file reader stopped before it summarised the file'))));
  });
}
