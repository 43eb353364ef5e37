/**
 * A compiled predicate for the filters read models use most — comparisons, `$in`/`$nin`/`$all`,
 * `$size`, `$exists`, `$regex` and `$and`/`$or`/`$nor` on (dotted) paths with scalar operands —
 * with MongoDB's semantics: `null` matches missing, an array leaf matches when any element does,
 * comparisons stay within their type bracket (numbers with numbers, strings with strings by code
 * point). It is one closure per condition instead of a generic interpreter, some tens of times
 * faster per document than mingo.
 *
 * Anything outside that subset is not compiled (`compileFastFilter` answers null) and a document
 * whose shape it does not model (an array or a non-plain object on the way down a path, an
 * embedded document as a leaf compared for equality) is handed back with `NEEDS_FULL_MATCH`, so
 * the caller asks the full implementation. It never guesses.
 */
import { compareStrings, compareValues, isPlainObject } from './values';

type Obj = Record<string, unknown>;
type Scalar = string | number | boolean | null;
export type FastPredicate = (doc: Obj) => boolean;

/** Thrown (and caught by the caller) when a document needs the full matcher. */
class NeedsFullMatch extends Error {
  constructor() {
    super('this document needs the full matcher');
    this.name = 'NeedsFullMatch';
  }
}
/** One pre-allocated instance: throwing it costs no stack capture. */
export const NEEDS_FULL_MATCH: Error = new NeedsFullMatch();

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && !Number.isNaN(value));
}

/** The leaf at a path: undefined when missing; NEEDS_FULL_MATCH for arrays or exotic objects on the way. */
function resolver(path: string): (doc: Obj) => unknown {
  const parts = path.split('.');
  if (parts.length === 1) {
    const key = parts[0]!;
    return (doc) => doc[key];
  }
  return (doc) => {
    let current: unknown = doc;
    for (const part of parts) {
      if (current === null || typeof current !== 'object') return undefined;
      // MongoDB traverses arrays element by element: the full matcher does that
      if (Array.isArray(current)) throw NEEDS_FULL_MATCH;
      current = (current as Obj)[part];
    }
    return current;
  };
}

/** A leaf value the fast path can judge: scalars, missing, and arrays of scalars. */
function leafElements(value: unknown): readonly Scalar[] | null {
  if (!Array.isArray(value)) return null;
  for (const element of value) if (!isScalar(element)) throw NEEDS_FULL_MATCH;
  return value as Scalar[];
}

function checkLeaf(value: unknown): void {
  if (value !== undefined && !isScalar(value) && !Array.isArray(value)) throw NEEDS_FULL_MATCH;
}

function equalsScalar(value: unknown, expected: Scalar): boolean {
  if (value === expected) return true;
  if (expected !== null && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) return false;
  checkLeaf(value);
  const elements = leafElements(value);
  if (expected === null) return value === undefined || value === null || (elements !== null && elements.includes(null));
  if (elements) return elements.includes(expected);
  return value === expected;
}

function bracket(value: Scalar): string {
  return value === null ? 'null' : typeof value;
}

function compareWithin(value: unknown, operand: Scalar, test: (c: number) => boolean): boolean {
  checkLeaf(value);
  const one = (v: Scalar | undefined): boolean => {
    const v2 = v === undefined ? null : v;
    if (bracket(v2) !== bracket(operand)) return false;
    return test(compareValues(v2, operand));
  };
  const elements = leafElements(value);
  if (elements) return elements.some((e) => one(e));
  return one(value as Scalar | undefined);
}

type Condition = (value: unknown) => boolean;

function operatorCondition(op: string, operand: unknown, options: unknown): Condition | null {
  switch (op) {
    case '$eq':
      return isScalar(operand) ? (v) => equalsScalar(v, operand) : null;
    case '$ne':
      return isScalar(operand) ? (v) => !equalsScalar(v, operand) : null;
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      // comparisons with null are left to the full matcher (implementations disagree on missing fields)
      if (!isScalar(operand) || operand === null) return null;
      const test = op === '$gt' ? (c: number) => c > 0 : op === '$gte' ? (c: number) => c >= 0 : op === '$lt' ? (c: number) => c < 0 : (c: number) => c <= 0;
      const general = (v: unknown) => compareWithin(v, operand, test);
      // the common cases without the general machinery: a number against a number, a string against a string
      if (typeof operand === 'number' && !Number.isNaN(operand)) {
        const direct = op === '$gt' ? (v: number) => v > operand : op === '$gte' ? (v: number) => v >= operand : op === '$lt' ? (v: number) => v < operand : (v: number) => v <= operand;
        return (v) => (typeof v === 'number' && !Number.isNaN(v) ? direct(v) : typeof v === 'string' || v === undefined || v === null ? false : general(v));
      }
      if (typeof operand === 'string') {
        return (v) => (typeof v === 'string' ? test(compareStrings(v, operand)) : typeof v === 'number' || v === undefined || v === null ? false : general(v));
      }
      return general;
    }
    case '$in':
    case '$nin': {
      if (!Array.isArray(operand) || !operand.every(isScalar)) return null;
      const list = operand;
      const any = (v: unknown) => list.some((x) => equalsScalar(v, x));
      return op === '$in' ? any : (v) => !any(v);
    }
    case '$all': {
      // `$all: [null]` is left to the full matcher (implementations disagree on missing fields)
      if (!Array.isArray(operand) || !operand.every((x) => isScalar(x) && x !== null)) return null;
      const list = operand as Scalar[];
      if (list.length === 0) return () => false;
      return (v) => {
        // on a scalar or missing leaf implementations disagree: the full matcher decides
        if (!Array.isArray(v)) throw NEEDS_FULL_MATCH;
        return list.every((x) => equalsScalar(v, x));
      };
    }
    case '$size':
      if (typeof operand !== 'number' || !Number.isSafeInteger(operand)) return null;
      return (v) => Array.isArray(v) && v.length === operand;
    case '$exists':
      if (typeof operand !== 'boolean') return null;
      return (v) => (v !== undefined) === operand;
    case '$regex': {
      const flags = options === undefined ? '' : options;
      if (typeof flags !== 'string' || !/^[ims]*$/.test(flags)) return null;
      let regex: RegExp;
      if (operand instanceof RegExp) {
        if (flags !== '' || !/^[ims]*$/.test(operand.flags)) return null;
        regex = new RegExp(operand.source, operand.flags);
      } else if (typeof operand === 'string') {
        try {
          regex = new RegExp(operand, flags);
        } catch {
          return null; // let the full implementation report it
        }
      } else return null;
      return (v) => {
        checkLeaf(v);
        const elements = leafElements(v);
        if (elements) return elements.some((e) => typeof e === 'string' && regex.test(e));
        return typeof v === 'string' && regex.test(v);
      };
    }
    default:
      return null;
  }
}

function fieldCondition(condition: unknown): Condition | null {
  if (condition instanceof RegExp) return operatorCondition('$regex', condition, undefined);
  if (isScalar(condition)) return (v) => equalsScalar(v, condition);
  if (!isPlainObject(condition)) return null;
  const keys = Object.keys(condition);
  if (keys.length === 0 || !keys.every((k) => k.startsWith('$'))) return null;
  const parts: Condition[] = [];
  for (const key of keys) {
    if (key === '$options') {
      if (!('$regex' in condition)) return null;
      continue;
    }
    const part = operatorCondition(key, condition[key], key === '$regex' ? condition['$options'] : undefined);
    if (!part) return null;
    parts.push(part);
  }
  if (parts.length === 1) return parts[0]!;
  return (v) => parts.every((p) => p(v));
}

/** The fast predicate of a filter, or null when the filter uses anything outside the subset. */
export function compileFastFilter(filter: Obj): FastPredicate | null {
  const parts: FastPredicate[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(condition) || condition.length === 0) return null;
      const subs: FastPredicate[] = [];
      for (const sub of condition) {
        if (!isPlainObject(sub)) return null;
        const compiled = compileFastFilter(sub);
        if (!compiled) return null;
        subs.push(compiled);
      }
      if (key === '$and') parts.push((doc) => subs.every((s) => s(doc)));
      else if (key === '$or') parts.push((doc) => subs.some((s) => s(doc)));
      else parts.push((doc) => !subs.some((s) => s(doc)));
      continue;
    }
    if (key.startsWith('$') || key.length === 0) return null;
    const indexed = /^(.+)\.(\d+)$/.exec(key);
    if (indexed && isPlainObject(condition) && Object.keys(condition).length === 1 && typeof condition['$exists'] === 'boolean') {
      // `{ 'tags.0': { $exists: true } }`: a non-empty array (or an embedded document with key "0")
      const [, parent, digits] = indexed;
      if (parent!.split('.').some((p) => p.length === 0 || /^\d+$/.test(p))) return null;
      const read = resolver(parent!);
      const index = Number(digits);
      const wanted = condition['$exists'];
      parts.push((doc) => {
        const value = read(doc);
        if (Array.isArray(value)) return value.length > index === wanted;
        if (isPlainObject(value)) return (value[digits!] !== undefined) === wanted;
        return !wanted;
      });
      continue;
    }
    if (key.split('.').some((p) => p.length === 0 || /^\d+$/.test(p))) return null;
    const test = fieldCondition(condition);
    if (!test) return null;
    const read = resolver(key);
    parts.push((doc) => test(read(doc)));
  }
  if (parts.length === 1) return parts[0]!;
  return (doc) => {
    for (const part of parts) if (!part(doc)) return false;
    return true;
  };
}
