import { AsyncLocalStorage } from 'node:async_hooks';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import {
  indexName,
  retiredIndexNames,
  DuplicateKeyError,
  type BulkOperation,
  type BulkWriteResult,
  type Collection,
  type CollectionOptions,
  type DeleteResult,
  type Document,
  type Filter,
  type FindOptions,
  type IndexSpec,
  type Page,
  type PageOptions,
  type PipelineStage,
  type ReadStore,
  type Sort,
  type StreamOptions,
  type Update,
  type UpdateOptions,
  type UpdateResult,
} from '@leadstream/read-store';
import { checkDocument, emptyResult, Mutex, rejected, runBulkWrite, sortedIds } from '../collection-common';
import {
  applyUpdate,
  compileFilter,
  preparePipeline,
  prepareUpdate,
  project,
  runPipeline,
  sortDocuments,
  topDocuments,
  upsertSeed,
  type Predicate,
  type PreparedUpdate,
} from '../mongo-ops';
import { DISK_INDEX_TABLES, openReadDatabase } from '../sqlite-file';
import { clone, indexValues, isEqual, isPlainObject, newObjectIdHex, REACHES_ARRAY, singleIndexValue, splitPath } from '../values';
import { encodeKey, KeyWriter, writePart } from './index-key';
import { planQuery, type IndexMeta, type KeyRange, type Plan } from './planner';
import { prefilterOf, type Prefilter } from './prefilter';
import { ProbeFilter } from './probe-filter';
import { decodeDocument, encodeDocument } from '../doc-codec';

type Obj = Record<string, unknown>;

export interface DiskReadStoreOptions {
  /** SQLite file the read models live in. */
  readonly path: string;
  /** Decoded documents kept in memory, over all collections (default 20,000; 0 turns the cache off). */
  readonly cacheSize?: number;
  /**
   * SQLite page cache in KiB (default 16,000; measured as fast as 32,000 for a 100,000-row import,
   * the operating system's file cache holds the rest).
   */
  readonly pageCacheKb?: number;
}

/** Documents read from the file at a time by a scan (each chunk is one query, read to its end). */
const CHUNK = 256;
const DEFAULT_STREAM_BATCH = 1000;
interface IndexRow {
  readonly key: Uint8Array;
  readonly id: string;
  readonly body: string | Uint8Array;
}
const TOP_K_MAX = 10_000;
/** Equality probes in one read from which an index's probe filter is built (and used). */
const PROBE_FILTER_MIN_RANGES = 16;
/** A prefilter binding more values than this is not worth its cost per query. */
const MAX_PREFILTER_PARAMS = 256;
/** Prepared statements kept (by SQL text). */
const MAX_STATEMENTS = 1_000;
const DEFAULT_CACHE = 20_000;
/** Collections from this size on check whether an unordered index read would visit most of them. */
const SCAN_CHECK_MIN = 20_000;
/** SQLite's extended result code for a broken UNIQUE constraint. */
const SQLITE_CONSTRAINT_UNIQUE = 2067;

interface DiskIndex extends IndexMeta {
  readonly parts: readonly (readonly string[])[];
  readonly spec: string;
  multikey: boolean;
}

/** A plan, with the filter's necessary condition in SQL for the rows it reads from the file. */
type DiskPlan = Plan & { readonly prefilter?: Prefilter };

interface CollectionState {
  readonly name: string;
  readonly indexes: DiskIndex[];
  /** Index names declared on this handle since the store (or the last rollback) loaded them. */
  readonly declared: Set<string>;
  /** Documents in the collection, once counted (kept in step by writes; forgotten on rollback). */
  size: number | undefined;
}

/** Two generations of decoded documents: the older is dropped whole when the newer fills. */
class DocCache {
  private young = new Map<string, Document | null>();
  private old = new Map<string, Document | null>();
  constructor(private readonly size: number) {}

  get(key: string): Document | null | undefined {
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const aged = this.old.get(key);
    if (aged !== undefined) this.set(key, aged);
    return aged;
  }

  set(key: string, doc: Document | null): void {
    if (this.size === 0) return;
    this.young.set(key, doc);
    if (this.young.size >= this.size / 2) {
      this.old = this.young;
      this.young = new Map();
    }
  }

  delete(key: string): void {
    this.young.delete(key);
    this.old.delete(key);
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }
}





/** Whether a dotted path passes through (or ends at) an array in `value`. */
function reachesArray(value: unknown, parts: readonly string[], i = 0): boolean {
  if (Array.isArray(value)) return true;
  if (i === parts.length || !isPlainObject(value)) return false;
  return reachesArray(value[parts[i]!], parts, i + 1);
}

/** Reused by `entryKeys` (synchronous; `toBuffer` copies). */
const entryWriter = new KeyWriter();

/** The index keys a document has (one per combination of the values its paths reach). */
function entryKeys(index: DiskIndex, doc: Obj): Buffer[] {
  // most entries: every path reaches one value; written straight into one reused writer
  const w = entryWriter;
  w.reset();
  let single = true;
  for (let f = 0; f < index.parts.length; f++) {
    const value = singleIndexValue(doc, index.parts[f]!);
    if (value === REACHES_ARRAY) {
      single = false;
      break;
    }
    writePart(w, value, index.directions[f]!);
  }
  if (single) {
    if (index.idSuffix) writePart(w, doc._id, index.directions[index.directions.length - 1]!);
    return [w.toBuffer()];
  }
  return multiEntryKeys(index, doc);
}

/**
 * Entry keys of a document some of whose paths reach several values (an array): every field's
 * values are encoded once, without repeats, into one buffer, and each combination is assembled
 * from those parts in the reused writer (a key per combination, nothing else allocated per key).
 */
function multiEntryKeys(index: DiskIndex, doc: Obj): Buffer[] {
  const w = entryWriter;
  const fields = index.parts.length;
  // field f's i-th distinct value: bytes [starts[f][i], ends[f][i]) of `encoded`
  w.reset();
  const starts: number[][] = [];
  const ends: number[][] = [];
  let combinations = 1;
  for (let f = 0; f < fields; f++) {
    const fieldStarts: number[] = [];
    const fieldEnds: number[] = [];
    for (const value of indexValues(doc, index.parts[f]!)) {
      const start = w.length;
      writePart(w, value, index.directions[f]!);
      if (w.repeats(fieldStarts, fieldEnds, start)) w.truncate(start);
      else {
        fieldStarts.push(start);
        fieldEnds.push(w.length);
      }
    }
    starts.push(fieldStarts);
    ends.push(fieldEnds);
    combinations *= fieldStarts.length;
  }
  let suffixStart = w.length;
  if (index.idSuffix) writePart(w, doc._id, index.directions[index.directions.length - 1]!);
  const suffixEnd = w.length;
  const encoded = w.toBuffer();
  if (!index.idSuffix) suffixStart = suffixEnd;
  const keys: Buffer[] = new Array<Buffer>(combinations);
  const choice = new Array<number>(fields).fill(0);
  for (let k = 0; k < combinations; k++) {
    let length = suffixEnd - suffixStart;
    for (let f = 0; f < fields; f++) length += ends[f]![choice[f]!]! - starts[f]![choice[f]!]!;
    const key = Buffer.allocUnsafe(length);
    let at = 0;
    for (let f = 0; f < fields; f++) at += encoded.copy(key, at, starts[f]![choice[f]!], ends[f]![choice[f]!]);
    encoded.copy(key, at, suffixStart, suffixEnd);
    keys[k] = key;
    // next combination: the last field varies fastest (the order the keys were built in before)
    for (let f = fields - 1; f >= 0; f--) {
      if (++choice[f]! < starts[f]!.length) break;
      choice[f] = 0;
    }
  }
  return keys;
}

/** An entry's key without its `_id` suffix: the indexed values alone (what an equality probe on every field reads). */
function entryPrefix(index: DiskIndex, key: Buffer, id: string): Buffer {
  if (!index.idSuffix) return key;
  const suffix = encodeKey([id], [index.directions[index.directions.length - 1]!]).length;
  return key.subarray(0, key.length - suffix);
}

/** The id of a filter that is exactly `{_id: "<string>"}`, else undefined. */
function onlyId(filter: Filter): string | undefined {
  let id: string | undefined;
  for (const key in filter) {
    if (key !== '_id' || id !== undefined) return undefined;
    const value = filter[key];
    if (typeof value !== 'string') return undefined;
    id = value;
  }
  return id;
}

function keyObject(index: DiskIndex, doc: Obj): Record<string, unknown> {
  const key: Record<string, unknown> = {};
  index.fields.forEach((field, i) => {
    key[field] = indexValues(doc, index.parts[i]!)[0] ?? null;
  });
  return key;
}

function isMultikeyFor(index: DiskIndex, doc: Obj): boolean {
  return index.parts.some((parts) => reachesArray(doc, parts));
}

/**
 * ReadStore whose documents live in a SQLite file (`node:sqlite`, WAL), not in memory: memory
 * stays bounded however many documents there are. Declared indexes are kept as tables of
 * order-preserving binary keys; queries use them for equality on an index prefix, one range and
 * sorts in index order, and check the full filter on every document they read. Writes outside a
 * `batch()` commit their own transaction; a `batch()` is one transaction, rolled back if its work
 * throws. One process owns a file at a time.
 */
export class DiskReadStore implements ReadStore {
  private readonly collections = new Map<string, CollectionState>();
  private readonly handles = new Map<string, DiskCollection<Document>>();
  private readonly checkpoints = new Map<string, number>();
  private readonly units = new AsyncLocalStorage<object>();
  private readonly mutex = new Mutex();
  private readonly statements = new Map<string, StatementSync>();
  private readonly cache: DocCache;
  /**
   * Documents changed in the open transaction whose new body is not written yet: a document
   * updated many times in one batch (a day's counter) is serialised and written once, at commit.
   * Their rows and index entries are in the file already; reads take the body from here.
   */
  private readonly dirty = new Map<string, { readonly collection: string; readonly id: string; readonly doc: Document }>();
  private activeBatch: object | null = null;
  /** Probe filters by index (built on first use; kept across rollbacks: members are only added). */
  private readonly probeFilters = new Map<number, ProbeFilter>();
  private closed = false;

  private constructor(
    private readonly db: DatabaseSync,
    cacheSize: number,
  ) {
    this.cache = new DocCache(cacheSize);
  }

  static open(options: DiskReadStoreOptions): Promise<DiskReadStore> {
    try {
      const db = openReadDatabase(options.path, options.pageCacheKb ?? 16_000);
      try {
        db.exec(DISK_INDEX_TABLES);
        const store = new DiskReadStore(db, Math.max(0, options.cacheSize ?? DEFAULT_CACHE));
        store.loadCheckpoints();
        return Promise.resolve(store);
      } catch (error) {
        db.close();
        throw error;
      }
    } catch (error) {
      return rejected(error);
    }
  }

  collection<T extends Document = Document>(name: string, options: CollectionOptions = {}): Collection<T> {
    this.assertOpen();
    if (typeof name !== 'string' || name.length === 0) throw new TypeError('collection name must be a non-empty string');
    const state = this.state(name);
    for (const spec of options.indexes ?? []) this.declareIndex(state, spec);
    for (const retired of retiredIndexNames(options)) this.retireIndex(state, retired);
    let handle = this.handles.get(name);
    if (!handle) {
      handle = new DiskCollection(this, state);
      this.handles.set(name, handle);
    }
    return handle as unknown as Collection<T>;
  }

  getCheckpoint(name: string): Promise<number | null> {
    if (this.closed) return Promise.reject(new Error('read store is closed'));
    return Promise.resolve(this.checkpoints.get(name) ?? null);
  }

  setCheckpoint(name: string, position: number): Promise<void> {
    if (!Number.isSafeInteger(position) || position < 0) return Promise.reject(new RangeError(`invalid checkpoint position: ${position}`));
    return this.write(() => {
      this.sql('INSERT OR REPLACE INTO read_checkpoints (name, position) VALUES (?, ?)').run(name, position);
      this.checkpoints.set(name, position);
    });
  }

  deleteCheckpoint(name: string): Promise<void> {
    return this.write(() => {
      this.sql('DELETE FROM read_checkpoints WHERE name = ?').run(name);
      this.checkpoints.delete(name);
    });
  }

  async batch<R>(work: () => Promise<R>): Promise<R> {
    this.assertOpen();
    const current = this.units.getStore();
    if (current !== undefined && current === this.activeBatch) return work();
    await this.mutex.acquire();
    try {
      this.assertOpen();
      const unit = {};
      this.activeBatch = unit;
      this.db.exec('BEGIN IMMEDIATE');
      let result: R;
      try {
        result = await this.units.run(unit, work);
      } catch (error) {
        this.rollback();
        throw error;
      } finally {
        this.activeBatch = null;
      }
      this.commit();
      return result;
    } finally {
      this.mutex.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.mutex.acquire();
    try {
      if (this.closed) return;
      this.closed = true;
      this.db.close();
    } finally {
      this.mutex.release();
    }
  }

  // ---- used by DiskCollection ----

  /** Runs a write inside the current batch, or in its own transaction committed before it resolves. */
  async write<R>(op: () => R): Promise<R> {
    this.assertOpen();
    const current = this.units.getStore();
    if (current !== undefined && current === this.activeBatch) return op();
    if (!this.mutex.tryAcquire()) await this.mutex.acquire();
    try {
      this.assertOpen();
      this.db.exec('BEGIN IMMEDIATE');
      try {
        return op();
      } finally {
        // like MongoDB, what an ordered multi-document write did before failing stays written
        this.commit();
      }
    } finally {
      this.mutex.release();
    }
  }

  assertOpen(): void {
    if (this.closed) throw new Error('read store is closed');
  }

  sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (!statement) {
      // queries with a prefilter vary with their filters' shapes: the cache stays bounded
      if (this.statements.size >= MAX_STATEMENTS) this.statements.clear();
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** The stored document, or null (through the cache). */
  getDoc(collection: string, id: string): Document | null {
    const cacheKey = `${collection}\u0000${id}`;
    const pending = this.dirty.get(cacheKey);
    if (pending) return pending.doc;
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) return cached;
    const row = this.sql('SELECT body FROM read_docs WHERE collection = ? AND id = ?').get(collection, id) as { body: string | Uint8Array } | undefined;
    const doc = row ? decodeDocument(row.body) : null;
    this.cache.set(cacheKey, doc);
    return doc;
  }

  /**
   * A document read by a scan: its body from the file is current unless the open transaction
   * changed it. Not looked up in or added to the cache (a scan would flush it, and the lookup
   * costs more than it saves).
   */
  decode(collection: string, id: string, body: string | Uint8Array): Document {
    if (this.dirty.size > 0) {
      const pending = this.dirty.get(`${collection}\u0000${id}`);
      if (pending) return pending.doc;
    }
    return decodeDocument(body);
  }

  /** Whether the open transaction has changes not yet written to the file (replaced documents). */
  hasPending(): boolean {
    return this.dirty.size > 0;
  }

  /** Documents in a collection. */
  size(state: CollectionState): number {
    state.size ??= Number((this.sql('SELECT COUNT(*) AS n FROM read_docs WHERE collection = ?').get(state.name) as { n: number }).n);
    return state.size;
  }

  /**
   * Replaces, inserts (prev null) or removes (next null) one document and its index entries. A
   * replacement `next` is kept (pending until commit, then cached): it must be the store's own
   * copy. An inserted one is only read during the call.
   */
  putDoc(state: CollectionState, id: string, prev: Document | null, next: Document | null): void {
    const cacheKey = `${state.name}\u0000${id}`;
    if (next && prev) {
      this.checkUnique(state, id, next);
      this.dirty.set(cacheKey, { collection: state.name, id, doc: next });
    } else if (next) {
      this.checkUnique(state, id, next);
      try {
        this.sql('INSERT INTO read_docs (collection, id, body) VALUES (?, ?, ?)').run(state.name, id, encodeDocument(next));
        if (state.size !== undefined) state.size++;
      } catch (error) {
        if ((error as { errcode?: number }).errcode === SQLITE_CONSTRAINT_UNIQUE) throw new DuplicateKeyError(state.name, { _id: id });
        throw error;
      }
    } else {
      this.dirty.delete(cacheKey);
      this.sql('DELETE FROM read_docs WHERE collection = ? AND id = ?').run(state.name, id);
      if (state.size !== undefined) state.size--;
    }
    const insertEntry = this.sql('INSERT INTO read_index_entries (ix, key, id) VALUES (?, ?, ?)');
    const deleteEntry = this.sql('DELETE FROM read_index_entries WHERE ix = ? AND key = ?');
    for (const index of state.indexes) {
      const before = prev ? entryKeys(index, prev) : [];
      const after = next ? entryKeys(index, next) : [];
      const filter = this.probeFilters.get(index.ix);
      const insert = (key: Buffer): void => {
        insertEntry.run(index.ix, key, id);
        if (filter) this.noteEntry(index, filter, key, id);
      };
      if (before.length === 0 || after.length === 0) {
        // an insert or a removal: nothing to compare
        for (const key of before) deleteEntry.run(index.ix, key);
        for (const key of after) insert(key);
      } else if (before.length === 1 && after.length === 1) {
        if (!before[0]!.equals(after[0]!)) {
          deleteEntry.run(index.ix, before[0]!);
          insert(after[0]!);
        }
      } else {
        const kept = new Set(after.map((k) => k.toString('latin1')));
        const had = new Set<string>();
        for (const key of before) {
          const text = key.toString('latin1');
          had.add(text);
          if (!kept.has(text)) deleteEntry.run(index.ix, key);
        }
        for (const key of after) if (!had.has(key.toString('latin1'))) insert(key);
      }
      if (next && !index.multikey && isMultikeyFor(index, next)) {
        index.multikey = true;
        this.sql('UPDATE read_indexes SET multikey = 1 WHERE ix = ?').run(index.ix);
      }
    }
    // an inserted document is read back from the file when asked for: the caller's object is
    // used only during this call (no copy is made of it), and an import's new documents would
    // only push the ones worth keeping out of the cache
    if (prev === null) this.cache.delete(cacheKey);
    else this.cache.set(cacheKey, next);
  }

  /** Adds an inserted entry to the index's probe filter; one grown to its most layers is dropped (built again on use, sized for the entries then). */
  private noteEntry(index: DiskIndex, filter: ProbeFilter, key: Buffer, id: string): void {
    filter.add(entryPrefix(index, key, id));
    if (filter.full) this.probeFilters.delete(index.ix);
  }

  /** The index's probe filter, built from its entries the first time it is asked for. */
  probeFilter(index: DiskIndex): ProbeFilter {
    let filter = this.probeFilters.get(index.ix);
    if (filter) return filter;
    const count = Number((this.sql('SELECT COUNT(*) AS n FROM read_index_entries WHERE ix = ?').get(index.ix) as { n: number }).n);
    filter = new ProbeFilter(Math.max(4096, 2 * count));
    for (const row of this.sql('SELECT key, id FROM read_index_entries WHERE ix = ?').iterate(index.ix)) {
      const { key, id } = row as { key: Uint8Array; id: string };
      filter.add(entryPrefix(index, Buffer.from(key.buffer, key.byteOffset, key.byteLength), id));
    }
    this.probeFilters.set(index.ix, filter);
    return filter;
  }

  /** Throws DuplicateKeyError if `next` (document `id`) would take a unique key another document holds. */
  checkUnique(state: CollectionState, id: string, next: Document): void {
    for (const index of state.indexes) {
      if (!index.unique) continue;
      for (const key of entryKeys(index, next)) {
        const row = this.sql('SELECT id FROM read_index_entries WHERE ix = ? AND key = ?').get(index.ix, key) as { id: string } | undefined;
        if (row && row.id !== id) throw new DuplicateKeyError(state.name, keyObject(index, next));
      }
    }
  }

  drop(state: CollectionState): void {
    for (const [key, pending] of this.dirty) if (pending.collection === state.name) this.dirty.delete(key);
    this.sql('DELETE FROM read_docs WHERE collection = ?').run(state.name);
    state.size = 0;
    for (const index of state.indexes) {
      this.probeFilters.delete(index.ix);
      this.sql('DELETE FROM read_index_entries WHERE ix = ?').run(index.ix);
      index.multikey = false;
      this.sql('UPDATE read_indexes SET multikey = 0 WHERE ix = ?').run(index.ix);
    }
    this.cache.clear();
  }

  // ---- internals ----

  private state(name: string): CollectionState {
    let state = this.collections.get(name);
    if (!state) {
      state = { name, indexes: [], declared: new Set(), size: undefined };
      this.loadIndexes(state);
      this.collections.set(name, state);
    }
    return state;
  }

  /** Reads the collection's index declarations back from the file. */
  private loadIndexes(state: CollectionState): void {
    state.indexes.length = 0;
    state.declared.clear();
    const rows = this.sql('SELECT ix, name, spec, multikey FROM read_indexes WHERE collection = ? ORDER BY ix').all(state.name) as {
      ix: number;
      name: string;
      spec: string;
      multikey: number;
    }[];
    for (const row of rows) state.indexes.push(toIndex(Number(row.ix), row.name, row.spec, row.multikey === 1));
  }

  private declareIndex(state: CollectionState, spec: IndexSpec): void {
    const name = indexName(spec);
    if (state.declared.has(name)) return;
    const fields = Object.keys(spec.keys);
    if (fields.length === 0) throw new TypeError(`index ${name} on ${state.name} has no keys`);
    const text = JSON.stringify({ keys: fields.map((f) => [f, spec.keys[f] === -1 ? -1 : 1]), unique: spec.unique === true });
    const existing = state.indexes.find((i) => i.name === name);
    if (existing && existing.spec === text) {
      state.declared.add(name);
      return;
    }
    // a new index, or one whose keys changed: (re)built from the documents, in the current transaction if any
    const own = !this.db.isTransaction;
    if (own) this.db.exec('BEGIN IMMEDIATE');
    try {
      if (existing) {
        this.probeFilters.delete(existing.ix);
        this.sql('DELETE FROM read_index_entries WHERE ix = ?').run(existing.ix);
        this.sql('DELETE FROM read_indexes WHERE ix = ?').run(existing.ix);
        state.indexes.splice(state.indexes.indexOf(existing), 1);
      }
      const inserted = this.sql('INSERT INTO read_indexes (collection, name, spec) VALUES (?, ?, ?)').run(state.name, name, text);
      const index = toIndex(Number(inserted.lastInsertRowid), name, text, false);
      // an index number can be taken again after a rebuild: no filter of an earlier index applies
      this.probeFilters.delete(index.ix);
      const insert = this.sql('INSERT INTO read_index_entries (ix, key, id) VALUES (?, ?, ?)');
      const find = this.sql('SELECT id FROM read_index_entries WHERE ix = ? AND key = ?');
      for (const row of this.sql('SELECT id, body FROM read_docs WHERE collection = ?').iterate(state.name)) {
        const { id, body } = row as { id: string; body: string | Uint8Array };
        const doc = this.decode(state.name, id, body);
        for (const key of entryKeys(index, doc)) {
          const owner = find.get(index.ix, key) as { id: string } | undefined;
          if (owner) {
            if (owner.id === id) continue;
            throw new DuplicateKeyError(state.name, keyObject(index, doc));
          }
          insert.run(index.ix, key, id);
        }
        if (!index.multikey && isMultikeyFor(index, doc)) index.multikey = true;
      }
      if (index.multikey) this.sql('UPDATE read_indexes SET multikey = 1 WHERE ix = ?').run(index.ix);
      if (own) this.db.exec('COMMIT');
      state.indexes.push(index);
      state.declared.add(name);
    } catch (error) {
      if (own && this.db.isTransaction) this.db.exec('ROLLBACK');
      if (own) this.loadIndexes(state);
      throw error;
    }
  }

  /** Drops an index that is still in the file: its entries and its declaration, in the current transaction if any. */
  private retireIndex(state: CollectionState, name: string): void {
    const index = state.indexes.find((i) => i.name === name);
    if (index === undefined) return;
    const own = !this.db.isTransaction;
    if (own) this.db.exec('BEGIN IMMEDIATE');
    try {
      this.sql('DELETE FROM read_index_entries WHERE ix = ?').run(index.ix);
      this.sql('DELETE FROM read_indexes WHERE ix = ?').run(index.ix);
      if (own) this.db.exec('COMMIT');
    } catch (error) {
      if (own && this.db.isTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
    this.probeFilters.delete(index.ix);
    state.indexes.splice(state.indexes.indexOf(index), 1);
    state.declared.delete(name);
  }

  private loadCheckpoints(): void {
    this.checkpoints.clear();
    for (const row of this.db.prepare('SELECT name, position FROM read_checkpoints').iterate()) {
      const { name, position } = row as { name: string; position: number };
      this.checkpoints.set(name, Number(position));
    }
  }

  private commit(): void {
    try {
      if (this.dirty.size > 0) {
        const update = this.sql('UPDATE read_docs SET body = ? WHERE collection = ? AND id = ?');
        for (const { collection, id, doc } of this.dirty.values()) update.run(encodeDocument(doc), collection, id);
        this.dirty.clear();
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.rollback();
      throw error;
    }
  }

  /** Rolls the transaction back and forgets everything memory knew of what it wrote. */
  private rollback(): void {
    if (this.db.isTransaction) this.db.exec('ROLLBACK');
    this.dirty.clear();
    this.cache.clear();
    this.loadCheckpoints();
    for (const state of this.collections.values()) {
      this.loadIndexes(state);
      state.size = undefined;
    }
  }
}

function toIndex(ix: number, name: string, spec: string, multikey: boolean): DiskIndex {
  const parsed = JSON.parse(spec) as { keys: [string, 1 | -1][]; unique: boolean };
  const fields = parsed.keys.map(([f]) => f);
  return {
    ix,
    name,
    spec,
    fields,
    parts: fields.map(splitPath),
    directions: parsed.keys.map(([, d]) => d),
    unique: parsed.unique,
    multikey,
    idSuffix: !parsed.unique && !fields.includes('_id'),
  };
}

class DiskCollection<T extends Document> implements Collection<T> {
  readonly name: string;

  constructor(
    private readonly store: DiskReadStore,
    private readonly state: CollectionState,
  ) {
    this.name = state.name;
  }

  // ---- reads ----

  find(filter: Filter = {}, options: FindOptions = {}): Promise<T[]> {
    try {
      this.store.assertOpen();
      return Promise.resolve(this.findSync(filter, options));
    } catch (error) {
      return rejected(error);
    }
  }

  findOne(filter: Filter, options: Pick<FindOptions, 'projection' | 'sort'> = {}): Promise<T | null> {
    try {
      this.store.assertOpen();
      return Promise.resolve(this.findSync(filter, { ...options, limit: 1 })[0] ?? null);
    } catch (error) {
      return rejected(error);
    }
  }

  count(filter: Filter = {}): Promise<number> {
    try {
      this.store.assertOpen();
      return Promise.resolve(this.countSync(filter));
    } catch (error) {
      return rejected(error);
    }
  }

  findPage(filter: Filter, options: PageOptions): Promise<Page<T>> {
    try {
      this.store.assertOpen();
      const matches = compileFilter(filter);
      const after = options.after ? compileFilter(options.after) : null;
      const limit = Math.max(1, options.limit);
      const plan = this.plan(filter, options.sort);
      const counted = plan.kind === 'index' && plan.covered ? this.countRanges(plan.index, plan.ranges) : null;
      let total = 0;
      let docs: Document[];
      if (plan.kind === 'index' && plan.order !== 0) {
        docs = [];
        for (const doc of this.candidates(plan)) {
          if (!matches(doc)) continue;
          total++;
          if (docs.length < limit) {
            if (after === null || after(doc)) docs.push(doc);
          } else if (counted !== null) break;
        }
      } else {
        const inPage: Predicate = (doc) => {
          if (!matches(doc)) return false;
          total++;
          return after === null || after(doc);
        };
        docs = topDocuments(this.candidates(plan), inPage, options.sort, limit);
      }
      const shaped = options.projection && Object.keys(options.projection).length > 0 ? project(docs, options.projection) : docs;
      return Promise.resolve({ docs: shaped.map((d) => clone(d)) as T[], total: counted ?? total });
    } catch (error) {
      return rejected(error);
    }
  }

  stream(filter: Filter = {}, options: StreamOptions = {}): AsyncIterable<T> {
    return { [Symbol.asyncIterator]: () => this.streamDocuments(filter, options) };
  }

  /**
   * Lazy, in chunks read to their end (no SQLite statement stays open across a yield). A sort an
   * index gives is read in index order; any other sort first keeps each match's id and sort
   * values, orders those, and reads each document again as it hands it out.
   */
  private async *streamDocuments(filter: Filter, options: StreamOptions): AsyncGenerator<T, void, undefined> {
    this.store.assertOpen();
    const matches = compileFilter(filter);
    const batchSize = options.batchSize !== undefined && options.batchSize > 0 ? Math.floor(options.batchSize) : DEFAULT_STREAM_BATCH;
    const projection = options.projection && Object.keys(options.projection).length > 0 ? options.projection : null;
    const shaped = (batch: Document[]): T[] => (projection ? project(batch, projection) : batch).map((d) => clone(d)) as T[];
    const pause = async (): Promise<void> => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.store.assertOpen();
    };
    const sort = options.sort && Object.keys(options.sort).length > 0 ? options.sort : undefined;
    const plan = this.plan(filter, sort);
    let batch: Document[] = [];
    if (!sort || (plan.kind === 'index' && plan.order !== 0)) {
      for (const doc of this.candidates(plan)) {
        if (!matches(doc)) continue;
        batch.push(doc);
        if (batch.length < batchSize) continue;
        const out = shaped(batch);
        batch = [];
        yield* out;
        await pause();
      }
      yield* shaped(batch);
      return;
    }
    const ids = sortedIds(this.candidates(plan), matches, sort);
    for (let start = 0; start < ids.length; start += batchSize) {
      if (start > 0) await pause();
      // looked up again now: a document deleted, or changed to no longer match, since is skipped
      for (const id of ids.slice(start, start + batchSize)) {
        const doc = this.store.getDoc(this.name, id);
        if (doc && matches(doc)) batch.push(doc);
      }
      const out = shaped(batch);
      batch = [];
      yield* out;
    }
  }

  aggregate<R = Record<string, unknown>>(pipeline: readonly PipelineStage[]): Promise<R[]> {
    try {
      this.store.assertOpen();
      const { stages, needsInputCopy } = preparePipeline(pipeline);
      let input: Obj[] = [];
      let rest = stages;
      const first = stages[0];
      if (first && '$match' in first && isPlainObject(first['$match'])) {
        const filter = first['$match'];
        const matches = compileFilter(filter);
        for (const doc of this.candidates(this.plan(filter))) if (matches(doc)) input.push(doc);
        rest = stages.slice(1);
      } else {
        for (const doc of this.candidates({ kind: 'scan' })) input.push(doc);
      }
      if (needsInputCopy) input = input.map((d) => clone(d));
      const resolve = (name: string): Obj[] => {
        const docs: Obj[] = [];
        const other = this.store.collection(name) as unknown as DiskCollection<Document>;
        for (const doc of other.candidates({ kind: 'scan' })) docs.push(clone(doc));
        return docs;
      };
      const output = runPipeline(rest, input, resolve);
      return Promise.resolve(output.map((d) => clone(d)) as R[]);
    } catch (error) {
      return rejected(error);
    }
  }

  // ---- writes ----

  insertOne(document: T): Promise<void> {
    return this.store.write(() => this.insertSync(document));
  }

  insertMany(documents: readonly T[]): Promise<void> {
    return this.store.write(() => {
      for (const document of documents) this.insertSync(document);
    });
  }

  replaceOne(filter: Filter, replacement: T, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.store.write(() => this.replaceSync(filter, replacement, options.upsert === true));
  }

  updateOne(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.store.write(() => this.updateSync(filter, update, options.upsert === true, false));
  }

  updateMany(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.store.write(() => this.updateSync(filter, update, options.upsert === true, true));
  }

  deleteOne(filter: Filter): Promise<DeleteResult> {
    return this.store.write(() => this.deleteSync(filter, false));
  }

  deleteMany(filter: Filter = {}): Promise<DeleteResult> {
    return this.store.write(() => this.deleteSync(filter, true));
  }

  bulkWrite(operations: readonly BulkOperation<T>[]): Promise<BulkWriteResult> {
    return this.store.write(() =>
      runBulkWrite(operations, {
        insert: (document) => this.insertSync(document),
        update: (filter, update, upsert, many) => this.updateSync(filter, update, upsert, many),
        replace: (filter, replacement, upsert) => this.replaceSync(filter, replacement, upsert),
        delete: (filter, many) => this.deleteSync(filter, many),
      }),
    );
  }

  drop(): Promise<void> {
    return this.store.write(() => this.store.drop(this.state));
  }

  // ---- implementation ----

  /**
   * The planner's choice, unless it is an unordered index read that would visit more than half
   * of a large collection (one enterprise holding most leads): reading the collection in file
   * order then costs less than an index walk with a lookup per document.
   */
  private plan(filter: Filter, sort?: Sort): DiskPlan {
    const plan = this.choose(filter, sort);
    // an index read of many short ranges (a long `$in` on the index) already reads little, and
    // each range's query would bind the whole condition again
    if (plan.kind === 'ids' || (plan.kind === 'index' && (plan.covered || plan.ranges.length > 1))) return plan;
    const prefilter = prefilterOf(filter);
    return prefilter && prefilter.params.length <= MAX_PREFILTER_PARAMS ? { ...plan, prefilter } : plan;
  }

  private choose(filter: Filter, sort?: Sort): Plan {
    const plan = planQuery(filter, this.state.indexes, sort);
    if (plan.kind !== 'index' || plan.order !== 0 || plan.covered || plan.ranges.length !== 1) return plan;
    const size = this.store.size(this.state);
    if (size < SCAN_CHECK_MIN) return plan;
    const range = plan.ranges[0]!;
    const half = Math.floor(size / 2) + 1;
    const sql = `SELECT COUNT(*) AS n FROM (SELECT 1 FROM read_index_entries WHERE ix = ? AND key >= ?${range.end ? ' AND key < ?' : ''} LIMIT ?)`;
    const params: (number | Buffer)[] = [plan.index.ix, range.start];
    if (range.end) params.push(range.end);
    params.push(half);
    const n = Number((this.store.sql(sql).get(...params) as { n: number }).n);
    return n >= half ? { kind: 'scan' } : plan;
  }

  /** Documents in the plan's ranges (index order), by id, or every document (insertion order). */
  *candidates(plan: DiskPlan): Generator<Document, void, undefined> {
    const name = this.name;
    if (plan.kind === 'ids') {
      for (const id of plan.ids) {
        const doc = this.store.getDoc(name, id);
        if (doc) yield doc;
      }
      return;
    }
    if (plan.kind === 'scan') {
      let last = -1;
      for (;;) {
        // the file's bodies are what the prefilter reads: not while this transaction has pending changes
        const prefilter = this.store.hasPending() ? undefined : plan.prefilter;
        const chunk = this.store.sql(
          `SELECT rowid AS r, id, body FROM read_docs d WHERE collection = ? AND rowid > ?${prefilter ? ` AND ${prefilter.sql}` : ''} ORDER BY rowid LIMIT ?`,
        );
        const rows = (prefilter ? chunk.all(name, last, ...prefilter.params, CHUNK) : chunk.all(name, last, CHUNK)) as { r: number; id: string; body: string | Uint8Array }[];
        for (const row of rows) yield this.store.decode(name, row.id, row.body);
        if (rows.length < CHUNK) return;
        last = Number(rows[rows.length - 1]!.r);
      }
    }
    const seen = plan.index.multikey ? new Set<string>() : null;
    const fresh = (row: IndexRow): boolean => {
      if (!seen) return true;
      if (seen.has(row.id)) return false;
      seen.add(row.id);
      return true;
    };
    // many equality probes (a long `$in`): the ones no entry can start with are not read
    const probe = plan.fullEquality && plan.ranges.length >= PROBE_FILTER_MIN_RANGES ? this.store.probeFilter(plan.index as DiskIndex) : null;
    for (const range of plan.ranges) {
      if (probe && !probe.mayHave(range.start)) continue;
      for (const row of this.rangeRows(plan.index, range, plan.order === -1, plan.prefilter)) if (fresh(row)) yield this.store.decode(name, row.id, row.body);
    }
  }

  /** The entries (and bodies) of one key range, in key order, read CHUNK at a time. */
  private *rangeRows(index: IndexMeta, range: KeyRange, backward: boolean, filter?: Prefilter): Generator<IndexRow, void, undefined> {
    let start: Buffer = range.start;
    let end: Buffer | null = range.end;
    for (;;) {
      const prefilter = filter && !this.store.hasPending() ? filter : undefined;
      const sql =
        'SELECT e.key AS key, e.id AS id, d.body AS body FROM read_index_entries e JOIN read_docs d ON d.collection = ? AND d.id = e.id ' +
        `WHERE e.ix = ? AND e.key >= ?${end ? ' AND e.key < ?' : ''}${prefilter ? ` AND ${prefilter.sql}` : ''} ORDER BY e.key ${backward ? 'DESC' : 'ASC'} LIMIT ?`;
      const params: (string | number | Buffer)[] = [this.name, index.ix, start];
      if (end) params.push(end);
      if (prefilter) params.push(...prefilter.params);
      params.push(CHUNK);
      const rows = this.store.sql(sql).all(...params) as unknown as IndexRow[];
      yield* rows;
      if (rows.length < CHUNK) return;
      const lastKey = Buffer.from(rows[rows.length - 1]!.key);
      // keys are unique per index: go on just past (or before) the last one read
      if (backward) end = lastKey;
      else start = Buffer.concat([lastKey, Buffer.from([0])]);
    }
  }

  /** Index entries in the ranges: the documents of a covered plan (one entry each), read from the index alone. */
  private countRanges(index: IndexMeta, ranges: readonly KeyRange[]): number {
    let n = 0;
    for (const range of ranges) {
      const sql = `SELECT COUNT(*) AS n FROM read_index_entries WHERE ix = ? AND key >= ?${range.end ? ' AND key < ?' : ''}`;
      const params: (number | Buffer)[] = [index.ix, range.start];
      if (range.end) params.push(range.end);
      n += Number((this.store.sql(sql).get(...params) as { n: number }).n);
    }
    return n;
  }

  private countSync(filter: Filter): number {
    const plan = this.plan(filter);
    if (plan.kind === 'index' && plan.covered) return this.countRanges(plan.index, plan.ranges);
    if (plan.kind === 'scan' && Object.keys(filter).length === 0) {
      return Number((this.store.sql('SELECT COUNT(*) AS n FROM read_docs WHERE collection = ?').get(this.name) as { n: number }).n);
    }
    const matches = compileFilter(filter);
    let n = 0;
    for (const doc of this.candidates(plan)) if (matches(doc)) n++;
    return n;
  }

  private findSync(filter: Filter, options: FindOptions): T[] {
    const matches = compileFilter(filter);
    const skip = Math.max(0, options.skip ?? 0);
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const sort = options.sort && Object.keys(options.sort).length > 0 ? options.sort : undefined;
    const plan = this.plan(filter, sort);
    let docs: Document[] = [];
    if (sort && !(plan.kind === 'index' && plan.order !== 0)) {
      if (skip + limit <= TOP_K_MAX) {
        docs = topDocuments(this.candidates(plan), matches, sort, skip + limit).slice(skip);
      } else {
        for (const doc of this.candidates(plan)) if (matches(doc)) docs.push(doc);
        docs = sortDocuments(docs, sort).slice(skip, skip + limit);
      }
    } else {
      let skipped = 0;
      for (const doc of this.candidates(plan)) {
        if (docs.length >= limit) break;
        if (!matches(doc)) continue;
        if (skipped < skip) skipped++;
        else docs.push(doc);
      }
    }
    const shaped = options.projection && Object.keys(options.projection).length > 0 ? project(docs, options.projection) : docs;
    return shaped.map((d) => clone(d)) as T[];
  }

  /**
   * The first document `filter` matches, or (`many`) every one: read before anything is written, so
   * a write never moves a document under the scan. For `many` only the ids are kept, and each
   * document is read (and checked) again as it is written.
   */
  private *targets(filter: Filter, many: boolean): Generator<Document, void, undefined> {
    const id = onlyId(filter);
    if (id !== undefined) {
      // `{_id: "…"}`, what most projections write by: one lookup, nothing to plan or match
      const doc = this.store.getDoc(this.name, id);
      if (doc) yield doc;
      return;
    }
    const matches = compileFilter(filter);
    const plan = this.plan(filter);
    if (!many) {
      for (const doc of this.candidates(plan)) {
        if (!matches(doc)) continue;
        yield doc;
        return;
      }
      return;
    }
    const ids: string[] = [];
    for (const doc of this.candidates(plan)) if (matches(doc)) ids.push(doc._id);
    for (const id of ids) {
      const doc = this.store.getDoc(this.name, id);
      if (doc && matches(doc)) yield doc;
    }
  }

  private insertSync(document: T): void {
    checkDocument(document);
    // inserting reads the document only during the call: a copy only to give it an _id
    const doc = document._id === undefined ? { ...(document as Document), _id: newObjectIdHex() } : (document as Document);
    this.insertNew(doc);
  }

  private insertNew(doc: Document): void {
    if (typeof doc._id !== 'string') throw new TypeError(`_id must be a string in ${this.name}`);
    // a second document with this _id is refused by the file's unique key (DuplicateKeyError)
    this.store.putDoc(this.state, doc._id, null, doc);
  }

  private updateSync(filter: Filter, update: Update, upsert: boolean, many: boolean): UpdateResult {
    const prepared = prepareUpdate(update);
    let matchedCount = 0;
    let modifiedCount = 0;
    for (const doc of this.targets(filter, many)) {
      matchedCount++;
      if (this.applyTo(doc, prepared, filter)) modifiedCount++;
    }
    if (matchedCount > 0 || !upsert) return { matchedCount, modifiedCount, upsertedCount: 0 };
    const doc = upsertSeed(filter) as Document;
    applyUpdate(doc, prepared, true, filter);
    if (doc._id === undefined) doc._id = newObjectIdHex();
    this.insertNew(doc);
    return { matchedCount: 0, modifiedCount: 0, upsertedCount: 1, upsertedId: doc._id };
  }

  private applyTo(doc: Document, prepared: PreparedUpdate, filter: Filter): boolean {
    const next = clone(doc);
    applyUpdate(next, prepared, false, filter);
    if (next._id !== doc._id) throw new Error(`performing an update on the path '_id' would modify the immutable field '_id'`);
    if (isEqual(doc, next)) return false;
    this.store.putDoc(this.state, doc._id, doc, next);
    return true;
  }

  private replaceSync(filter: Filter, replacement: T, upsert: boolean): UpdateResult {
    checkDocument(replacement);
    const [doc] = [...this.targets(filter, false)];
    if (doc) {
      const next = clone(replacement) as Document;
      if (next._id === undefined) next._id = doc._id;
      if (next._id !== doc._id) throw new Error(`the _id field cannot be changed from ${doc._id} to ${String(next._id)}`);
      if (isEqual(doc, next)) return { matchedCount: 1, modifiedCount: 0, upsertedCount: 0 };
      this.store.putDoc(this.state, doc._id, doc, next);
      return { matchedCount: 1, modifiedCount: 1, upsertedCount: 0 };
    }
    if (!upsert) return emptyResult();
    let next = replacement as Document;
    if (next._id === undefined) {
      const seeded = upsertSeed(filter)['_id'];
      next = { ...next, _id: typeof seeded === 'string' ? seeded : newObjectIdHex() };
    }
    this.insertNew(next);
    return { matchedCount: 0, modifiedCount: 0, upsertedCount: 1, upsertedId: next._id };
  }

  private deleteSync(filter: Filter, many: boolean): DeleteResult {
    let deletedCount = 0;
    for (const doc of this.targets(filter, many)) {
      this.store.putDoc(this.state, doc._id, doc, null);
      deletedCount++;
    }
    return { deletedCount };
  }
}
