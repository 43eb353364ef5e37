/**
 * MongoDB query, update and pipeline semantics over in-memory documents: mingo does the heavy
 * lifting; simple shapes (equality filters, `$set`/`$unset`/`$inc` on plain paths) take fast paths.
 */
import { Aggregator, Query } from 'mingo';
import { update as mingoUpdate } from 'mingo/updater';
import type { Filter, FindOptions, PipelineStage, Sort, Update } from '@leadstream/read-store';
import { compileFastFilter, NEEDS_FULL_MATCH } from './fast-filter';
import { clone, compareValues, isEqual, isPlainObject, setPath, sortKey, splitPath } from './values';

type Obj = Record<string, unknown>;
export type Predicate = (doc: Obj) => boolean;

const matchAll: Predicate = () => true;

/** No `$where`/`$function`/`$accumulator`: filters may carry request values, and must never run code. */
const MINGO_OPTIONS = { scriptEnabled: false } as const;

function isSimpleValue(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && !Number.isNaN(value));
}

/** Plain object whose keys are all operators (`{ $gt: 1 }`), as opposed to an embedded document. */
export function isOperatorObject(value: unknown): value is Obj {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

/** Compiles a filter into a predicate. Equality on top-level fields is matched by hand; the rest by mingo. */
export function compileFilter(filter: Filter | undefined): Predicate {
  if (!filter) return matchAll;
  const keys = Object.keys(filter);
  if (keys.length === 0) return matchAll;
  const simple = keys.every((k) => !k.startsWith('$') && !k.includes('.') && isSimpleValue(filter[k]));
  if (simple) {
    const entries = keys.map((k) => [k, filter[k]] as const);
    return (doc) => {
      for (const [key, expected] of entries) {
        const actual = doc[key];
        if (actual !== expected && !(Array.isArray(actual) && actual.includes(expected))) return false;
      }
      return true;
    };
  }
  const query = new Query(filter, MINGO_OPTIONS);
  const fast = compileFastFilter(filter);
  if (!fast) return (doc) => query.test(doc);
  return (doc) => {
    try {
      return fast(doc);
    } catch (error) {
      if (error === NEEDS_FULL_MATCH) return query.test(doc);
      throw error;
    }
  };
}

/**
 * The first `k` documents in the order of `sort` (ties: iteration order), without sorting them
 * all: a bounded, ordered buffer — O(n log k) instead of O(n log n) for a page of a large match.
 */
export function topDocuments<T extends Obj>(docs: Iterable<T>, matches: Predicate, sort: Sort, k: number): T[] {
  const keys = Object.entries(sort).map(([path, direction]) => ({ parts: splitPath(path), direction: direction === -1 ? (-1 as const) : (1 as const) }));
  type Entry = { doc: T; index: number; values: unknown[] };
  const compare = (a: Entry, b: Entry): number => {
    for (let i = 0; i < keys.length; i++) {
      const c = compareValues(a.values[i], b.values[i]);
      if (c !== 0) return c * keys[i]!.direction;
    }
    return a.index - b.index;
  };
  const top: Entry[] = [];
  let index = 0;
  for (const doc of docs) {
    if (!matches(doc)) continue;
    const entry: Entry = { doc, index: index++, values: keys.map((key) => sortKey(doc, key.parts, key.direction)) };
    if (top.length === k && compare(entry, top[k - 1]!) >= 0) continue;
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(top[mid]!, entry) <= 0) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, entry);
    if (top.length > k) top.pop();
  }
  return top.map((e) => e.doc);
}

/** Equality values a filter pins a top-level field to (`{f: v}`, `{f: {$eq: v}}`, `{f: {$in: [...]}}`), if simple. */
export function pinnedValues(filter: Filter, field: string): readonly (string | number | boolean | null)[] | null {
  if (!Object.prototype.hasOwnProperty.call(filter, field)) {
    // every member of a top-level `$and` must hold: a pin in any of them pins the whole filter
    const all = filter['$and'];
    if (!Array.isArray(all)) return null;
    for (const sub of all) {
      if (!isPlainObject(sub)) continue;
      const pinned = pinnedValues(sub, field);
      if (pinned) return pinned;
    }
    return null;
  }
  const condition = filter[field];
  if (condition === null || isSimpleValue(condition)) return [condition];
  if (!isOperatorObject(condition)) return null;
  if ('$eq' in condition) {
    const v = condition['$eq'];
    return v === null || isSimpleValue(v) ? [v] : null;
  }
  if ('$in' in condition && Array.isArray(condition['$in'])) {
    const values = condition['$in'] as unknown[];
    return values.every((v) => v === null || isSimpleValue(v)) ? (values) : null;
  }
  return null;
}

/** The document an upsert starts from: the filter's equality conditions (also inside `$and`). */
export function upsertSeed(filter: Filter): Obj {
  const seed: Obj = {};
  const visit = (f: Filter): void => {
    for (const [key, condition] of Object.entries(f)) {
      if (key === '$and' && Array.isArray(condition)) {
        for (const sub of condition) if (isPlainObject(sub)) visit(sub);
        continue;
      }
      if (key.startsWith('$')) continue;
      let value: unknown = condition;
      if (isOperatorObject(condition)) {
        if (!('$eq' in condition)) continue;
        value = condition['$eq'];
      }
      if (value instanceof RegExp) continue;
      setPath(seed, key, clone(value));
    }
  };
  visit(filter);
  return seed;
}

const FAST_OPERATORS = new Set(['$set', '$unset', '$inc']);

/** An update document checked and copied once, ready to apply to many documents. */
export interface PreparedUpdate {
  readonly operators: Obj;
  readonly setOnInsert: Obj | undefined;
  /** `$set`/`$unset`/`$inc` on plain dotted paths without conflicts: applied without mingo. */
  readonly fast: boolean;
  readonly positional: boolean;
}

export function prepareUpdate(update: Update): PreparedUpdate {
  if (!isPlainObject(update)) throw new TypeError('update must be an object of update operators');
  const keys = Object.keys(update);
  if (keys.length === 0 || !keys.every((k) => k.startsWith('$'))) {
    throw new TypeError(`update must contain only update operators ($set, $inc, …), got: ${keys.join(', ') || 'nothing'}`);
  }
  const operators: Obj = {};
  let setOnInsert: Obj | undefined;
  const paths: string[] = [];
  let fast = true;
  let positional = false;
  for (const key of keys) {
    const expression = update[key];
    if (!isPlainObject(expression)) throw new TypeError(`${key} needs an object of fields`);
    const copy = clone(expression);
    if (key === '$setOnInsert') setOnInsert = copy;
    else operators[key] = copy;
    if (!FAST_OPERATORS.has(key) && key !== '$setOnInsert') fast = false;
    for (const path of Object.keys(copy)) {
      paths.push(path);
      if (path.includes('$')) positional = true;
      if (path.split('.').some((p) => p === '' || p.startsWith('$') || /^\d+$/.test(p))) fast = false;
      if (key === '$inc' && typeof copy[path] !== 'number') fast = false;
    }
  }
  if (fast && hasConflicts(paths)) fast = false;
  return { operators, setOnInsert, fast, positional };
}

/** True when a path repeats or is a prefix of another (MongoDB rejects such updates; mingo says why). */
function hasConflicts(paths: readonly string[]): boolean {
  let prev: string | undefined;
  for (const cur of [...paths].sort()) {
    if (prev !== undefined && (cur === prev || cur.startsWith(prev + '.'))) return true;
    prev = cur;
  }
  return false;
}

/**
 * Applies an update to `doc` in place (callers pass a private copy). On insert, `$setOnInsert`
 * fields are applied too. `filter` resolves the positional `$` operator.
 */
export function applyUpdate(doc: Obj, prepared: PreparedUpdate, inserting: boolean, filter: Filter): void {
  let operators = prepared.operators;
  if (inserting && prepared.setOnInsert) {
    operators = { ...operators, $set: { ...(operators['$set'] as Obj | undefined), ...prepared.setOnInsert } };
  }
  if (operators['$addToSet']) operators = applyAddToSet(doc, operators);
  if (Object.keys(operators).length === 0) return;
  if (prepared.fast && applyFast(doc, operators)) return;
  mingoUpdate(doc, operators, undefined, prepared.positional ? filter : undefined, { cloneMode: 'none', queryOptions: MINGO_OPTIONS });
}

/**
 * `$addToSet` on plain paths, done here because mingo's also de-duplicates what the array already
 * held (MongoDB leaves existing elements alone). Returns the operators left for mingo.
 */
function applyAddToSet(doc: Obj, operators: Obj): Obj {
  const spec = operators['$addToSet'] as Obj;
  const rest: Obj = {};
  for (const [path, value] of Object.entries(spec)) {
    const parts = splitPath(path);
    if (parts.some((p) => p === '' || p.startsWith('$') || /^\d+$/.test(p))) {
      rest[path] = value;
      continue;
    }
    const values = isPlainObject(value) && '$each' in value ? value['$each'] : [value];
    if (!Array.isArray(values)) throw new TypeError('the argument to $each in $addToSet must be an array');
    let target: Obj = doc;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i]!;
      let next = target[part];
      if (next === undefined) {
        next = {};
        target[part] = next;
      } else if (!isPlainObject(next)) {
        throw new TypeError(`cannot apply $addToSet to ${path}: ${part} is not an embedded document`);
      }
      target = next as Obj;
    }
    // split() always yields at least one part
    const last = parts[parts.length - 1]!;
    const current = target[last];
    if (current !== undefined && !Array.isArray(current)) throw new TypeError(`cannot apply $addToSet to non-array field ${path}`);
    const array = (current as unknown[] | undefined) ?? [];
    for (const v of values) if (!array.some((existing) => isEqual(existing, v))) array.push(clone(v));
    target[last] = array;
  }
  const remaining: Obj = { ...operators };
  if (Object.keys(rest).length > 0) remaining['$addToSet'] = rest;
  else delete remaining['$addToSet'];
  return remaining;
}

/** `$set`/`$unset`/`$inc` on plain paths through embedded documents; false (doc untouched) when it can't. */
function applyFast(doc: Obj, operators: Obj): boolean {
  // check first, so that a fallback starts from an untouched document
  for (const [op, fields] of Object.entries(operators)) {
    for (const path of Object.keys(fields as Obj)) {
      const parts = splitPath(path);
      let target: unknown = doc;
      for (let i = 0; i < parts.length - 1; i++) {
        target = (target as Obj)[parts[i]!];
        if (target === undefined) break;
        if (!isPlainObject(target)) return false;
      }
      if (op === '$inc' && target !== undefined) {
        // split() always yields at least one part
        const current = (target as Obj)[parts[parts.length - 1]!];
        if (current !== undefined && typeof current !== 'number') return false;
      }
    }
  }
  for (const [op, fields] of Object.entries(operators)) {
    for (const [path, value] of Object.entries(fields as Obj)) {
      const parts = splitPath(path);
      // split() always yields at least one part
      const last = parts[parts.length - 1]!;
      if (op === '$unset') {
        let target: unknown = doc;
        for (let i = 0; i < parts.length - 1 && target !== undefined; i++) target = (target as Obj)[parts[i]!];
        if (target !== undefined) delete (target as Obj)[last];
        continue;
      }
      let target: Obj = doc;
      for (let i = 0; i < parts.length - 1; i++) {
        const part = parts[i]!;
        let next = target[part];
        if (next === undefined) {
          next = {};
          target[part] = next;
        }
        target = next as Obj;
      }
      if (op === '$set') target[last] = value;
      else target[last] = ((target[last] as number | undefined) ?? 0) + (value as number);
    }
  }
  return true;
}

/** Sorts documents by a MongoDB sort specification (BSON order, arrays by their min/max element). */
export function sortDocuments<T extends Obj>(docs: readonly T[], sort: Sort): T[] {
  const keys = Object.entries(sort).map(([path, direction]) => ({ parts: splitPath(path), direction: direction === -1 ? (-1 as const) : (1 as const) }));
  if (keys.length === 0) return [...docs];
  const decorated = docs.map((doc, index) => ({ doc, index, values: keys.map((k) => sortKey(doc, k.parts, k.direction)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const c = compareValues(a.values[i], b.values[i]);
      if (c !== 0) return c * keys[i]!.direction;
    }
    return a.index - b.index;
  });
  return decorated.map((d) => d.doc);
}

/** Applies a find projection (include or exclude, dotted paths) to documents; the result may share references. */
export function project(docs: readonly Obj[], projection: NonNullable<FindOptions['projection']>): Obj[] {
  return new Query({}, MINGO_OPTIONS).find<Obj>(docs as Obj[], projection).all();
}

/** Stages that read their input without changing it; any other stage gets a private copy of the input. */
const NON_MUTATING_STAGES = new Set([
  '$match',
  '$sort',
  '$limit',
  '$skip',
  '$group',
  '$project',
  '$unwind',
  '$count',
  '$sortByCount',
  '$replaceRoot',
  '$replaceWith',
]);

export interface PreparedPipeline {
  readonly stages: Obj[];
  readonly needsInputCopy: boolean;
}

/** Rewrites `$count` (mingo emits `{n: 0}` on no input, MongoDB emits nothing) and checks the stages. */
export function preparePipeline(pipeline: readonly PipelineStage[]): PreparedPipeline {
  const stages: Obj[] = [];
  let needsInputCopy = false;
  for (const stage of pipeline) {
    const [op, ...others] = Object.keys(stage);
    if (op === undefined || others.length > 0) {
      throw new TypeError(`a pipeline stage needs exactly one operator: ${JSON.stringify(stage)}`);
    }
    if (!NON_MUTATING_STAGES.has(op)) needsInputCopy = true;
    if (op === '$count') {
      const field = stage[op];
      if (typeof field !== 'string' || field === '' || field.startsWith('$') || field.includes('.')) {
        throw new TypeError('$count needs a field name');
      }
      stages.push({ $group: { _id: null, [field]: { $sum: 1 } } }, { $project: { _id: 0 } });
    } else stages.push(stage);
  }
  return { stages, needsInputCopy };
}

export function runPipeline(stages: readonly Obj[], input: Obj[], collectionResolver: (name: string) => Obj[]): Obj[] {
  if (stages.length === 0) return input;
  return new Aggregator(stages as Obj[], { ...MINGO_OPTIONS, collectionResolver }).run<Obj>(input);
}
