// Append throughput of SqliteEventStore (group commit) against raw node:sqlite inserts of the
// same rows, measured in the same run, for synchronous=full (the default) and =normal.
//
//   npm run build && node tools/bench/event-store-append.bench.mjs
//
// Adapter: APPENDERS concurrent callers, EVENTS one-event appends in all, in two scenarios:
// `own-stream` (headline): each appender writes its own stream with its exact expected revision
// (what a command handler does); `new-streams`: every append creates a stream (`no_stream`).
// Raw baseline: the same rows (same ids, JSON texts, stream ids, revisions), pre-serialized,
// inserted with one reused prepared INSERT into the same schema with the same pragmas, in
// BEGIN IMMEDIATE … COMMIT transactions of the adapter's observed average group size. The raw
// side does no revision check, no JSON/UUID work and no promise resolution: it is the floor.
//
// Env: BENCH_EVENTS (default 20000), BENCH_APPENDERS (64), BENCH_DIR (default os.tmpdir()).
// Prints human-readable lines, then one JSON line {"bench":"event-store-append", "adapterPerSec",
// "rawPerSec", "ratio", …} whose top-level figures are own-stream with synchronous=full; the
// other combinations are nested (`normal`, `newStreams`). Best of ROUNDS runs for each side.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SqliteEventStore } from '@leadstream/event-store-sqlite';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const APPENDERS = Number(process.env.BENCH_APPENDERS ?? 64);
const ROUNDS = 3; // best of ROUNDS for each side, alternating adapter and raw
const baseDir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'leadstream-bench-es-'));
let dbCounter = 0;
const freshPath = () => join(baseDir, `events-${++dbCounter}.db`);

const metadata = { tenantId: 'tenant-7f3a', correlationId: randomUUID(), causationId: randomUUID(), actor: 'member-42' };

/** Same payload shape and size for both sides (~300 bytes of JSON data). */
function payload(w, k) {
  return {
    leadId: `lead-${w}-${k}`,
    email: `someone.${w}.${k}@example.com`,
    name: { first: 'Zoë', last: 'Ångström' },
    source: 'webinar-2025-q3',
    score: (w * 31 + k) % 100,
    tags: ['b2b', 'saas', 'emea'],
    consent: { marketing: true, at: '2025-06-01T10:00:00.000Z' },
  };
}

/**
 * scenario `own-stream`: each appender appends to its own stream with the exact expected revision.
 * scenario `new-streams`: every append creates a new stream (`no_stream`), like creating aggregates.
 */
async function runAdapter(synchronous, scenario) {
  const path = freshPath();
  const store = new SqliteEventStore({ path, synchronous });
  const perAppender = Math.ceil(EVENTS / APPENDERS);
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: APPENDERS }, async (_, w) => {
      let expectedRevision = 'no_stream';
      for (let k = 0; k < perAppender && w + k * APPENDERS < EVENTS; k++) {
        const streamId = scenario === 'own-stream' ? `benchmark.lead-${w}` : `benchmark.lead-${w}x${k}`;
        const r = await store.appendToStream(
          streamId,
          [{ type: 'leads.LeadCaptured', data: payload(w, k), metadata }],
          { expectedRevision },
        );
        if (scenario === 'own-stream') expectedRevision = r.nextExpectedRevision;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const stats = store.stats;
  // Collect the rows as stored, to feed the raw baseline the very same data.
  const rows = new DatabaseSync(path, { readOnly: true })
    .prepare('SELECT id, stream_id, category, revision, type, data, metadata, recorded_at FROM events ORDER BY position')
    .all();
  await store.close();
  if (stats.events !== EVENTS || rows.length !== EVENTS) throw new Error(`expected ${EVENTS} events, got ${stats.events}/${rows.length}`);
  return { perSec: EVENTS / seconds, seconds, groups: stats.groups, avgGroup: stats.events / stats.groups, rows };
}

function runRaw(synchronous, rows, groupSize) {
  // Same schema: let the adapter create the file, then write it with a plain connection.
  const path = freshPath();
  const init = new SqliteEventStore({ path, synchronous });
  return init.close().then(() => {
    const db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec(`PRAGMA synchronous = ${synchronous.toUpperCase()}`);
    db.exec('PRAGMA cache_size = -32000');
    const insert = db.prepare(
      'INSERT INTO events (id, stream_id, category, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const begin = db.prepare('BEGIN IMMEDIATE');
    const commit = db.prepare('COMMIT');
    const start = process.hrtime.bigint();
    for (let i = 0; i < rows.length; ) {
      const end = Math.min(rows.length, i + groupSize);
      begin.run();
      for (; i < end; i++) {
        const r = rows[i];
        insert.run(r.id, r.stream_id, r.category, r.revision, r.type, r.data, r.metadata, r.recorded_at);
      }
      commit.run();
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    db.close();
    return { perSec: rows.length / seconds, seconds };
  });
}

async function measure(synchronous, scenario) {
  let best = null;
  let bestRaw = null;
  for (let round = 0; round < ROUNDS; round++) {
    const adapter = await runAdapter(synchronous, scenario);
    if (!best || adapter.perSec > best.perSec) best = adapter;
    const groupSize = Math.max(1, Math.round(adapter.avgGroup));
    const raw = await runRaw(synchronous, adapter.rows, groupSize);
    if (!bestRaw || raw.perSec > bestRaw.perSec) bestRaw = { ...raw, groupSize };
  }
  return { adapter: best, raw: bestRaw, ratio: best.perSec / bestRaw.perSec };
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const summary = (m) => ({
  adapterPerSec: Math.round(m.adapter.perSec),
  rawPerSec: Math.round(m.raw.perSec),
  ratio: Number(m.ratio.toFixed(3)),
  avgGroupSize: Number(m.adapter.avgGroup.toFixed(1)),
  rawTxSize: m.raw.groupSize,
});

try {
  // Warm up the JIT on both paths (small run, results discarded).
  {
    const a = await runAdapter('normal', 'own-stream');
    await runRaw('normal', a.rows.slice(0, 2000), 64);
  }
  const results = {};
  for (const scenario of ['own-stream', 'new-streams']) {
    for (const synchronous of ['full', 'normal']) {
      const m = await measure(synchronous, scenario);
      results[`${scenario}/${synchronous}`] = m;
      const tag = `event-store-append [${scenario}, synchronous=${synchronous}]`;
      console.log(
        `${tag} adapter ${fmt(m.adapter.perSec)} appends/s ` +
          `(${EVENTS} one-event appends, ${APPENDERS} concurrent appenders, ${m.adapter.groups} commits, avg group ${m.adapter.avgGroup.toFixed(1)})`,
      );
      console.log(
        `${tag} raw     ${fmt(m.raw.perSec)} rows/s ` +
          `(same rows pre-serialized, prepared INSERT, one BEGIN IMMEDIATE…COMMIT per ${m.raw.groupSize} rows = observed avg group size)`,
      );
      console.log(`${tag} ratio adapter/raw ${m.ratio.toFixed(3)} (goal >= 0.7)`);
    }
  }
  // Headline: own-stream, synchronous=full (the default).
  console.log(
    JSON.stringify({
      bench: 'event-store-append',
      ...summary(results['own-stream/full']),
      synchronous: 'full',
      scenario: 'own-stream',
      events: EVENTS,
      appenders: APPENDERS,
      rounds: ROUNDS,
      normal: summary(results['own-stream/normal']),
      newStreams: { full: summary(results['new-streams/full']), normal: summary(results['new-streams/normal']) },
    }),
  );
} finally {
  rmSync(baseDir, { recursive: true, force: true });
}
