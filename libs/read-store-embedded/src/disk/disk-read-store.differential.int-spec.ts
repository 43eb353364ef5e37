/**
 * Differential test: DiskReadStore (documents in a SQLite file, declared indexes as SQLite index
 * tables, a query planner over them) must answer every call exactly like the in-memory
 * EmbeddedReadStore, the reference. A seeded PRNG drives random writes (plain, in batches that
 * commit or roll back, through a reopen of the file) and random reads, both stores get the same
 * calls, and their answers are compared.
 *
 * Documents that tie on every sort key may come back in any order (MongoDB leaves it unspecified,
 * and the two stores walk their documents differently), so a sort without `_id` is checked by its
 * sort-key tuples, position by position, and by the set of documents; only a total order (a sort
 * holding `_id`) must give the very same list.
 *
 * Reproduce a failure: READ_STORE_DIFF_SEEDS=<seed>[,<seed>…] runs only those seeds, and
 * READ_STORE_DIFF_CACHE=<n>|default sets the disk store's document cache for all of them (otherwise
 * the seeds take the default, 0 and 64 in turn; the test's name says which).
 * READ_STORE_DIFF_STAND_IN=1 puts a second EmbeddedReadStore (on a SQLite file) where the disk store
 * goes, to check the test itself.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { inspect, isDeepStrictEqual } from 'node:util';
import type { BulkOperation, Collection, Document, Filter, FindOptions, IndexSpec, PipelineStage, ReadStore, Sort, Update } from '@leadstream/read-store';
import { EmbeddedReadStore } from '../embedded-read-store';
import { compareValues, sortKey, splitPath } from '../values';
import { DiskReadStore } from './disk-read-store';

const STAND_IN = process.env['READ_STORE_DIFF_STAND_IN'] === '1';
const openSubject = (path: string, cacheSize: number | undefined): Promise<ReadStore> => (STAND_IN ? EmbeddedReadStore.open({ path }) : DiskReadStore.open({ path, cacheSize }));
const SUBJECT = STAND_IN ? 'stand-in' : 'disk';

const DEFAULT_SEEDS = [0x5eed, 20240517, 977];
/** Decoded-document cache of the disk store, by seed (in turn): the default (holds every document), none, a small one. */
const CACHE_ENV = process.env['READ_STORE_DIFF_CACHE'];
const CACHE_SIZES: readonly (number | undefined)[] = CACHE_ENV === undefined ? [undefined, 0, 64] : [CACHE_ENV === 'default' ? undefined : Number(CACHE_ENV)];
const SEEDS = (process.env['READ_STORE_DIFF_SEEDS'] ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter((s) => s !== '')
  .map(Number);
const INITIAL_LEADS = 2500;
const INITIAL_USERS = 60;
const ROUNDS = 6;
const WRITES_PER_ROUND = 40;
const READS_PER_ROUND = 45;

type Obj = Record<string, unknown>;
/** A find projection (the package's `Projection` export is the projector's). */
type Projection = NonNullable<FindOptions['projection']>;

const LEAD_INDEXES: readonly IndexSpec[] = [
  { keys: { tenantId: 1, createdAt: -1, _id: -1 } },
  { keys: { tenantId: 1, source: 1, createdAt: -1 } },
  { keys: { tenantId: 1, statusId: 1, createdAt: -1 } },
  { keys: { tags: 1, tenantId: 1 } },
];
/** Declared on both stores in the middle of the run, over documents already there. */
const LATE_LEAD_INDEXES: readonly IndexSpec[] = [{ keys: { statusId: 1, score: 1 } }, { keys: { 'custom.a': 1 } }];
const USER_INDEXES: readonly IndexSpec[] = [{ keys: { email: 1 }, unique: true }, { keys: { tenantId: 1, email: 1 } }];

// ---- seeded randomness ----

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  /** One of `items`, each as likely as its weight. */
  weighted<T>(items: readonly (readonly [number, T])[]): T {
    const total = items.reduce((sum, [w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [w, item] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![1];
  }
}

// ---- value pools: ties, mixed types, and strings whose order trips up byte/UTF-16 encodings ----

const TENANTS = ['t-big', 'tén-2', 't😀3'] as const;
const NO_TENANT = 't-none';
const SOURCES = ['web', 'Web', 'email', 'é-mail', 'e\u0301-mail', 'e', 'e\u0000', 'e\u0000x', 'ads😀', 'ads\uffff', 'ads\ue000', 'z', ''];
const STATUSES: readonly unknown[] = ['s1', 's2', 's3', '1', 1, 2, true];
const TAGS: readonly unknown[] = ['vip', 'VIP', 'new', 'é', '😀', 'a\u0000', 'a', '\uffff', 'ads\ue000'];
const ID_SUFFIXES = ['', '\u0000', 'é', '\uffff', '😀'];
const NAMES = ['Ana', 'ana', 'Émile', 'émile', 'Zoë', '😀 Smile', 'O\u0000Neil', 'bob', 'Bob', 'ßtraße'];
const SPECIAL_SCORES: readonly unknown[] = [
  0, -0, 0.1, -0.1, 1.5, -1.5, 1e21, -1e21, 5e-324, -5e-324, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53 + 2,
  Infinity, -Infinity, NaN, null,
];
const EMAILS: readonly string[] = (() => {
  const locals = ['ana', 'Ana', 'bob', 'émile', 'e\u0301mile', 'zoë', '😀', 'x\u0000y', 'ßtraße', 'q'];
  const domains = ['@a.io', '@b.io', '@ä.io', '@😀.io', '@\uffff.io', '@\ue000.io', '@c.io', '@d.io'];
  return locals.flatMap((l) => domains.map((d) => l + d));
})();

/** ISO timestamps: few of them, so many documents share one. */
function createdPool(rng: Rng): string[] {
  const out = new Set<string>();
  while (out.size < 36) out.add(new Date(Date.UTC(2024 + rng.int(2), rng.int(12), 1 + rng.int(28), rng.int(24), rng.pick([0, 30]))).toISOString());
  return [...out];
}

function leadId(k: number): string {
  // ids sharing a stem differ only by suffixes that order differently in UTF-8, UTF-16 and code points
  return `l${Math.floor(k / ID_SUFFIXES.length).toString(36).padStart(3, '0')}${ID_SUFFIXES[k % ID_SUFFIXES.length]!}`;
}

function userId(k: number): string {
  return `u${k.toString(36).padStart(2, '0')}${k % 3 === 0 ? '😀' : ''}`;
}

class World {
  readonly created: string[];
  leadCount = 0;
  userCount = 0;
  /** Late in the run a status may be an array: the indexes on statusId turn multikey (no sort, no range by them). */
  statusArrays = false;
  constructor(readonly rng: Rng) {
    this.created = createdPool(rng);
  }

  tenant(): string {
    return this.rng.weighted([
      [70, TENANTS[0]],
      [25, TENANTS[1]],
      [5, TENANTS[2]],
    ]);
  }
  anyTenant(): string {
    return this.rng.chance(0.05) ? NO_TENANT : this.tenant();
  }
  /** A source value for a filter: null matches null and missing. */
  sourceValue(): string | null {
    return this.rng.chance(0.12) ? null : this.rng.pick(SOURCES);
  }
  status(): unknown {
    return this.rng.pick(STATUSES);
  }
  storedStatus(): unknown {
    return this.statusArrays && this.rng.chance(0.03) ? [this.status(), this.status()] : this.status();
  }
  createdAt(): string {
    return this.rng.pick(this.created);
  }
  /** A bound for a createdAt range: a pool value (ties on the bound) or a prefix lying between values. */
  createdBound(): unknown {
    const r = this.rng.float();
    // other types: bounds of another BSON type than most values (a range keeps to one type)
    if (r < 0.03) return Date.UTC(2024, this.rng.int(12), 1);
    if (r < 0.05) return new Date(Date.UTC(2024, this.rng.int(12), 1));
    const value = this.createdAt();
    return r < 0.35 ? value.slice(0, this.rng.pick([4, 7, 10, 13])) : value;
  }
  score(): unknown {
    const r = this.rng.float();
    if (r < 0.06) return String(this.rng.between(-5, 99));
    if (r < 0.16) return this.rng.pick(SPECIAL_SCORES);
    if (r < 0.6) return this.rng.between(-50, 50);
    return Math.round((this.rng.float() * 200 - 100) * 1000) / 1000;
  }
  scoreBound(): unknown {
    const r = this.rng.float();
    if (r < 0.08) return String(this.rng.between(0, 9));
    if (r < 0.2) return this.rng.pick(SPECIAL_SCORES.filter((s) => s !== null));
    if (r < 0.6) return this.rng.between(-50, 50);
    return Math.round((this.rng.float() * 200 - 100) * 10) / 10;
  }
  tag(): unknown {
    return this.rng.chance(0.04) ? 7 : this.rng.pick(TAGS);
  }
  tags(): unknown[] {
    const n = this.rng.weighted([
      [15, 0],
      [40, 1],
      [30, 2],
      [15, 3],
    ]);
    // repeats on purpose: a multikey index must not hand a document out twice
    return Array.from({ length: n }, () => this.tag());
  }
  name(): string {
    return `${this.rng.pick(NAMES)} ${this.rng.int(50)}`;
  }
  email(): string {
    return this.rng.pick(EMAILS);
  }
  existingLeadId(): string {
    return leadId(this.rng.int(Math.max(1, this.leadCount)));
  }
  newLeadId(): string {
    return leadId(this.leadCount++);
  }
  existingUserId(): string {
    return userId(this.rng.int(Math.max(1, this.userCount)));
  }
  newUserId(): string {
    return userId(this.userCount++);
  }

  lead(id: string): Document {
    const rng = this.rng;
    const doc: Document = { _id: id, tenantId: this.tenant() };
    const sourceKind = rng.float();
    if (sourceKind < 0.1) doc['source'] = null;
    else if (sourceKind < 0.8) doc['source'] = rng.pick(SOURCES); // else: missing
    if (rng.chance(0.9)) doc['statusId'] = this.storedStatus();
    const createdKind = rng.float();
    if (createdKind < 0.02) doc['createdAt'] = null;
    else if (createdKind < 0.03) doc['createdAt'] = Date.UTC(2024, rng.int(12), 1);
    else if (createdKind < 0.04) doc['createdAt'] = new Date(Date.UTC(2024, rng.int(12), 1));
    else if (createdKind < 0.99) doc['createdAt'] = this.createdAt(); // else: missing
    if (rng.chance(0.9)) doc['score'] = this.score();
    if (rng.chance(0.85)) doc['tags'] = this.tags();
    if (rng.chance(0.8)) doc['custom'] = rng.chance(0.8) ? { a: rng.chance(0.85) ? rng.int(10) : rng.pick(['x', 'é', '']) } : {};
    // shapes the SQL prefilter must not reject: paths through arrays, arrays of values, reals, nulls
    const customKind = rng.float();
    if (customKind < 0.1) doc['custom'] = [{ a: rng.int(10) }, { a: rng.pick(['x', rng.int(10) + 0.5]) }];
    else if (customKind < 0.18) doc['custom'] = { a: [rng.int(10), rng.pick(['x', 2.5, null])] };
    else if (customKind < 0.24) doc['custom'] = { a: rng.pick([rng.int(10) + 0.25, null, true, { b: 1 }, 1e21, 0.1 + 0.2]) };
    doc['name'] = this.name();
    if (rng.chance(0.3)) doc['n'] = rng.int(5);
    if (rng.chance(0.1)) doc['seenAt'] = new Date(Date.UTC(2024, rng.int(12), 1 + rng.int(28)));
    return doc;
  }

  user(id: string): Document {
    const doc: Document = { _id: id, tenantId: this.tenant(), name: this.name() };
    // a second user without an email collides on the unique index (missing counts as null)
    if (this.rng.chance(0.97)) doc['email'] = this.email();
    return doc;
  }

  createdRange(): Obj {
    const a = this.createdBound();
    const b = this.createdBound();
    const [lo, hi] = compareValues(a, b) <= 0 ? [a, b] : [b, a];
    return this.range(lo, hi);
  }
  scoreRange(): Obj {
    const a = this.scoreBound();
    const b = this.scoreBound();
    const [lo, hi] = compareValues(a, b) <= 0 ? [a, b] : [b, a];
    return this.range(lo, hi);
  }
  private range(lo: unknown, hi: unknown): Obj {
    switch (this.rng.int(6)) {
      case 0:
        return { $gte: lo };
      case 1:
        return { $gt: lo };
      case 2:
        return { $lt: hi };
      case 3:
        return { $lte: hi };
      case 4:
        return { $gte: lo, $lt: hi };
      default:
        return { $gt: lo, $lte: hi };
    }
  }

  /** A filter for reads (and updateMany): the shapes the planner serves, and some it must leave to a scan. */
  filter(): Filter {
    const rng = this.rng;
    const t = (): string => this.anyTenant();
    const shapes: (() => Filter)[] = [
      () => ({}),
      () => ({ tenantId: t() }),
      () => ({ tenantId: { $eq: t() } }),
      () => ({ tenantId: { $in: [t(), t()] } }),
      () => ({ tenantId: t(), source: this.sourceValue() }),
      () => ({ $and: [{ tenantId: t() }, { source: this.sourceValue() }] }),
      () => ({ tenantId: t(), source: { $in: [this.sourceValue(), this.sourceValue(), this.sourceValue()] } }),
      () => ({ source: { $in: [this.sourceValue(), this.sourceValue()] } }),
      () => ({ tenantId: t(), statusId: this.status() }),
      () => ({ tenantId: t(), statusId: { $in: [this.status(), this.status()] }, createdAt: this.createdRange() }),
      () => ({ tenantId: t(), createdAt: this.createdRange() }),
      () => ({ tenantId: t(), createdAt: this.createdAt() }),
      () => ({ tenantId: t(), source: this.sourceValue(), createdAt: this.createdRange() }),
      () => ({ $and: [{ tenantId: t() }, { createdAt: this.createdRange() }, { source: { $ne: this.sourceValue() } }] }),
      () => ({ $and: [{ tenantId: t() }, { createdAt: { $gte: this.createdBound() } }, { createdAt: { $lt: this.createdBound() } }] }),
      () => ({ createdAt: this.createdRange() }),
      () => ({ score: this.scoreRange() }),
      () => ({ tenantId: t(), score: this.scoreRange() }),
      () => ({ statusId: this.status(), score: this.scoreRange() }),
      () => ({ $or: [{ tenantId: t() }, { source: this.sourceValue() }] }),
      () => ({ tenantId: t(), $or: [{ source: this.sourceValue() }, { score: this.scoreRange() }] }),
      () => ({ tags: this.tag() }),
      () => ({ tags: this.tag(), tenantId: t() }),
      () => ({ tags: { $in: [this.tag(), this.tag()] } }),
      () => ({ tags: { $in: [this.tag(), this.tag()] }, tenantId: { $in: [t(), t()] } }),
      () => ({ tags: { $all: [this.tag(), this.tag()] } }),
      () => ({ tags: null }),
      () => ({ tags: { $size: 0 } }),
      () => ({ tags: { $exists: true }, tenantId: t() }),
      () => ({ name: { $regex: rng.pick(['^é', '^E', 'a', '😀', 'ß', '\u0000', '^[AB]']), ...(rng.chance(0.3) ? { $options: 'i' } : {}) } }),
      () => ({ tenantId: t(), source: { $regex: rng.pick(['^e', 'mail$', '😀', '^$']) } }),
      () => ({ source: null }),
      () => ({ tenantId: t(), source: null }),
      () => ({ source: { $exists: false } }),
      () => ({ tenantId: t(), source: { $exists: true }, statusId: { $exists: false } }),
      () => ({ 'custom.a': { $exists: true } }),
      () => ({ 'custom.a': rng.int(10) }),
      // long $in on every field of an index: the probe filter skips probes no entry starts with
      () => ({ tags: { $in: [...TAGS, ...Array.from({ length: 12 }, (_, i) => `none${i}`)] }, tenantId: { $in: [t(), t()] } }),
      () => ({ tags: { $in: Array.from({ length: 20 }, () => (rng.chance(0.3) ? this.tag() : `none${rng.int(50)}`)) }, tenantId: t() }),
      () => ({ 'custom.a': { $in: Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? i : `v${i}`)) } }),
      () => ({ statusId: { $in: STATUSES }, score: { $in: Array.from({ length: 12 }, () => rng.between(-50, 50)) } }),
      () => ({ tenantId: t(), 'custom.a': { $gt: rng.int(10) } }),
      () => ({ _id: this.existingLeadId() }),
      () => ({ _id: { $in: [this.existingLeadId(), this.existingLeadId(), this.existingLeadId()] } }),
      () => ({ _id: { $gte: this.existingLeadId(), $lt: this.existingLeadId() } }),
      () => ({ tenantId: t(), createdAt: { $gt: this.createdBound() }, _id: { $lt: this.existingLeadId() } }),
      () => ({ tenantId: { $ne: t() } }),
      () => ({ tenantId: t(), source: { $nin: [this.sourceValue(), this.sourceValue()] } }),
      () => ({ seenAt: { $exists: true }, tenantId: t() }),
      () => ({ seenAt: { $gte: new Date(Date.UTC(2024, rng.int(12), 1)) } }),
      // the keyset shape of a page: equality on the index prefix, a range on _id
      () => ({ tenantId: t(), createdAt: this.createdAt(), _id: { $lt: this.existingLeadId() } }),
      () => ({ tenantId: { $eq: t() }, createdAt: { $eq: this.createdAt() } }),
      () => ({ tenantId: t(), createdAt: { $in: [this.createdAt(), this.createdAt(), null] } }),
      () => ({ tenantId: t(), statusId: this.status(), createdAt: this.createdRange() }),
      () => ({ tenantId: rng.pick<Obj>([{ $gte: 't', $lt: 'tz' }, { $gt: 'tén' }, { $lte: 't-big' }, { $lt: 't😀' }]) }),
      () => ({ statusId: rng.pick<Obj>([{ $gte: 's1' }, { $lt: 2 }, { $gt: false }, { $gt: 1, $lte: 's2' }, { $gte: '1', $lt: 's3' }]) }),
      () => ({ tenantId: t(), statusId: { $lt: rng.pick(['s2', 's3', 2]) } }),
      () => ({ 'custom.a': { $gte: rng.int(10), $lt: rng.int(10) + 3 } }),
      () => ({ 'custom.a': { $in: [rng.int(10), 'x', null] } }),
      () => ({ 'custom.a': rng.int(10) }),
      // long $in on every field of an index: the probe filter skips probes no entry starts with
      () => ({ tags: { $in: [...TAGS, ...Array.from({ length: 12 }, (_, i) => `none${i}`)] }, tenantId: { $in: [t(), t()] } }),
      () => ({ tags: { $in: Array.from({ length: 20 }, () => (rng.chance(0.3) ? this.tag() : `none${rng.int(50)}`)) }, tenantId: t() }),
      () => ({ 'custom.a': { $in: Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? i : `v${i}`)) } }),
      () => ({ statusId: { $in: STATUSES }, score: { $in: Array.from({ length: 12 }, () => rng.between(-50, 50)) } }),
      () => ({ 'custom.a': rng.pick(['x', 'é', '']) }),
      () => ({ 'custom.a': { $gt: rng.int(10) + rng.pick([0, 0.25, 0.5]) } }),
      () => ({ 'custom.a': { $lte: rng.pick([2.5, 0.30000000000000004, 1e21, 3]) } }),
      () => ({ 'custom.a': { $eq: rng.pick([0.30000000000000004, 1e21, 2.5, 7.5]) } }),
      () => ({ 'custom.a': { $in: [rng.int(10), rng.int(10), 4.5] } }),
      () => ({ 'custom.a': { $in: ['x', 'é'] }, tenantId: t() }),
      () => ({ $and: [{ 'custom.a': { $gte: rng.int(10) } }, { score: { $lt: rng.between(-50, 50) } }] }),
      () => ({ score: rng.between(-50, 50), source: this.sourceValue() }),
      () => ({ name: this.name() }),
      () => ({ tenantId: t(), 'custom.a': { $gte: 2, $lt: 8 }, n: { $in: [1, 2] } }),
      () => ({ source: { $in: [] } }),
      () => ({ tenantId: t(), source: { $not: { $in: [this.sourceValue(), this.sourceValue()] } } }),
      () => ({ $nor: [{ tenantId: t() }, { source: this.sourceValue() }] }),
      () => ({ tags: [this.tag()] }),
      () => ({ tags: { $elemMatch: { $eq: this.tag() } }, tenantId: t() }),
      // more pins than an index plan takes ranges for
      () => ({ _id: { $in: Array.from({ length: 100 }, () => this.existingLeadId()) } }),
      () => ({ tenantId: t(), statusId: { $in: STATUSES }, source: { $in: [...SOURCES, null] } }),
      () => ({ tenantId: { $in: [...TENANTS, NO_TENANT] }, source: { $in: SOURCES }, createdAt: this.createdRange() }),
    ];
    return rng.pick(shapes)();
  }

  /** A filter that matches few documents (updateMany / deleteMany). */
  narrowFilter(): Filter {
    const rng = this.rng;
    const shapes: (() => Filter)[] = [
      () => ({ tenantId: this.tenant(), source: this.sourceValue(), statusId: this.status() }),
      () => ({ tenantId: this.tenant(), createdAt: this.createdAt() }),
      () => ({ tags: this.tag(), tenantId: TENANTS[2] }),
      () => ({ tenantId: this.tenant(), statusId: this.status(), createdAt: { $gte: this.createdAt(), $lt: this.createdBound() } }),
      () => ({ _id: { $in: [this.existingLeadId(), this.existingLeadId(), this.existingLeadId(), this.existingLeadId()] } }),
      () => ({ 'custom.a': rng.int(10), source: this.sourceValue() }),
    ];
    return rng.pick(shapes)();
  }

  /** `$set`/`$unset`/`$inc`, including the indexed fields. `many`: no update that can fail half-way. */
  update(many: boolean): Update {
    const rng = this.rng;
    const $set: Obj = {};
    const $unset: Obj = {};
    const $inc: Obj = {};
    const used = new Set<string>();
    const actions: [string, () => void][] = [
      ['tenantId', () => ($set['tenantId'] = this.tenant())],
      ['source', () => ($set['source'] = this.sourceValue())],
      ['source', () => ($unset['source'] = '')],
      ['statusId', () => ($set['statusId'] = this.storedStatus())],
      ['statusId', () => ($unset['statusId'] = '')],
      ['createdAt', () => ($set['createdAt'] = this.createdAt())],
      ['tags', () => ($set['tags'] = rng.chance(0.05) ? 'solo' : this.tags())],
      ['tags', () => ($unset['tags'] = '')],
      ['custom.a', () => ($set['custom.a'] = rng.chance(0.8) ? rng.int(10) : 'x')],
      ['score', () => ($set['score'] = this.score())],
      ['name', () => ($set['name'] = this.name())],
      ['n', () => ($inc['n'] = rng.between(-2, 3))],
    ];
    // $inc on a score that is a string fails: only where one document is touched
    if (!many) actions.push(['score', () => ($inc['score'] = rng.pick([1, -1, 0.5, 1e21]))]);
    const count = rng.between(1, 3);
    for (let i = 0; i < count; i++) {
      const [path, act] = rng.pick(actions);
      if (used.has(path)) continue;
      used.add(path);
      act();
    }
    const update: Update = {};
    if (Object.keys($set).length > 0) update['$set'] = $set;
    if (Object.keys($unset).length > 0) update['$unset'] = $unset;
    if (Object.keys($inc).length > 0) update['$inc'] = $inc;
    return update;
  }

  sort(): Sort | undefined {
    return this.rng.weighted<Sort | undefined>([
      [10, undefined],
      [14, { createdAt: -1, _id: -1 }],
      [6, { createdAt: 1, _id: 1 }],
      [7, { createdAt: 1 }],
      [5, { createdAt: -1 }],
      [6, { score: 1, _id: 1 }],
      [3, { score: -1, _id: -1 }],
      [3, { score: 1 }],
      [6, { source: 1, createdAt: -1, _id: -1 }],
      [3, { source: -1, createdAt: 1, _id: 1 }],
      [3, { source: 1 }],
      [3, { statusId: 1, createdAt: -1 }],
      [3, { createdAt: -1, _id: 1 }],
      [2, { _id: 1 }],
      [2, { _id: -1 }],
      [2, { tags: 1, _id: 1 }],
      [1, { tags: -1 }],
      [2, { 'custom.a': 1, _id: 1 }],
      [1, { 'custom.a': -1 }],
      [3, { tenantId: 1, createdAt: -1, _id: -1 }],
      [2, { tenantId: -1, createdAt: 1, _id: 1 }],
      [2, { tenantId: 1, source: 1 }],
      [2, { statusId: 1, score: 1, _id: 1 }],
      [1, { statusId: -1, score: -1 }],
    ]);
  }

  projection(): Projection | undefined {
    return this.rng.weighted<Projection | undefined>([
      [75, undefined],
      [7, { tenantId: 1, createdAt: 1 }],
      [7, { tags: 0, custom: 0, name: 0 }],
      [6, { 'custom.a': 1, score: 1 }],
      [5, { source: 1 }],
    ]);
  }
}

// ---- outcomes and comparison ----

interface Side {
  readonly label: string;
  store: ReadStore;
  leads: Collection;
  users: Collection;
}

function attach(side: Side, store: ReadStore, lateIndex: boolean): void {
  side.store = store;
  side.leads = store.collection('leads', { indexes: lateIndex ? [...LEAD_INDEXES, ...LATE_LEAD_INDEXES] : LEAD_INDEXES });
  side.users = store.collection('users', { indexes: USER_INDEXES });
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly name: string; readonly message: string };

async function attempt(work: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { ok: false, name: e.name, message: e.message };
  }
}

function show(value: unknown): string {
  const text = inspect(value, { depth: 8, breakLength: Infinity, maxArrayLength: 12, maxStringLength: 200 });
  return text.length > 3000 ? `${text.slice(0, 3000)}…` : text;
}

function showOutcome(outcome: Outcome): string {
  return outcome.ok ? show(outcome.value) : `threw ${outcome.name}: ${outcome.message}`;
}

/** Error outcomes compare by error name only (messages differ between adapters). */
function sameOutcome(ctx: string, sub: Outcome, ref: Outcome): void {
  if (sub.ok && ref.ok) {
    same(ctx, sub.value, ref.value);
    return;
  }
  if (!sub.ok && !ref.ok && sub.name === ref.name) return;
  assert.fail(`${ctx}\n  ${SUBJECT}: ${showOutcome(sub)}\n  reference: ${showOutcome(ref)}`);
}

function same(ctx: string, sub: unknown, ref: unknown): void {
  if (Array.isArray(sub) && Array.isArray(ref)) {
    sameList(ctx, sub, ref);
    return;
  }
  if (!isDeepStrictEqual(sub, ref)) assert.fail(`${ctx}\n  ${SUBJECT}: ${show(sub)}\n  reference: ${show(ref)}`);
}

function idOf(doc: unknown): unknown {
  return doc !== null && typeof doc === 'object' ? (doc as Obj)['_id'] : doc;
}

function showIds(ids: readonly unknown[], max = 40): string {
  const shown = ids.slice(0, max).map((id) => inspect(id));
  return `[${shown.join(', ')}${ids.length > max ? `, … ${ids.length - max} more` : ''}]`;
}

function idsAround(list: readonly unknown[], i: number): string {
  return showIds(list.slice(Math.max(0, i - 2), i + 3).map(idOf));
}

/** For lists of documents: which ids only one side has (documents shown as the other side has them). */
function membership(sub: readonly unknown[], ref: readonly unknown[]): string {
  const subIds = new Set(sub.map(idOf));
  const refIds = new Set(ref.map(idOf));
  const missing = ref.filter((d) => !subIds.has(idOf(d)));
  const extra = sub.filter((d) => !refIds.has(idOf(d)));
  if (missing.length === 0 && extra.length === 0) return `\n  both hold the same ids`;
  return `\n  only the reference has: ${show(missing.slice(0, 5))}${missing.length > 5 ? ` (${missing.length} in all)` : ''}` +
    `\n  only ${SUBJECT} has: ${show(extra.slice(0, 5))}${extra.length > 5 ? ` (${extra.length} in all)` : ''}`;
}

function sameList(ctx: string, sub: readonly unknown[], ref: readonly unknown[]): void {
  const n = Math.min(sub.length, ref.length);
  for (let i = 0; i < n; i++) {
    if (isDeepStrictEqual(sub[i], ref[i])) continue;
    assert.fail(
      `${ctx}\n  first difference at index ${i} (lengths: ${SUBJECT} ${sub.length}, reference ${ref.length})` +
        `\n  ${SUBJECT}: ${show(sub[i])}\n  reference: ${show(ref[i])}` +
        `\n  ids around it: ${SUBJECT} ${idsAround(sub, i)}, reference ${idsAround(ref, i)}` +
        membership(sub, ref),
    );
  }
  if (sub.length !== ref.length) {
    const longer = sub.length > ref.length ? SUBJECT : 'reference';
    const extra = (sub.length > ref.length ? sub : ref).slice(n, n + 3);
    assert.fail(`${ctx}\n  lengths differ: ${SUBJECT} ${sub.length}, reference ${ref.length}; ${longer} has more, from index ${n}: ${show(extra)}${membership(sub, ref)}`);
  }
}

function byId(docs: readonly Document[]): Document[] {
  return [...docs].sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
}

function isTotal(sort: Sort): boolean {
  return Object.keys(sort).includes('_id');
}

function sortTuple(doc: Obj, sort: Sort): unknown[] {
  return Object.entries(sort).map(([path, direction]) => sortKey(doc, splitPath(path), direction));
}

function compareTuples(a: readonly unknown[], b: readonly unknown[], sort: Sort): number {
  const directions = Object.values(sort);
  for (let i = 0; i < directions.length; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c * directions[i]!;
  }
  return 0;
}

interface ListQuery {
  readonly filter: Filter;
  readonly sort?: Sort;
  readonly skip?: number;
  readonly limit?: number;
  readonly projection?: Projection;
}

/** The reference's full answer for a filter: every match, by id, as found and as projected. */
async function matchSet(ref: Side, filter: Filter, projection: Projection | undefined): Promise<{ full: Map<string, Document>; shaped: Map<string, Document> }> {
  const full = new Map((await ref.leads.find(filter)).map((d) => [d._id, d] as const));
  const shaped = projection ? new Map((await ref.leads.find(filter, { projection })).map((d) => [d._id, d] as const)) : full;
  return { full, shaped };
}

/**
 * Compares two answers to a list query. A total order (the sort holds `_id`) must give the same
 * list. Otherwise ties may come in any order: the lists must have the same sort-key tuples position
 * by position and, unwindowed, the same documents; windowed (skip/limit), every document must be a
 * match of the filter, each once.
 */
async function checkList(ctx: string, sub: unknown, ref: readonly Document[], q: ListQuery, refSide: Side): Promise<void> {
  if (!Array.isArray(sub)) assert.fail(`${ctx}\n  ${SUBJECT} answered ${show(sub)}, not a list`);
  const docs = sub as Document[];
  const sort = q.sort && Object.keys(q.sort).length > 0 ? q.sort : undefined;
  if (sort && isTotal(sort)) {
    sameList(ctx, docs, ref);
    return;
  }
  if (docs.length !== ref.length) {
    assert.fail(`${ctx}\n  ${SUBJECT} found ${docs.length} documents, reference ${ref.length}${membership(docs, ref)}`);
  }
  const windowed = (q.skip ?? 0) > 0 || (q.limit ?? 0) > 0;
  const needFull = windowed || (sort !== undefined && q.projection !== undefined);
  const matches = needFull ? await matchSet(refSide, q.filter, q.projection) : null;
  if (!windowed) {
    sameList(`${ctx} (as a set: both sorted by _id)`, byId(docs), byId(ref));
  } else {
    const seen = new Set<string>();
    for (const doc of docs) {
      if (seen.has(doc._id)) assert.fail(`${ctx}\n  ${SUBJECT} returned ${show(doc._id)} twice: ${show(docs.map(idOf))}`);
      seen.add(doc._id);
      const expected = matches!.shaped.get(doc._id);
      if (!expected) {
        const own = await refSide.leads.findOne({ _id: doc._id });
        assert.fail(`${ctx}\n  ${SUBJECT} returned ${show(doc)}, which the reference does not match (the reference holds ${show(own)})`);
      }
      same(`${ctx} (document ${show(doc._id)})`, doc, expected);
    }
  }
  if (!sort) return;
  const fullDoc = (d: Document): Document => matches?.full.get(d._id) ?? d;
  const subKeys = docs.map((d) => sortTuple(fullDoc(d), sort));
  const refKeys = ref.map((d) => sortTuple(fullDoc(d), sort));
  for (let i = 1; i < refKeys.length; i++) {
    if (compareTuples(refKeys[i - 1]!, refKeys[i]!, sort) > 0) assert.fail(`${ctx}\n  the reference itself is out of order at ${i}: ${show(refKeys[i - 1])} then ${show(refKeys[i])}`);
  }
  for (let i = 0; i < subKeys.length; i++) {
    if (compareTuples(subKeys[i]!, refKeys[i]!, sort) === 0) continue;
    assert.fail(
      `${ctx}\n  sort keys differ at index ${i} of ${subKeys.length}` +
        `\n  ${SUBJECT}: ${show(subKeys[i])} (${show(docs[i]!._id)})\n  reference: ${show(refKeys[i])} (${show(ref[i]!._id)})` +
        `\n  ${SUBJECT} keys around it: ${show(subKeys.slice(Math.max(0, i - 2), i + 3))}\n  reference keys around it: ${show(refKeys.slice(Math.max(0, i - 2), i + 3))}`,
    );
  }
}

// ---- operations ----

interface Op {
  readonly desc: string;
  /** Runs on one store; every argument is a fresh copy for each side. */
  run(side: Side): Promise<unknown>;
  /** Compares a successful read; writes compare their results exactly. */
  check?(ctx: string, sub: unknown, ref: unknown, refSide: Side, subSide: Side): Promise<void>;
}

const copy = <T>(value: T): T => structuredClone(value);

class Rollback extends Error {
  override readonly name = 'Rollback';
  constructor() {
    super('the batch work throws at its end');
  }
}

function call(target: string, method: string, ...args: unknown[]): string {
  return `${target}.${method}(${args.filter((a) => a !== undefined).map(show).join(', ')})`;
}

function leadWrite(w: World): Op {
  const rng = w.rng;
  const kind = rng.weighted([
    [10, 'insertOne'],
    [8, 'insertMany'],
    [22, 'updateOne'],
    [8, 'updateMany'],
    [8, 'replaceOne'],
    [8, 'deleteOne'],
    [3, 'deleteMany'],
    [5, 'bulkWrite'],
    [12, 'user'],
    [3, 'checkpoint'],
  ] as const);
  switch (kind) {
    case 'insertOne': {
      const doc = w.lead(rng.chance(0.08) ? w.existingLeadId() : w.newLeadId());
      return { desc: call('leads', 'insertOne', doc), run: (s) => s.leads.insertOne(copy(doc)) };
    }
    case 'insertMany': {
      const docs = Array.from({ length: rng.between(1, 15) }, () => w.lead(w.newLeadId()));
      // ordered: the documents before a duplicate stay written
      if (rng.chance(0.15)) docs.splice(rng.int(docs.length + 1), 0, w.lead(rng.chance(0.5) ? w.existingLeadId() : docs[0]!._id));
      return { desc: call('leads', 'insertMany', docs), run: (s) => s.leads.insertMany(copy(docs)) };
    }
    case 'updateOne': {
      const id = rng.chance(0.1) ? w.newLeadId() : w.existingLeadId();
      const filter: Filter = rng.chance(0.3) ? { _id: id, tenantId: w.tenant() } : { _id: id };
      const update = w.update(false);
      const options = rng.chance(0.25) ? { upsert: true } : undefined;
      return { desc: call('leads', 'updateOne', filter, update, options), run: (s) => s.leads.updateOne(copy(filter), copy(update), copy(options)) };
    }
    case 'updateMany': {
      const filter = rng.chance(0.6) ? w.narrowFilter() : w.filter();
      // broad filters only touch fields that do not move documents between tenants
      const update: Update =
        Object.keys(filter).length > 0 && rng.chance(0.6) ? w.update(true) : rng.pick<Update>([{ $inc: { n: 1 } }, { $set: { 'custom.a': rng.int(10) } }, { $set: { name: w.name() } }]);
      return { desc: call('leads', 'updateMany', filter, update), run: (s) => s.leads.updateMany(copy(filter), copy(update)) };
    }
    case 'replaceOne': {
      const id = rng.chance(0.15) ? w.newLeadId() : w.existingLeadId();
      const replacement = w.lead(id);
      if (rng.chance(0.4)) delete (replacement as Obj)['_id'];
      const filter: Filter = { _id: id };
      const options = rng.chance(0.3) ? { upsert: true } : undefined;
      return { desc: call('leads', 'replaceOne', filter, replacement, options), run: (s) => s.leads.replaceOne(copy(filter), copy(replacement), copy(options)) };
    }
    case 'deleteOne': {
      const filter: Filter = rng.chance(0.8) ? { _id: w.existingLeadId() } : { _id: w.existingLeadId(), tenantId: w.tenant() };
      return { desc: call('leads', 'deleteOne', filter), run: (s) => s.leads.deleteOne(copy(filter)) };
    }
    case 'deleteMany': {
      const filter = w.narrowFilter();
      return { desc: call('leads', 'deleteMany', filter), run: (s) => s.leads.deleteMany(copy(filter)) };
    }
    case 'bulkWrite': {
      const ops: BulkOperation[] = [];
      for (let i = rng.between(2, 6); i > 0; i--) {
        const id = w.existingLeadId();
        ops.push(
          rng.pick<BulkOperation>([
            { insertOne: { document: w.lead(rng.chance(0.8) ? w.newLeadId() : id) } },
            { updateOne: { filter: { _id: id }, update: w.update(false) } },
            { updateOne: { filter: { _id: w.newLeadId() }, update: w.update(false), upsert: true } },
            { updateMany: { filter: { _id: { $in: [id, w.existingLeadId()] } }, update: { $inc: { n: 1 } } } },
            { replaceOne: { filter: { _id: id }, replacement: w.lead(id) } },
            { deleteOne: { filter: { _id: id } } },
            { deleteMany: { filter: { _id: { $in: [w.existingLeadId(), w.existingLeadId()] } } } },
          ]),
        );
      }
      return { desc: call('leads', 'bulkWrite', ops), run: (s) => s.leads.bulkWrite(copy(ops)) };
    }
    case 'user':
      return userWrite(w);
    case 'checkpoint': {
      const name = rng.pick(['leads.v1', 'users.v1', 'é😀']);
      if (rng.chance(0.2)) return { desc: `deleteCheckpoint(${show(name)})`, run: (s) => s.store.deleteCheckpoint(name) };
      const position = rng.int(1_000_000);
      return { desc: `setCheckpoint(${show(name)}, ${position})`, run: (s) => s.store.setCheckpoint(name, position) };
    }
  }
}

function userWrite(w: World): Op {
  const rng = w.rng;
  if (rng.chance(0.02)) {
    // drop (the unique index stays declared), then fill again: a repeated email stops the insertMany there
    const docs = Array.from({ length: 25 }, () => w.user(w.newUserId()));
    return {
      desc: `users.drop(), then ${call('users', 'insertMany', docs)}`,
      async run(s) {
        await s.users.drop();
        await s.users.insertMany(copy(docs));
      },
    };
  }
  switch (rng.int(5)) {
    case 0: {
      const doc = w.user(rng.chance(0.1) ? w.existingUserId() : w.newUserId());
      return { desc: call('users', 'insertOne', doc), run: (s) => s.users.insertOne(copy(doc)) };
    }
    case 1: {
      const filter: Filter = { _id: w.existingUserId() };
      const update: Update = rng.chance(0.15) ? { $unset: { email: '' } } : { $set: { email: w.email() } };
      return { desc: call('users', 'updateOne', filter, update), run: (s) => s.users.updateOne(copy(filter), copy(update)) };
    }
    case 2: {
      const id = rng.chance(0.3) ? w.newUserId() : w.existingUserId();
      const filter: Filter = { _id: id };
      const update: Update = { $set: { email: w.email(), tenantId: w.tenant() } };
      return { desc: call('users', 'updateOne', filter, update, { upsert: true }), run: (s) => s.users.updateOne(copy(filter), copy(update), { upsert: true }) };
    }
    case 3: {
      const id = w.existingUserId();
      const replacement = w.user(id);
      return { desc: call('users', 'replaceOne', { _id: id }, replacement), run: (s) => s.users.replaceOne({ _id: id }, copy(replacement)) };
    }
    default: {
      const filter: Filter = rng.chance(0.5) ? { _id: w.existingUserId() } : { email: w.email() };
      return { desc: call('users', 'deleteOne', filter), run: (s) => s.users.deleteOne(copy(filter)) };
    }
  }
}

/** A `batch()` of writes, each outcome recorded; the work sometimes throws at the end (everything rolls back). */
function batchOp(w: World): Op {
  const rng = w.rng;
  const writes = Array.from({ length: rng.between(1, 8) }, () => leadWrite(w));
  const probe = w.filter();
  const abort = rng.chance(0.4);
  const nested = rng.chance(0.2);
  const desc = `batch(${abort ? 'throws at the end' : 'commits'}${nested ? ', nested batch inside' : ''}) [${writes.map((op) => op.desc).join('; ')}], then count(${show(probe)}) inside`;
  return {
    desc,
    async run(s) {
      const log: Outcome[] = [];
      const work = async (): Promise<void> => {
        for (const op of writes) log.push(await attempt(() => op.run(s)));
      };
      const outcome = await attempt(() =>
        s.store.batch(async () => {
          if (nested) await s.store.batch(work);
          else await work();
          // reads inside a batch see its writes
          log.push(await attempt(() => s.leads.count(copy(probe))));
          log.push(await attempt(() => s.leads.find(copy(probe), { sort: { createdAt: -1, _id: -1 }, limit: 20 })));
          log.push(await attempt(() => s.store.getCheckpoint('leads.v1')));
          if (abort) throw new Rollback();
          return 'committed';
        }),
      );
      // error messages differ between adapters: keep names only
      return [...log, outcome].map((o) => (o.ok ? o : { ok: false, name: o.name }));
    },
  };
}

async function readOp(w: World, ref: Side): Promise<Op> {
  const rng = w.rng;
  const kind = rng.weighted([
    [34, 'find'],
    [8, 'findOne'],
    [8, 'count'],
    [16, 'findPage'],
    [10, 'stream'],
    [8, 'aggregate'],
    [6, 'users'],
    [2, 'checkpoint'],
  ] as const);
  const filter = w.filter();
  switch (kind) {
    case 'find': {
      const q: ListQuery = {
        filter,
        sort: w.sort(),
        skip: rng.chance(0.25) ? rng.pick([0, 1, 3, 40, 5000]) : undefined,
        limit: rng.chance(0.55) ? rng.pick([1, 2, 10, 50, 300]) : undefined,
        projection: w.projection(),
      };
      const options = { sort: q.sort, skip: q.skip, limit: q.limit, projection: q.projection };
      return {
        desc: call('leads', 'find', filter, options),
        run: (s) => s.leads.find(copy(filter), copy(options)),
        check: (ctx, sub, ref, refSide) => checkList(ctx, sub, ref as Document[], q, refSide),
      };
    }
    case 'findOne': {
      const sort = w.sort();
      const projection = w.projection();
      const options = { sort, projection };
      const q: ListQuery = { filter, sort, limit: 1, projection };
      const asList = (v: unknown): unknown => (v === null ? [] : Array.isArray(v) ? { notADocument: v } : [v]);
      return {
        desc: call('leads', 'findOne', filter, options),
        run: (s) => s.leads.findOne(copy(filter), copy(options)),
        check: (ctx, sub, ref, refSide) => checkList(ctx, asList(sub), asList(ref) as Document[], q, refSide),
      };
    }
    case 'count':
      return {
        desc: call('leads', 'count', filter),
        run: (s) => s.leads.count(copy(filter)),
        async check(ctx, sub, ref, refSide, subSide) {
          if (sub !== ref) assert.fail(`${ctx}\n  ${SUBJECT}: ${show(sub)}\n  reference: ${show(ref)}${await countDiagnosis(filter, subSide, refSide)}`);
        },
      };
    case 'findPage': {
      const sort = w.sort() ?? { createdAt: -1, _id: -1 };
      const limit = rng.pick([1, 5, 20, 100]);
      const projection = w.projection();
      let after: Filter | undefined;
      if (rng.chance(0.6)) {
        const matches = await ref.leads.find(filter);
        const anchor = matches.length > 0 ? rng.pick(matches) : undefined;
        after = anchor && !('tags' in sort) ? keyset(sort, anchor) : { createdAt: w.createdRange() };
      }
      const options = { sort, limit, after, projection };
      const q: ListQuery = { filter: after ? { $and: [filter, after] } : filter, sort, limit, projection };
      return {
        desc: call('leads', 'findPage', filter, options),
        run: (s) => s.leads.findPage(copy(filter), copy(options)),
        async check(ctx, sub, ref, refSide, subSide) {
          const page = sub as { docs?: unknown; total?: unknown } | null;
          const expected = ref as { docs: Document[]; total: number };
          if (page?.total !== expected.total) {
            assert.fail(`${ctx} (total)\n  ${SUBJECT}: ${show(page?.total)}\n  reference: ${show(expected.total)}${await countDiagnosis(filter, subSide, refSide)}`);
          }
          await checkList(`${ctx} (docs)`, page?.docs, expected.docs, q, refSide);
        },
      };
    }
    case 'stream': {
      const sort = w.sort();
      const projection = w.projection();
      const batchSize = rng.weighted<number | undefined>([
        [5, 1],
        [20, 3],
        [30, 64],
        [20, 1000],
        [25, undefined],
      ]);
      // sometimes the loop ends early: the cursor must be released and the store go on
      const stopAfter = rng.chance(0.15) ? rng.between(1, 40) : undefined;
      const options = { sort, projection, batchSize };
      const q: ListQuery = { filter, sort, limit: stopAfter, projection };
      return {
        desc: `${call('leads', 'stream', filter, options)} collected${stopAfter !== undefined ? `, stopping after ${stopAfter}` : ''}`,
        async run(s) {
          const out: Document[] = [];
          for await (const doc of s.leads.stream(copy(filter), copy(options))) {
            out.push(doc);
            if (out.length === stopAfter) break;
          }
          return out;
        },
        check: (ctx, sub, ref, refSide) => checkList(ctx, sub, ref as Document[], q, refSide),
      };
    }
    case 'aggregate': {
      const match = { $match: filter };
      const pipeline: PipelineStage[] = rng.pick<PipelineStage[]>([
        [match, { $group: { _id: '$source', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
        [match, { $group: { _id: '$tenantId', n: { $sum: 1 }, last: { $max: '$createdAt' }, incs: { $sum: '$n' } } }, { $sort: { _id: -1 } }],
        [match, { $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
        [match, { $group: { _id: { t: '$tenantId', s: '$statusId' }, n: { $sum: 1 } } }, { $sort: { '_id.t': 1, '_id.s': 1 } }],
        [match, { $count: 'n' }],
        [match, { $sort: { createdAt: -1, _id: -1 } }, { $limit: 7 }, { $project: { _id: 1, createdAt: 1, source: 1 } }],
      ]);
      return { desc: call('leads', 'aggregate', pipeline), run: (s) => s.leads.aggregate(copy(pipeline)) };
    }
    case 'users': {
      const shapes: [Filter, Sort | undefined][] = [
        [{}, { email: 1, _id: 1 }],
        [{ email: w.email() }, undefined],
        [{ email: { $in: [w.email(), w.email(), w.email()] } }, { _id: 1 }],
        [{ email: { $gte: w.email(), $lt: w.email() } }, { email: -1, _id: -1 }],
        [{ tenantId: w.tenant() }, { email: 1, _id: 1 }],
        [{ tenantId: w.tenant(), email: { $gt: w.email() } }, { email: -1, _id: 1 }],
        [{ email: { $exists: false } }, { _id: 1 }],
      ];
      const [userFilter, sort] = rng.pick(shapes);
      // an email matches at most one user; everything else is sorted by a total order
      return { desc: call('users', 'find', userFilter, { sort }), run: (s) => s.users.find(copy(userFilter), { sort }) };
    }
    case 'checkpoint': {
      const name = rng.pick(['leads.v1', 'users.v1', 'é😀', 'never']);
      return { desc: `getCheckpoint(${show(name)})`, run: (s) => s.store.getCheckpoint(name) };
    }
  }
}

/** When counts differ: what each store's find says the filter matches. */
async function countDiagnosis(filter: Filter, subSide: Side, refSide: Side): Promise<string> {
  const subDocs = await subSide.leads.find(filter);
  const refDocs = await refSide.leads.find(filter);
  return `\n  find(filter) finds ${subDocs.length} on ${SUBJECT}, ${refDocs.length} on the reference${membership(subDocs, refDocs)}`;
}

/** The keyset condition "after `anchor`" for a sort: the documents that come after it. */
function keyset(sort: Sort, anchor: Document): Filter {
  const entries = Object.entries(sort);
  const branches: Filter[] = [];
  for (let i = 0; i < entries.length; i++) {
    const branch: Filter = {};
    for (let j = 0; j < i; j++) {
      const [path, direction] = entries[j]!;
      branch[path] = sortKey(anchor, splitPath(path), direction);
    }
    const [path, direction] = entries[i]!;
    branch[path] = { [direction === 1 ? '$gt' : '$lt']: sortKey(anchor, splitPath(path), direction) };
    branches.push(branch);
  }
  return branches.length === 1 ? branches[0]! : { $or: branches };
}

// ---- the run ----

async function both(ctx: string, op: Op, sides: { sub: Side; ref: Side }): Promise<void> {
  const ref = await attempt(() => op.run(sides.ref));
  const sub = await attempt(() => op.run(sides.sub));
  if (op.check && ref.ok && sub.ok) await op.check(ctx, sub.value, ref.value, sides.ref, sides.sub);
  else sameOutcome(ctx, sub, ref);
}

async function runSeed(seed: number, cacheSize: number | undefined): Promise<{ ops: number; leads: number; users: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'read-store-disk-diff-'));
  const path = join(dir, 'read.db');
  const w = new World(new Rng(seed));
  const ref = { label: 'reference' } as Side;
  const sub = { label: SUBJECT } as Side;
  const sides = { sub, ref };
  let lateIndex = false;
  let ops = 0;
  try {
    attach(ref, await EmbeddedReadStore.open(), lateIndex);
    attach(sub, await openSubject(path, cacheSize), lateIndex);

    const step = async (where: string, op: Op): Promise<void> => {
      ops++;
      await both(`seed=${seed} cacheSize=${cacheSize ?? 'default'} ${where} op#${ops}: ${op.desc}`, op, sides);
    };
    const compareAll = async (where: string): Promise<void> => {
      await step(`${where} (all leads)`, { desc: call('leads', 'find', {}, { sort: { _id: 1 } }), run: (s) => s.leads.find({}, { sort: { _id: 1 } }) });
      await step(`${where} (all users)`, { desc: call('users', 'find', {}, { sort: { _id: -1 } }), run: (s) => s.users.find({}, { sort: { _id: -1 } }) });
      await step(`${where} (count)`, { desc: 'leads.count()', run: (s) => s.leads.count() });
    };

    // load: insertMany in chunks, and a few one by one
    for (let loaded = 0; loaded < INITIAL_LEADS; ) {
      const size = Math.min(INITIAL_LEADS - loaded, w.rng.pick([1, 50, 400]));
      const docs = Array.from({ length: size }, () => w.lead(w.newLeadId()));
      loaded += size;
      await step('load', { desc: `leads.insertMany(${size} documents, ${docs[0]!._id}…)`, run: (s) => s.leads.insertMany(copy(docs)) });
    }
    const users = Array.from({ length: INITIAL_USERS }, () => w.user(w.newUserId()));
    for (const doc of users) await step('load', { desc: call('users', 'insertOne', doc), run: (s) => s.users.insertOne(copy(doc)) });
    await compareAll('after load');

    for (let round = 1; round <= ROUNDS; round++) {
      const where = `round ${round}/${ROUNDS}`;
      for (let i = 0; i < WRITES_PER_ROUND; i++) await step(`${where} write`, w.rng.chance(0.12) ? batchOp(w) : leadWrite(w));
      if (round === ROUNDS - 1) w.statusArrays = true;
      if (round === 2) {
        lateIndex = true;
        attach(ref, ref.store, lateIndex);
        attach(sub, sub.store, lateIndex);
      }
      if (round === Math.ceil(ROUNDS / 2)) {
        await sub.store.close();
        attach(sub, await openSubject(path, cacheSize), lateIndex);
        await compareAll(`${where} after reopen`);
      }
      for (let i = 0; i < READS_PER_ROUND; i++) await step(`${where} read`, await readOp(w, ref));
      await compareAll(`${where} end`);
    }

    await sub.store.close();
    attach(sub, await openSubject(path, cacheSize), lateIndex);
    await compareAll('final reopen');
    for (let i = 0; i < 15; i++) await step('after final reopen read', await readOp(w, ref));
    return { ops, leads: await ref.leads.count(), users: await ref.users.count() };
  } finally {
    await sub.store?.close().catch(() => undefined);
    await ref.store?.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

describe(`DiskReadStore, differential against EmbeddedReadStore (${SUBJECT})`, () => {
  (SEEDS.length > 0 ? SEEDS : DEFAULT_SEEDS).forEach((seed, i) => {
    const cacheSize = CACHE_SIZES[i % CACHE_SIZES.length];
    it(`answers every random read and write like the in-memory store (seed ${seed}, cacheSize ${cacheSize ?? 'default'})`, async (t) => {
      const started = Date.now();
      const { ops, leads, users } = await runSeed(seed, cacheSize);
      t.diagnostic(`seed ${seed}: ${ops} operations compared, ${leads} leads and ${users} users at the end, ${Date.now() - started} ms`);
    });
  });
});
