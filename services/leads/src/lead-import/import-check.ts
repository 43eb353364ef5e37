import type { LeadSchema } from '../lead-schema/domain/lead-schema.types';
import type { LeadCreated, LeadPersonalData } from '../lead/domain/lead.events';
import { LEAD_KEY_BYTES } from '../lead-crypto/lead-key-store.port';
import { sealPersonalText } from '../lead-crypto/personal-data-cipher';
import { secureRandomBytes } from '../lead-crypto/random-pool';
import type { AssetInfoSource } from '../lead/lead-operations';
import { neutralise } from '../lead-export/domain/export-cells';
import type { MappedColumn } from './domain/import-mapping';
import type { ImportStatus } from './domain/import-row';
import { MAX_IMPORT_ROWS, type ImportEncoding, type ImportFormat } from './domain/lead-import.events';
import { ImportFileError, isEmptyRow, readFileRows, type ImportRow } from './import-file';
import { importedEventId, importedLeadId } from './import-ids';
import { ImportRowValidator, type RowError } from './import-row-validator';

/** What the file, the job and the schema say about how a job's rows are read and checked (plain data: it is sent to a worker). */
export interface ImportCheckOptions {
  readonly path: string;
  readonly format: ImportFormat;
  readonly encoding: ImportEncoding | null;
  readonly importId: string;
  /** The job's start: imported ids derive from it, the job and the row. */
  readonly startedAtMs: number;
  readonly enterpriseId: string;
  readonly actor: string;
  readonly columns: readonly MappedColumn[];
  readonly schema: LeadSchema;
  readonly statuses: readonly ImportStatus[];
  /** The last row handled before (a resumed job starts after it). */
  readonly resumeAfter: number;
  /** Data rows that were not empty up to `resumeAfter` (the row limit counts them too). */
  readonly countedBefore: number;
  /** Rows (empty ones included) per chunk. */
  readonly chunkRows: number;
  /**
   * Seal each good row's personal data here, under a key drawn for its lead (what
   * `SealingEventStore.adoptSealed` then stores as the lead's key): the encryption is done by the
   * thread that checks the rows.
   */
  readonly seal: boolean;
}

/** How a good row's personal data was sealed: the key drawn for its lead, and the JSON text sealed. */
export interface RowSealing {
  readonly key: Uint8Array;
  readonly text: string;
}

/** A good row (its event, ready to append) or a bad one (its line of the error file). */
export type CheckedRow = GoodRow | BadRow;
export interface GoodRow {
  readonly rowNumber: number;
  readonly eventId: string;
  readonly event: LeadCreated;
  /** Set when the personal data of `event` is sealed already. */
  readonly sealing?: RowSealing;
}
export interface BadRow {
  readonly rowNumber: number;
  readonly errorLine: readonly (string | number)[];
}

/** Why the file ends before its last row is handled. */
export type ChunkEnd = { readonly reason: 'too-many-rows' } | { readonly reason: 'unreadable'; readonly message: string };

/** A chunk of consecutive rows, checked; the job appends it and checkpoints `lastRow`. */
export interface CheckedChunk {
  readonly rows: readonly CheckedRow[];
  /** Empty rows in the chunk (counted as read and skipped). */
  readonly skipped: number;
  /** The last row of the file the chunk covers. */
  readonly lastRow: number;
  /** True when the chunk holds `chunkRows` rows (more may follow); a shorter one is the last. */
  readonly full: boolean;
  /** Set on the last chunk when the file cannot be read further or has too many rows. */
  readonly end?: ChunkEnd;
}

/** A good row whose personal data is sealed under a key drawn for its lead. */
function sealedRow(rowNumber: number, eventId: string, event: LeadCreated): GoodRow {
  const { personal, leadId } = event.data;
  if (personal === null) return { rowNumber, eventId, event };
  const key = secureRandomBytes(LEAD_KEY_BYTES);
  const text = JSON.stringify(personal);
  const sealed = sealPersonalText(text, key, leadId);
  // the event carries the sealed form from here on, as the log holds it
  const data = { ...event.data, personal: sealed as unknown as LeadPersonalData };
  return { rowNumber, eventId, event: { ...event, data }, sealing: { key, text } };
}

/** One line of the error file; its text cells are neutralised like an export's (it is opened in spreadsheets too). */
export function errorLine(row: ImportRow, errors: readonly RowError[]): (string | number)[] {
  const columns = errors.map((e) => e.column).join('; ');
  const reasons = errors.map((e) => (e.column ? `${e.column}: ${e.reason}` : e.reason)).join('; ');
  return [row.rowNumber, neutralise(columns), neutralise(reasons), ...row.cells.map(neutralise)];
}

/**
 * The job's rows after `resumeAfter`, read from the file and checked (LEAD-7), in chunks of
 * `chunkRows`: each good row with its `LeadCreated` event and event id (both derived from the job
 * and the row, the same on every attempt), each bad one with its error line. The header row is
 * skipped. A file that cannot be read further, or that has more than MAX_IMPORT_ROWS data rows,
 * ends with a chunk saying so (the rows before it are in that chunk).
 */
export async function* checkedChunks(options: ImportCheckOptions, assets: AssetInfoSource): AsyncGenerator<CheckedChunk, void, undefined> {
  const validator = new ImportRowValidator(options.columns, options.schema, options.statuses, assets, options.enterpriseId, options.actor);
  const { importId, startedAtMs, resumeAfter } = options;
  let rows: CheckedRow[] = [];
  let skipped = 0;
  let lastRow = resumeAfter;
  let counted = options.countedBefore;
  let now = new Date().toISOString();
  const take = (full: boolean, end?: ChunkEnd): CheckedChunk => {
    const chunk: CheckedChunk = { rows, skipped, lastRow, full, ...(end ? { end } : {}) };
    rows = [];
    skipped = 0;
    now = new Date().toISOString();
    return chunk;
  };
  let header = true;
  try {
    for await (const row of readFileRows(options.path, options.format, options.encoding)) {
      // the first row is the header (a sheet's may come after empty rows)
      if (header) {
        header = false;
        continue;
      }
      if (row.rowNumber <= resumeAfter) continue;
      const empty = isEmptyRow(row.cells);
      if (!empty && counted >= MAX_IMPORT_ROWS) {
        // an XLSX sheet is only counted here (a CSV file was refused at upload)
        yield take(false, { reason: 'too-many-rows' });
        return;
      }
      lastRow = row.rowNumber;
      if (empty) skipped += 1;
      else {
        counted += 1;
        const outcome = await validator.check(row.cells, importedLeadId(importId, startedAtMs, row.rowNumber), now);
        if (!outcome.ok) rows.push({ rowNumber: row.rowNumber, errorLine: errorLine(row, outcome.errors) });
        else {
          const eventId = importedEventId(importId, startedAtMs, row.rowNumber);
          rows.push(options.seal ? sealedRow(row.rowNumber, eventId, outcome.event) : { rowNumber: row.rowNumber, eventId, event: outcome.event });
        }
      }
      if (rows.length + skipped >= options.chunkRows) yield take(true);
    }
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    yield take(false, { reason: 'unreadable', message: error.message });
    return;
  }
  if (rows.length > 0 || skipped > 0) yield take(false);
}
