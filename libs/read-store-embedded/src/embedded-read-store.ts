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
  type StreamOptions,
  type Update,
  type UpdateOptions,
  type UpdateResult,
} from '@leadstream/read-store';
import { checkDocument, emptyResult, Mutex, rejected, runBulkWrite, sortedIds } from './collection-common';
import {
  applyUpdate,
  compileFilter,
  topDocuments,
  pinnedValues,
  preparePipeline,
  prepareUpdate,
  project,
  runPipeline,
  sortDocuments,
  upsertSeed,
  type Predicate,
  type PreparedUpdate,
} from './mongo-ops';
import { dropDiskIndexes, openReadDatabase } from './sqlite-file';
import { clone, encodeKeyValue, indexValues, isEqual, isPlainObject, newObjectIdHex, splitPath } from './values';
import { decodeDocument, encodeDocument } from './doc-codec';

type Obj = Record<string, unknown>;

export interface EmbeddedReadStoreOptions {
  /** SQLite file the read models persist to. Without it the store lives in memory only (tests). */
  readonly path?: string;
}

interface UniqueIndex {
  readonly name: string;
  readonly keys: readonly (readonly string[])[];
  readonly fields: readonly string[];
  /** index key → _id of the document holding it */
  readonly owners: Map<string, string>;
}

/** Equality index on one top-level field: value → ids of the documents holding it. */
type EqualityIndex = Map<unknown, Set<string>>;

interface CollectionState {
  readonly name: string;
  readonly docs: Map<string, Document>;
  readonly specs: Map<string, IndexSpec>;
  readonly unique: UniqueIndex[];
  readonly equality: Map<string, EqualityIndex>;
}

interface PendingCollection {
  dropped: boolean;
  readonly changes: Map<string, Document | null>;
}

/**
 * One unit of writing: a `batch()` or a single write call outside one. It remembers the previous
 * version of everything it touches (to roll back memory) and what to persist when it commits.
 */
interface Unit {
  readonly undoDocs: Map<CollectionState, Map<string, Document | undefined>>;
  readonly undoCheckpoints: Map<string, number | undefined>;
  readonly pending: Map<string, PendingCollection>;
  readonly pendingCheckpoints: Map<string, number | null>;
}

function newUnit(): Unit {
  return { undoDocs: new Map(), undoCheckpoints: new Map(), pending: new Map(), pendingCheckpoints: new Map() };
}

interface Statements {
  readonly putDoc: StatementSync;
  readonly deleteDoc: StatementSync;
  readonly dropCollection: StatementSync;
  readonly putCheckpoint: StatementSync;
  readonly deleteCheckpoint: StatementSync;
}

/** What a collection handle needs from its store (kept off the store's public surface). */
interface StoreInternals {
  write<R>(op: (unit: Unit) => R): Promise<R>;
  setDoc(unit: Unit, state: CollectionState, id: string, next: Document | undefined): void;
  checkUnique(state: CollectionState, id: string, next: Document): void;
  drop(unit: Unit, state: CollectionState): void;
  assertOpen(): void;
  collectionDocs(name: string): Obj[];
}

/** Documents `stream` hands out between yields to the event loop, unless told otherwise. */
const DEFAULT_STREAM_BATCH = 1000;
/** Sorted finds whose skip + limit is at most this keep a bounded buffer instead of sorting every match. */
const TOP_K_MAX = 10_000;




/**
 * ReadStore kept in memory and queried with mingo, persisted to a SQLite file (`node:sqlite`,
 * WAL). Every write call outside a `batch()` commits its own SQLite transaction before its promise
 * resolves; a `batch()` commits all its writes and checkpoints in one transaction, or rolls back.
 * One process owns a file at a time (SQLite exclusive locking).
 */
export class EmbeddedReadStore implements ReadStore {
  private readonly collections = new Map<string, CollectionState>();
  private readonly handles = new Map<string, EmbeddedCollection<Document>>();
  private readonly checkpoints = new Map<string, number>();
  private readonly units = new AsyncLocalStorage<Unit>();
  private readonly mutex = new Mutex();
  private activeBatch: Unit | null = null;
  private closed = false;
  private readonly internals: StoreInternals = {
    write: (op) => this.write(op),
    setDoc: (unit, state, id, next) => this.setDoc(unit, state, id, next),
    checkUnique: (state, id, next) => this.checkUnique(state, id, next),
    drop: (unit, state) => this.drop(unit, state),
    assertOpen: () => this.assertOpen(),
    collectionDocs: (name) => this.collectionDocs(name),
  };

  private constructor(
    private readonly db: DatabaseSync | null,
    private readonly statements: Statements | null,
  ) {}

  static open(options: EmbeddedReadStoreOptions = {}): Promise<EmbeddedReadStore> {
    try {
      if (options.path === undefined) return Promise.resolve(new EmbeddedReadStore(null, null));
      const db = openReadDatabase(options.path);
      try {
        // this store keeps no index tables: any a disk store left would go stale with its writes
        dropDiskIndexes(db);
        const statements: Statements = {
          // an upsert updates the row in place (INSERT OR REPLACE would delete and re-insert it)
          putDoc: db.prepare('INSERT INTO read_docs (collection, id, body) VALUES (?, ?, ?) ON CONFLICT (collection, id) DO UPDATE SET body = excluded.body'),
          deleteDoc: db.prepare('DELETE FROM read_docs WHERE collection = ? AND id = ?'),
          dropCollection: db.prepare('DELETE FROM read_docs WHERE collection = ?'),
          putCheckpoint: db.prepare('INSERT OR REPLACE INTO read_checkpoints (name, position) VALUES (?, ?)'),
          deleteCheckpoint: db.prepare('DELETE FROM read_checkpoints WHERE name = ?'),
        };
        const store = new EmbeddedReadStore(db, statements);
        store.load(db);
        return Promise.resolve(store);
      } catch (error) {
        db.close();
        throw error;
      }
    } catch (error) {
      return rejected(error);
    }
  }

  private load(db: DatabaseSync): void {
    for (const row of db.prepare('SELECT collection, body FROM read_docs').iterate()) {
      const { collection, body } = row as { collection: string; body: string | Uint8Array };
      const doc = decodeDocument(body);
      this.state(collection).docs.set(doc._id, doc);
    }
    for (const row of db.prepare('SELECT name, position FROM read_checkpoints').iterate()) {
      const { name, position } = row as { name: string; position: number };
      this.checkpoints.set(name, Number(position));
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
      handle = new EmbeddedCollection(this.internals, state);
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
    return this.write((unit) => this.putCheckpoint(unit, name, position));
  }

  deleteCheckpoint(name: string): Promise<void> {
    return this.write((unit) => this.putCheckpoint(unit, name, null));
  }

  async batch<R>(work: () => Promise<R>): Promise<R> {
    this.assertOpen();
    const current = this.units.getStore();
    if (current !== undefined && current === this.activeBatch) return work(); // nested: part of the outer batch
    await this.mutex.acquire();
    try {
      this.assertOpen();
      const unit = newUnit();
      this.activeBatch = unit;
      let result: R;
      try {
        result = await this.units.run(unit, work);
      } catch (error) {
        this.rollback(unit);
        throw error;
      } finally {
        this.activeBatch = null;
      }
      this.commit(unit);
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
      this.db?.close();
    } finally {
      this.mutex.release();
    }
  }

  // ---- internals used by EmbeddedCollection ----

  /** Runs a write: inside the current batch, or as its own unit committed before it resolves. */
  private async write<R>(op: (unit: Unit) => R): Promise<R> {
    this.assertOpen();
    const current = this.units.getStore();
    if (current !== undefined && current === this.activeBatch) return op(current);
    if (!this.mutex.tryAcquire()) await this.mutex.acquire();
    try {
      this.assertOpen();
      const unit = newUnit();
      try {
        return op(unit);
      } finally {
        // like MongoDB, what an ordered multi-document write did before failing stays written
        this.commit(unit);
      }
    } finally {
      this.mutex.release();
    }
  }

  private collectionDocs(name: string): Obj[] {
    return [...(this.collections.get(name)?.docs.values() ?? [])].map((d) => clone(d));
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('read store is closed');
  }

  private state(name: string): CollectionState {
    let state = this.collections.get(name);
    if (!state) {
      state = { name, docs: new Map(), specs: new Map(), unique: [], equality: new Map() };
      this.collections.set(name, state);
    }
    return state;
  }

  private declareIndex(state: CollectionState, spec: IndexSpec): void {
    const name = indexName(spec);
    if (state.specs.has(name)) return;
    const fields = Object.keys(spec.keys);
    const [first] = fields;
    if (first === undefined) throw new TypeError(`index ${name} on ${state.name} has no keys`);
    if (spec.unique) {
      const index: UniqueIndex = { name, fields, keys: fields.map(splitPath), owners: new Map() };
      for (const [id, doc] of state.docs) {
        for (const key of uniqueKeys(index, doc)) {
          const owner = index.owners.get(key);
          if (owner !== undefined && owner !== id) throw new DuplicateKeyError(state.name, keyObject(index, doc));
          index.owners.set(key, id);
        }
      }
      state.unique.push(index);
    }
    if (!first.includes('.') && first !== '_id' && !state.equality.has(first)) {
      const equality: EqualityIndex = new Map();
      for (const [id, doc] of state.docs) addEquality(equality, doc[first], id);
      state.equality.set(first, equality);
    }
    state.specs.set(name, spec);
  }

  /** Forgets an index declared earlier (its equality map too, when no other index starts with its field). */
  private retireIndex(state: CollectionState, name: string): void {
    const spec = state.specs.get(name);
    if (spec === undefined) return;
    state.specs.delete(name);
    const at = state.unique.findIndex((index) => index.name === name);
    if (at >= 0) state.unique.splice(at, 1);
    const [first] = Object.keys(spec.keys);
    if (first !== undefined && ![...state.specs.values()].some((other) => Object.keys(other.keys)[0] === first)) state.equality.delete(first);
  }

  /** Replaces (or removes) one document, keeping indexes, undo and pending writes in step. */
  private setDoc(unit: Unit, state: CollectionState, id: string, next: Document | undefined): void {
    const prev = state.docs.get(id);
    let undo = unit.undoDocs.get(state);
    if (!undo) {
      undo = new Map();
      unit.undoDocs.set(state, undo);
    }
    if (!undo.has(id)) undo.set(id, prev);
    let pending = unit.pending.get(state.name);
    if (!pending) {
      pending = { dropped: false, changes: new Map() };
      unit.pending.set(state.name, pending);
    }
    pending.changes.set(id, next ?? null);
    this.setDocRaw(state, id, prev, next);
  }

  private setDocRaw(state: CollectionState, id: string, prev: Document | undefined, next: Document | undefined): void {
    if (prev) {
      for (const index of state.unique) {
        for (const key of uniqueKeys(index, prev)) if (index.owners.get(key) === id) index.owners.delete(key);
      }
      for (const [field, equality] of state.equality) removeEquality(equality, prev[field], id);
    }
    if (next) {
      state.docs.set(id, next);
      for (const index of state.unique) for (const key of uniqueKeys(index, next)) index.owners.set(key, id);
      for (const [field, equality] of state.equality) addEquality(equality, next[field], id);
    } else {
      state.docs.delete(id);
    }
  }

  /** Throws DuplicateKeyError if `next` (for document `id`) would take a unique key another document holds. */
  private checkUnique(state: CollectionState, id: string, next: Document): void {
    for (const index of state.unique) {
      for (const key of uniqueKeys(index, next)) {
        const owner = index.owners.get(key);
        if (owner !== undefined && owner !== id) throw new DuplicateKeyError(state.name, keyObject(index, next));
      }
    }
  }

  private drop(unit: Unit, state: CollectionState): void {
    let undo = unit.undoDocs.get(state);
    if (!undo) {
      undo = new Map();
      unit.undoDocs.set(state, undo);
    }
    for (const [id, doc] of state.docs) if (!undo.has(id)) undo.set(id, doc);
    unit.pending.set(state.name, { dropped: true, changes: new Map() });
    state.docs.clear();
    for (const index of state.unique) index.owners.clear();
    for (const equality of state.equality.values()) equality.clear();
  }

  private putCheckpoint(unit: Unit, name: string, position: number | null): void {
    if (!unit.undoCheckpoints.has(name)) unit.undoCheckpoints.set(name, this.checkpoints.get(name));
    unit.pendingCheckpoints.set(name, position);
    if (position === null) this.checkpoints.delete(name);
    else this.checkpoints.set(name, position);
  }

  private rollback(unit: Unit): void {
    for (const [state, undo] of unit.undoDocs) {
      for (const id of undo.keys()) this.setDocRaw(state, id, state.docs.get(id), undefined);
      for (const [id, prev] of undo) if (prev) this.setDocRaw(state, id, undefined, prev);
    }
    for (const [name, position] of unit.undoCheckpoints) {
      if (position === undefined) this.checkpoints.delete(name);
      else this.checkpoints.set(name, position);
    }
  }

  /** Persists a unit in one SQLite transaction; if that fails, memory is rolled back too. */
  private commit(unit: Unit): void {
    const db = this.db;
    const st = this.statements;
    if (!db || !st || (unit.pending.size === 0 && unit.pendingCheckpoints.size === 0)) return;
    try {
      db.exec('BEGIN IMMEDIATE');
      try {
        for (const [collection, pending] of unit.pending) {
          if (pending.dropped) st.dropCollection.run(collection);
          for (const [id, doc] of pending.changes) {
            if (doc) st.putDoc.run(collection, id, encodeDocument(doc));
            else st.deleteDoc.run(collection, id);
          }
        }
        for (const [name, position] of unit.pendingCheckpoints) {
          if (position === null) st.deleteCheckpoint.run(name);
          else st.putCheckpoint.run(name, position);
        }
        db.exec('COMMIT');
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK');
        throw error;
      }
    } catch (error) {
      this.rollback(unit);
      throw error;
    }
  }
}

function uniqueKeys(index: UniqueIndex, doc: Obj): string[] {
  if (index.keys.length === 1) {
    const values = indexValues(doc, index.keys[0]!);
    return values.length === 1 ? [encodeKeyValue(values[0])] : [...new Set(values.map(encodeKeyValue))];
  }
  let tuples: string[][] = [[]];
  for (const parts of index.keys) {
    const encoded = [...new Set(indexValues(doc, parts).map(encodeKeyValue))];
    const next: string[][] = [];
    for (const tuple of tuples) for (const value of encoded) next.push([...tuple, value]);
    tuples = next;
  }
  return tuples.map((t) => JSON.stringify(t));
}

function keyObject(index: UniqueIndex, doc: Obj): Record<string, unknown> {
  const key: Record<string, unknown> = {};
  index.fields.forEach((field, i) => {
    // `keys` is `fields.map(splitPath)`: the same length, index for index
    const values = indexValues(doc, index.keys[i]!);
    key[field] = values[0] ?? null;
  });
  return key;
}

/** The equality-index entries of a field value: primitives (arrays: each primitive element); missing → null. */
function equalityKeys(value: unknown): unknown[] {
  if (value === undefined || value === null) return [null];
  if (typeof value !== 'object') return [value];
  if (Array.isArray(value)) return value.filter((v) => v === null || typeof v !== 'object');
  return [];
}

function addEquality(index: EqualityIndex, value: unknown, id: string): void {
  for (const key of equalityKeys(value)) {
    let ids = index.get(key);
    if (!ids) {
      ids = new Set();
      index.set(key, ids);
    }
    ids.add(id);
  }
}

function removeEquality(index: EqualityIndex, value: unknown, id: string): void {
  for (const key of equalityKeys(value)) {
    const ids = index.get(key);
    if (!ids) continue;
    ids.delete(id);
    if (ids.size === 0) index.delete(key);
  }
}


class EmbeddedCollection<T extends Document> implements Collection<T> {
  readonly name: string;

  constructor(
    private readonly store: StoreInternals,
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
      const matches = compileFilter(filter);
      let n = 0;
      for (const doc of this.candidates(filter)) if (matches(doc)) n++;
      return Promise.resolve(n);
    } catch (error) {
      return rejected(error);
    }
  }

  findPage(filter: Filter, options: PageOptions): Promise<Page<T>> {
    try {
      this.store.assertOpen();
      const matches = compileFilter(filter);
      const after = options.after ? compileFilter(options.after) : null;
      let total = 0;
      // one pass: every match counts; those past the keyset compete for the page
      const counted: Predicate = (doc) => {
        if (!matches(doc)) return false;
        total++;
        return after === null || after(doc);
      };
      const docs = topDocuments(this.candidates(filter), counted, options.sort, Math.max(1, options.limit));
      const shaped = options.projection && Object.keys(options.projection).length > 0 ? project(docs, options.projection) : docs;
      return Promise.resolve({ docs: shaped.map((d) => clone(d)) as T[], total });
    } catch (error) {
      return rejected(error);
    }
  }

  stream(filter: Filter = {}, options: StreamOptions = {}): AsyncIterable<T> {
    return { [Symbol.asyncIterator]: () => this.streamDocuments(filter, options) };
  }

  /**
   * Lazy: without a sort it walks the live documents in insertion order, testing each as it goes.
   * With a sort it first keeps only each match's id and sort values (references, not copies —
   * tens of bytes a document), orders those, then looks every document up again as it hands it
   * out (a document deleted or changed to no longer match since is skipped). Every `batchSize`
   * documents it yields to the event loop, so other requests go on while a large stream runs.
   */
  private async *streamDocuments(filter: Filter, options: StreamOptions): AsyncGenerator<T, void, undefined> {
    this.store.assertOpen();
    const matches = compileFilter(filter);
    const batchSize = options.batchSize !== undefined && options.batchSize > 0 ? Math.floor(options.batchSize) : DEFAULT_STREAM_BATCH;
    const projection = options.projection && Object.keys(options.projection).length > 0 ? options.projection : null;
    // a batch is gathered (references), then shaped and copied at once (one projection pass)
    const shaped = (batch: Document[]): T[] => (projection ? project(batch, projection) : batch).map((d) => clone(d)) as T[];
    const pause = async (): Promise<void> => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.store.assertOpen();
    };
    let batch: Document[] = [];
    const sort = options.sort && Object.keys(options.sort).length > 0 ? options.sort : null;
    if (!sort) {
      for (const doc of this.candidates(filter)) {
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
    const ids = sortedIds(this.candidates(filter), matches, sort);
    for (let start = 0; start < ids.length; start += batchSize) {
      if (start > 0) await pause();
      // looked up again now: a document deleted, or changed to no longer match, since is skipped
      for (const id of ids.slice(start, start + batchSize)) {
        const doc = this.state.docs.get(id);
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
      let input: Obj[];
      let rest = stages;
      const first = stages[0];
      if (first && '$match' in first && isPlainObject(first['$match'])) {
        const filter = first['$match'];
        const matches = compileFilter(filter);
        input = [];
        for (const doc of this.candidates(filter)) if (matches(doc)) input.push(doc);
        rest = stages.slice(1);
      } else {
        input = [...this.state.docs.values()];
      }
      if (needsInputCopy) input = input.map((d) => clone(d));
      const output = runPipeline(rest, input, (name) => this.store.collectionDocs(name));
      return Promise.resolve(output.map((d) => clone(d)) as R[]);
    } catch (error) {
      return rejected(error);
    }
  }

  // ---- writes ----

  insertOne(document: T): Promise<void> {
    return this.store.write((unit) => this.insertSync(unit, document));
  }

  insertMany(documents: readonly T[]): Promise<void> {
    return this.store.write((unit) => {
      for (const document of documents) this.insertSync(unit, document);
    });
  }

  replaceOne(filter: Filter, replacement: T, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.store.write((unit) => this.replaceSync(unit, filter, replacement, options.upsert === true));
  }

  updateOne(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.store.write((unit) => this.updateSync(unit, filter, update, options.upsert === true, false));
  }

  updateMany(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.store.write((unit) => this.updateSync(unit, filter, update, options.upsert === true, true));
  }

  deleteOne(filter: Filter): Promise<DeleteResult> {
    return this.store.write((unit) => this.deleteSync(unit, filter, false));
  }

  deleteMany(filter: Filter = {}): Promise<DeleteResult> {
    return this.store.write((unit) => this.deleteSync(unit, filter, true));
  }

  bulkWrite(operations: readonly BulkOperation<T>[]): Promise<BulkWriteResult> {
    return this.store.write((unit) =>
      runBulkWrite(operations, {
        insert: (document) => this.insertSync(unit, document),
        update: (filter, update, upsert, many) => this.updateSync(unit, filter, update, upsert, many),
        replace: (filter, replacement, upsert) => this.replaceSync(unit, filter, replacement, upsert),
        delete: (filter, many) => this.deleteSync(unit, filter, many),
      }),
    );
  }

  drop(): Promise<void> {
    return this.store.write((unit) => this.store.drop(unit, this.state));
  }

  // ---- implementation ----

  /**
   * Documents that may match: looked up by `_id` or through an equality index when the filter
   * pins such a field to simple values (the smallest set wins); otherwise every document.
   */
  private candidates(filter: Filter): Iterable<Document> {
    const { docs, equality } = this.state;
    const ids = pinnedValues(filter, '_id');
    if (ids) {
      const out: Document[] = [];
      for (const id of new Set(ids)) {
        const doc = typeof id === 'string' ? docs.get(id) : undefined;
        if (doc) out.push(doc);
      }
      return out;
    }
    let best: Set<string>[] | null = null;
    let bestSize = Infinity;
    for (const [field, index] of equality) {
      const values = pinnedValues(filter, field);
      if (!values) continue;
      const sets: Set<string>[] = [];
      let size = 0;
      for (const value of new Set(values)) {
        const ids = index.get(value);
        if (ids) {
          sets.push(ids);
          size += ids.size;
        }
      }
      if (size < bestSize) {
        best = sets;
        bestSize = size;
      }
    }
    // an index that narrows little (one enterprise holding most documents) costs more than a scan
    if (!best || bestSize > docs.size / 2) return docs.values();
    const out: Document[] = [];
    const seen = best.length > 1 ? new Set<string>() : null;
    for (const ids of best) {
      for (const id of ids) {
        if (seen) {
          if (seen.has(id)) continue;
          seen.add(id);
        }
        const doc = docs.get(id);
        if (doc) out.push(doc);
      }
    }
    return out;
  }

  private findSync(filter: Filter, options: FindOptions): T[] {
    const matches = compileFilter(filter);
    const skip = Math.max(0, options.skip ?? 0);
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const sort = options.sort && Object.keys(options.sort).length > 0 ? options.sort : undefined;
    let docs: Document[] = [];
    if (sort && skip + limit <= TOP_K_MAX) {
      docs = topDocuments(this.candidates(filter), matches, sort, skip + limit).slice(skip);
    } else if (sort) {
      for (const doc of this.candidates(filter)) if (matches(doc)) docs.push(doc);
      docs = sortDocuments(docs, sort).slice(skip, skip + limit);
    } else {
      let skipped = 0;
      for (const doc of this.candidates(filter)) {
        if (docs.length >= limit) break;
        if (!matches(doc)) continue;
        if (skipped < skip) skipped++;
        else docs.push(doc);
      }
    }
    const shaped = options.projection && Object.keys(options.projection).length > 0 ? project(docs, options.projection) : docs;
    return shaped.map((d) => clone(d)) as T[];
  }

  private insertSync(unit: Unit, document: T): void {
    checkDocument(document);
    const doc = clone(document) as Document;
    if (doc._id === undefined) doc._id = newObjectIdHex();
    if (typeof doc._id !== 'string') throw new TypeError(`_id must be a string in ${this.name}`);
    if (this.state.docs.has(doc._id)) throw new DuplicateKeyError(this.name, { _id: doc._id });
    this.store.checkUnique(this.state, doc._id, doc);
    this.store.setDoc(unit, this.state, doc._id, doc);
  }

  private updateSync(unit: Unit, filter: Filter, update: Update, upsert: boolean, many: boolean): UpdateResult {
    const prepared = prepareUpdate(update);
    const matches = compileFilter(filter);
    let matchedCount = 0;
    let modifiedCount = 0;
    const candidates = many ? [...this.candidates(filter)] : this.candidates(filter);
    for (const doc of candidates) {
      if (!matches(doc)) continue;
      matchedCount++;
      if (this.applyTo(unit, doc, prepared, filter)) modifiedCount++;
      if (!many) break;
    }
    if (matchedCount > 0 || !upsert) return { matchedCount, modifiedCount, upsertedCount: 0 };
    return this.upsertSync(unit, filter, prepared);
  }

  /** Updates one stored document (copy on write); true when it changed. */
  private applyTo(unit: Unit, doc: Document, prepared: PreparedUpdate, filter: Filter): boolean {
    const next = clone(doc);
    applyUpdate(next, prepared, false, filter);
    if (next._id !== doc._id) throw new Error(`performing an update on the path '_id' would modify the immutable field '_id'`);
    if (isEqual(doc, next)) return false;
    this.store.checkUnique(this.state, doc._id, next);
    this.store.setDoc(unit, this.state, doc._id, next);
    return true;
  }

  private upsertSync(unit: Unit, filter: Filter, prepared: PreparedUpdate): UpdateResult {
    const doc = upsertSeed(filter) as Document;
    applyUpdate(doc, prepared, true, filter);
    if (doc._id === undefined) doc._id = newObjectIdHex();
    if (typeof doc._id !== 'string') throw new TypeError(`_id must be a string in ${this.name}`);
    if (this.state.docs.has(doc._id)) throw new DuplicateKeyError(this.name, { _id: doc._id });
    this.store.checkUnique(this.state, doc._id, doc);
    this.store.setDoc(unit, this.state, doc._id, doc);
    return { matchedCount: 0, modifiedCount: 0, upsertedCount: 1, upsertedId: doc._id };
  }

  private replaceSync(unit: Unit, filter: Filter, replacement: T, upsert: boolean): UpdateResult {
    checkDocument(replacement);
    const matches = compileFilter(filter);
    for (const doc of this.candidates(filter)) {
      if (!matches(doc)) continue;
      const next = clone(replacement) as Document;
      if (next._id === undefined) next._id = doc._id;
      if (next._id !== doc._id) throw new Error(`the _id field cannot be changed from ${doc._id} to ${String(next._id)}`);
      if (isEqual(doc, next)) return { matchedCount: 1, modifiedCount: 0, upsertedCount: 0 };
      this.store.checkUnique(this.state, doc._id, next);
      this.store.setDoc(unit, this.state, doc._id, next);
      return { matchedCount: 1, modifiedCount: 1, upsertedCount: 0 };
    }
    if (!upsert) return emptyResult();
    const doc = clone(replacement) as Document;
    if (doc._id === undefined) {
      const seeded = upsertSeed(filter)['_id'];
      doc._id = typeof seeded === 'string' ? seeded : newObjectIdHex();
    }
    if (typeof doc._id !== 'string') throw new TypeError(`_id must be a string in ${this.name}`);
    if (this.state.docs.has(doc._id)) throw new DuplicateKeyError(this.name, { _id: doc._id });
    this.store.checkUnique(this.state, doc._id, doc);
    this.store.setDoc(unit, this.state, doc._id, doc);
    return { matchedCount: 0, modifiedCount: 0, upsertedCount: 1, upsertedId: doc._id };
  }

  private deleteSync(unit: Unit, filter: Filter, many: boolean): DeleteResult {
    const matches = compileFilter(filter);
    let deletedCount = 0;
    const candidates = many ? [...this.candidates(filter)] : this.candidates(filter);
    for (const doc of candidates) {
      if (!matches(doc)) continue;
      this.store.setDoc(unit, this.state, doc._id, undefined);
      deletedCount++;
      if (!many) break;
    }
    return { deletedCount };
  }
}
