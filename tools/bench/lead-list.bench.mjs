// Lead list search (LEAD-9) at scale: one custom-field filter (integer range, ~20 % of the leads)
// and a sort on another custom field (a date, descending), first page and the page after it, over
// BENCH_LIST_LEADS leads (default 1,000,000) in one enterprise on both embedded read stores (every
// document in memory; DiskReadStore, documents in a SQLite file, the host's default), and over
// BENCH_LIST_MONGO_LEADS (default 20,000: FerretDB 1.24 on its SQLite backend answers these queries much more slowly than MongoDB would) on MongoDB / FerretDB when MONGODB_URL is set.
// Measured: the real query handler (filter compiled against the schema, find with keyset cursor,
// total count, lead views) — p50 / p95 over BENCH_LIST_SAMPLES runs.
// Raw baselines from the same run: embedded — a hand-written loop over a plain array of the same
// documents doing the same predicate, count and top-k by (date, id); MongoDB — the driver's own
// find + countDocuments with the equivalent hand-written filter (no compilation, no views).
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, round } from './lib.mjs';

const require = createRequire(import.meta.url);
const { DiskReadStore, EmbeddedReadStore } = require('@leadstream/read-store-embedded');
const { MongoReadStore } = require('@leadstream/read-store-mongo');
const { SearchLeadsHandler } = require('../../services/leads/dist/lead-filter/search-leads/search-leads.handler.js');
const { SearchLeadsQuery } = require('../../services/leads/dist/lead-filter/search-leads/search-leads.query.js');
const { LEAD_LIST_COLLECTION, leadListCollectionOptions } = require('../../services/leads/dist/lead/projections/lead-list/lead-list.schema.js');

const N = Number(process.env.BENCH_LIST_LEADS ?? 1_000_000);
const N_MONGO = Number(process.env.BENCH_LIST_MONGO_LEADS ?? 20_000);
const SAMPLES = Number(process.env.BENCH_LIST_SAMPLES ?? 30);
const LIMIT = 50;
const TENANT = '00000000-0000-4000-8000-0000000000aa';
const OTHER = '00000000-0000-4000-8000-0000000000bb';
const STATUS = '00000000-0000-4000-8000-000000000001';
const TYPES = ['integer', 'date', 'text', 'real', 'text', 'integer', 'date', 'text', 'real', 'text'];
const FIELDS = TYPES.map((type, i) => ({
  id: `00000000-0000-4000-8000-00000000f${String(i).padStart(3, '0')}`,
  key: i === 0 ? 'budget' : i === 1 ? 'visit' : `f${i}`,
  label: `Field ${i}`,
  type,
  required: false,
  hidden: false,
  deleted: false,
  attributes: {},
}));
const SCHEMA = { enterpriseId: TENANT, systemFields: [], customFields: FIELDS, revision: 0 };
const BUDGET = FIELDS[0].id;
const VISIT = FIELDS[1].id;

function doc(i, tenantId) {
  const fields = {};
  FIELDS.forEach((f, j) => {
    if ((i + j) % 10 === 9) return; // some values missing
    if (f.type === 'integer') fields[f.id] = (i * 7919 + j) % 1000;
    else if (f.type === 'real') fields[f.id] = ((i * 31 + j) % 10000) / 100;
    else if (f.type === 'date') fields[f.id] = new Date(Date.UTC(2024, 0, 1) + ((i * 104729 + j) % 1000) * 86_400_000).toISOString().slice(0, 10);
    else fields[f.id] = `value ${(i + j) % 5000}`;
  });
  const at = new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString();
  return {
    _id: `${tenantId === TENANT ? 'a' : 'b'}${String(i).padStart(11, '0')}-0000-4000-8000-000000000000`,
    tenantId,
    name: `Lead ${i}`,
    phone: `139${String(i).padStart(8, '0')}`,
    qq: null,
    email: `lead${i}@example.com`,
    company: `Company ${i % 997}`,
    title: null,
    source: i % 3 === 0 ? 'expo' : 'web',
    activityId: null,
    ownerId: null,
    statusId: STATUS,
    tags: i % 5 === 0 ? ['vip'] : [],
    score: null,
    fields,
    createdBy: TENANT,
    createdAt: at,
    updatedAt: at,
    searchText: `lead ${i} company ${i % 997}`,
    position: i,
  };
}

function generate(n) {
  const docs = new Array(n);
  for (let i = 0; i < n; i++) docs[i] = doc(i, TENANT);
  const others = Array.from({ length: Math.ceil(n / 100) }, (_, i) => doc(i, OTHER));
  return { docs, others };
}

const search = (cursor) => ({
  filters: [{ definition: { conditions: [{ field: 'budget', op: 'between', value: [200, 399] }] }, prefix: '' }],
  sort: { field: 'visit', direction: 'desc' },
  sortPrefix: '',
  columnsPrefix: '',
  limit: LIMIT,
  ...(cursor ? { cursor } : {}),
});

async function time(samples, fn) {
  for (let i = 0; i < 3; i++) await fn(); // warm-up
  const ms = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: round(percentile(ms, 50), 1), p95: round(percentile(ms, 95), 1) };
}

/** The least work any unindexed store must do: one pass with the predicate, a count and a top-k. */
function rawQuery(docs, after) {
  const top = [];
  let total = 0;
  const before = (x, y) => {
    const a = x.fields[VISIT] ?? null;
    const b = y.fields[VISIT] ?? null;
    if (a !== b) return a === null ? false : b === null ? true : a > b;
    return x._id > y._id;
  };
  for (const d of docs) {
    if (d.tenantId !== TENANT) continue;
    const v = d.fields[BUDGET];
    if (typeof v !== 'number' || v < 200 || v > 399) continue;
    total++;
    if (after && !before(after, d)) continue;
    if (top.length === LIMIT + 1 && !before(d, top[LIMIT])) continue;
    let k = top.length === LIMIT + 1 ? LIMIT : top.length;
    top[k] = d;
    while (k > 0 && before(top[k], top[k - 1])) {
      [top[k], top[k - 1]] = [top[k - 1], top[k]];
      k--;
    }
  }
  return { items: top.slice(0, LIMIT), total };
}

async function runHandler(store, label, n, raw) {
  const handler = new SearchLeadsHandler(store, { get: async () => SCHEMA });
  const first = await handler.execute(new SearchLeadsQuery(TENANT, search()));
  const second = await handler.execute(new SearchLeadsQuery(TENANT, search(first.nextCursor)));
  const page1 = await time(SAMPLES, () => handler.execute(new SearchLeadsQuery(TENANT, search())));
  const page2 = await time(SAMPLES, () => handler.execute(new SearchLeadsQuery(TENANT, search(first.nextCursor))));
  const rawFirst = await raw.first();
  if (rawFirst.total !== first.total) throw new Error(`${label}: totals differ: handler ${first.total}, raw ${rawFirst.total}`);
  const rawIds = rawFirst.items.map((d) => d._id);
  if (JSON.stringify(rawIds) !== JSON.stringify(first.items.map((l) => l.id))) throw new Error(`${label}: first pages differ from the raw baseline`);
  const rawSecond = await raw.second(first.items[first.items.length - 1]);
  if (JSON.stringify(rawSecond.items.map((d) => d._id)) !== JSON.stringify(second.items.map((l) => l.id))) throw new Error(`${label}: second pages differ`);
  const raw1 = await time(SAMPLES, raw.first);
  const out = {
    bench: 'lead-list',
    store: label,
    leads: n,
    matching: first.total,
    page1,
    page2,
    rawP50: raw1.p50,
    rawP95: raw1.p95,
    ratioP50: round(page1.p50 / raw1.p50, 2),
    ratioP95: round(page1.p95 / raw1.p95, 2),
  };
  console.log(
    `${label}: ${n} leads, filter budget 200–399 (${first.total} match), sort visit desc, ${LIMIT} per page: first page p50 ${page1.p50} ms / p95 ${page1.p95} ms, next page p50 ${page2.p50} / p95 ${page2.p95} ms; raw baseline p50 ${raw1.p50} / p95 ${raw1.p95} ms → ratio p50 ${out.ratioP50}, p95 ${out.ratioP95}`,
  );
  console.log(JSON.stringify(out));
  return out;
}

/** `label` 'embedded' (every document in memory) or 'disk' (DiskReadStore on a temporary file, the host's default). */
async function embedded(label) {
  const { docs, others } = generate(N);
  const dir = label === 'disk' ? await mkdtemp(join(tmpdir(), 'bench-lead-list-')) : null;
  const store = dir ? await DiskReadStore.open({ path: join(dir, 'read.db') }) : await EmbeddedReadStore.open();
  try {
    const leads = store.collection(LEAD_LIST_COLLECTION, leadListCollectionOptions);
    const t0 = performance.now();
    for (let i = 0; i < docs.length; i += 10_000) await leads.insertMany(docs.slice(i, i + 10_000));
    await leads.insertMany(others);
    console.log(`${label}: loaded ${N + others.length} lead-list documents in ${round((performance.now() - t0) / 1000, 1)} s`);
    const all = [...docs, ...others];
    const toDoc = (view) => all.find((d) => d._id === view.id) ?? docs.find((d) => d._id === view._id);
    return await runHandler(store, label, N, {
      first: async () => rawQuery(all),
      second: async (lastView) => rawQuery(all, toDoc(lastView)),
    });
  } finally {
    await store.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

async function mongo(url) {
  const { docs, others } = generate(N_MONGO);
  const store = await MongoReadStore.connect({ url, dbName: `leadstream_bench_list_${randomBytes(4).toString('hex')}` });
  try {
    const leads = store.collection(LEAD_LIST_COLLECTION, leadListCollectionOptions);
    const t0 = performance.now();
    for (let i = 0; i < docs.length; i += 5_000) await leads.insertMany(docs.slice(i, i + 5_000));
    await leads.insertMany(others);
    console.log(`mongodb: loaded ${N_MONGO + others.length} lead-list documents in ${round((performance.now() - t0) / 1000, 1)} s`);
    const native = store.connection.db.collection(LEAD_LIST_COLLECTION);
    const where = { tenantId: TENANT, [`fields.${BUDGET}`]: { $gte: 200, $lte: 399 } };
    const nativeQuery = async (after) => {
      const filter = after
        ? { $and: [where, { $or: [{ [`fields.${VISIT}`]: { $lt: after.v } }, { [`fields.${VISIT}`]: after.v, _id: { $lt: after.id } }, { [`fields.${VISIT}`]: null }] }] }
        : where;
      const [items, total] = await Promise.all([
        native.find(filter).sort({ [`fields.${VISIT}`]: -1, _id: -1 }).limit(LIMIT + 1).toArray(),
        native.countDocuments(where),
      ]);
      return { items: items.slice(0, LIMIT), total };
    };
    return await runHandler(store, 'mongodb', N_MONGO, {
      first: () => nativeQuery(),
      second: (lastView) => nativeQuery({ v: lastView.fields.visit, id: lastView.id }),
    });
  } finally {
    await store.connection.dropDatabase();
    await store.close();
  }
}

export async function benchLeadList() {
  const results = [await embedded('embedded'), await embedded('disk')];
  const url = process.env.MONGODB_URL;
  if (url) results.push(await mongo(url));
  else console.log('mongodb: not measured: MONGODB_URL is not set (npm run infra:up)');
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchLeadList();
