/**
 * LEAD-8: the exported file as a byte stream that is produced only as fast as it is read, so an
 * export of any size holds a bounded number of rows in memory — also for a slow client.
 *
 * - CSV (`csv-stringify`): UTF-8 with a byte order mark (spreadsheet software otherwise guesses a
 *   legacy code page and garbles Chinese text), CRLF line ends and RFC 4180 quoting (a field with a
 *   comma, a quote, CR or LF is quoted, quotes doubled).
 * - XLSX (`exceljs` streaming WorkbookWriter): no shared-strings table (it would grow with the
 *   data), each row committed as it is added; numbers are number cells, text is text. A sheet holds
 *   at most 1,048,576 rows, so the export goes on in a next sheet ("Leads 2", …) with the header again.
 *
 * A stream that fails (the store, the writer) is destroyed with its error, which makes the HTTP
 * response end without its last chunk: a client never takes a truncated file for a complete one.
 */
import { once } from 'node:events';
import { PassThrough, Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { ExportCell } from '../domain/export-cells';

/** Rows of an XLSX worksheet, the header included (Excel's limit). */
export const XLSX_MAX_ROWS_PER_SHEET = 1_048_576;
export const XLSX_SHEET_NAME = 'Leads';
const YIELD_EVERY_ROWS = 256;

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function* withHeader(header: readonly string[], rows: AsyncIterable<ExportCell[]>): AsyncGenerator<ExportCell[]> {
  yield [...header];
  yield* rows;
}

/** The CSV file of `header` and `rows`, pulled from `rows` as the returned stream is read. */
export function csvExportStream(header: readonly string[], rows: AsyncIterable<ExportCell[]>): Readable {
  const stringifier = stringify({ bom: true, record_delimiter: '\r\n', quote: '"', escape: '"', eof: true });
  pipeline(Readable.from(withHeader(header, rows), { objectMode: true, highWaterMark: 64 }), stringifier, (error) => {
    if (error && !stringifier.destroyed) stringifier.destroy(error);
  });
  return stringifier;
}

/** Resolves when `out` may take more (drained) or will never take more (closed). */
async function roomIn(out: PassThrough): Promise<void> {
  if (!out.writableNeedDrain || out.destroyed) return;
  const ac = new AbortController();
  try {
    await Promise.race([once(out, 'drain', { signal: ac.signal }), once(out, 'close', { signal: ac.signal })]);
  } finally {
    ac.abort();
  }
}

/** The XLSX workbook of `header` and `rows`, pulled from `rows` as the returned stream is read. */
export function xlsxExportStream(header: readonly string[], rows: AsyncIterable<ExportCell[]>): Readable {
  const out = new PassThrough();
  const write = async (): Promise<void> => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
    let sheets = 1;
    let sheet = workbook.addWorksheet(XLSX_SHEET_NAME);
    sheet.addRow([...header]).commit();
    let used = 1;
    for await (const row of rows) {
      if (out.destroyed) return; // the client went away: stop reading the store
      if (used === XLSX_MAX_ROWS_PER_SHEET) {
        sheet.commit();
        sheet = workbook.addWorksheet(`${XLSX_SHEET_NAME} ${++sheets}`);
        sheet.addRow([...header]).commit();
        used = 1;
      }
      sheet.addRow(row).commit();
      used++;
      // The zip stream only moves on a macrotask: give it one now and then, then wait while the
      // response is full, so the workbook's buffers stay bounded.
      if (used % YIELD_EVERY_ROWS === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      await roomIn(out);
    }
    if (out.destroyed) return;
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => {
    if (!out.destroyed) out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return out;
}
