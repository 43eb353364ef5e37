import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { KeyCache, LEAD_KEY_BYTES, type LeadKeyStore } from './lead-key-store.port';
import { secureRandomBytes } from './random-pool';

interface PendingOp {
  readonly kind: 'put' | 'delete';
  readonly leadId: string;
  readonly tenantId?: string;
  readonly key?: Buffer;
  /** Resolves with the lead's stored key (a put), or null (a delete). */
  readonly done: { resolve: (stored: Buffer | null) => void; reject: (error: unknown) => void };
}

/** A proposed key, checked for its length (a copy: the store zeroes keys it does not keep). */
function checkedKey(key: Buffer): Buffer {
  if (key.length !== LEAD_KEY_BYTES) throw new RangeError(`a lead key is ${LEAD_KEY_BYTES} bytes, not ${key.length}`);
  return Buffer.from(key);
}

/**
 * Lead keys in their own SQLite file (embedded mode). Writes are group-committed with
 * `synchronous=FULL`, so a key is on disk before the event it seals is appended. Deletion uses
 * `secure_delete` and truncates the WAL afterwards, so a destroyed key's bytes are overwritten in
 * the database file and no old WAL frame keeps them.
 */
export class SqliteLeadKeyStore implements LeadKeyStore {
  private readonly db: DatabaseSync;
  private readonly cache = new KeyCache();
  private readonly inFlight = new Map<string, Promise<Buffer>>();
  private pending: PendingOp[] = [];
  private flushing: Promise<void> | null = null;
  private closed = false;
  /** Prepared once: a key is looked up for every lead read past the cache. */
  private readonly select: StatementSync;
  private readonly put: StatementSync;
  private readonly del: StatementSync;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path, { timeout: 5000 });
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec('PRAGMA synchronous = FULL');
    this.db.exec('PRAGMA secure_delete = ON');
    this.db.exec('CREATE TABLE IF NOT EXISTS lead_keys (lead_id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, key BLOB NOT NULL, created_at TEXT NOT NULL) WITHOUT ROWID');
    this.select = this.db.prepare('SELECT key FROM lead_keys WHERE lead_id = ?');
    this.put = this.db.prepare('INSERT OR IGNORE INTO lead_keys (lead_id, tenant_id, key, created_at) VALUES (?, ?, ?, ?)');
    this.del = this.db.prepare('DELETE FROM lead_keys WHERE lead_id = ?');
  }

  async keyFor(leadId: string, tenantId: string, create: boolean, proposed?: Buffer): Promise<Buffer | null> {
    const cached = this.cache.get(leadId);
    if (cached) return cached;
    const creating = this.inFlight.get(leadId);
    if (creating) return creating;
    if (!create) {
      const key = this.stored(leadId);
      if (key) this.cache.set(leadId, key);
      return key;
    }
    // A lead being created has no key yet, except when its creation is retried (an import
    // resumed): the insert keeps an existing key, and the lead gets that one. No lookup first.
    const stored = this.enqueue('put', leadId, tenantId, proposed !== undefined ? checkedKey(proposed) : secureRandomBytes(LEAD_KEY_BYTES)).then((key) => {
      this.cache.set(leadId, key!);
      return key!;
    });
    this.inFlight.set(leadId, stored);
    try {
      return await stored;
    } finally {
      this.inFlight.delete(leadId);
    }
  }

  async destroy(leadId: string): Promise<void> {
    this.cache.forget(leadId);
    await this.enqueue('delete', leadId);
    this.cache.forget(leadId);
  }

  private stored(leadId: string): Buffer | null {
    const row = this.select.get(leadId) as { key: Uint8Array } | undefined;
    return row ? Buffer.from(row.key) : null;
  }

  private enqueue(kind: PendingOp['kind'], leadId: string, tenantId?: string, key?: Buffer): Promise<Buffer | null> {
    if (this.closed) return Promise.reject(new Error('lead key store is closed'));
    return new Promise<Buffer | null>((resolve, reject) => {
      this.pending.push({ kind, leadId, tenantId, key, done: { resolve, reject } });
      this.flushing ??= this.flushLoop();
    });
  }

  /** Writes everything queued in one transaction (one fsync), then whatever queued meanwhile. */
  private async flushLoop(): Promise<void> {
    await Promise.resolve();
    while (this.pending.length > 0) {
      const ops = this.pending;
      this.pending = [];
      try {
        const now = new Date().toISOString();
        const results: (Buffer | null)[] = [];
        this.db.exec('BEGIN IMMEDIATE');
        try {
          for (const op of ops) {
            if (op.kind === 'delete') {
              this.del.run(op.leadId);
              results.push(null);
            } else if (Number(this.put.run(op.leadId, op.tenantId!, op.key!, now).changes) === 1) {
              results.push(op.key!);
            } else {
              op.key!.fill(0); // not used: the lead already had a key
              results.push(this.stored(op.leadId));
            }
          }
          this.db.exec('COMMIT');
        } catch (error) {
          this.db.exec('ROLLBACK');
          throw error;
        }
        if (ops.some((op) => op.kind === 'delete')) this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
        ops.forEach((op, i) => op.done.resolve(results[i]!));
      } catch (error) {
        for (const op of ops) op.done.reject(error);
      }
      // let appends that arrive during this commit gather into the next one
      await new Promise((r) => setImmediate(r));
    }
    this.flushing = null;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    while (this.flushing) await this.flushing;
    this.closed = true;
    this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
