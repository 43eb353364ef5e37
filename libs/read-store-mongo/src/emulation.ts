/**
 * MongoDB semantics evaluated in the adapter with mingo, for what the server can't do as MongoDB
 * does (FerretDB 1.x): filters, update operators, projections and aggregation stages.
 */
import { Aggregator, Query } from 'mingo';
import { update as mingoUpdate } from 'mingo/updater';
import type { FieldProjection, Filter, PipelineStage, Update } from '@leadstream/read-store';
import { equalityValue } from './ferretdb';
import { cloneDocument, isPlainObject, pathValue, sameDocument, setPath, type Obj } from './values';

/** No `$where`/`$function`/`$accumulator`: filters may carry request values, and must never run code. */
const MINGO_OPTIONS = { scriptEnabled: false } as const;

export type Predicate = (doc: Obj) => boolean;

export function compileFilter(filter: Filter): Predicate {
  if (Object.keys(filter).length === 0) return () => true;
  const query = new Query(filter, MINGO_OPTIONS);
  return (doc) => query.test(doc);
}

/** A find projection (include or exclude, dotted paths) over documents. */
export function projectDocuments(docs: Obj[], projection: FieldProjection): Obj[] {
  return new Query({}, MINGO_OPTIONS).find<Obj>(docs, projection).all();
}

/** Checks that `update` is a non-empty object of update operators, as MongoDB requires. */
export function checkUpdate(update: Update): void {
  if (!isPlainObject(update)) throw new TypeError('update must be an object of update operators');
  const keys = Object.keys(update);
  if (keys.length === 0 || !keys.every((k) => k.startsWith('$'))) {
    throw new TypeError(`update must contain only update operators ($set, $inc, …), got: ${keys.join(', ') || 'nothing'}`);
  }
  for (const key of keys) if (!isPlainObject(update[key])) throw new TypeError(`${key} needs an object of fields`);
}

/**
 * Applies an update to `doc` in place (callers pass a private copy); on insert, `$setOnInsert`
 * too. `filter` resolves the positional `$` operator. Returns whether the document changed.
 */
export function applyUpdate(doc: Obj, update: Update, inserting: boolean, filter: Filter): boolean {
  checkUpdate(update);
  const before = inserting ? null : cloneDocument(doc);
  let operators: Obj = { ...update };
  const setOnInsert = operators['$setOnInsert'] as Obj | undefined;
  delete operators['$setOnInsert'];
  if (inserting && setOnInsert) operators['$set'] = { ...(operators['$set'] as Obj | undefined), ...setOnInsert };
  if (operators['$addToSet']) operators = applyAddToSet(doc, operators);
  if (isPlainObject(operators['$push'])) startPushedArrays(doc, operators['$push']);
  if (Object.keys(operators).length > 0) {
    const positional = Object.values(operators).some((fields) => Object.keys(fields as Obj).some((p) => p.includes('$')));
    mingoUpdate(doc, operators, undefined, positional ? filter : undefined, { cloneMode: 'deep', queryOptions: MINGO_OPTIONS });
  }
  return before === null || !sameDocument(before, doc);
}

/**
 * `$push` onto a missing field starts an empty array first: mingo ignores `$slice`/`$sort`/
 * `$position` when it creates the array itself, MongoDB applies them.
 */
function startPushedArrays(doc: Obj, spec: Obj): void {
  for (const path of Object.keys(spec)) {
    if (path.split('.').some((p) => p === '' || p.startsWith('$') || /^\d+$/.test(p))) continue;
    if (pathValue(doc, path) === undefined) setPath(doc, path, []);
  }
}

function cloneValue(value: unknown): unknown {
  return cloneDocument({ v: value })['v'];
}

function isEqual(a: unknown, b: unknown): boolean {
  return sameDocument({ v: a }, { v: b });
}

/**
 * `$addToSet` on plain paths, done here because mingo's also de-duplicates what the array already
 * held (MongoDB leaves existing elements alone). Returns the operators left for mingo.
 */
function applyAddToSet(doc: Obj, operators: Obj): Obj {
  const spec = operators['$addToSet'] as Obj;
  const rest: Obj = {};
  for (const [path, value] of Object.entries(spec)) {
    const parts = path.split('.');
    if (parts.some((p) => p === '' || p.startsWith('$') || /^\d+$/.test(p))) {
      rest[path] = value;
      continue;
    }
    const values = isPlainObject(value) && '$each' in value ? value['$each'] : [value];
    if (!Array.isArray(values)) throw new TypeError('the argument to $each in $addToSet must be an array');
    let target: Obj = doc;
    for (const part of parts.slice(0, -1)) {
      let next = target[part];
      if (next === undefined) {
        next = {};
        target[part] = next;
      } else if (!isPlainObject(next)) {
        throw new TypeError(`cannot apply $addToSet to ${path}: ${part} is not an embedded document`);
      }
      target = next as Obj;
    }
    const last = parts[parts.length - 1]!;
    const current = target[last];
    if (current !== undefined && !Array.isArray(current)) throw new TypeError(`cannot apply $addToSet to non-array field ${path}`);
    const array = (current as unknown[] | undefined) ?? [];
    for (const v of values) if (!array.some((existing) => isEqual(existing, v))) array.push(cloneValue(v));
    target[last] = array;
  }
  const remaining: Obj = { ...operators };
  if (Object.keys(rest).length > 0) remaining['$addToSet'] = rest;
  else delete remaining['$addToSet'];
  return remaining;
}

/** The document an upsert starts from: the filter's equality conditions, also inside `$and`. */
export function upsertSeed(filter: Filter): Obj {
  const seed: Obj = {};
  const visit = (f: Filter): void => {
    for (const [key, condition] of Object.entries(f)) {
      if (key === '$and' && Array.isArray(condition)) {
        for (const sub of condition) if (isPlainObject(sub)) visit(sub);
        continue;
      }
      if (key.startsWith('$')) continue;
      const equality = equalityValue(condition);
      if (equality) setPath(seed, key, cloneValue(equality.value));
    }
  };
  visit(filter);
  return seed;
}

/** Runs aggregation stages over documents with mingo. `$count` emits nothing on no input, like MongoDB. */
export function runPipeline(stages: readonly PipelineStage[], input: Obj[]): Obj[] {
  if (stages.length === 0) return input;
  const rewritten: Obj[] = [];
  for (const stage of stages) {
    const [op, ...others] = Object.keys(stage);
    if (op === undefined || others.length > 0) throw new TypeError(`a pipeline stage needs exactly one operator: ${JSON.stringify(stage)}`);
    if (op === '$count') {
      const field = stage[op];
      if (typeof field !== 'string' || field === '' || field.startsWith('$') || field.includes('.')) throw new TypeError('$count needs a field name');
      rewritten.push({ $group: { _id: null, [field]: { $sum: 1 } } }, { $project: { _id: 0 } });
    } else {
      rewritten.push(stage);
    }
  }
  return new Aggregator(rewritten, MINGO_OPTIONS).run<Obj>(input);
}
