/**
 * What FerretDB 1.24 (SQLite backend) answers like MongoDB, and how to shape a call so that it
 * does. Everything here is pure: the collection decides, per call, whether the server can do the
 * work as asked or whether the adapter emulates it (see README.md, "FerretDB").
 *
 * Each allow-list below holds only what was checked against FerretDB 1.24.2 (the contract suite
 * and the adapter's own int-spec, which assert MongoDB's behaviour). Anything else is emulated.
 */
import type { Filter, Update } from '@leadstream/read-store';
import { containsPlainObject, isOperatorObject, isPlainObject, type Obj } from './values';

export type FilterPlan =
  /** The server evaluates `filter` exactly like MongoDB. */
  | { readonly exact: true; readonly server: Filter }
  /** The server can only narrow: `server` matches a superset; the adapter applies the original filter. */
  | { readonly exact: false; readonly server: Filter };

/**
 * Field operators FerretDB evaluates like MongoDB. Not here, so emulated: `$elemMatch` (no field
 * conditions, wrong semantics for several operators), `$all` (misses values reached through arrays
 * of documents), `$mod` (ignores array elements), `$expr` (almost no aggregation operators),
 * `$bits*`, `$where`, `$text`, `$jsonSchema` and the geo operators.
 */
function serverFieldOperator(op: string, arg: unknown): boolean {
  switch (op) {
    case '$eq':
    case '$ne':
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      // equality with an embedded document does not match array elements in FerretDB
      return !containsPlainObject(arg);
    case '$in':
    case '$nin':
      return Array.isArray(arg) && !arg.some(containsPlainObject);
    case '$exists':
    case '$regex':
    case '$options':
    case '$size':
    case '$type':
      return true;
    case '$not':
      return arg instanceof RegExp || (isOperatorObject(arg) && serverCondition(arg));
    default:
      return false;
  }
}

/** One field's condition: a value to equal, a RegExp, or an object of operators. */
function serverCondition(condition: unknown): boolean {
  if (condition instanceof RegExp) return true;
  if (isOperatorObject(condition)) return Object.entries(condition).every(([op, arg]) => serverFieldOperator(op, arg));
  // `{ items: { sku: 'x' } }` must also match an array element equal to that document: FerretDB doesn't
  return !containsPlainObject(condition);
}

/** True when FerretDB evaluates the whole filter like MongoDB. */
export function serverSupportsFilter(filter: Filter): boolean {
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(condition) || !condition.every((sub) => isPlainObject(sub) && serverSupportsFilter(sub))) return false;
    } else if (key.startsWith('$')) {
      return false;
    } else if (!serverCondition(condition)) {
      return false;
    }
  }
  return true;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && !Number.isNaN(value));
}

/**
 * Equalities on dotted paths implied by a document condition on `path` (`$elemMatch: { sku: 'x' }`
 * or `{ sku: 'x' }` as an element): `{ 'path.sku': 'x' }` matches a superset, and the server can
 * evaluate it. Only scalar values, so the implication always holds.
 */
function impliedEqualities(path: string, spec: Obj): Obj[] {
  const out: Obj[] = [];
  for (const [key, value] of Object.entries(spec)) {
    if (!key.startsWith('$') && isScalar(value)) out.push({ [`${path}.${key}`]: value });
  }
  return out;
}

/**
 * A filter the server can evaluate that matches every document `filter` matches (usually a few
 * more): unsupported conditions are dropped from their conjunction, or replaced by conditions they
 * imply. `{}` when nothing is left.
 */
export function relaxFilter(filter: Filter): Filter {
  const out: Obj = {};
  const and: Obj[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and') {
      if (!Array.isArray(condition)) continue;
      for (const sub of condition) {
        if (!isPlainObject(sub)) continue;
        const relaxed = relaxFilter(sub);
        if (Object.keys(relaxed).length > 0) and.push(relaxed);
      }
    } else if (key === '$or') {
      if (!Array.isArray(condition) || !condition.every(isPlainObject)) continue;
      const branches = condition.map((sub) => relaxFilter(sub));
      // a branch that matches everything makes the whole $or match everything
      if (branches.length > 0 && branches.every((b) => Object.keys(b).length > 0)) and.push({ $or: branches });
    } else if (key === '$nor') {
      // a negation can't be relaxed by dropping parts of it
      if (Array.isArray(condition) && condition.every((sub) => isPlainObject(sub) && serverSupportsFilter(sub))) out[key] = condition;
    } else if (key.startsWith('$')) {
      continue; // $expr, $where, $text, $comment, …
    } else if (serverCondition(condition)) {
      out[key] = condition;
    } else if (isOperatorObject(condition)) {
      const kept: Obj = {};
      for (const [op, arg] of Object.entries(condition)) {
        if (op === '$options') continue;
        if (op === '$elemMatch' && isPlainObject(arg)) and.push(...impliedEqualities(key, arg));
        else if (serverFieldOperator(op, arg)) kept[op] = arg;
      }
      if ('$regex' in kept && '$options' in condition) kept['$options'] = condition['$options'];
      if (Object.keys(kept).length > 0) out[key] = kept;
    } else if (isPlainObject(condition)) {
      and.push(...impliedEqualities(key, condition));
    }
  }
  if (and.length > 0) out['$and'] = and;
  return out;
}

export function planFilter(filter: Filter): FilterPlan {
  if (serverSupportsFilter(filter)) return { exact: true, server: filter };
  return { exact: false, server: relaxFilter(filter) };
}

/**
 * True when FerretDB applies the update like MongoDB. Emulated otherwise: positional paths
 * (`a.$.b`, `a.$[]`, `a.$[x]`), `$push`/`$addToSet` modifiers other than `$each` (FerretDB silently
 * ignores `$slice`, `$sort` and `$position`), `$pull` with a condition or a document (FerretDB only
 * removes equal elements), `$bit` and anything unknown.
 */
export function serverSupportsUpdate(update: Update): boolean {
  for (const [op, fields] of Object.entries(update)) {
    if (!isPlainObject(fields)) return true; // malformed: let the server say so
    for (const [path, value] of Object.entries(fields)) {
      if (path.includes('$')) return false;
      switch (op) {
        case '$set':
        case '$setOnInsert':
        case '$unset':
        case '$inc':
        case '$mul':
        case '$max':
        case '$min':
        case '$rename':
        case '$currentDate':
        case '$pop':
        case '$pullAll':
          break;
        case '$push':
        case '$addToSet':
          if (isOperatorObject(value) && !Object.keys(value).every((k) => k === '$each')) return false;
          break;
        case '$pull':
          if (isPlainObject(value) || value instanceof RegExp) return false;
          break;
        default:
          return false;
      }
    }
  }
  return true;
}

/** The value an equality condition pins its field to, if it is one (`v`, `{ $eq: v }`, not a RegExp). */
export function equalityValue(condition: unknown): { readonly value: unknown } | null {
  if (condition instanceof RegExp) return null;
  if (isOperatorObject(condition)) {
    if (!('$eq' in condition) || condition['$eq'] instanceof RegExp) return null;
    return { value: condition['$eq'] };
  }
  return { value: condition };
}

/**
 * Reshapes an upsert's filter so that FerretDB seeds the inserted document like MongoDB does.
 * FerretDB copies only top-level equality fields (never those inside `$and`), and it copies a
 * multi-operator condition such as `{ n: { $gt: 1, $lt: 5 } }` as if it were a value (then fails).
 * The result keeps every equality (also from nested `$and`s) at the top and moves every other
 * condition into one `$and`, which FerretDB's seeding skips. It matches the same documents.
 */
export function upsertFilter(filter: Filter): Filter {
  const equalities: Obj = {};
  const rest: Obj[] = [];
  const visit = (f: Filter): void => {
    for (const [key, condition] of Object.entries(f)) {
      if (key === '$and' && Array.isArray(condition) && condition.every(isPlainObject)) {
        for (const sub of condition) visit(sub);
        continue;
      }
      const equality = key.startsWith('$') ? null : equalityValue(condition);
      if (equality && !(key in equalities)) {
        equalities[key] = equality.value;
        // other operators next to a $eq still have to hold
        if (isOperatorObject(condition) && Object.keys(condition).length > 1) rest.push({ [key]: condition });
      } else {
        rest.push({ [key]: condition });
      }
    }
  };
  visit(filter);
  return rest.length > 0 ? { ...equalities, $and: rest } : equalities;
}

/** An index as `createIndexes` takes it, or as `listIndexes` returns it. */
export interface IndexDescription {
  readonly name?: unknown;
  readonly key?: unknown;
}

/** FerretDB's own comparison of index keys: field names and directions, in order. */
function sameIndexKey(a: unknown, b: unknown): boolean {
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const x = Object.entries(a);
  const y = Object.entries(b);
  return x.length === y.length && x.every(([field, dir], i) => y[i]![0] === field && (dir === -1) === (y[i]![1] === -1));
}

function isIdIndexKey(key: unknown): boolean {
  return isPlainObject(key) && Object.keys(key).length === 1 && '_id' in key && key['_id'] !== -1;
}

/**
 * The indexes of `wanted` that FerretDB would really create: those that `existing` (what
 * `listIndexes` returned; `null` when the collection doesn't exist yet) lacks under the same name
 * and key. FerretDB 1.24 skips the others itself, and ignores `{ _id: 1 }` on an existing
 * collection, but its `createIndexes` removes each skipped index from its list by the index's
 * position in the *request* (`slices.Delete(filteredToCreate, i, i+1)` in
 * `validateIndexesForCreation`): after the first removal the positions are off, so a second
 * skipped index panics (`slice bounds out of range [:2:1]`, and the connection is dropped) or
 * removes a new index instead, which is then silently not created. A command that holds only
 * these has nothing to skip.
 */
export function indexesToCreate<T extends IndexDescription>(wanted: readonly T[], existing: readonly IndexDescription[] | null): T[] {
  if (existing === null) return [...wanted];
  return wanted.filter(
    (index) => !isIdIndexKey(index.key) && !existing.some((other) => other.name === index.name && sameIndexKey(other.key, index.key)),
  );
}
