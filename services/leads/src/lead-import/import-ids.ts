import { createHash } from 'node:crypto';

/** Namespace of the name-based (RFC 9562 version 5) ids of imported leads and their events. */
const NAMESPACE = Buffer.from('6f1c2b0e4a9d4c3e8b7a5d2f1e0c9b8a', 'hex');

function uuidV5(name: string): string {
  const bytes = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The lead id of row `rowNumber` of import `importId`: the same on every attempt. */
export function importedLeadId(importId: string, rowNumber: number): string {
  return uuidV5(`lead:${importId}:${rowNumber}`);
}

/** The id of that lead's creation event. */
export function importedEventId(importId: string, rowNumber: number): string {
  return uuidV5(`event:${importId}:${rowNumber}`);
}
