import { open, truncate, type FileHandle } from 'node:fs/promises';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { loadState, streamIdOf, WrongExpectedRevisionError, type EventStore, type NewEvent } from '@leadstream/event-sourcing';
import { LEADS_EVENT_STORE } from '../leads.tokens';
import { LEAD_CATEGORY } from '../lead/domain/lead.events';
import { ASSET_INFO_SOURCE, type AssetInfoSource } from '../lead/lead-operations';
import { LeadSchemaReader } from '../lead-schema/lead-schema.reader';
import { StatusCatalogueReader } from '../status/status-catalogue.reader';
import { checkMapping } from './domain/import-mapping';
import { isFinished, leadImportDecider, type LeadImportState } from './domain/lead-import.decider';
import { LEAD_IMPORT_CATEGORY, MAX_IMPORT_ROWS, type ImportCounts, type LeadImportEvent } from './domain/lead-import.events';
import { neutralise } from '../lead-export/domain/export-cells';
import { ImportFileError, isEmptyRow, readFileRows, type ImportRow } from './import-file';
import { IMPORT_FILE_STORE, type ImportFileStore } from './import-file-store';
import { importedEventId, importedLeadId } from './import-ids';
import { ImportRowValidator, type RowError } from './import-row-validator';

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
    const validator = new ImportRowValidator(mapped.columns, schema, catalogue.statuses, this.assets, enterpriseId, actor);

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
      const resumeAfter = state.lastRow;
      let chunk: ImportRow[] = [];
      let lastRow = resumeAfter;
      const flush = async (): Promise<void> => {
        const now = new Date().toISOString();
        const lines: (string | number)[][] = [];
        const writes: Promise<'imported' | 'existed'>[] = [];
        let imported = 0;
        for (const row of chunk) {
          const outcome = await validator.check(row.cells, importedLeadId(importId, startedAtMs, row.rowNumber), now);
          if (!outcome.ok) {
            lines.push(errorLine(row, outcome.errors));
            continue;
          }
          const event: NewEvent = {
            id: importedEventId(importId, startedAtMs, row.rowNumber),
            type: outcome.event.type,
            data: outcome.event.data,
            metadata: { tenantId: enterpriseId, correlationId: importId, causationId: importId, actor },
          };
          writes.push(
            this.store.appendToStream(streamIdOf(LEAD_CATEGORY, outcome.event.data.leadId), [event], { expectedRevision: 'no_stream' }).then(
              () => 'imported' as const,
              (error: unknown) => {
                // written by an attempt before a crash: it is there, exactly once
                if (error instanceof WrongExpectedRevisionError) return 'existed' as const;
                throw error;
              },
            ),
          );
        }
        for (const r of await Promise.all(writes)) if (r === 'imported' || r === 'existed') imported += 1;
        if (lines.length > 0) {
          const bytes = Buffer.from(stringify(lines), 'utf8');
          await errorFile.write(bytes);
          errorBytes += bytes.length;
        }
        await errorFile.sync();
        const skippedNow = chunkSkipped;
        counts = {
          rowsRead: counts.rowsRead + chunk.length + skippedNow,
          imported: counts.imported + imported,
          failed: counts.failed + lines.length,
          skipped: counts.skipped + skippedNow,
        };
        chunk = [];
        chunkSkipped = 0;
        await append([{ type: 'leads.LeadImportProgressed', data: { importId, lastRow, errorBytes, ...counts } }]);
      };
      let chunkSkipped = 0;
      try {
        let header = true;
        for await (const row of readFileRows(this.files.uploadPath(enterpriseId, importId), state.format, state.encoding)) {
          // the first row is the header (a sheet's may come after empty rows)
          if (header) {
            header = false;
            continue;
          }
          if (row.rowNumber <= resumeAfter) continue;
          const empty = isEmptyRow(row.cells);
          if (!empty && counts.rowsRead - counts.skipped + chunk.length >= MAX_IMPORT_ROWS) {
            // an XLSX sheet is only counted here (a CSV file was refused at upload)
            if (chunk.length > 0 || chunkSkipped > 0) await flush();
            return await finish('failed', `the file has more than ${MAX_IMPORT_ROWS} data rows; the rows after the first ${MAX_IMPORT_ROWS} were not imported`, counts);
          }
          lastRow = row.rowNumber;
          if (empty) chunkSkipped += 1;
          else chunk.push(row);
          if (chunk.length + chunkSkipped >= IMPORT_CHUNK_ROWS) {
            await flush();
            if (this.stopping) return;
            if (await this.cancelRequested(importId, streamId, revision)) return await finish('cancelled', null, counts);
          }
        }
      } catch (error) {
        if (!(error instanceof ImportFileError)) throw error;
        if (chunk.length > 0 || chunkSkipped > 0) await flush();
        return await finish('failed', `the file ${error.message}`, counts);
      }
      if (chunk.length > 0 || chunkSkipped > 0) await flush();
      if (isFinished(state.state)) return;
      await finish('completed', null, counts);
    } finally {
      await errorFile.close();
    }
  }

  private async cancelRequested(importId: string, streamId: string, revision: number): Promise<boolean> {
    if (this.cancelled.has(importId)) return true;
    const tail = await this.store.readStream(streamId, { fromRevision: revision + 1 });
    return tail.some((e) => e.type === 'leads.LeadImportCancelRequested');
  }
}

/** One line of the error file; its text cells are neutralised like an export's (it is opened in spreadsheets too). */
function errorLine(row: ImportRow, errors: readonly RowError[]): (string | number)[] {
  const columns = errors.map((e) => e.column).join('; ');
  const reasons = errors.map((e) => (e.column ? `${e.column}: ${e.reason}` : e.reason)).join('; ');
  return [row.rowNumber, neutralise(columns), neutralise(reasons), ...row.cells.map(neutralise)];
}
