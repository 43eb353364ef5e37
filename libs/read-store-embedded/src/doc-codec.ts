import { deserialize, serialize } from 'node:v8';
import type { Document } from '@leadstream/read-store';

/**
 * How a document is stored in `read_docs.body`. Documents made only of JSON's values (strings,
 * finite numbers, booleans, null, plain objects, dense arrays) — what the projections write — are
 * stored as UTF-8 JSON: measured on a lead list document, JSON.stringify is about 7x faster than
 * v8.serialize and JSON.parse about 2x faster than v8.deserialize — and SQLite's JSON functions
 * can read it, so a scan can skip rows in SQL (disk/prefilter.ts). JSON is stored as TEXT;
 * anything else (Date, binary, undefined, NaN, -0, …) as a BLOB written by v8.serialize, which
 * keeps it exactly. Files written before JSON was used (all BLOBs) read back unchanged.
 */
export function encodeDocument(doc: Document): string | Uint8Array {
  return jsonSafe(doc, 0) ? JSON.stringify(doc) : serialize(doc);
}

const OPEN_BRACE = 0x7b;

export function decodeDocument(body: string | Uint8Array): Document {
  if (typeof body === 'string') return JSON.parse(body) as Document;
  // JSON in a BLOB (written for a while before JSON went to TEXT) starts with `{`; v8's format with 0xFF
  if (body[0] === OPEN_BRACE) return JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')) as Document;
  return deserialize(body) as Document;
}

/** Nesting past this is stored with v8.serialize (which also keeps cycles). */
const MAX_DEPTH = 64;

/** Whether JSON.parse(JSON.stringify(value)) gives back exactly `value`. */
function jsonSafe(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (depth >= MAX_DEPTH) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!(i in value) || !jsonSafe(value[i], depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      const obj = value as Record<string, unknown>;
      for (const key of Object.keys(obj)) if (!jsonSafe(obj[key], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}
