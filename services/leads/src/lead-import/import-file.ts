import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import * as iconv from 'iconv-lite';
import { MAX_IMPORT_COLUMNS, MAX_IMPORT_ROWS, type ImportEncoding, type ImportFormat } from './domain/lead-import.events';

/** One data row of the file: its row number (the header is row 1) and its cells as text. */
export interface ImportRow {
  readonly rowNumber: number;
  readonly cells: readonly string[];
}

/** Why a file cannot be imported (answered as a 400 naming `body`, or as the job's failure). */
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** XLSX files are zip archives; anything else is read as CSV. Judged by the bytes only. */
export function detectFormat(head: Buffer): ImportFormat {
  return head.subarray(0, 4).equals(ZIP_MAGIC) ? 'xlsx' : 'csv';
}

/**
 * The text encoding of a CSV file, judged as its bytes go by: UTF-8 when it starts with a BOM or
 * when every byte sequence is valid UTF-8 (over the whole file), GB18030 otherwise (what
 * spreadsheet software in China saves). The upload feeds it while storing the file, so the file
 * is not read an extra time for this.
 */
export class EncodingSniffer {
  private head = Buffer.alloc(0);
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private valid = true;

  push(chunk: Buffer): void {
    if (this.head.length < 3) this.head = Buffer.concat([this.head, chunk.subarray(0, 3 - this.head.length)]);
    if (!this.valid) return;
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      this.valid = false;
    }
  }

  result(): ImportEncoding {
    if (this.head.equals(UTF8_BOM)) return 'utf-8';
    if (this.valid) {
      try {
        this.decoder.decode();
      } catch {
        this.valid = false;
      }
    }
    return this.valid ? 'utf-8' : 'gb18030';
  }
}

/** The text encoding of a stored CSV file (see EncodingSniffer). */
export async function detectEncoding(path: string): Promise<ImportEncoding> {
  const sniffer = new EncodingSniffer();
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) sniffer.push(chunk as Buffer);
  return sniffer.result();
}

function csvProblem(error: CsvError): ImportFileError {
  const line = (error as CsvError & { lines?: number }).lines;
  const where = line !== undefined ? ` (near line ${line})` : '';
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new ImportFileError(`is not valid CSV: a quoted value is never closed${where}`);
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new ImportFileError(`is not valid CSV: a quote inside a quoted value must be doubled${where}`);
    default:
      return new ImportFileError(`is not valid CSV: ${error.message}`);
  }
}

function csvRecords(path: string, encoding: ImportEncoding): Readable {
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const parser = parse({ bom: true, relax_column_count: true, max_record_size: 1 << 20 });
  const onError = (error: Error) => parser.destroy(error);
  if (encoding === 'gb18030') {
    const decoder = iconv.decodeStream('gb18030');
    file.on('error', onError).pipe(decoder).on('error', onError).pipe(parser);
  } else {
    file.on('error', onError).pipe(parser);
  }
  parser.on('close', () => file.destroy());
  return parser;
}

/** A cell of an XLSX sheet as text: numbers and booleans as written, dates as ISO days (or instants). */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    if (v.error !== undefined) return '';
  }
  return typeof value === 'bigint' ? value.toString() : '';
}

async function* xlsxRows(path: string): AsyncGenerator<{ rowNumber: number; cells: string[] }> {
  // loaded when a workbook is read: a CSV import's reader (its worker thread) does without it (~20 MB)
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit' });
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = row.values as unknown[];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
      yield { rowNumber: row.number, cells };
    }
    return; // the first worksheet only
  }
}

/**
 * Every row of the file, header first (row 1), as text cells. CSV: RFC 4180 (quoted values may
 * hold commas, quotes and line breaks; CRLF or LF), a UTF-8 BOM is dropped. XLSX: the first
 * worksheet, streamed. A malformed file throws ImportFileError.
 */
export async function* readFileRows(path: string, format: ImportFormat, encoding: ImportEncoding | null): AsyncGenerator<ImportRow> {
  if (format === 'xlsx') {
    try {
      yield* xlsxRows(path);
    } catch (error) {
      if (error instanceof ImportFileError) throw error;
      throw new ImportFileError(`is not a readable XLSX workbook: ${error instanceof Error ? error.message : String(error)}`);
    }
    return;
  }
  const records = csvRecords(path, encoding ?? 'utf-8');
  let rowNumber = 0;
  try {
    for await (const record of records) {
      rowNumber += 1;
      yield { rowNumber, cells: record as string[] };
    }
  } catch (error) {
    if (error instanceof CsvError) throw csvProblem(error);
    throw error;
  } finally {
    records.destroy();
  }
}

export interface FileSummary {
  readonly headers: readonly string[];
  readonly preview: readonly (readonly string[])[];
  /** Data rows that are not empty (CSV; XLSX: null, it is read only as far as the preview). */
  readonly rows: number | null;
}

const PREVIEW_ROWS = 5;

/** The header row (trimmed), checked: present, not too wide, no duplicate names. */
function checkHeaders(cells: readonly string[]): string[] {
  const headers = cells.map((c) => c.normalize('NFC').trim());
  while (headers.length > 0 && headers[headers.length - 1] === '') headers.pop();
  if (headers.length === 0) throw new ImportFileError('has no header row (the first row must name the columns)');
  if (headers.length > MAX_IMPORT_COLUMNS) throw new ImportFileError(`has ${headers.length} columns; at most ${MAX_IMPORT_COLUMNS} are accepted`);
  const seen = new Set<string>();
  for (const h of headers) {
    if (h === '') continue;
    if (seen.has(h)) throw new ImportFileError(`names the column "${h}" twice in its header row`);
    seen.add(h);
  }
  return headers;
}

export const isEmptyRow = (cells: readonly string[]): boolean => cells.every((c) => c.trim() === '');

/**
 * Reads what a client needs to build a mapping: the header and a few rows. A CSV file is read to
 * the end, so a malformed file or one with more than 1,048,576 data rows is refused before any
 * job starts; an XLSX file is read only as far as the preview.
 */
export async function summariseFile(path: string, format: ImportFormat, encoding: ImportEncoding | null): Promise<FileSummary> {
  let headers: string[] | null = null;
  const preview: string[][] = [];
  let rows = 0;
  for await (const row of readFileRows(path, format, encoding)) {
    if (headers === null) {
      headers = checkHeaders(row.cells);
      continue;
    }
    if (isEmptyRow(row.cells)) continue;
    rows += 1;
    if (preview.length < PREVIEW_ROWS) preview.push([...row.cells]);
    if (rows > MAX_IMPORT_ROWS) throw new ImportFileError(`has more than ${MAX_IMPORT_ROWS} data rows`);
    if (format === 'xlsx' && preview.length >= PREVIEW_ROWS) break;
  }
  if (headers === null) throw new ImportFileError('is empty');
  if (rows === 0) throw new ImportFileError('has a header row but no data rows');
  return { headers, preview, rows: format === 'csv' ? rows : null };
}
