// Projection rebuild (drop + replay of the leads projections: list + trend counts), in events/s,
// on the embedded read store and — when MONGODB_URL is set — on MongoDB (FerretDB here). Raw
// baseline in the same run: reading the same log through the same event store, doing nothing.
import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { round } from './lib.mjs';

const require = createRequire(import.meta.url);
require('reflect-metadata');
const { streamIdOf } = require('@leadstream/event-sourcing');
const { SqliteEventStore } = require('@leadstream/event-store-sqlite');
const { ProjectorRunner } = require('@leadstream/read-store');
const { EmbeddedReadStore } = require('@leadstream/read-store-embedded');
const { leadsProjections, SealingEventStore, SqliteLeadKeyStore } = require('@leadstream/leads');

const total = Number(process.env.BENCH_REBUILD_EVENTS ?? 50_000);
const mongoTotal = Number(process.env.BENCH_REBUILD_MONGO_EVENTS ?? 10_000);

/** The leads service's view of its log: personal data sealed per lead, opened on every read (as in production). */
function sealed(path) {
  const keys = new SqliteLeadKeyStore(`${path}.keys`);
  const store = new SealingEventStore(new SqliteEventStore({ path, synchronous: 'normal' }), keys);
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    await store.inner.close();
    await keys.close();
  };
  return store;
}

async function seed(path, count) {
  const store = sealed(path);
  const start = Date.UTC(2026, 0, 1);
  const pending = [];
  for (let i = 0; i < count; i++) {
    const leadId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const tenant = `tenant-${i % 20}`;
    pending.push(
      store.appendToStream(
        streamIdOf('leads.lead', leadId),
        [{ type: 'leads.LeadCreated', data: { leadId, enterpriseId: tenant, personal: { name: `Lead ${i}`, phone: `138${String(i).padStart(8, '0')}`, qq: null, email: `lead${i}@example.com`, company: 'Acme', title: null, fields: {} }, source: i % 3 ? 'web' : 'expo', activityId: null, statusId: '00000000-0000-4000-8000-000000000001', ownerId: null, tags: ['vip'], createdBy: 'm', createdAt: new Date(start + i * 60_000).toISOString() }, metadata: { tenantId: tenant, correlationId: 'bench' } }],
        { expectedRevision: 'no_stream' },
      ),
    );
    if (pending.length === 1000) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return store;
}

async function rawRead(store) {
  const t0 = performance.now();
  let after = 0;
  let n = 0;
  for (;;) {
    const batch = await store.readAll({ after, maxCount: 500, categories: ['leads.lead'] });
    if (batch.length === 0) break;
    n += batch.length;
    after = batch[batch.length - 1].position;
  }
  return n / ((performance.now() - t0) / 1000);
}

async function rebuild(store, readStore, count) {
  const runner = new ProjectorRunner(store, readStore, leadsProjections);
  const t0 = performance.now();
  await runner.start();
  const seconds = (performance.now() - t0) / 1000;
  await runner.stop();
  return count / seconds;
}

const dir = await mkdtemp(join(tmpdir(), 'leadstream-rebuild-'));
try {
  const store = await seed(join(dir, 'events.db'), total);
  const rawPerSec = await rawRead(store.inner);
  const embedded = await EmbeddedReadStore.open({ path: join(dir, 'read.db') });
  const embeddedPerSec = await rebuild(store, embedded, total);
  await embedded.close();
  const out = { bench: 'projection-rebuild', events: total, rawReadPerSec: round(rawPerSec, 0), embeddedPerSec: round(embeddedPerSec, 0), embeddedRatio: round(embeddedPerSec / rawPerSec, 3) };
  await store.close();
  if (process.env.MONGODB_URL) {
    const { MongoReadStore } = require('@leadstream/read-store-mongo');
    const small = await seed(join(dir, 'events-mongo.db'), mongoTotal);
    const rawSmall = await rawRead(small.inner);
    const dbName = `bench_rebuild_${Date.now()}`;
    const mongo = await MongoReadStore.connect({ url: process.env.MONGODB_URL, dbName });
    const mongoPerSec = await rebuild(small, mongo, mongoTotal);
    await mongo.dropDatabase?.();
    await mongo.close();
    await small.close();
    Object.assign(out, { mongoEvents: mongoTotal, mongoPerSec: round(mongoPerSec, 0), mongoRawReadPerSec: round(rawSmall, 0), mongoRatio: round(mongoPerSec / rawSmall, 4) });
  } else {
    out.mongo = 'skipped: MONGODB_URL is not set (npm run infra:up)';
  }
  console.log(`rebuild of the leads projections: embedded ${out.embeddedPerSec} events/s vs raw log read ${out.rawReadPerSec}/s (ratio ${out.embeddedRatio})` + (out.mongoPerSec ? `; MongoDB ${out.mongoPerSec} events/s (ratio ${out.mongoRatio})` : ''));
  console.log(JSON.stringify(out));
} finally {
  await rm(dir, { recursive: true, force: true });
}
