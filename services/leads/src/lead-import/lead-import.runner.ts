import { open, truncate, type FileHandle } from 'node:fs/promises';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { loadState, streamIdOf, WrongExpectedRevisionError, type AppendResult, type EventMetadata, type EventStore, type NewEvent } from '@leadstream/event-sourcing';
import { LEADS_EVENT_STORE } from '../leads.tokens';
import { LEAD_CATEGORY, type LeadCreated, type LeadPersonalData } from '../lead/domain/lead.events';
import type { SealedPersonalData } from '../lead-crypto/personal-data-cipher';
import { SealingEventStore } from '../lead-crypto/sealing-event-store';
import { ASSET_INFO_SOURCE, type AssetInfoSource } from '../lead/lead-operations';
import { LeadSchemaReader } from '../lead-schema/lead-schema.reader';
import { StatusCatalogueReader } from '../status/status-catalogue.reader';
import { checkMapping } from './domain/import-mapping';
import { isFinished, leadImportDecider, type LeadImportState } from './domain/lead-import.decider';
import { LEAD_IMPORT_CATEGORY, MAX_IMPORT_ROWS, type ImportCounts, type LeadImportEvent } from './domain/lead-import.events';
import { IMPORT_FILE_STORE, type ImportFileStore } from './import-file-store';
import { checkedChunks, type CheckedChunk, type GoodRow, type ImportCheckOptions } from './import-check';
import { checkedChunksInWorker } from './import-check-worker';

/** Another process appended to the job's stream: it runs the job, this process stops. */
class ImportTakenOverError extends Error {
  override readonly name = 'ImportTakenOverError';
}

/** Rows checked and appended together; a checkpoint follows every chunk. */
export const IMPORT_CHUNK_ROWS = 2_000;
const UTF8_BOM = '\uFEFF';

/**
 * Runs import jobs in the background (LEAD-7). The job's stream is its journal: after each chunk
 * of rows the leads are appended (each as its own stream, created with `no_stream` under an id
 * derived from the job id and the row number), the chunk's errors are written to the error file
 * and fsynced, and then a checkpoint records the last row handled, the counts and the error
 * file's length. After a crash, the job resumes after its last checkpoint: the error file is cut
 * back to the checkpointed length, and rows whose lead an earlier attempt had already appended
 * are recognised by their id (the append finds the stream) and counted as imported — no row is
 * imported twice or lost.
 */
@Injectable()
export class LeadImportRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LeadImportRunner');
  private readonly running = new Map<string, Promise<void>>();
  private readonly cancelled = new Set<string>();
  private stopping = false;
  private readonly wakers = new Set<() => void>();

  constructor(
    @Inject(LEADS_EVENT_STORE) private readonly store: EventStore,
    @Inject(IMPORT_FILE_STORE) private readonly files: ImportFileStore,
    @Inject(ASSET_INFO_SOURCE) private readonly assets: AssetInfoSource,
    private readonly schemas: LeadSchemaReader,
    private readonly statuses: StatusCatalogueReader,
  ) {}

  /** Resumes every job that was running when the process stopped (or died). */
  async onApplicationBootstrap(): Promise<void> {
    const running = new Set<string>();
    let after = 0;
    for (;;) {
      const events = await this.store.readAll({ after, categories: [LEAD_IMPORT_CATEGORY], maxCount: 5_000 });
      if (events.length === 0) break;
      for (const e of events) {
        const importId = (e.data as { importId: string }).importId;
        if (e.type === 'leads.LeadImportStarted') running.add(importId);
        else if (e.type === 'leads.LeadImportFinished') running.delete(importId);
      }
      after = events[events.length - 1]!.position;
    }
    for (const importId of running) this.start(importId);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const wake of [...this.wakers]) wake();
    await Promise.all([...this.running.values()]);
  }

  /**
   * Where the job's file is read and its rows checked: a worker thread (the default), so that
   * parsing and checking a chunk overlaps appending the one before and the projections; in this
   * thread when false.
   */
  checkInWorker = true;

  private readChunks(options: ImportCheckOptions, assets: AssetInfoSource): AsyncGenerator<CheckedChunk, void, undefined> {
    return this.checkInWorker ? checkedChunksInWorker(options, assets) : checkedChunks(options, assets);
  }

  /** First wait before a failed run is resumed; it doubles per failure in a row, up to `maxRetryDelayMs`. */
  retryDelayMs = 2_000;
  maxRetryDelayMs = 5 * 60_000;

  /**
   * Starts (or resumes) the job in the background; a job already running here is left alone. A
   * run that fails (the store or the disk failing) is resumed from its last checkpoint after a
   * back-off, as a restart would resume it, until it ends or the service stops.
   */
  start(importId: string): void {
    if (this.running.has(importId) || this.stopping) return;
    const run = this.runWithRetries(importId).finally(() => this.running.delete(importId));
    this.running.set(importId, run);
  }

  private async runWithRetries(importId: string): Promise<void> {
    for (let failures = 0; !this.stopping; failures++) {
      try {
        await this.run(importId);
        return;
      } catch (error) {
        if (error instanceof ImportTakenOverError) return this.logger.warn(error.message);
        const delay = Math.min(this.maxRetryDelayMs, this.retryDelayMs * 2 ** Math.min(failures, 20));
        this.logger.error(`import ${importId} failed: ${error instanceof Error ? error.message : String(error)}; resuming from its last checkpoint in ${delay} ms`);
        await this.pause(delay);
      }
    }
  }

  /** Waits, cut short when the service stops (the job then resumes at the next start). */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }

  /** Asks a running job to stop after its current chunk (the cancel request is in its stream). */
  cancel(importId: string): void {
    this.cancelled.add(importId);
  }

  /** Resolves when the job has stopped running in this process (tests, benchmarks). */
  async settled(importId: string): Promise<void> {
    await this.running.get(importId);
  }

  private async run(importId: string): Promise<void> {
    const streamId = streamIdOf(LEAD_IMPORT_CATEGORY, importId);
    const loaded = await loadState(this.store, streamId, leadImportDecider);
    let state: LeadImportState = loaded.state;
    let revision = loaded.revision;
    if (state.state !== 'running' || state.enterpriseId === null || state.format === null || state.mapping === null || state.actor === null) return;
    const enterpriseId = state.enterpriseId;
    // imported ids derive from the job, its start and the row: the same on every attempt
    const startedAtMs = Date.parse(state.startedAt ?? '');
    const actor = state.actor.memberId;
    const append = async (events: readonly LeadImportEvent[]) => {
      for (;;) {
        try {
          const result = await this.store.appendToStream(
            streamId,
            events.map((e) => ({ type: e.type, data: e.data, metadata: { tenantId: enterpriseId, correlationId: importId, causationId: importId, actor } })),
            { expectedRevision: revision },
          );
          revision = result.nextExpectedRevision;
          for (const e of events) state = leadImportDecider.evolve(state, e);
          return;
        } catch (error) {
          // a cancel request appended meanwhile is taken in and appended after; a checkpoint or an
          // end written by someone else means another process runs this job: this one stops
          if (!(error instanceof WrongExpectedRevisionError)) throw error;
          for (const e of await this.store.readStream(streamId, { fromRevision: revision + 1 })) {
            if (e.type !== 'leads.LeadImportCancelRequested') throw new ImportTakenOverError(`import ${importId} is being run by another process`);
            state = leadImportDecider.evolve(state, e as unknown as LeadImportEvent);
            revision = e.revision;
          }
          if (state.cancelRequested) this.cancelled.add(importId);
        }
      }
    };
    const finish = async (outcome: 'completed' | 'cancelled' | 'failed', reason: string | null, counts: ImportCounts) => {
      await append([{ type: 'leads.LeadImportFinished', data: { importId, outcome, reason, finishedAt: new Date().toISOString(), ...counts } }]);
      this.cancelled.delete(importId);
      await this.files.remove(this.files.uploadPath(enterpriseId, importId));
    };
    if (state.cancelRequested) return finish('cancelled', null, state);

    const schema = await this.schemas.get(enterpriseId);
    const catalogue = await this.statuses.get(enterpriseId);
    const mapped = checkMapping(state.mapping, schema, state.headers);
    if (Object.keys(mapped.errors).length > 0) {
      const why = Object.entries(mapped.errors).map(([k, v]) => `${k}: ${v}`).join('; ');
      return finish('failed', `the mapping no longer fits the lead schema (${why})`, state);
    }
    // sealing the personal data too is left to the thread that checks the rows
    const sealer = this.store instanceof SealingEventStore ? this.store : null;
    const checking: ImportCheckOptions = {
      path: this.files.uploadPath(enterpriseId, importId),
      format: state.format,
      encoding: state.encoding,
      importId,
      startedAtMs,
      enterpriseId,
      actor,
      columns: mapped.columns,
      schema,
      statuses: catalogue.statuses,
      resumeAfter: state.lastRow,
      countedBefore: state.rowsRead - state.skipped,
      chunkRows: IMPORT_CHUNK_ROWS,
      seal: sealer !== null,
    };

    // the error file as of the last checkpoint
    const errorsPath = this.files.errorsPath(enterpriseId, importId);
    const errorFile: FileHandle = await open(errorsPath, 'a');
    let counts: ImportCounts = { rowsRead: state.rowsRead, imported: state.imported, failed: state.failed, skipped: state.skipped };
    try {
      await truncate(errorsPath, state.errorBytes);
      let errorBytes = state.errorBytes;
      if (errorBytes === 0) {
        const header = Buffer.from(UTF8_BOM + stringify([['row', 'column', 'reason', ...state.headers]]), 'utf8');
        await errorFile.write(header);
        errorBytes = header.length;
      }
      const metadata = { tenantId: enterpriseId, correlationId: importId, causationId: importId, actor };
      const flush = async (chunk: CheckedChunk): Promise<void> => {
        const lines: (readonly (string | number)[])[] = [];
        const writes: Promise<void>[] = [];
        for (const row of chunk.rows) {
          if ('errorLine' in row) {
            lines.push(row.errorLine);
            continue;
          }
          writes.push(
            this.appendCreated(row, metadata, sealer).then(
              () => undefined,
              (error: unknown) => {
                // written by an attempt before a crash: it is there, exactly once
                if (error instanceof WrongExpectedRevisionError) return;
                throw error;
              },
            ),
          );
        }
        await Promise.all(writes);
        if (lines.length > 0) {
          const bytes = Buffer.from(stringify(lines as (string | number)[][]), 'utf8');
          await errorFile.write(bytes);
          errorBytes += bytes.length;
        }
        await errorFile.sync();
        counts = {
          rowsRead: counts.rowsRead + chunk.rows.length + chunk.skipped,
          imported: counts.imported + writes.length,
          failed: counts.failed + lines.length,
          skipped: counts.skipped + chunk.skipped,
        };
        await append([{ type: 'leads.LeadImportProgressed', data: { importId, lastRow: chunk.lastRow, errorBytes, ...counts } }]);
      };
      for await (const chunk of this.readChunks(checking, this.assets)) {
        if (chunk.rows.length > 0 || chunk.skipped > 0) await flush(chunk);
        if (chunk.end?.reason === 'too-many-rows') {
          return await finish('failed', `the file has more than ${MAX_IMPORT_ROWS} data rows; the rows after the first ${MAX_IMPORT_ROWS} were not imported`, counts);
        }
        if (chunk.end?.reason === 'unreadable') return await finish('failed', `the file ${chunk.end.message}`, counts);
        if (chunk.full) {
          if (this.stopping) return;
          if (await this.cancelRequested(importId, streamId, revision)) return await finish('cancelled', null, counts);
        }
      }
      if (isFinished(state.state)) return;
      await finish('completed', null, counts);
    } finally {
      await errorFile.close();
    }
  }

  /** Appends a good row's lead creation (its lead's key stored first when the row was sealed by the checking thread). */
  private async appendCreated(row: GoodRow, metadata: EventMetadata, sealer: SealingEventStore | null): Promise<AppendResult> {
    let data: LeadCreated['data'] = row.event.data;
    if (row.sealing !== undefined && sealer !== null && data.personal !== null) {
      const key = Buffer.from(row.sealing.key.buffer, row.sealing.key.byteOffset, row.sealing.key.byteLength);
      const sealed = await sealer.adoptSealed(data.leadId, data.enterpriseId, data.personal as unknown as SealedPersonalData, key, row.sealing.text);
      key.fill(0);
      data = { ...data, personal: sealed as unknown as LeadPersonalData };
    }
    const event: NewEvent = { id: row.eventId, type: row.event.type, data, metadata };
    return this.store.appendToStream(streamIdOf(LEAD_CATEGORY, data.leadId), [event], { expectedRevision: 'no_stream' });
  }

  private async cancelRequested(importId: string, streamId: string, revision: number): Promise<boolean> {
    if (this.cancelled.has(importId)) return true;
    const tail = await this.store.readStream(streamId, { fromRevision: revision + 1 });
    return tail.some((e) => e.type === 'leads.LeadImportCancelRequested');
  }
}
