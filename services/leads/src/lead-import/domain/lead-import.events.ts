import type { DomainEvent } from '@leadstream/event-sourcing';

export const LEAD_IMPORT_CATEGORY = 'leads.leadimport';
export const LEAD_IMPORT_MAPPING_CATEGORY = 'leads.leadimportmapping';

/** Largest upload (bytes) and largest number of data rows (the header row not counted). */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 1_048_576;
/** Columns of a file beyond this are refused (1,000 custom fields + the system fields fit). */
export const MAX_IMPORT_COLUMNS = 1_100;

export type ImportFormat = 'csv' | 'xlsx';
export type ImportEncoding = 'utf-8' | 'gb18030';

/** Where one column goes: a system field key or a custom field key (as the mapping names it). */
export type ColumnMapping = Readonly<Record<string, string>>;

/** Who started the job (it runs with these rights). */
export interface ImportActor {
  readonly memberId: string;
}

export interface ImportCounts {
  /** Data rows read so far (every row up to `lastRow`). */
  readonly rowsRead: number;
  readonly imported: number;
  readonly failed: number;
  /** Rows with no value in any column (ignored). */
  readonly skipped: number;
}

/** The file was stored and accepted (format, encoding, header). */
export type LeadImportUploaded = DomainEvent<
  'leads.LeadImportUploaded',
  {
    readonly importId: string;
    readonly enterpriseId: string;
    readonly fileName: string | null;
    readonly format: ImportFormat;
    readonly encoding: ImportEncoding | null;
    readonly size: number;
    readonly sha256: string;
    readonly headers: readonly string[];
    /** Data rows of a CSV file (counted at upload); null for XLSX (known once read). */
    readonly rows: number | null;
    readonly uploadedBy: string;
    readonly uploadedAt: string;
  }
>;

export type LeadImportStarted = DomainEvent<
  'leads.LeadImportStarted',
  { readonly importId: string; readonly mapping: ColumnMapping; readonly mappingId: string | null; readonly actor: ImportActor; readonly startedAt: string }
>;

/**
 * Checkpoint: every row up to `lastRow` (file row number, the header is row 1) has been handled —
 * its lead appended, or its errors written to the error file, which is then `errorBytes` long.
 */
export type LeadImportProgressed = DomainEvent<'leads.LeadImportProgressed', { readonly importId: string; readonly lastRow: number; readonly errorBytes: number } & ImportCounts>;

export type LeadImportCancelRequested = DomainEvent<'leads.LeadImportCancelRequested', { readonly importId: string; readonly requestedBy: string; readonly requestedAt: string }>;

export type LeadImportFinished = DomainEvent<
  'leads.LeadImportFinished',
  { readonly importId: string; readonly outcome: 'completed' | 'cancelled' | 'failed'; readonly reason: string | null; readonly finishedAt: string } & ImportCounts
>;

export type LeadImportEvent = LeadImportUploaded | LeadImportStarted | LeadImportProgressed | LeadImportCancelRequested | LeadImportFinished;

export type LeadImportMappingSaved = DomainEvent<
  'leads.LeadImportMappingSaved',
  { readonly mappingId: string; readonly enterpriseId: string; readonly name: string; readonly mapping: ColumnMapping; readonly savedBy: string; readonly savedAt: string }
>;
export type LeadImportMappingDeleted = DomainEvent<'leads.LeadImportMappingDeleted', { readonly mappingId: string; readonly enterpriseId: string; readonly deletedBy: string; readonly deletedAt: string }>;
export type LeadImportMappingEvent = LeadImportMappingSaved | LeadImportMappingDeleted;
