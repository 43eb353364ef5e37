import { createHash } from 'node:crypto';

/**
 * Deterministic JSON: object keys sorted (recursively), `undefined` members dropped as JSON.stringify
 * drops them, arrays in order. Two bodies that parse to the same data give the same string.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value)) ?? 'null';
}

function normalize(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return normalize((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) return value.map((v) => (v === undefined || typeof v === 'function' ? null : normalize(v)));
  if (Buffer.isBuffer(value)) return value.toString('base64');
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    out[key] = normalize(v);
  }
  return out;
}

/** sha256 (hex) of the canonical JSON of a value. */
export function sha256OfCanonicalJson(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
