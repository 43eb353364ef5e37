// POST /v1/leads on the embedded host at 64 concurrent connections: requests/s, p50, p99.
// Raw baseline in the same run: a bare Fastify route that parses the same JSON body and answers
// 201 — the HTTP floor on this machine. Goal: ≥ 2,000 creates/s with p99 ≤ 50 ms.
import autocannon from 'autocannon';
import { join } from 'node:path';
import { round, startBenchHost, startServerProcess } from './lib.mjs';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const duration = Number(process.env.BENCH_SECONDS ?? 10);
const body = JSON.stringify({ name: 'Han Meimei', phone: '+86 138 0013 8000', email: 'han@example.com', source: 'expo', tags: ['vip', 'expo-2026'] });

function run(url, headers) {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, method: 'POST', connections, duration, headers: { 'content-type': 'application/json', ...headers }, body },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

export async function benchCreateLeads() {
  const raw = await startServerProcess(join(import.meta.dirname, 'raw-fastify-server.mjs'));
  const rawResult = await run(`${raw.url}/v1/leads`, {});
  await raw.stop();

  const bench = await startBenchHost();
  // warm up (JIT, SQLite page cache)
  await run(`${bench.url}/v1/leads`, { authorization: `Bearer ${bench.token}` }).catch(() => undefined);
  const result = await run(`${bench.url}/v1/leads`, { authorization: `Bearer ${bench.token}` });
  await bench.stop();

  const non2xx = result.non2xx + result.errors;
  const out = {
    bench: 'http-create-leads',
    connections,
    durationSeconds: duration,
    createsPerSec: round(result.requests.average, 0),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx,
    rawPerSec: round(rawResult.requests.average, 0),
    rawP99Ms: rawResult.latency.p99,
    ratio: round(result.requests.average / rawResult.requests.average, 3),
    goal: 'createsPerSec >= 2000 and p99Ms <= 50',
    goalMet: result.requests.average >= 2000 && result.latency.p99 <= 50 && non2xx === 0,
  };
  console.log(`POST /v1/leads @${connections} conns: ${out.createsPerSec}/s p50 ${out.p50Ms} ms p99 ${out.p99Ms} ms (non-2xx ${non2xx}); raw fastify ${out.rawPerSec}/s → ratio ${out.ratio}`);
  console.log(JSON.stringify(out));
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCreateLeads();
