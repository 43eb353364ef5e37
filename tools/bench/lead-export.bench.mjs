// Lead export (LEAD-8) to CSV at scale: BENCH_EXPORT_LEADS leads (default 1,000,000) of one
// enterprise in the embedded read store (written directly in the lead list projection's document
// shape, not projected from events), plus leads of another enterprise that must not appear.
// Measured: the real export path below the HTTP layer — the compiled tenant filter, the read
// store's lazy stream(filter, {sort, batchSize}) in the list's order, the row renderer (status
// names, wall-clock date-times, neutralisation) and the csv-stringify writer — into a null sink.
// Reported: time, rows/s, RSS before and peak RSS during the export (sampled every 50 ms), at
// BENCH_EXPORT_SMALL (default 200,000) and at the full size, to show memory stays flat.
// Raw baseline in the same run: csv-stringify (same options) of the same rendered rows from a
// plain array.
// XLSX (BENCH_EXPORT_XLSX_LEADS, default the full size; 0 skips it): the same path through the
// exceljs streaming writer, against exceljs's WorkbookWriter fed the same rendered rows from a
// plain array (same options: no shared strings, no styles).
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { Writable, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { round } from './lib.mjs';

const require = createRequire(import.meta.url);
const { EmbeddedReadStore } = require('@leadstream/read-store-embedded');
const { stringify } = require('csv-stringify');
const { LEAD_LIST_COLLECTION, leadListCollectionOptions } = require('../../services/leads/dist/lead/projections/lead-list/lead-list.schema.js');
const { rowRenderer, WallClock } = require('../../services/leads/dist/lead-export/domain/export-cells.js');
const { csvExportStream, xlsxExportStream } = require('../../services/leads/dist/lead-export/export-leads/export-writers.js');
const ExcelJS = require('exceljs');
const { EXPORT_BATCH_SIZE } = require('../../services/leads/dist/lead-export/export-leads/export-leads.handler.js');

const N = Number(process.env.BENCH_EXPORT_LEADS ?? 1_000_000);
const SMALL = Math.min(N, Number(process.env.BENCH_EXPORT_SMALL ?? 200_000));
const XLSX_N = Number(process.env.BENCH_EXPORT_XLSX_LEADS ?? N);
const TENANT = '00000000-0000-4000-8000-0000000000aa';
const OTHER = '00000000-0000-4000-8000-0000000000bb';
const STATUS = '00000000-0000-4000-8000-000000000001';
const CITY = { id: '00000000-0000-4000-8000-00000000f001', key: 'city', label: 'City', type: 'text', required: false, hidden: false, deleted: false, attributes: {} };
const BUDGET = { id: '00000000-0000-4000-8000-00000000f002', key: 'budget', label: 'Budget', type: 'integer', required: false, hidden: false, deleted: false, attributes: {} };
const SPECS = [
  { kind: 'id' },
  ...['name', 'phone', 'email', 'company', 'source', 'status', 'score', 'createdAt'].map((key) => ({ kind: 'system', key })),
  { kind: 'custom', field: CITY },
  { kind: 'custom', field: BUDGET },
];
const HEADER = ['Lead ID', 'Name', 'Phone', 'Email', 'Company', 'Source', 'Status', 'Score', 'Created', 'City', 'Budget'];

function doc(i, tenantId) {
  const at = new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString();
  return {
    _id: `${tenantId === TENANT ? 'a' : 'b'}${String(i).padStart(11, '0')}-0000-4000-8000-000000000000`,
    tenantId,
    name: i % 100 === 0 ? `=Lead ${i}` : `Lead ${i} 线索`,
    phone: `139${String(i).padStart(8, '0')}`,
    qq: null,
    email: `lead${i}@example.com`,
    company: i % 7 === 0 ? 'Acme, "Ltd"' : `Company ${i % 5000}`,
    title: null,
    source: i % 2 ? 'expo' : 'web',
    activityId: null,
    ownerId: null,
    statusId: STATUS,
    tags: [],
    score: i % 100,
    fields: { [CITY.id]: i % 3 ? 'Shanghai' : '-5', [BUDGET.id]: (i * 7919) % 1000 },
    createdAt: at,
    updatedAt: at,
  };
}

const nullSink = () => new Writable({ write(_chunk, _enc, cb) { cb(); }, highWaterMark: 64 * 1024 });
const rssMb = () => process.memoryUsage().rss / 1024 / 1024;

async function timed(run) {
  global.gc?.();
  const before = rssMb();
  let peak = before;
  const timer = setInterval(() => { peak = Math.max(peak, rssMb()); }, 50);
  const t0 = performance.now();
  const rows = await run();
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, rssMb());
  return { rows, ms, before, peak };
}

async function fill(store, n) {
  const leads = store.collection(LEAD_LIST_COLLECTION, leadListCollectionOptions);
  for (let i = 0; i < n; i += 10_000) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + 10_000); j++) batch.push(doc(j, TENANT));
    await leads.insertMany(batch);
  }
  await leads.insertMany(Array.from({ length: 1000 }, (_, i) => doc(i, OTHER)));
  return leads;
}

async function exportFile(leads, writer) {
  const render = rowRenderer(SPECS, { statusNames: new Map([[STATUS, 'New']]), memberNames: new Map(), clock: new WallClock('Asia/Shanghai') });
  let rows = 0;
  async function* source() {
    for await (const d of leads.stream({ tenantId: TENANT }, { sort: { createdAt: -1, _id: -1 }, batchSize: EXPORT_BATCH_SIZE })) {
      rows++;
      yield render(d);
    }
  }
  await pipeline(writer(HEADER, source()), nullSink());
  return rows;
}
const exportCsv = (leads) => exportFile(leads, csvExportStream);

async function baselineXlsx(leads, n) {
  const render = rowRenderer(SPECS, { statusNames: new Map([[STATUS, 'New']]), memberNames: new Map(), clock: new WallClock('Asia/Shanghai') });
  const plain = (await leads.find({ tenantId: TENANT }, { sort: { createdAt: -1, _id: -1 } })).map(render);
  const r = await timed(async () => {
    const sink = nullSink();
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: false, useStyles: false });
    const sheet = workbook.addWorksheet('Leads');
    sheet.addRow(HEADER).commit();
    for (const row of plain) sheet.addRow(row).commit();
    sheet.commit();
    await workbook.commit();
    return plain.length;
  });
  if (r.rows !== n) throw new Error(`baseline rows ${r.rows} != ${n}`);
  return r;
}

async function baselineCsv(leads, n) {
  const render = rowRenderer(SPECS, { statusNames: new Map([[STATUS, 'New']]), memberNames: new Map(), clock: new WallClock('Asia/Shanghai') });
  const plain = (await leads.find({ tenantId: TENANT }, { sort: { createdAt: -1, _id: -1 } })).map(render);
  const r = await timed(async () => {
    await pipeline(Readable.from([HEADER, ...plain], { objectMode: true }), stringify({ bom: true, record_delimiter: '\r\n', eof: true }), nullSink());
    return plain.length;
  });
  if (r.rows !== n) throw new Error(`baseline rows ${r.rows} != ${n}`);
  return r;
}

const results = [];
for (const n of [...new Set([SMALL, N])]) {
  const store = await EmbeddedReadStore.open();
  const leads = await fill(store, n);
  const ex = await timed(() => exportCsv(leads));
  if (ex.rows !== n) throw new Error(`exported ${ex.rows} rows, expected ${n}`);
  const base = await baselineCsv(leads, n);
  results.push({ n, ex, base });
  console.log(
    `lead export CSV, ${n} leads: ${round(ex.ms / 1000, 2)} s, ${Math.round(n / (ex.ms / 1000))} rows/s, RSS ${round(ex.before, 0)} MB before → peak ${round(ex.peak, 0)} MB (+${round(ex.peak - ex.before, 0)} MB); ` +
      `raw baseline (csv-stringify of the same rendered rows from an array) ${round(base.ms / 1000, 2)} s; ratio ${round(ex.ms / base.ms, 2)}×`,
  );
  await store.close();
}

if (XLSX_N > 0) {
  const store = await EmbeddedReadStore.open();
  const leads = await fill(store, XLSX_N);
  const ex = await timed(() => exportFile(leads, xlsxExportStream));
  if (ex.rows !== XLSX_N) throw new Error(`exported ${ex.rows} rows, expected ${XLSX_N}`);
  const base = await baselineXlsx(leads, XLSX_N);
  console.log(
    `lead export XLSX, ${XLSX_N} leads: ${round(ex.ms / 1000, 2)} s, ${Math.round(XLSX_N / (ex.ms / 1000))} rows/s, RSS ${round(ex.before, 0)} MB before → peak ${round(ex.peak, 0)} MB (+${round(ex.peak - ex.before, 0)} MB); ` +
      `raw baseline (exceljs WorkbookWriter of the same rendered rows from an array) ${round(base.ms / 1000, 2)} s, peak +${round(base.peak - base.before, 0)} MB; ratio ${round(ex.ms / base.ms, 2)}×`,
  );
  await store.close();
}
