import { createHash } from 'node:crypto';

/** Namespace hashed with the import id into the part of an imported id that names its job. */
const NAMESPACE = Buffer.from('6f1c2b0e4a9d4c3e8b7a5d2f1e0c9b8a', 'hex');
/** Row numbers up to 2^21 - 1 fit (a file has at most 1,048,577 rows, the header included). */
const ROW_BITS = 21;

/** The hash naming a job, per kind and import id: a job's rows all share it (a few jobs run at once). */
const jobHashes = new Map<string, Buffer>();
function jobHash(kind: 'lead' | 'event', importId: string): Buffer {
  const name = `${kind}:${importId}`;
  let hash = jobHashes.get(name);
  if (hash === undefined) {
    if (jobHashes.size >= 64) jobHashes.clear();
    hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
    jobHashes.set(name, hash);
  }
  return hash;
}

/**
 * A deterministic, time-ordered id (RFC 9562 version 8, laid out like version 7): 48 bits of the
 * job's start time in ms, then the row number (21 bits), then 53 bits of a hash of `kind` and the
 * import id. The same job and row give the same id on every attempt (so a resumed job finds what
 * an earlier attempt appended), and one job's ids ascend with its rows: the stores' B-tree indexes
 * (the log's event and stream ids, the read models' documents, the key store) take an import's
 * rows as appends instead of writes scattered over the whole index.
 */
function orderedId(kind: 'lead' | 'event', importId: string, startedAtMs: number, rowNumber: number): string {
  if (!Number.isSafeInteger(rowNumber) || rowNumber < 0 || rowNumber >= 2 ** ROW_BITS) throw new RangeError(`row ${rowNumber} is out of range`);
  if (!Number.isSafeInteger(startedAtMs) || startedAtMs < 0 || startedAtMs >= 2 ** 48) throw new RangeError(`start time ${startedAtMs} is out of range`);
  const job = jobHash(kind, importId);
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(startedAtMs, 0, 6);
  bytes[6] = 0x80 | ((rowNumber >>> 17) & 0x0f); // version 8, row bits 20..17
  bytes[7] = (rowNumber >>> 9) & 0xff; // row bits 16..9
  bytes[8] = 0x80 | ((rowNumber >>> 3) & 0x3f); // variant 10, row bits 8..3
  bytes[9] = ((rowNumber & 0x07) << 5) | (job[0]! & 0x1f); // row bits 2..0, 5 bits of the job
  job.copy(bytes, 10, 1, 7); // 48 more bits of the job
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The lead id of row `rowNumber` of import `importId` started at `startedAtMs`: the same on every attempt. */
export function importedLeadId(importId: string, startedAtMs: number, rowNumber: number): string {
  return orderedId('lead', importId, startedAtMs, rowNumber);
}

/** The id of that lead's creation event. */
export function importedEventId(importId: string, startedAtMs: number, rowNumber: number): string {
  return orderedId('event', importId, startedAtMs, rowNumber);
}
