/**
 * Query planning for the disk store: which declared index (if any) narrows a filter, in which key
 * ranges, whether scanning it gives the requested sort, and whether it answers the filter exactly
 * (a count then needs no document). The full filter is always checked again on every document an
 * index hands out, so a plan only has to find a superset of the matches.
 */
import type { Filter, Sort } from '@leadstream/read-store';
import { isOperatorObject, pinnedValues } from '../mongo-ops';
import { isPlainObject } from '../values';
import { KeyWriter, prefixEnd, typeTag, writePart } from './index-key';

export interface IndexMeta {
  readonly ix: number;
  readonly name: string;
  readonly fields: readonly string[];
  readonly directions: readonly (1 | -1)[];
  readonly unique: boolean;
  /** Some document reached an array on an indexed path: entries are per element (no sort, no range). */
  readonly multikey: boolean;
  /** The key ends with the document's `_id` (non-unique indexes without an `_id` field): keys are unique. */
  readonly idSuffix: boolean;
}

export interface KeyRange {
  /** inclusive */
  readonly start: Buffer;
  /** exclusive; null: to the end of the index */
  readonly end: Buffer | null;
}

export type Plan =
  | { readonly kind: 'ids'; readonly ids: readonly string[] }
  | { readonly kind: 'scan' }
  | {
      readonly kind: 'index';
      readonly index: IndexMeta;
      readonly ranges: readonly KeyRange[];
      /** 1 / -1: scanning forwards / backwards gives the requested sort; 0: no sort, or not this way. */
      readonly order: 1 | -1 | 0;
      /** The ranges hold exactly the documents the filter matches (one entry each). */
      readonly covered: boolean;
      /** Every field of the index is pinned by equality: each range is the keys starting with one full set of values. */
      readonly fullEquality: boolean;
    };

type Scalar = string | number | boolean | Date;

interface Bound {
  readonly value: Scalar;
  readonly inclusive: boolean;
}

interface FieldConditions {
  eq?: readonly unknown[];
  lower?: Bound;
  upper?: Bound;
  /** The field has a condition the plan cannot express (so no plan covers the filter). */
  extra: boolean;
}

interface Conditions {
  readonly fields: Map<string, FieldConditions>;
  /** A condition on no single field (`$or`, `$nor`, `$expr`, …). */
  readonly opaque: boolean;
}

/** Most key ranges pins on later index fields may multiply a plan's ranges to. */
const MAX_RANGES = 64;

function isRangeValue(value: unknown): value is Scalar {
  if (typeof value === 'number') return !Number.isNaN(value);
  return typeof value === 'string' || typeof value === 'boolean' || value instanceof Date;
}

function conditionsOf(filter: Filter): Conditions {
  const fields = new Map<string, FieldConditions>();
  let opaque = false;
  const field = (name: string): FieldConditions => {
    let c = fields.get(name);
    if (!c) {
      c = { extra: false };
      fields.set(name, c);
    }
    return c;
  };
  const visit = (f: Filter): void => {
    for (const [key, condition] of Object.entries(f)) {
      if (key === '$and' && Array.isArray(condition)) {
        for (const sub of condition) {
          if (isPlainObject(sub)) visit(sub);
          else opaque = true;
        }
        continue;
      }
      if (key.startsWith('$')) {
        opaque = true;
        continue;
      }
      const c = field(key);
      const pinned = pinnedValues({ [key]: condition }, key);
      if (pinned) {
        if (c.eq) c.extra = true;
        else c.eq = pinned;
        continue;
      }
      if (!isOperatorObject(condition)) {
        c.extra = true;
        continue;
      }
      for (const [op, value] of Object.entries(condition)) {
        const lower = op === '$gt' || op === '$gte';
        const upper = op === '$lt' || op === '$lte';
        if ((!lower && !upper) || !isRangeValue(value)) {
          c.extra = true;
          continue;
        }
        const bound: Bound = { value, inclusive: op.endsWith('e') };
        if (lower) {
          if (c.lower) c.extra = true;
          else c.lower = bound;
        } else if (c.upper) c.extra = true;
        else c.upper = bound;
      }
    }
  };
  visit(filter);
  return { fields, opaque };
}

function withPart(prefix: Buffer, value: unknown, direction: 1 | -1): Buffer {
  const w = new KeyWriter();
  writePart(w, value, direction);
  return Buffer.concat([prefix, w.toBuffer()]);
}

/** Keys after `prefix` whose next part lies within the bounds (all of one BSON type, like MongoDB's). */
function boundedRange(prefix: Buffer, typed: Scalar, lower: Bound | undefined, upper: Bound | undefined, direction: 1 | -1): KeyRange | null {
  const w = new KeyWriter();
  w.byte(direction === 1 ? typeTag(typed) : 0xff - typeTag(typed));
  let start: Buffer | null = Buffer.concat([prefix, w.toBuffer()]);
  let end = prefixEnd(start);
  const low = direction === 1 ? lower : upper;
  const high = direction === 1 ? upper : lower;
  if (low) {
    const p = withPart(prefix, low.value, direction);
    start = low.inclusive ? p : prefixEnd(p);
  }
  if (high) {
    const p = withPart(prefix, high.value, direction);
    end = high.inclusive ? prefixEnd(p) : p;
  }
  if (start === null) return null;
  if (end !== null && Buffer.compare(start, end) >= 0) return null;
  return { start, end };
}

interface Candidate {
  readonly plan: Extract<Plan, { kind: 'index' }>;
  readonly score: number;
}

function planIndex(index: IndexMeta, conditions: Conditions, sort: readonly (readonly [string, 1 | -1])[]): Candidate | null {
  let prefixes: Buffer[] = [Buffer.alloc(0)];
  const pinnedOnce = new Set<string>();
  const consumed = new Set<string>();
  let k = 0;
  for (; k < index.fields.length; k++) {
    const name = index.fields[k]!;
    const eq = conditions.fields.get(name)?.eq;
    if (!eq) break;
    const unique = new Map<string, unknown>();
    for (const value of eq) unique.set(withPart(Buffer.alloc(0), value, 1).toString('latin1'), value);
    // the first field is always worth its ranges (however long its `$in`); later ones multiply
    // them, except a single value, which only makes each range narrower
    if (k > 0 && unique.size > 1 && prefixes.length * unique.size > MAX_RANGES) break;
    const direction = index.directions[k]!;
    const next: Buffer[] = [];
    for (const prefix of prefixes) for (const value of unique.values()) next.push(withPart(prefix, value, direction));
    prefixes = next;
    consumed.add(name);
    if (unique.size === 1) pinnedOnce.add(name);
  }
  let ranges: KeyRange[] = [];
  let rangeUsed = false;
  const rangeField = index.fields[k];
  const rc = rangeField === undefined ? undefined : conditions.fields.get(rangeField);
  if (rc && !index.multikey && (rc.lower || rc.upper) && !rc.eq) {
    let lower = rc.lower;
    let upper = rc.upper;
    // bounds of two types match nothing in MongoDB; keep one (the filter check does the rest)
    let exact = !lower || !upper || typeTag(lower.value) === typeTag(upper.value);
    if (!exact) upper = undefined;
    // NaN sorts below every number, and the query engine lets `$gte`/`$lte` of a number match it
    // but not `$gt`/`$lt`: a numeric range starts at the first number (NaN included), and only
    // the filter decides (a count reads the documents)
    if (typeof (lower ?? upper)!.value === 'number') {
      lower = undefined;
      exact = false;
    }
    const typed = rc.lower ?? rc.upper!;
    for (const prefix of prefixes) {
      const range = boundedRange(prefix, typed.value, lower, upper, index.directions[k]!);
      if (range) ranges.push(range);
    }
    rangeUsed = true;
    if (exact) consumed.add(rangeField!);
  } else {
    ranges = prefixes.map((start) => ({ start, end: start.length === 0 ? null : prefixEnd(start) }));
  }
  // the order a scan gives: the fields after the pinned ones, then the `_id` suffix
  let order: 1 | -1 | 0 = 0;
  if (sort.length > 0 && !index.multikey && prefixes.length === 1) {
    const effective: (readonly [string, 1 | -1])[] = [];
    for (let i = k; i < index.fields.length; i++) effective.push([index.fields[i]!, index.directions[i]!]);
    if (index.idSuffix) effective.push(['_id', index.directions[index.directions.length - 1]!]);
    const wanted = sort.filter(([name]) => !pinnedOnce.has(name));
    if (wanted.length <= effective.length) {
      let forward = true;
      let backward = true;
      wanted.forEach(([name, direction], i) => {
        const [field, indexDirection] = effective[i]!;
        if (field !== name) forward = backward = false;
        else if (direction === indexDirection) backward = false;
        else forward = false;
      });
      order = forward ? 1 : backward ? -1 : 0;
    }
  }
  if (k === 0 && !rangeUsed && order === 0) return null;
  let covered = !conditions.opaque && !index.multikey;
  for (const [name, c] of conditions.fields) if (c.extra || !consumed.has(name)) covered = false;
  const score = 2 * k + (rangeUsed ? 1 : 0) + (order !== 0 ? 1.5 : 0);
  const fullEquality = k === index.fields.length && !rangeUsed;
  return { plan: { kind: 'index', index, ranges, order, covered, fullEquality }, score };
}

/** The cheapest way to find what `filter` matches (in `sort` order, where an index gives it). */
export function planQuery(filter: Filter, indexes: readonly IndexMeta[], sort?: Sort): Plan {
  const ids = pinnedValues(filter, '_id');
  if (ids) return { kind: 'ids', ids: [...new Set(ids.filter((id): id is string => typeof id === 'string'))] };
  const conditions = conditionsOf(filter);
  const wanted = Object.entries(sort ?? {}).map(([name, direction]) => [name, direction === -1 ? -1 : 1] as const);
  let best: Candidate | null = null;
  for (const index of indexes) {
    const candidate = planIndex(index, conditions, wanted);
    if (candidate && (!best || candidate.score > best.score)) best = candidate;
  }
  return best ? best.plan : { kind: 'scan' };
}
