/** Pieces both embedded stores share: their write lock, argument checks, bulk writes and sorted streams. */
import type { BulkOperation, BulkWriteResult, Document, Filter, Sort, Update, UpdateResult } from '@leadstream/read-store';
import { compareValues, isPlainObject, sortKey, splitPath } from './values';

/** One writer at a time: a batch, or a single write outside one. */
export class Mutex {
  private locked = false;
  private readonly waiters: (() => void)[] = [];
  tryAcquire(): boolean {
    if (this.locked) return false;
    this.locked = true;
    return true;
  }
  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.locked = false;
  }
}

export function rejected(error: unknown): Promise<never> {
  return Promise.reject(error instanceof Error ? error : new Error(String(error)));
}

export function emptyResult(): UpdateResult {
  return { matchedCount: 0, modifiedCount: 0, upsertedCount: 0 };
}

export function checkDocument(doc: unknown): asserts doc is Document {
  if (!isPlainObject(doc)) throw new TypeError('a document must be a plain object');
  for (const key of Object.keys(doc)) {
    if (key.startsWith('$')) throw new TypeError(`document field names must not start with '$': ${key}`);
  }
}

/** The synchronous writes a collection does for `bulkWrite`. */
export interface SyncWrites<T extends Document> {
  insert(document: T): void;
  update(filter: Filter, update: Update, upsert: boolean, many: boolean): UpdateResult;
  replace(filter: Filter, replacement: T, upsert: boolean): UpdateResult;
  delete(filter: Filter, many: boolean): { deletedCount: number };
}

/** An ordered bulk write: each operation in turn, stopping at the first that throws. */
export function runBulkWrite<T extends Document>(operations: readonly BulkOperation<T>[], writes: SyncWrites<T>): BulkWriteResult {
  let insertedCount = 0;
  let matchedCount = 0;
  let modifiedCount = 0;
  let upsertedCount = 0;
  let deletedCount = 0;
  const add = (r: UpdateResult): void => {
    matchedCount += r.matchedCount;
    modifiedCount += r.modifiedCount;
    upsertedCount += r.upsertedCount;
  };
  for (const op of operations) {
    if ('insertOne' in op) {
      writes.insert(op.insertOne.document);
      insertedCount++;
    } else if ('updateOne' in op) {
      const { filter, update, upsert } = op.updateOne;
      add(writes.update(filter, update, upsert === true, false));
    } else if ('updateMany' in op) {
      const { filter, update, upsert } = op.updateMany;
      add(writes.update(filter, update, upsert === true, true));
    } else if ('replaceOne' in op) {
      const { filter, replacement, upsert } = op.replaceOne;
      add(writes.replace(filter, replacement, upsert === true));
    } else if ('deleteOne' in op) {
      deletedCount += writes.delete(op.deleteOne.filter, false).deletedCount;
    } else if ('deleteMany' in op) {
      deletedCount += writes.delete(op.deleteMany.filter, true).deletedCount;
    } else {
      throw new TypeError(`unknown bulk operation: ${Object.keys(op).join(', ')}`);
    }
  }
  return { insertedCount, matchedCount, modifiedCount, upsertedCount, deletedCount };
}

/**
 * The ids of the matching documents in `sort` order (ties: iteration order), keeping only each
 * match's id and sort values (references, tens of bytes a document) instead of the documents.
 */
export function sortedIds(docs: Iterable<Document>, matches: (doc: Document) => boolean, sort: Sort): string[] {
  const keys = Object.entries(sort).map(([path, direction]) => ({ parts: splitPath(path), direction: direction === -1 ? (-1 as const) : (1 as const) }));
  const ids: string[] = [];
  const values: unknown[][] = keys.map(() => []);
  for (const doc of docs) {
    if (!matches(doc)) continue;
    ids.push(doc._id);
    for (let k = 0; k < keys.length; k++) values[k]!.push(sortKey(doc, keys[k]!.parts, keys[k]!.direction));
  }
  const order = new Uint32Array(ids.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const c = compareValues(values[k]![a], values[k]![b]);
      if (c !== 0) return c * keys[k]!.direction;
    }
    return a - b;
  });
  return Array.from(order, (i) => ids[i]!);
}
