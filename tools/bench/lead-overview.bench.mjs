// Lead overview trends (LEAD-11) at scale: BENCH_OVERVIEW_LEADS leads (default 1,000,000) of one
// enterprise created over 400 days, with 8 sources, 30 % from one of 20 activities, 40 % moved to
// another status later and 2 % deleted. The events go through the real projections
// (leads.lead-overview.v1 and leads.new-lead-counts.v1) in batches of 500 into the embedded read
// store; the projection time is reported. Then each of the four trend queries runs through its real
// query handler over 365 days, by day and by month, BENCH_OVERVIEW_RUNS times (default 30): p50/p95.
// Raw baseline in the same run: the same per-day sum over a plain in-memory array of the slot
// documents (filter by range, local day of each slot by the fixed +08:00 offset of Asia/Shanghai,
// add its counts), with no store and no time-zone database in between.
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { percentile, round } from './lib.mjs';

const require = createRequire(import.meta.url);
const { EmbeddedReadStore } = require('@leadstream/read-store-embedded');
const { InMemoryEventStore } = require('@leadstream/event-sourcing');
const dist = '../../services/leads/dist/lead-overview';
const { leadOverviewProjection } = require(`${dist}/projections/lead-overview/lead-overview.projection.js`);
const { newLeadCountsProjection } = require(`${dist}/projections/new-lead-counts/new-lead-counts.projection.js`);
const { OVERVIEW_SLOTS_COLLECTION, overviewSlotsCollectionOptions } = require(`${dist}/projections/lead-overview/lead-overview.schema.js`);
const { NewLeadsTrendHandler } = require(`${dist}/queries/new-leads-trend/new-leads-trend.handler.js`);
const { NewLeadsTrendQuery } = require(`${dist}/queries/new-leads-trend/new-leads-trend.query.js`);
const { LeadAttributionTrendHandler } = require(`${dist}/queries/lead-attribution-trend/lead-attribution-trend.handler.js`);
const { LeadAttributionTrendQuery } = require(`${dist}/queries/lead-attribution-trend/lead-attribution-trend.query.js`);
const { LeadStatusTrendHandler } = require(`${dist}/queries/lead-status-trend/lead-status-trend.handler.js`);
const { LeadStatusTrendQuery } = require(`${dist}/queries/lead-status-trend/lead-status-trend.query.js`);

const N = Number(process.env.BENCH_OVERVIEW_LEADS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_OVERVIEW_RUNS ?? 30);
const TENANT = '00000000-0000-4000-8000-0000000000aa';
const NEW = '00000000-0000-4000-8000-000000000001';
const QUALIFIED = '00000000-0000-4000-8000-000000000003';
const SOURCES = ['expo', 'web', 'wechat', 'referral', 'ads', 'email', 'phone', 'partner'];
const START = Date.UTC(2025, 9, 27); // 400 days before 2026-11-30
const SPAN = 400 * 86_400_000;
const FROM = '2025-12-01';
const TO = '2026-11-30';

function* events() {
  let position = 0;
  const at = (ms) => new Date(ms).toISOString();
  for (let i = 0; i < N; i++) {
    const leadId = `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`;
    const created = START + Math.floor((i / N) * SPAN);
    const base = { streamId: `leads.lead-${leadId}`, revision: 0, recordedAt: at(created), metadata: {} };
    yield {
      ...base,
      id: `c${i}`,
      position: ++position,
      type: 'leads.LeadCreated',
      data: { leadId, enterpriseId: TENANT, personal: null, source: SOURCES[i % SOURCES.length], activityId: i % 10 < 3 ? `activity-${i % 20}` : null, statusId: NEW, ownerId: null, tags: [], createdBy: 'bench', createdAt: at(created) },
    };
    if (i % 5 < 2) {
      const changedAt = at(Math.min(created + 3 * 86_400_000, START + SPAN - 1));
      yield { ...base, id: `s${i}`, revision: 1, position: ++position, type: 'leads.LeadStatusChanged', data: { leadId, enterpriseId: TENANT, previousStatusId: NEW, statusId: QUALIFIED, changedBy: 'bench', changedAt } };
    }
    if (i % 50 === 7) {
      const deletedAt = at(Math.min(created + 10 * 86_400_000, START + SPAN - 1));
      yield { ...base, id: `d${i}`, revision: 2, position: ++position, type: 'leads.LeadDeleted', data: { leadId, enterpriseId: TENANT, deletedBy: 'bench', deletedAt } };
    }
  }
}

const store = await EmbeddedReadStore.open();
const projections = [leadOverviewProjection, newLeadCountsProjection];
let eventCount = 0;
const t0 = performance.now();
let batch = [];
for (const e of events()) {
  batch.push(e);
  if (batch.length === 500) {
    for (const p of projections) await p.handle(batch, store);
    eventCount += batch.length;
    batch = [];
  }
}
for (const p of projections) if (batch.length > 0) await p.handle(batch, store);
eventCount += batch.length;
const projectMs = performance.now() - t0;
console.log(`projected ${N.toLocaleString('en')} leads (${eventCount.toLocaleString('en')} events) through both overview projections in ${round(projectMs / 1000)} s (${Math.round(eventCount / (projectMs / 1000)).toLocaleString('en')} events/s)`);

const events0 = new InMemoryEventStore();
const handlers = {
  newLeads: new NewLeadsTrendHandler(store),
  attribution: new LeadAttributionTrendHandler(store),
  statuses: new LeadStatusTrendHandler(store, events0),
};
const queries = {
  'new leads': (g) => handlers.newLeads.execute(new NewLeadsTrendQuery(TENANT, FROM, TO, g)),
  'by source': (g) => handlers.attribution.execute(new LeadAttributionTrendQuery(TENANT, 'source', FROM, TO, g, 10)),
  'by activity': (g) => handlers.attribution.execute(new LeadAttributionTrendQuery(TENANT, 'activity', FROM, TO, g, 10)),
  statuses: (g) => handlers.statuses.execute(new LeadStatusTrendQuery(TENANT, FROM, TO, g)),
};

// the raw baseline: the slot documents in a plain array, summed per local day over the same range
const slots = await store.collection(OVERVIEW_SLOTS_COLLECTION, overviewSlotsCollectionOptions).find({ tenantId: TENANT });
const plain = slots.map((s) => ({ slot: s.slot, sources: s.sources.map((k) => ({ ...k })) }));
const startIso = '2025-11-30T16:00:00.000Z';
const endIso = '2026-11-30T16:00:00.000Z';
function rawSources() {
  const perDay = new Map();
  for (const s of plain) {
    if (s.slot < startIso || s.slot >= endIso) continue;
    const day = new Date(Date.parse(s.slot) + 8 * 3_600_000).toISOString().slice(0, 10);
    let row = perDay.get(day);
    if (!row) perDay.set(day, (row = new Map()));
    for (const { k, n } of s.sources) row.set(k, (row.get(k) ?? 0) + n);
  }
  return perDay;
}

async function measure(fn) {
  await fn();
  const times = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

const raw = await measure(async () => rawSources());
console.log(`raw baseline (per-day sums by source over ${plain.length.toLocaleString('en')} slot documents in a plain array): p50 ${round(raw.p50)} ms, p95 ${round(raw.p95)} ms`);
const check = await queries['new leads']('day');
const total = check.buckets.reduce((n, b) => n + b.count, 0);
console.log(`check: ${total.toLocaleString('en')} new leads in the 365-day range`);
for (const g of ['day', 'month']) {
  for (const [name, q] of Object.entries(queries)) {
    const m = await measure(() => q(g));
    console.log(`${name.padEnd(11)} by ${g.padEnd(5)} over 365 days: p50 ${round(m.p50)} ms, p95 ${round(m.p95)} ms (ratio to raw p95 ${round(m.p95 / raw.p95)})`);
  }
}
