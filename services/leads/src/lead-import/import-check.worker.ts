/**
 * Worker thread reading an import file off the service's main thread: an upload's summary
 * (`summariseFile`), or a job's rows checked (`checkedChunks`) while the job appends the ones
 * before and the projections run. Speaks the protocol of `import-check-worker.ts`: a chunk is sent
 * for every `more` asked; image lookups go to the parent, which owns the asset store.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AssetInfoSource } from '../lead/lead-operations';
import { checkedChunks } from './import-check';
import type { ToParent, ToWorker, WorkerTask } from './import-check-worker';
import { ImportFileError, summariseFile } from './import-file';

const port = parentPort;
if (port === null) throw new Error('import-check.worker must run as a worker thread');

let wanted = 0;
let wake: (() => void) | null = null;
let nextRequest = 0;
const lookups = new Map<number, { resolve: (found: { contentType: string; size: number } | null) => void; reject: (error: Error) => void }>();

port.on('message', (message: ToWorker) => {
  if (message.type === 'more') {
    wanted += 1;
    wake?.();
    return;
  }
  const lookup = lookups.get(message.id);
  lookups.delete(message.id);
  if (message.error !== undefined) lookup?.reject(new Error(message.error));
  else lookup?.resolve(message.found);
});

const assets: AssetInfoSource = {
  find: (tenantId, assetId) =>
    new Promise((resolve, reject) => {
      const id = nextRequest++;
      lookups.set(id, { resolve, reject });
      send({ type: 'asset', id, tenantId, assetId });
    }),
};

function send(message: ToParent): void {
  port!.postMessage(message);
}

async function main(task: WorkerTask): Promise<void> {
  if (task.kind === 'summarise') {
    send({ type: 'summary', summary: await summariseFile(task.path, task.format, task.encoding) });
    return;
  }
  for await (const chunk of checkedChunks(task.options, assets)) {
    while (wanted === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    wanted -= 1;
    send({ type: 'chunk', chunk });
    // sent as a copy: the keys drawn here are not kept in this thread
    for (const row of chunk.rows) if ('sealing' in row) row.sealing?.key.fill(0);
  }
  send({ type: 'done' });
}

main(workerData as WorkerTask).catch((error: unknown) =>
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error), fileError: error instanceof ImportFileError }),
);
