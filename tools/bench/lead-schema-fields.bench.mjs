// Custom fields (LEAD-4) at scale: one enterprise with 5 custom fields, one with 500 (mixed types),
// on the embedded host. Measures, one request at a time, the latency of POST /v1/leads filling every
// custom field and of GET /v1/leads/{id}; p50/p95 for each and the 500/5 ratios.
// The 5-field enterprise is the baseline from the same run. Goal: the 500-field create stays within
// 10x of the 5-field one (the schema is read from its cache plus the stream tail, not re-folded).
// Image fields are left out: their values are uploaded assets, and there is no upload route yet.
// GET /v1/leads/{id} renders every custom-field value by key, as the schema stands now.
import { performance } from 'node:perf_hooks';
import { percentile, round, startBenchHost } from './lib.mjs';

const samples = Number(process.env.BENCH_SAMPLES ?? 300);
const warmup = Number(process.env.BENCH_WARMUP ?? 30);
const PASSWORD = 'bench password 1';
const TYPES = ['text', 'longText', 'integer', 'real', 'singleChoice', 'multiChoice', 'date', 'dateTime'];

async function request(url, method, path, token, body) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {}, text };
}

async function must(url, method, path, token, body, status) {
  const res = await request(url, method, path, token, body);
  if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.json;
}

async function enterprise(url, name) {
  const created = await must(url, 'POST', '/v1/enterprises', undefined, { name, admin: { accountName: 'admin', password: PASSWORD } }, 201);
  const login = await must(url, 'POST', '/v1/auth/login', undefined, { enterpriseId: created.enterpriseId, accountName: 'admin', password: PASSWORD }, 200);
  return login.accessToken;
}

function fieldBody(i) {
  const type = TYPES[i % TYPES.length];
  const attributes = {
    text: { maxLength: 100 },
    longText: { maxLength: 2000 },
    integer: { min: 0, max: 1_000_000 },
    real: { min: 0, precision: 2 },
    singleChoice: { options: ['Alpha', 'Beta', 'Gamma', 'Delta'] },
    multiChoice: { options: ['Red', 'Green', 'Blue', 'Cyan'], maxSelected: 3 },
    date: { minDate: '1900-01-01' },
    dateTime: {},
  }[type];
  return { key: `f_${i}_${type.toLowerCase()}`, label: `Field ${i}`, type, attributes };
}

function valueOf(field, n) {
  const options = field.attributes.options?.map((o) => o.id) ?? [];
  switch (field.type) {
    case 'text':
      return `value ${n}`;
    case 'longText':
      return `A longer note about lead ${n}. `.repeat(4);
    case 'integer':
      return n % 1_000_000;
    case 'real':
      return n + 0.25;
    case 'singleChoice':
      return options[n % options.length];
    case 'multiChoice':
      return [options[n % options.length], options[(n + 1) % options.length]];
    case 'date':
      return '2024-05-01';
    case 'dateTime':
      return '2024-05-01T10:00:00+08:00';
    default:
      throw new Error(`no value for ${field.type}`);
  }
}

async function setUp(url, token, count) {
  for (let i = 0; i < count; i++) await must(url, 'POST', '/v1/lead-schema/fields', token, fieldBody(i), 201);
  const schema = await must(url, 'GET', '/v1/lead-schema', token, undefined, 200);
  if (schema.customFields.length !== count) throw new Error(`expected ${count} fields, got ${schema.customFields.length}`);
  return schema.customFields;
}

function leadBody(fields, n) {
  return { name: `Lead ${n}`, phone: `+86138${String(n).padStart(8, '0')}`, source: 'bench', fields: Object.fromEntries(fields.map((f) => [f.key, valueOf(f, n)])) };
}

function stats(ms) {
  const sorted = [...ms].sort((x, y) => x - y);
  return { p50Ms: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)) };
}

async function measure(url, token, fields) {
  const createMs = [];
  const ids = [];
  for (let n = 0; n < warmup + samples; n++) {
    const started = performance.now();
    const created = await must(url, 'POST', '/v1/leads', token, leadBody(fields, n), 201);
    const elapsed = performance.now() - started;
    if (n >= warmup) {
      createMs.push(elapsed);
      ids.push(created.id);
    }
  }
  // the lead list is a projection: wait until the last lead is readable before timing reads
  for (let i = 0; ; i++) {
    if ((await request(url, 'GET', `/v1/leads/${ids.at(-1)}`, token)).status === 200) break;
    if (i > 600) throw new Error('the last lead never became readable');
    await new Promise((r) => setTimeout(r, 50));
  }
  const readMs = [];
  for (const id of ids) {
    const started = performance.now();
    await must(url, 'GET', `/v1/leads/${id}`, token, undefined, 200);
    readMs.push(performance.now() - started);
  }
  return { create: stats(createMs), read: stats(readMs) };
}

export async function benchLeadSchemaFields() {
  const host = await startBenchHost();
  try {
    const small = await enterprise(host.url, 'Five Fields Co');
    const large = await enterprise(host.url, 'Five Hundred Fields Co');
    const smallFields = await setUp(host.url, small, 5);
    const largeFields = await setUp(host.url, large, 500);
    const five = await measure(host.url, small, smallFields);
    const fiveHundred = await measure(host.url, large, largeFields);
    const createRatio = round(fiveHundred.create.p50Ms / five.create.p50Ms, 2);
    const out = {
      bench: 'lead-schema-fields',
      samples,
      fields5: five,
      fields500: fiveHundred,
      createP50Ratio: createRatio,
      createP95Ratio: round(fiveHundred.create.p95Ms / five.create.p95Ms, 2),
      readP50Ratio: round(fiveHundred.read.p50Ms / five.read.p50Ms, 2),
      readP95Ratio: round(fiveHundred.read.p95Ms / five.read.p95Ms, 2),
      goal: 'createP50Ratio <= 10',
      goalMet: createRatio <= 10,
    };
    console.log(
      `POST /v1/leads: 5 fields p50 ${five.create.p50Ms} ms p95 ${five.create.p95Ms} ms; 500 fields p50 ${fiveHundred.create.p50Ms} ms p95 ${fiveHundred.create.p95Ms} ms → ratio p50 ${out.createP50Ratio}, p95 ${out.createP95Ratio}`,
    );
    console.log(
      `GET /v1/leads/{id}: 5 fields p50 ${five.read.p50Ms} ms p95 ${five.read.p95Ms} ms; 500 fields p50 ${fiveHundred.read.p50Ms} ms p95 ${fiveHundred.read.p95Ms} ms → ratio p50 ${out.readP50Ratio}, p95 ${out.readP95Ratio}`,
    );
    console.log(JSON.stringify(out));
    return out;
  } finally {
    await host.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchLeadSchemaFields();
