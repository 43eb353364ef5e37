// Minimal Map-based ReadStore for the platform's own tests (not exported from the package).
// Supports what the idempotency interceptor needs: equality filters (plus $lt/$lte/$gt/$gte),
// findOne, insertOne (DuplicateKeyError on _id), replaceOne, deleteOne, deleteMany, count, find.
import { DuplicateKeyError, type Collection, type Document, type Filter, type ReadStore } from '@leadstream/read-store';

function matches(doc: Document, filter: Filter = {}): boolean {
  return Object.entries(filter).every(([field, cond]) => {
    const value = doc[field];
    if (cond !== null && typeof cond === 'object' && !Array.isArray(cond)) {
      return Object.entries(cond as Record<string, unknown>).every(([op, operand]) => {
        const a = value as string | number;
        const b = operand as string | number;
        switch (op) {
          case '$lt':
            return value !== undefined && a < b;
          case '$lte':
            return value !== undefined && a <= b;
          case '$gt':
            return value !== undefined && a > b;
          case '$gte':
            return value !== undefined && a >= b;
          case '$eq':
            return value === operand;
          default:
            throw new Error(`memory read store: unsupported operator ${op}`);
        }
      });
    }
    return value === cond;
  });
}

const clone = <T>(v: T): T => structuredClone(v);
/** Every call yields once, like real I/O would, so that concurrent requests interleave. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const unsupported = (what: string) => () => Promise.reject(new Error(`memory read store: ${what} is not supported`));

export class MemoryReadStore implements ReadStore {
  readonly data = new Map<string, Map<string, Document>>();

  collection<T extends Document = Document>(name: string): Collection<T> {
    let docs = this.data.get(name);
    if (!docs) this.data.set(name, (docs = new Map<string, Document>()));
    const map = docs;
    const all = () => [...map.values()];
    const col: Collection<T> = {
      name,
      find: async (filter) => {
        await tick();
        return all().filter((d) => matches(d, filter)).map(clone) as T[];
      },
      findOne: async (filter) => {
        await tick();
        const d = all().find((x) => matches(x, filter));
        return d ? (clone(d) as T) : null;
      },
      // this test double neither sorts nor pages
      findPage: unsupported('findPage'),
      stream: () => ({ [Symbol.asyncIterator]: () => ({ next: unsupported('stream') }) }),
      count: async (filter) => {
        await tick();
        return all().filter((d) => matches(d, filter)).length;
      },
      insertOne: async (doc) => {
        await tick();
        if (map.has(doc._id)) throw new DuplicateKeyError(name, { _id: doc._id });
        map.set(doc._id, clone(doc));
      },
      insertMany: async (ds) => {
        for (const d of ds) await col.insertOne(d);
      },
      replaceOne: async (filter, replacement, options) => {
        await tick();
        const d = all().find((x) => matches(x, filter));
        if (d) {
          map.set(d._id, clone({ ...replacement, _id: d._id }));
          return { matchedCount: 1, modifiedCount: 1, upsertedCount: 0 };
        }
        if (options?.upsert) {
          map.set(replacement._id, clone(replacement));
          return { matchedCount: 0, modifiedCount: 0, upsertedCount: 1, upsertedId: replacement._id };
        }
        return { matchedCount: 0, modifiedCount: 0, upsertedCount: 0 };
      },
      deleteOne: async (filter) => {
        await tick();
        const d = all().find((x) => matches(x, filter));
        if (!d) return { deletedCount: 0 };
        map.delete(d._id);
        return { deletedCount: 1 };
      },
      deleteMany: async (filter) => {
        await tick();
        const ds = all().filter((x) => matches(x, filter));
        for (const d of ds) map.delete(d._id);
        return { deletedCount: ds.length };
      },
      drop: async () => {
        await tick();
        map.clear();
      },
      aggregate: unsupported('aggregate'),
      updateOne: unsupported('updateOne'),
      updateMany: unsupported('updateMany'),
      bulkWrite: unsupported('bulkWrite'),
    };
    return col;
  }

  getCheckpoint(): Promise<number | null> {
    return Promise.resolve(null);
  }
  setCheckpoint(): Promise<void> {
    return Promise.resolve();
  }
  deleteCheckpoint(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  batch<R>(work: () => Promise<R>): Promise<R> {
    return work();
  }
}
