/**
 * Value helpers with MongoDB semantics: deep copies, deep equality, BSON sort order, dotted paths.
 */

type Obj = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Obj {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Deep copy of JSON-like data (plain objects, arrays, Dates); anything else goes through structuredClone. */
export function clone<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = clone(value[i]);
    return out as T;
  }
  if (isPlainObject(value)) {
    const out: Obj = {};
    for (const key of Object.keys(value)) {
      if (key === '__proto__') Object.defineProperty(out, key, { value: clone(value[key]), enumerable: true, writable: true, configurable: true });
      else out[key] = clone(value[key]);
    }
    return out as T;
  }
  if (value instanceof Date) return new Date(value.getTime()) as T;
  return structuredClone(value);
}

/** Deep equality; field order of embedded documents is ignored (used to count modified documents). */
export function isEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!isEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof RegExp || b instanceof RegExp) {
    return a instanceof RegExp && b instanceof RegExp && a.source === b.source && a.flags === b.flags;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keysA = Object.keys(a);
    if (keysA.length !== Object.keys(b).length) return false;
    for (const key of keysA) {
      if (!Object.prototype.hasOwnProperty.call(b, key) || !isEqual(a[key], b[key])) return false;
    }
    return true;
  }
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  }
  return false;
}

/** Marks an empty array reached while sorting: it sorts before null and missing fields, like MongoDB. */
const EMPTY_ARRAY = Symbol('empty-array');

/** Canonical BSON type order (MinKey 0 … MaxKey 127), as MongoDB compares values of different types. */
function typeRank(value: unknown): number {
  if (value === EMPTY_ARRAY) return 0;
  if (value === undefined || value === null) return 1;
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return 2;
    case 'string':
    case 'symbol':
      return 3;
    case 'boolean':
      return 8;
    case 'object':
      if (Array.isArray(value)) return 5;
      if (value instanceof Date) return 9;
      if (value instanceof RegExp) return 11;
      if (ArrayBuffer.isView(value)) return 6;
      return 4;
    default:
      return 12;
  }
}

/** Compares strings by code point, which is how MongoDB compares UTF-8 strings (simple binary collation). */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // surrogate pairs (code points ≥ U+10000) sort after U+E000–U+FFFF in code point order
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Total order over values following MongoDB's BSON comparison rules. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
    case 1:
      return 0;
    case 2: {
      const x = Number(a);
      const y = Number(b);
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : -1) : 1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 3:
      return compareStrings(String(a), String(b));
    case 4: {
      const ka = Object.keys(a as Obj);
      const kb = Object.keys(b as Obj);
      const n = Math.min(ka.length, kb.length);
      for (let i = 0; i < n; i++) {
        const na = ka[i]!;
        const nb = kb[i]!;
        const va = (a as Obj)[na];
        const vb = (b as Obj)[nb];
        const byType = typeRank(va) - typeRank(vb);
        if (byType !== 0) return byType < 0 ? -1 : 1;
        const byName = compareStrings(na, nb);
        if (byName !== 0) return byName;
        const byValue = compareValues(va, vb);
        if (byValue !== 0) return byValue;
      }
      return ka.length === kb.length ? 0 : ka.length < kb.length ? -1 : 1;
    }
    case 5: {
      const xa = a as unknown[];
      const xb = b as unknown[];
      const n = Math.min(xa.length, xb.length);
      for (let i = 0; i < n; i++) {
        const c = compareValues(xa[i], xb[i]);
        if (c !== 0) return c;
      }
      return xa.length === xb.length ? 0 : xa.length < xb.length ? -1 : 1;
    }
    case 6:
      return Buffer.compare(Buffer.from(a as Uint8Array), Buffer.from(b as Uint8Array));
    case 8:
      return a === b ? 0 : a ? 1 : -1;
    case 9: {
      const x = (a as Date).getTime();
      const y = (b as Date).getTime();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 11:
      return compareStrings(String(a), String(b));
    default:
      return 0;
  }
}

/**
 * Every value a dotted path reaches, walking through arrays like MongoDB does; arrays at the end
 * of the path contribute their elements. An empty result means the path is missing.
 */
function collectPath(value: unknown, parts: readonly string[], i: number, out: unknown[]): void {
  const part = parts[i];
  if (part === undefined) {
    // i === parts.length: the end of the path
    if (Array.isArray(value)) {
      if (value.length === 0) out.push(EMPTY_ARRAY);
      else for (const v of value) out.push(v);
    } else out.push(value);
    return;
  }
  if (Array.isArray(value)) {
    if (/^\d+$/.test(part) && Number(part) < value.length) collectPath(value[Number(part)], parts, i + 1, out);
    for (const element of value) if (isPlainObject(element)) collectPath(element, parts, i, out);
    return;
  }
  if (isPlainObject(value)) {
    if (Object.prototype.hasOwnProperty.call(value, part)) collectPath(value[part], parts, i + 1, out);
    else out.push(undefined);
  }
}

/** The value a document sorts by for one key: smallest reached value ascending, largest descending. */
export function sortKey(doc: Obj, parts: readonly string[], direction: 1 | -1): unknown {
  const found: unknown[] = [];
  collectPath(doc, parts, 0, found);
  if (found.length === 0) return null;
  let best = found[0];
  for (let i = 1; i < found.length; i++) {
    const c = compareValues(found[i], best);
    if (direction === 1 ? c < 0 : c > 0) best = found[i];
  }
  return best === undefined ? null : best;
}

/** What `singleIndexValue` answers for a path that meets an array (the index keys are then several). */
export const REACHES_ARRAY: unique symbol = Symbol('reaches-array');

/**
 * The one index value of a path that meets no array (what `indexValues` would answer as its only
 * element, without building a list), or REACHES_ARRAY.
 */
export function singleIndexValue(doc: Obj, parts: readonly string[]): unknown {
  let value: unknown = doc;
  for (let i = 0; i < parts.length; i++) {
    if (Array.isArray(value)) return REACHES_ARRAY;
    // a path through a scalar reaches nothing: missing
    if (!isPlainObject(value)) return null;
    const part = parts[i]!;
    if (!Object.prototype.hasOwnProperty.call(value, part)) return null;
    value = value[part];
  }
  if (Array.isArray(value)) return REACHES_ARRAY;
  return value === undefined ? null : value;
}

/** Index keys a document has on a (possibly dotted) path: one per reached value; missing → null. */
export function indexValues(doc: Obj, parts: readonly string[]): unknown[] {
  const found: unknown[] = [];
  collectPath(doc, parts, 0, found);
  if (found.length === 0) return [null];
  return found.map((v) => (v === EMPTY_ARRAY || v === undefined ? null : v));
}

/** Stable string for a value inside an index key (type-tagged, so 1 and '1' differ). */
export function encodeKeyValue(value: unknown): string {
  if (value === null || value === undefined) return 'n';
  switch (typeof value) {
    case 'string':
      return 's' + value;
    case 'number':
      return 'd' + (Object.is(value, -0) ? '0' : String(value));
    case 'boolean':
      return value ? 'T' : 'F';
    case 'bigint':
      return 'd' + value.toString();
    default:
      if (value instanceof Date) return 't' + value.getTime();
      return 'o' + JSON.stringify(value);
  }
}

export function splitPath(path: string): string[] {
  return path.split('.');
}

/** Sets a dotted path, creating embedded documents on the way. */
export function setPath(doc: Obj, path: string, value: unknown): void {
  const parts = splitPath(path);
  let target: Obj = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]!;
    const next = target[part];
    if (isPlainObject(next)) target = next;
    else {
      const created: Obj = {};
      target[part] = created;
      target = created;
    }
  }
  // split() always yields at least one part
  target[parts[parts.length - 1]!] = value;
}

/** 12-byte hex id like a MongoDB ObjectId (seconds, then random), for upserts without an _id. */
export function newObjectIdHex(): string {
  const seconds = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  let rest = '';
  for (let i = 0; i < 16; i++) rest += Math.floor(Math.random() * 16).toString(16);
  return seconds + rest;
}
