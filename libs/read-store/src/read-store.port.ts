/**
 * The read-model port: a small, Mongo-shaped document store. Filters, update operators and
 * aggregation pipelines use MongoDB's query language, so the embedded adapter (mingo) and the
 * MongoDB adapter (mongoose) answer the same calls the same way.
 */
export interface Document {
  _id: string;
  [key: string]: unknown;
}

export type Filter = Record<string, unknown>;
/** Update operators (`$set`, `$inc`, `$unset`, `$push`, `$addToSet`, `$pull`, `$setOnInsert`, `$max`, `$min`). */
export type Update = Record<string, unknown>;
export type Sort = Record<string, 1 | -1>;
export type Projection = Record<string, 0 | 1>;
export type PipelineStage = Record<string, unknown>;

export interface FindOptions {
  readonly sort?: Sort;
  readonly skip?: number;
  readonly limit?: number;
  readonly projection?: Projection;
}

/** A page of a sorted list and the size of the whole list. */
export interface PageOptions {
  readonly sort: Sort;
  /** Documents per page (> 0). */
  readonly limit: number;
  /** Keyset condition: the page holds documents matching `filter` and `after`; `total` ignores it. */
  readonly after?: Filter;
  readonly projection?: Projection;
}

/** How `stream` walks the documents a filter matches. */
export interface StreamOptions {
  /** Order of the documents (BSON order, like `find`); without it, the adapter's natural order, the cheapest. */
  readonly sort?: Sort;
  readonly projection?: Projection;
  /** Documents read from the server, or handed out between yields to the event loop, at a time (> 0; default 1000). */
  readonly batchSize?: number;
}

export interface Page<T> {
  readonly docs: T[];
  /** Documents matching `filter` (without `after`). */
  readonly total: number;
}

export interface UpdateOptions {
  readonly upsert?: boolean;
}

export interface UpdateResult {
  readonly matchedCount: number;
  readonly modifiedCount: number;
  readonly upsertedCount: number;
  readonly upsertedId?: string;
}

export interface DeleteResult {
  readonly deletedCount: number;
}

export type BulkOperation<T extends Document = Document> =
  | { readonly insertOne: { readonly document: T } }
  | { readonly replaceOne: { readonly filter: Filter; readonly replacement: T; readonly upsert?: boolean } }
  | { readonly updateOne: { readonly filter: Filter; readonly update: Update; readonly upsert?: boolean } }
  | { readonly updateMany: { readonly filter: Filter; readonly update: Update; readonly upsert?: boolean } }
  | { readonly deleteOne: { readonly filter: Filter } }
  | { readonly deleteMany: { readonly filter: Filter } };

export interface BulkWriteResult {
  readonly insertedCount: number;
  readonly matchedCount: number;
  readonly modifiedCount: number;
  readonly upsertedCount: number;
  readonly deletedCount: number;
}

export interface IndexSpec {
  readonly keys: Readonly<Record<string, 1 | -1>>;
  readonly unique?: boolean;
  readonly name?: string;
}

export interface CollectionOptions {
  /** Indexes this read model needs; adapters create them (the embedded one checks unique ones). */
  readonly indexes?: readonly IndexSpec[];
  /**
   * Names of indexes an earlier version of this read model declared and no longer needs: each is
   * dropped where it still exists (its entries are no longer kept up, a unique one no longer
   * checked). A name also declared in `indexes` is kept.
   */
  readonly retiredIndexes?: readonly string[];
}

/** An index's name: the declared one, else MongoDB's default (`field_direction` joined by `_`). */
export function indexName(spec: IndexSpec): string {
  return spec.name ?? Object.entries(spec.keys).map(([k, d]) => `${k}_${d}`).join('_');
}

/** The names in `options.retiredIndexes` to drop: those not also declared in `options.indexes` (a declared name is kept). */
export function retiredIndexNames(options: CollectionOptions): string[] {
  // asked on every collection() call (each projection batch): most collections retire nothing
  if (!options.retiredIndexes || options.retiredIndexes.length === 0) return [];
  const declared = new Set((options.indexes ?? []).map(indexName));
  return options.retiredIndexes.filter((name) => !declared.has(name));
}

/** Thrown when a write would break a unique index (including `_id`), like MongoDB's E11000. */
export class DuplicateKeyError extends Error {
  override readonly name = 'DuplicateKeyError';
  constructor(readonly collection: string, readonly key: Readonly<Record<string, unknown>>) {
    super(`duplicate key in ${collection}: ${JSON.stringify(key)}`);
  }
}

export interface Collection<T extends Document = Document> {
  readonly name: string;
  find(filter?: Filter, options?: FindOptions): Promise<T[]>;
  findOne(filter: Filter, options?: Pick<FindOptions, 'projection' | 'sort'>): Promise<T | null>;
  count(filter?: Filter): Promise<number>;
  /**
   * One page of a list with its total: `find({ $and: [filter, after] }, { sort, limit })` and
   * `count(filter)` together — adapters that scan answer both in one pass.
   */
  findPage(filter: Filter, options: PageOptions): Promise<Page<T>>;
  /**
   * Every document `filter` matches, one at a time, read lazily in batches (a cursor, not a copy of
   * the result): memory does not grow with the number of documents. Like a MongoDB cursor it is not
   * a snapshot — a document written while the iteration runs may or may not be seen, in its old or
   * new version — and ending the loop early (`break`, `return`, a throw) releases the cursor.
   */
  stream(filter: Filter, options?: StreamOptions): AsyncIterable<T>;
  aggregate<R = Record<string, unknown>>(pipeline: readonly PipelineStage[]): Promise<R[]>;
  insertOne(document: T): Promise<void>;
  insertMany(documents: readonly T[]): Promise<void>;
  replaceOne(filter: Filter, replacement: T, options?: UpdateOptions): Promise<UpdateResult>;
  updateOne(filter: Filter, update: Update, options?: UpdateOptions): Promise<UpdateResult>;
  updateMany(filter: Filter, update: Update, options?: UpdateOptions): Promise<UpdateResult>;
  deleteOne(filter: Filter): Promise<DeleteResult>;
  deleteMany(filter?: Filter): Promise<DeleteResult>;
  /** Ordered bulk write: stops at the first failing operation and throws its error. */
  bulkWrite(operations: readonly BulkOperation<T>[]): Promise<BulkWriteResult>;
  /** Removes every document (indexes stay declared). */
  drop(): Promise<void>;
}

export interface ReadStore extends ReadStoreBatching {
  collection<T extends Document = Document>(name: string, options?: CollectionOptions): Collection<T>;
  /** Projection and consumer checkpoints, stored beside the read models. */
  getCheckpoint(name: string): Promise<number | null>;
  setCheckpoint(name: string, position: number): Promise<void>;
  deleteCheckpoint(name: string): Promise<void>;
  close(): Promise<void>;
}

export interface ReadStoreBatching {
  /**
   * Runs `work` as one unit of writing where the adapter can: the embedded adapter persists every
   * write made inside it (including `setCheckpoint`) in one transaction, so a projection batch and
   * its checkpoint land together. Adapters without transactions just run `work`; projections are
   * written to be idempotent, so a batch re-delivered after a crash does no harm.
   */
  batch<R>(work: () => Promise<R>): Promise<R>;
}
