// Batch status change (LEAD-6) of BENCH_BATCH_LEADS leads (default 100,000) on the embedded host,
// selected by the list filter: time from the request to the batch's completion, leads/s, and the
// projection catch-up after it (until the list shows every lead in the new status).
// Raw baseline in the same run: appending the same number of status-change events straight to a
// SQLite event store (same synchronous setting and concurrency), with no HTTP, checks or reads.
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, round, startBenchHost } from './lib.mjs';

const require = createRequire(import.meta.url);
const { SqliteEventStore } = require('@leadstream/event-store-sqlite');

const N = Number(process.env.BENCH_BATCH_LEADS ?? 100_000);
const QUALIFIED = '00000000-0000-4000-8000-000000000003';
const CONCURRENCY = 16;

async function seed(host) {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < N; i = next++) {
      await api(host, 'POST', '/v1/leads', { name: `Batch ${i}`, phone: `139${String(i).padStart(8, '0')}`, source: 'bench-batch' });
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
}

async function rawAppends(count) {
  const dir = await mkdtemp(join(tmpdir(), 'leadstream-batch-raw-'));
  const store = new SqliteEventStore({ path: join(dir, 'events.db') });
  const tenantId = randomUUID();
  const streams = Array.from({ length: count }, () => `leads.lead-${randomUUID()}`);
  // each lead already has its creation event, as in the real run
  for (let i = 0; i < count; i += 500) {
    await Promise.all(streams.slice(i, i + 500).map((s) => store.appendToStream(s, [{ type: 'leads.LeadCreated', data: { x: 1 }, metadata: { tenantId, correlationId: 'raw' } }], { expectedRevision: 'no_stream' })));
  }
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      await store.appendToStream(streams[i], [{ type: 'leads.LeadStatusChanged', data: { statusId: QUALIFIED }, metadata: { tenantId, correlationId: 'raw' } }], { expectedRevision: 0 });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - t0) / 1000;
  await store.close();
  await rm(dir, { recursive: true, force: true });
  return count / seconds;
}

export async function benchLeadBatch() {
  const rawPerSec = await rawAppends(N);
  const host = await startBenchHost();
  try {
    const s0 = performance.now();
    await seed(host);
    const seedSeconds = (performance.now() - s0) / 1000;
    // the list must hold every lead before the filter selects them
    for (;;) {
      const page = await api(host, 'GET', '/v1/leads?source=bench-batch&limit=1');
      if (page.total === N) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const t0 = performance.now();
    const accepted = await api(host, 'POST', '/v1/lead-batches', {
      operation: 'setStatus',
      statusId: QUALIFIED,
      filter: { conditions: [{ field: 'source', op: 'anyOf', value: ['bench-batch'] }] },
    });
    const acceptedMs = performance.now() - t0;
    let batch;
    for (;;) {
      batch = await api(host, 'GET', `/v1/lead-batches/${accepted.id}`);
      if (batch.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const batchSeconds = (performance.now() - t0) / 1000;
    const c0 = performance.now();
    for (;;) {
      const page = await api(host, 'POST', '/v1/leads/search', { conditions: [{ field: 'status', op: 'equals', value: QUALIFIED }], limit: 1 });
      if (page.total === N) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const catchUpMs = performance.now() - c0;
    const leadsPerSec = N / batchSeconds;
    const out = {
      bench: 'lead-batch',
      leads: N,
      seedSeconds: round(seedSeconds, 1),
      acceptedMs: round(acceptedMs, 0),
      batchSeconds: round(batchSeconds, 1),
      leadsPerSec: round(leadsPerSec, 0),
      applied: batch.applied,
      failed: batch.failed,
      projectionCatchUpAfterCompletionMs: round(catchUpMs, 0),
      rawAppendsPerSec: round(rawPerSec, 0),
      ratio: round(leadsPerSec / rawPerSec, 3),
    };
    console.log(
      `batch setStatus of ${N} leads: accepted in ${out.acceptedMs} ms, completed in ${out.batchSeconds} s (${out.leadsPerSec} leads/s; applied ${batch.applied}, failed ${batch.failed}); list caught up ${out.projectionCatchUpAfterCompletionMs} ms later; raw appends ${out.rawAppendsPerSec}/s → ratio ${out.ratio}`,
    );
    console.log(JSON.stringify(out));
    return out;
  } finally {
    await host.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchLeadBatch();
