// Contact resolution (LEAD-3) at scale: CONTACTS_BENCH_LEADS leads (default 1,000,000) of one
// enterprise, 20 % of them sharing identifiers: every lead has a phone of its own (written in one of
// three formats); every fifth lead also has an e-mail from a pool of N/20 (about four sharers each,
// differently cased) and every tenth of those a QQ number from a pool of N/40, which chains e-mail
// groups into larger contacts; two e-mails are shared by N/1000 leads each (two large contacts).
//
// Build: the LeadCreated events go through the real projection (leads.contacts.v1) in batches of 500,
// each inside a read-store batch as the projector runner runs them, into the embedded read store.
// Raw baselines from the same run: a plain union-find over the same (already normalised) identifier
// keys, and the domain ContactGraph alone in memory (setLead per lead, no store). The projection's
// contacts are checked against the union-find's.
//
// Incremental: one LeadUpdated that gives a lead of the largest contact the phone of a lead of the
// second largest (a merge), then one that gives it back its own phone (a split), CONTACTS_BENCH_TRIES
// times each (default 9), one event per batch as live traffic comes: p50 and max. Raw baseline: the
// same change on the in-memory ContactGraph holding every lead.
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { percentile, round } from './lib.mjs';

const require = createRequire(import.meta.url);
const { EmbeddedReadStore } = require('@leadstream/read-store-embedded');
const dist = '../../services/leads/dist/contact';
const { contactsProjection } = require(`${dist}/projections/contacts/contacts.projection.js`);
const { CONTACTS_COLLECTION, contactsCollectionOptions } = require(`${dist}/projections/contacts/contacts.schema.js`);
const { ContactGraph } = require(`${dist}/domain/contact-graph.js`);
const { leadIdentifiers } = require(`${dist}/domain/contact-identifiers.js`);

const N = Number(process.env.CONTACTS_BENCH_LEADS ?? 1_000_000);
const TRIES = Number(process.env.CONTACTS_BENCH_TRIES ?? 9);
const BATCH = 500;
const TENANT = '00000000-0000-4000-8000-0000000000aa';
const EMAILS = Math.max(1, Math.floor(N / 20));
const QQS = Math.max(1, Math.floor(N / 40));
const CREATED = Date.UTC(2026, 0, 1);

const leadIdOf = (i) => `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`;
/** Deterministic scatter of i over [0, n). */
const pick = (i, n, salt) => Number((BigInt(i) * 2654435761n + BigInt(salt)) % 4294967296n) % n;

function phoneOf(i) {
  const n = String(13_000_000_000 + i);
  return [n, `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`, `${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`][i % 3];
}

function emailOf(i) {
  if (i % 5 !== 0) return null;
  // two large contacts: one sharer in 200 each holds a hub's address (N/1000 leads each)
  if ((i / 5) % 200 === 1) return 'hub-a@example.com';
  if ((i / 5) % 200 === 2) return 'HUB-B@example.com';
  return i % 2 === 0 ? `shared${pick(i, EMAILS, 1)}@example.com` : `Shared${pick(i, EMAILS, 1)}@Example.COM`;
}

function personOf(i) {
  const email = emailOf(i);
  const qq = i % 50 === 0 ? String(100_000 + pick(i, QQS, 2)) : null;
  return { name: `Lead ${i}`, phone: phoneOf(i), email, qq, company: null, title: null, fields: {} };
}

let position = 0;
function createdEvent(i) {
  const leadId = leadIdOf(i);
  const at = new Date(CREATED + i * 1000).toISOString();
  return {
    id: `c${i}`, streamId: `leads.lead-${leadId}`, revision: 0, position: ++position, recordedAt: at, metadata: {},
    type: 'leads.LeadCreated',
    data: { leadId, enterpriseId: TENANT, personal: personOf(i), source: null, activityId: null, statusId: 's', ownerId: null, tags: [], createdBy: 'bench', createdAt: at },
  };
}

// ---- raw baseline: union-find over the normalised keys ----
const keys = new Array(N);
for (let i = 0; i < N; i++) keys[i] = leadIdentifiers(personOf(i));
const sharing = (() => {
  const count = new Map();
  for (const ks of keys) for (const k of ks) count.set(k, (count.get(k) ?? 0) + 1);
  let n = 0;
  for (const ks of keys) if (ks.some((k) => count.get(k) > 1)) n++;
  return n;
})();

function unionFind() {
  const parent = new Int32Array(N);
  for (let i = 0; i < N; i++) parent[i] = i;
  const find = (x) => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const owner = new Map();
  for (let i = 0; i < N; i++) {
    for (const k of keys[i]) {
      const o = owner.get(k);
      if (o === undefined) owner.set(k, i);
      else {
        const a = find(i);
        const b = find(o);
        // the earlier lead stays the root: it names the contact
        if (a !== b) a < b ? (parent[b] = a) : (parent[a] = b);
      }
    }
  }
  const sizes = new Map();
  for (let i = 0; i < N; i++) {
    const r = find(i);
    sizes.set(r, (sizes.get(r) ?? 0) + 1);
  }
  return sizes;
}
let t = performance.now();
const components = unionFind();
const rawMs = performance.now() - t;
const bySize = [...components].sort((a, b) => b[1] - a[1]);
console.log(
  `${N.toLocaleString('en')} leads, ${sharing.toLocaleString('en')} (${round((100 * sharing) / N, 1)} %) sharing an identifier with another lead; ` +
    `${components.size.toLocaleString('en')} contacts, ${[...components.values()].filter((s) => s > 1).length.toLocaleString('en')} of them with 2+ leads, largest ${bySize[0][1]} and ${bySize[1][1]} leads`,
);
console.log(`raw union-find over the same normalised identifiers: ${round(rawMs)} ms`);

// ---- the domain graph alone, in memory ----
t = performance.now();
const graph = new ContactGraph();
for (let i = 0; i < N; i++) graph.setLead(leadIdOf(i), i + 1, keys[i]);
const graphMs = performance.now() - t;
console.log(`ContactGraph in memory (setLead per lead, no store): ${round(graphMs)} ms (ratio to raw ${round(graphMs / rawMs)})`);

// ---- the real projection into the embedded read store ----
const store = await EmbeddedReadStore.open();
t = performance.now();
let batch = [];
for (let i = 0; i < N; i++) {
  batch.push(createdEvent(i));
  if (batch.length === BATCH || i === N - 1) {
    const events = batch;
    await store.batch(() => contactsProjection.handle(events, store));
    batch = [];
  }
}
const buildMs = performance.now() - t;
const contacts = store.collection(CONTACTS_COLLECTION, contactsCollectionOptions);
const projected = await contacts.count({ tenantId: TENANT });
if (projected !== components.size) throw new Error(`projection has ${projected} contacts, union-find ${components.size}`);
for (const [root, size] of bySize.slice(0, 20)) {
  const doc = await contacts.findOne({ _id: leadIdOf(root) });
  if (doc?.leadCount !== size) throw new Error(`contact ${leadIdOf(root)}: ${doc?.leadCount} leads, union-find ${size}`);
}
console.log(
  `build through leads.contacts.v1 (embedded read store, batches of ${BATCH}): ${round(buildMs / 1000)} s, ${Math.round(N / (buildMs / 1000)).toLocaleString('en')} leads/s ` +
    `(ratio to raw union-find ${round(buildMs / rawMs)}); contacts equal the union-find's (${projected.toLocaleString('en')})`,
);

// ---- one incremental merge and one split ----
const [[rootA, sizeA], [rootB, sizeB]] = bySize;
// a lead of A whose phone nobody else has (every phone is its own): moving it changes nothing but the link
const mover = rootA;
const target = rootB;
let revision = 1;
function updated(phone) {
  const leadId = leadIdOf(mover);
  const at = new Date(CREATED + (N + position) * 1000).toISOString();
  return {
    id: `u${position}`, streamId: `leads.lead-${leadId}`, revision: revision++, position: ++position, recordedAt: at, metadata: {},
    type: 'leads.LeadUpdated',
    data: { leadId, enterpriseId: TENANT, personal: { phone }, updatedBy: 'bench', updatedAt: at },
  };
}
const moverOwn = keys[mover];
const merged = [...moverOwn.filter((k) => !k.startsWith('phone:')), `phone:${phoneOf(target).replace(/[\s-]/g, '')}`].sort();
const times = { merge: [], split: [], rawMerge: [], rawSplit: [] };
for (let k = 0; k < TRIES; k++) {
  let s = performance.now();
  const m = updated(phoneOf(target));
  await store.batch(() => contactsProjection.handle([m], store));
  times.merge.push(performance.now() - s);
  const joined = await contacts.findOne({ _id: leadIdOf(Math.min(rootA, rootB)) });
  if (joined?.leadCount !== sizeA + sizeB) throw new Error(`merge: ${joined?.leadCount} leads, expected ${sizeA + sizeB}`);
  s = performance.now();
  const back = updated(phoneOf(mover));
  await store.batch(() => contactsProjection.handle([back], store));
  times.split.push(performance.now() - s);
  const apart = await contacts.findOne({ _id: leadIdOf(rootA) });
  if (apart?.leadCount !== sizeA) throw new Error(`split: ${apart?.leadCount} leads, expected ${sizeA}`);

  s = performance.now();
  graph.setLead(leadIdOf(mover), mover + 1, merged);
  times.rawMerge.push(performance.now() - s);
  s = performance.now();
  graph.setLead(leadIdOf(mover), mover + 1, moverOwn);
  times.rawSplit.push(performance.now() - s);
}
for (const list of Object.values(times)) list.sort((a, b) => a - b);
const p50 = (list) => percentile(list, 50);
console.log(`incremental, contacts of ${sizeA} and ${sizeB} leads, ${TRIES} tries each, one event per batch:`);
console.log(
  `  merge (LeadUpdated linking them): p50 ${round(p50(times.merge))} ms, max ${round(times.merge.at(-1))} ms; ` +
    `in-memory ContactGraph p50 ${round(p50(times.rawMerge), 3)} ms (ratio ${round(p50(times.merge) / p50(times.rawMerge))})`,
);
console.log(
  `  split (LeadUpdated unlinking them): p50 ${round(p50(times.split))} ms, max ${round(times.split.at(-1))} ms; ` +
    `in-memory ContactGraph p50 ${round(p50(times.rawSplit), 3)} ms (ratio ${round(p50(times.split) / p50(times.rawSplit))})`,
);
await store.close();
