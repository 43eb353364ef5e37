import { randomUUID } from 'node:crypto';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import {
  deepFreeze,
  streamCategory,
  subscribeToLog,
  WrongExpectedRevisionError,
  type AppendOptions,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionHandler,
} from '@leadstream/event-sourcing';

export interface SqliteEventStoreOptions {
  /** Database file. Created, with its schema, when missing. */
  readonly path: string;
  /**
   * SQLite `synchronous` setting (the journal is always WAL). Both settings keep every
   * acknowledged append when the process dies (kill -9, crash): the commit has been written to
   * the WAL file, i.e. handed to the operating system, before the append resolves.
   * - `full` (default): the WAL is also fsync'ed at every commit, so acknowledged appends survive
   *   an operating-system crash or a power loss too. Group commit makes this affordable: one
   *   fsync per group of concurrent appends, not per append.
   * - `normal`: no fsync at commit (only at checkpoints). Faster; a power loss may lose the last
   *   acknowledged appends (never corrupts the file).
   */
  readonly synchronous?: 'full' | 'normal';
  /** How long a write waits for another connection's lock before failing. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
  /** Streams whose current revision is remembered (skips a lookup per append). Default 10,000. */
  readonly revisionCacheSize?: number;
  /**
   * Subscriptions poll this often for appends made by other connections or processes; appends
   * made through this store wake them at once. Default 1000 ms.
   */
  readonly pollIntervalMs?: number;
  /**
   * Events this store wrote last, kept decoded in memory (and frozen) so that the subscriptions
   * following the log — one per projection, all reading the same new events — share one decode
   * instead of each querying and parsing them again. Default 10,000; 0 turns it off.
   */
  readonly tailCacheSize?: number;
  /**
   * SQLite page cache in KiB. Default 8,000: appends touch the end of the log and of its indexes,
   * reads of recent events come from the tail cache, and older pages come from the operating
   * system's file cache. (32 MB measured no faster for a 100,000-row import.)
   */
  readonly pageCacheKb?: number;
}

/** Counters of the group commit, for benchmarks and monitoring. */
export interface GroupCommitStats {
  /** Committed transactions (groups). */
  readonly groups: number;
  /** Appends (calls) that reached a transaction, successful or not. */
  readonly appends: number;
  /** Events written. */
  readonly events: number;
  /** Reads of the global log answered from the tail cache (at least in part), and those that were not. */
  readonly tailHits: number;
  readonly tailMisses: number;
}

interface PendingRow {
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

interface PendingAppend {
  readonly streamId: string;
  readonly category: string;
  readonly expected: ExpectedRevision;
  readonly rows: readonly PendingRow[];
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

type EventRow = [position: number, streamId: string, revision: number, id: string, type: string, data: string, metadata: string, recordedAt: string];

const SELECT_COLUMNS = 'position, stream_id, revision, id, type, data, metadata, recorded_at';
/** Upper bound of events written by one transaction; the rest waits for the next group. */
const MAX_GROUP_EVENTS = 10_000;

/**
 * EventStore on an SQLite file through `node:sqlite`.
 *
 * Writes use group commit: appends are queued and written by one `BEGIN IMMEDIATE` transaction
 * per event-loop turn (flushed on `setImmediate`), so concurrent callers share one commit (and one
 * fsync). Each append is checked against its expected revision inside that transaction, in call
 * order, and fails on its own: the other appends of the group still commit.
 *
 * One process should own the file for writing; other connections may read it (WAL). Appends by
 * another connection are still safe (the write lock serializes them and the revision cache is
 * dropped when SQLite's `data_version` shows a foreign commit), they just wake subscriptions here
 * only at the next poll.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: DatabaseSync;
  private readonly listeners = new Set<() => void>();
  private readonly subscriptions = new Set<Subscription>();
  private readonly revisionCache: RecentMap<number>;
  private readonly pollIntervalMs: number;

  private queue: PendingAppend[] = [];
  private flushHandle: NodeJS.Immediate | null = null;
  private closing = false;
  private closed: Promise<void> | null = null;
  private lastDataVersion: number | null = null;
  private counters = { groups: 0, appends: 0, events: 0, tailHits: 0, tailMisses: 0 };
  private readonly tail: LogTail;

  private readonly stmt: {
    begin: StatementSync;
    commit: StatementSync;
    rollback: StatementSync;
    savepoint: StatementSync;
    release: StatementSync;
    rollbackToSavepoint: StatementSync;
    dataVersion: StatementSync;
    insert: StatementSync;
    currentRevision: StatementSync;
    readStream: StatementSync;
    readAll: StatementSync;
    readCategory: StatementSync;
    head: StatementSync;
    headOfCategory: StatementSync;
  };

  constructor(options: SqliteEventStoreOptions) {
    const synchronous = options.synchronous ?? 'full';
    if (synchronous !== 'full' && synchronous !== 'normal') throw new Error(`unsupported synchronous setting: ${String(synchronous)}`);
    this.revisionCache = new RecentMap<number>(options.revisionCacheSize ?? 10_000);
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.tail = new LogTail(Math.max(0, Math.floor(options.tailCacheSize ?? 10_000)));

    this.db = new DatabaseSync(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
    try {
      const mode = this.db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode: string } | undefined;
      if (mode?.journal_mode?.toLowerCase() !== 'wal') throw new Error(`${options.path}: cannot use WAL journal mode (got ${mode?.journal_mode})`);
      // See SqliteEventStoreOptions.synchronous and README.md for the durability promise.
      this.db.exec(`PRAGMA synchronous = ${synchronous.toUpperCase()}`);
      this.db.exec(`PRAGMA cache_size = -${Math.max(100, Math.floor(options.pageCacheKb ?? 8_000))}`);
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS events (
          position    INTEGER PRIMARY KEY,   -- the rowid: global position, strictly increasing
          id          TEXT    NOT NULL UNIQUE,
          stream_id   TEXT    NOT NULL,
          category    TEXT    NOT NULL,      -- stream id up to its first '-'
          revision    INTEGER NOT NULL,
          type        TEXT    NOT NULL,
          data        TEXT    NOT NULL,      -- JSON
          metadata    TEXT    NOT NULL,      -- JSON
          recorded_at TEXT    NOT NULL,      -- ISO-8601 UTC
          UNIQUE (stream_id, revision)
        ) STRICT;
        CREATE INDEX IF NOT EXISTS events_category_position ON events (category, position);
      `);
      // Events are never deleted, so rowids (positions) are never reused without AUTOINCREMENT.
      const rows = (sql: string) => {
        const s = this.db.prepare(sql);
        s.setReturnArrays(true);
        return s;
      };
      this.stmt = {
        begin: this.db.prepare('BEGIN IMMEDIATE'),
        commit: this.db.prepare('COMMIT'),
        rollback: this.db.prepare('ROLLBACK'),
        savepoint: this.db.prepare('SAVEPOINT append'),
        release: this.db.prepare('RELEASE append'),
        rollbackToSavepoint: this.db.prepare('ROLLBACK TO append'),
        dataVersion: rows('PRAGMA data_version'),
        insert: this.db.prepare(
          'INSERT INTO events (id, stream_id, category, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        ),
        currentRevision: rows('SELECT max(revision) FROM events WHERE stream_id = ?'),
        readStream: rows(`SELECT ${SELECT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`),
        readAll: rows(`SELECT ${SELECT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`),
        readCategory: rows(`SELECT ${SELECT_COLUMNS} FROM events WHERE category = ? AND position > ? ORDER BY position LIMIT ?`),
        head: rows('SELECT max(position) FROM events'),
        headOfCategory: rows('SELECT max(position) FROM events WHERE category = ?'),
      };
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  /** Counters since this store was opened. */
  get stats(): GroupCommitStats {
    return { ...this.counters };
  }

  appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    // A throw in the executor (closed store, no events, data JSON cannot represent) rejects.
    return new Promise<AppendResult>((resolve, reject) => {
      if (this.closing) throw new Error('event store is closed');
      if (events.length === 0) throw new Error('appendToStream needs at least one event');
      // Serialize now: the caller may change its objects once this returns.
      const rows = new Array<PendingRow>(events.length);
      let lastMeta: EventMetadata | undefined;
      let lastMetaJson = '';
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        if (e.metadata !== lastMeta || i === 0) {
          lastMeta = e.metadata;
          lastMetaJson = JSON.stringify(e.metadata);
        }
        rows[i] = { id: e.id ?? randomUUID(), type: e.type, data: JSON.stringify(e.data) ?? 'null', metadata: lastMetaJson };
      }
      this.queue.push({ streamId, category: streamCategory(streamId), expected: options.expectedRevision ?? 'any', rows, resolve, reject });
      this.flushHandle ??= setImmediate(() => {
        this.flushHandle = null;
        this.flush();
      });
    });
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return settle(() => {
      this.assertOpen();
      const from = Math.max(0, options.fromRevision ?? 0);
      const rows = this.stmt.readStream.all(streamId, from, limitOf(options.maxCount)) as unknown as EventRow[];
      return rows.map(decode);
    });
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return settle(() => this.readAllNow(options));
  }

  private readAllNow(options: ReadAllOptions): RecordedEvent[] {
    this.assertOpen();
    const after = options.after ?? 0;
    const limit = limitOf(options.maxCount);
    const categories = options.categories ? new Set(options.categories) : null;
    const cached = this.tail.read(after, limit, categories);
    if (cached === null) {
      this.counters.tailMisses += 1;
      return this.query(after, limit, categories);
    }
    this.counters.tailHits += 1;
    const { events, last } = cached;
    // the tail ends with this store's last append; another connection may have appended since
    if (limit < 0 || events.length < limit) events.push(...this.query(last, limit < 0 ? -1 : limit - events.length, categories));
    return events;
  }

  private query(after: number, limit: number, categories: ReadonlySet<string> | null): RecordedEvent[] {
    if (limit === 0) return [];
    if (!categories) return (this.stmt.readAll.all(after, limit) as unknown as EventRow[]).map(decode);
    if (categories.size === 1) return (this.stmt.readCategory.all([...categories][0]!, after, limit) as unknown as EventRow[]).map(decode);
    // One index range scan per category (each bounded by the limit), merged by position: a
    // single `category IN (…) ORDER BY position` query would sort every match after `after`.
    const merged = [...categories]
      .flatMap((c) => this.stmt.readCategory.all(c, after, limit) as unknown as EventRow[])
      .sort((a, b) => a[0] - b[0]);
    return (limit >= 0 ? merged.slice(0, limit) : merged).map(decode);
  }

  subscribeToAll(options: SubscribeOptions, handler: SubscriptionHandler): Subscription {
    this.assertOpen();
    if (this.closing) throw new Error('event store is closed');
    const subscription = subscribeToLog(
      {
        readAll: (o) => this.readAll(o),
        onAppended: (listener) => {
          this.listeners.add(listener);
          return () => this.listeners.delete(listener);
        },
      },
      { pollIntervalMs: this.pollIntervalMs, ...options },
      handler,
    );
    this.subscriptions.add(subscription);
    void subscription.done.then(
      () => this.subscriptions.delete(subscription),
      () => this.subscriptions.delete(subscription),
    );
    return subscription;
  }

  headPosition(categories?: readonly string[]): Promise<number> {
    return settle(() => {
      this.assertOpen();
      if (!categories) return (this.stmt.head.all() as unknown as [number | null][])[0]![0] ?? 0;
      let head = 0;
      for (const c of new Set(categories)) {
        const p = (this.stmt.headOfCategory.all(c) as unknown as [number | null][])[0]![0];
        if (p !== null && p > head) head = p;
      }
      return head;
    });
  }

  /**
   * Refuses new appends, writes the ones already queued, stops the subscriptions, then closes the
   * file. Calling it again returns the same promise.
   */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true;
      this.flushNow();
      await Promise.all([...this.subscriptions].map((s) => s.stop()));
      this.listeners.clear();
      this.db.close();
    })();
    return this.closed;
  }

  private flushNow(): void {
    while (this.queue.length > 0) this.flush();
    if (this.flushHandle) {
      clearImmediate(this.flushHandle);
      this.flushHandle = null;
    }
  }

  /** Writes one group of queued appends in one transaction. */
  private flush(): void {
    let batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    // Bound the transaction; whatever is left goes to the next group.
    let events = 0;
    for (let i = 0; i < batch.length; i++) {
      events += batch[i]!.rows.length;
      if (events >= MAX_GROUP_EVENTS && i + 1 < batch.length) {
        this.queue = batch.slice(i + 1).concat(this.queue);
        batch = batch.slice(0, i + 1);
        this.flushHandle ??= setImmediate(() => {
          this.flushHandle = null;
          this.flush();
        });
        break;
      }
    }

    const outcomes = new Array<unknown>(batch.length); // AppendResult, or the append's error
    const failed = new Array<boolean>(batch.length).fill(false);
    // Revision of each stream written by this group so far: later appends to the same stream
    // in the group are checked against it.
    const touched = new Map<string, number>();
    const recordedAt = new Date().toISOString();
    const { stmt } = this;
    let written = 0;
    // rows written by this group, in position order: the tail cache takes them once committed
    const committed: EventRow[] = [];
    const committedCategories: string[] = [];
    try {
      stmt.begin.run();
      this.checkForeignWrites();
      for (let i = 0; i < batch.length; i++) {
        const append = batch[i]!;
        const current = touched.get(append.streamId) ?? this.currentRevision(append.streamId);
        if (!revisionMatches(append.expected, current)) {
          outcomes[i] = new WrongExpectedRevisionError(append.streamId, append.expected, current);
          failed[i] = true;
          continue;
        }
        const multi = append.rows.length > 1;
        const firstRow = committed.length;
        // A failing single INSERT undoes itself; several rows need a savepoint to go together.
        if (multi) stmt.savepoint.run();
        let revision = current;
        let position = 0;
        try {
          for (const row of append.rows) {
            revision += 1;
            position = Number(
              stmt.insert.run(row.id, append.streamId, append.category, revision, row.type, row.data, row.metadata, recordedAt)
                .lastInsertRowid,
            );
            committed.push([position, append.streamId, revision, row.id, row.type, row.data, row.metadata, recordedAt]);
            committedCategories.push(append.category);
          }
          if (multi) stmt.release.run();
        } catch (error) {
          // Some errors (I/O, disk full) roll the whole transaction back: then the group fails.
          if (!this.db.isTransaction) throw error;
          committed.length = firstRow;
          committedCategories.length = firstRow;
          if (multi) {
            stmt.rollbackToSavepoint.run();
            stmt.release.run();
          }
          outcomes[i] = error;
          failed[i] = true;
          continue;
        }
        touched.set(append.streamId, revision);
        written += append.rows.length;
        outcomes[i] = { nextExpectedRevision: revision, position } satisfies AppendResult;
      }
      stmt.commit.run();
    } catch (error) {
      if (this.db.isTransaction) {
        try {
          stmt.rollback.run();
        } catch {
          // the connection is unusable; the error below is what matters
        }
      }
      this.revisionCache.clear();
      this.lastDataVersion = null;
      for (const append of batch) append.reject(error);
      return;
    }

    this.tail.append(committed, committedCategories);
    this.counters.groups += 1;
    this.counters.appends += batch.length;
    this.counters.events += written;
    for (const [streamId, revision] of touched) this.remember(streamId, revision);
    for (let i = 0; i < batch.length; i++) {
      if (failed[i]) batch[i]!.reject(outcomes[i]);
      else batch[i]!.resolve(outcomes[i] as AppendResult);
    }
    if (written > 0) for (const listener of this.listeners) listener();
  }

  /**
   * Inside the write transaction: if another connection committed since our last transaction,
   * the remembered revisions may be stale, so forget them. (`data_version` changes only for
   * commits of other connections.) Together with BEGIN IMMEDIATE this makes the cache exact.
   */
  private checkForeignWrites(): void {
    const version = (this.stmt.dataVersion.all() as unknown as [number][])[0]![0];
    if (version !== this.lastDataVersion) {
      this.revisionCache.clear();
      this.lastDataVersion = version;
    }
  }

  private currentRevision(streamId: string): number {
    const cached = this.revisionCache.get(streamId);
    if (cached !== undefined) return cached;
    const revision = (this.stmt.currentRevision.all(streamId) as unknown as [number | null][])[0]![0];
    return revision ?? -1;
  }

  private remember(streamId: string, revision: number): void {
    this.revisionCache.set(streamId, revision);
  }

  private assertOpen(): void {
    if (!this.db.isOpen) throw new Error('event store is closed');
  }
}

/**
 * Remembers about the `capacity` most recently written keys: two generations, the older dropped
 * whole when the younger fills up (a key read from the older one moves to the younger). Constant
 * time, unlike evicting one entry at a time from an insertion-ordered Map full of deletions.
 */
class RecentMap<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  private readonly half: number;

  constructor(capacity: number) {
    this.half = Math.max(1, Math.ceil(capacity / 2));
  }

  get(key: string): V | undefined {
    const value = this.young.get(key);
    if (value !== undefined) return value;
    const older = this.old.get(key);
    if (older !== undefined) this.set(key, older);
    return older;
  }

  set(key: string, value: V): void {
    this.young.set(key, value);
    if (this.young.size >= this.half) {
      this.old = this.young;
      this.young = new Map();
    }
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }
}

/** Runs `fn` now; a throw becomes a rejected promise. */
function settle<T>(fn: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(fn()));
}

function revisionMatches(expected: ExpectedRevision, current: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === -1;
    case 'stream_exists':
      return current >= 0;
    default:
      return expected === current;
  }
}

/** SQLite reads a negative LIMIT as "no limit". */
function limitOf(maxCount: number | undefined): number {
  return maxCount === undefined ? -1 : Math.max(0, Math.floor(maxCount));
}

/**
 * A recorded event, deeply frozen: the same object may be handed to several readers (see
 * LogTail), so none of them may change what the others see.
 */
function decode(row: EventRow): RecordedEvent {
  return Object.freeze({
    id: row[3],
    type: row[4],
    data: deepFreeze(JSON.parse(row[5]) as unknown),
    metadata: deepFreeze(JSON.parse(row[6]) as EventMetadata),
    streamId: row[1],
    revision: row[2],
    position: row[0],
    recordedAt: row[7],
  });
}


/**
 * The last events this store committed, contiguous by position, decoded on first read and then
 * shared by every reader. It only ever holds what is in the file at those positions (events are
 * never changed or deleted); an append by another connection in between starts it afresh.
 */
class LogTail {
  /** The committed rows; a row's text is let go once it is decoded (the decoded event is kept instead). */
  private rows: (EventRow | undefined)[] = [];
  /** The stream category of each row, as the append computed it (not derived again per read). */
  private categories: string[] = [];
  private decoded: (RecordedEvent | undefined)[] = [];
  private start = 0;

  constructor(private readonly capacity: number) {}

  append(rows: readonly EventRow[], categories: readonly string[]): void {
    if (this.capacity === 0 || rows.length === 0) return;
    const end = this.start + this.rows.length;
    if (this.rows.length === 0 || rows[0]![0] !== end) {
      this.rows = [];
      this.categories = [];
      this.decoded = [];
      this.start = rows[0]![0];
    }
    for (let i = 0; i < rows.length; i++) {
      this.rows.push(rows[i]);
      this.categories.push(categories[i]!);
      this.decoded.push(undefined);
    }
    const excess = this.rows.length - this.capacity;
    if (excess > Math.max(64, this.capacity >> 3)) {
      this.rows = this.rows.slice(excess);
      this.categories = this.categories.slice(excess);
      this.decoded = this.decoded.slice(excess);
      this.start += excess;
    }
  }

  /**
   * Events after `after` (matching `categories`), up to `limit` (< 0: no limit), and the last
   * position the tail covers; null when the tail does not cover `after`.
   */
  read(after: number, limit: number, categories: ReadonlySet<string> | null): { events: RecordedEvent[]; last: number } | null {
    const first = after + 1 - this.start;
    if (this.rows.length === 0 || first < 0 || first >= this.rows.length) return null;
    const events: RecordedEvent[] = [];
    for (let i = first; i < this.rows.length && (limit < 0 || events.length < limit); i++) {
      if (categories !== null && !categories.has(this.categories[i]!)) continue;
      let event = this.decoded[i];
      if (event === undefined) {
        event = decode(this.rows[i]!);
        this.decoded[i] = event;
        this.rows[i] = undefined;
      }
      events.push(event);
    }
    const lastIndex = limit >= 0 && events.length === limit ? events[events.length - 1]!.position - this.start : this.rows.length - 1;
    return { events, last: this.start + lastIndex };
  }
}
