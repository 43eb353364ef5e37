import type { Filter } from '@leadstream/read-store';

/**
 * A necessary condition of a filter, as SQL over `d.body` (the document's JSON text): rows it
 * rejects cannot match, so a scan decodes only the rows that may. The full filter is still checked
 * on every document read, so the condition only has to never reject a match; whatever it cannot
 * express it leaves out (is true for).
 *
 * Expressed: conjunctions (top-level fields and `$and`) of conditions on plain dotted paths —
 * equality to a number or a string, `$eq`, `$in` of numbers or of strings, and `$gt` `$gte` `$lt`
 * `$lte` on numbers — with MongoDB's type bracketing as the in-memory matcher applies it: a number
 * condition matches only numbers, a string one only strings, an array may match through any
 * element, and a path that crosses an array may match through its elements. Documents stored with
 * v8.serialize (not JSON text) always pass.
 */
export interface Prefilter {
  readonly sql: string;
  readonly params: readonly (string | number)[];
}

/** A path segment JSON paths can quote: not empty, not a number (an array position), no `"` or `\\`, no leading `$`. */
const SEGMENT = /^(?!\d+$)(?!\$)[^"\\]+$/;
const SURROGATE = /[\uD800-\uDFFF]/;
const MAX_IN = 200;
const RANGE_OPS: Readonly<Record<string, string>> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

type Obj = Record<string, unknown>;

function isOperatorObject(value: unknown): value is Obj {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isText = (v: unknown): v is string => typeof v === 'string' && !SURROGATE.test(v);

/** One condition on a path's value: one kind of value, an operator, its operand(s). */
interface Test {
  readonly kind: 'number' | 'string';
  readonly op: '=' | '>' | '>=' | '<' | '<=' | 'in';
  readonly values: readonly (string | number)[];
}

function testsOf(condition: unknown): Test[] {
  if (isNumber(condition)) return [{ kind: 'number', op: '=', values: [condition] }];
  if (isText(condition)) return [{ kind: 'string', op: '=', values: [condition] }];
  if (!isOperatorObject(condition)) return [];
  const tests: Test[] = [];
  for (const [op, value] of Object.entries(condition)) {
    if (op === '$eq') tests.push(...testsOf(value));
    else if (op in RANGE_OPS && isNumber(value)) tests.push({ kind: 'number', op: RANGE_OPS[op] as Test['op'], values: [value] });
    else if (op === '$in' && Array.isArray(value) && value.length > 0 && value.length <= MAX_IN) {
      const list = value as unknown[];
      const kind = list.every(isNumber) ? 'number' : list.every(isText) ? 'string' : null;
      if (kind) tests.push({ kind, op: 'in', values: list as (string | number)[] });
    }
    // any other operator is left to the full match
  }
  return tests;
}

function jsonPath(segments: readonly string[]): string {
  return '$' + segments.map((s) => `."${s}"`).join('');
}

/** Relative slack for numbers SQLite reads back from JSON text (its decimal conversion may differ from V8's in the last bit). */
const SLACK = 1e-9;

/** `value op operand` in SQL on the extracted value; `loose` widens it by SLACK (real numbers). */
function comparison(path: string, test: Test, loose: boolean): Prefilter {
  const v = 'json_extract(d.body, ?)';
  if (test.op === 'in') {
    if (loose) return { sql: '1', params: [] };
    return { sql: `${v} IN (${test.values.map(() => '?').join(', ')})`, params: [path, ...test.values] };
  }
  const operand = test.values[0]!;
  if (!loose || typeof operand !== 'number') return { sql: `${v} ${test.op} ?`, params: [path, operand] };
  const slack = Math.abs(operand) * SLACK + Number.MIN_VALUE;
  switch (test.op) {
    case '=':
      return { sql: `${v} BETWEEN ? AND ?`, params: [path, operand - slack, operand + slack] };
    case '>':
    case '>=':
      return { sql: `${v} >= ?`, params: [path, operand - slack] };
    default:
      return { sql: `${v} <= ?`, params: [path, operand + slack] };
  }
}

/** SQL true when `d.body`'s value at the path may satisfy `test`. */
function pathCondition(segments: readonly string[], test: Test): Prefilter {
  const path = jsonPath(segments);
  const params: (string | number)[] = [path];
  let typed: string;
  if (test.kind === 'number') {
    // integers are read exactly while they are safe integers; an operand that is one cannot be a
    // last-bit misreading away from a stored value that is not
    const safe = test.values.every((n) => Number.isSafeInteger(n));
    const exact = comparison(path, test, !safe);
    const loose = comparison(path, test, true);
    typed = `WHEN 'integer' THEN ${exact.sql} WHEN 'real' THEN ${loose.sql}`;
    params.push(...exact.params, ...loose.params);
  } else {
    const exact = comparison(path, test, false);
    typed = `WHEN 'text' THEN ${exact.sql}`;
    params.push(...exact.params);
  }
  // a missing value (or one of another type) matches only through an array on the way
  const prefixes: string[] = [];
  for (let i = 1; i < segments.length; i++) {
    prefixes.push(`json_type(d.body, ?) = 'array'`);
    params.push(jsonPath(segments.slice(0, i)));
  }
  const otherwise = prefixes.length > 0 ? `(${prefixes.join(' OR ')})` : '0';
  return { sql: `CASE json_type(d.body, ?) ${typed} WHEN 'array' THEN 1 ELSE ${otherwise} END`, params };
}

function collect(filter: Filter, out: Prefilter[]): void {
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and') {
      if (Array.isArray(condition)) for (const part of condition as unknown[]) if (part && typeof part === 'object' && !Array.isArray(part)) collect(part as Filter, out);
      continue;
    }
    if (key.startsWith('$')) continue;
    const segments = key.split('.');
    if (!segments.every((s) => SEGMENT.test(s))) continue;
    for (const test of testsOf(condition)) out.push(pathCondition(segments, test));
  }
}

/** The filter's necessary condition over `d.body`, or null when it expresses nothing. */
export function prefilterOf(filter: Filter): Prefilter | null {
  const parts: Prefilter[] = [];
  collect(filter, parts);
  if (parts.length === 0) return null;
  return {
    sql: `(typeof(d.body) <> 'text' OR (${parts.map((p) => p.sql).join(' AND ')}))`,
    params: parts.flatMap((p) => p.params),
  };
}
