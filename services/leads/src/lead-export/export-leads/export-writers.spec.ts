import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { ExportCell } from '../domain/export-cells';
import { csvExportStream, xlsxExportStream } from './export-writers';

async function* rowsOf(rows: ExportCell[][]): AsyncGenerator<ExportCell[]> {
  for (const row of rows) yield await Promise.resolve(row);
}

async function bytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

const ROWS: ExportCell[][] = [
  ["'=1+1", 'a, "b"\nc', 42, null],
  ['上海', "'-5", -5, ''],
];

describe('export writers (LEAD-8)', () => {
  it('writes CSV with a UTF-8 BOM, CRLF and RFC 4180 quoting', async () => {
    const buf = await bytes(csvExportStream(['Name', 'Note', 'Budget', 'Empty'], rowsOf(ROWS)));
    assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = buf.toString('utf8');
    assert.ok(text.startsWith('\uFEFFName,Note,Budget,Empty\r\n'), text);
    assert.ok(text.includes('"a, ""b""\nc"'), text);
    const parsed: string[][] = parse(buf, { bom: true, relax_column_count: false });
    assert.deepEqual(parsed, [
      ['Name', 'Note', 'Budget', 'Empty'],
      ["'=1+1", 'a, "b"\nc', '42', ''],
      ['上海', "'-5", '-5', ''],
    ]);
  });

  it('writes XLSX with numbers as numbers and text as text', async () => {
    const buf = await bytes(xlsxExportStream(['Name', 'Note', 'Budget', 'Empty'], rowsOf(ROWS)));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    assert.equal(ws.name, 'Leads');
    assert.deepEqual((ws.getRow(1).values as unknown[]).slice(1), ['Name', 'Note', 'Budget', 'Empty']);
    assert.equal(ws.getCell('A2').value, "'=1+1");
    assert.equal(ws.getCell('A2').formula, undefined);
    assert.equal(ws.getCell('B2').value, 'a, "b"\nc');
    assert.equal(ws.getCell('C2').value, 42);
    assert.equal(ws.getCell('A3').value, '上海');
    assert.equal(ws.getCell('B3').value, "'-5");
    assert.equal(ws.getCell('C3').value, -5);
  });

  it('stops pulling rows when the reader does not read (backpressure)', async () => {
    let pulled = 0;
    async function* many(): AsyncGenerator<ExportCell[]> {
      for (let i = 0; i < 1_000_000; i++) {
        pulled++;
        await Promise.resolve();
        yield await Promise.resolve([`row ${i}`, randomBytes(100).toString('hex')]); // incompressible, so the zip's output fills the pipe
      }
    }
    for (const make of [csvExportStream, xlsxExportStream]) {
      pulled = 0;
      const stream = make(['A', 'B'], many());
      stream.pipe(new PassThrough({ highWaterMark: 1024 }));
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(pulled < 50_000, `${make.name} pulled ${pulled} rows with no reader`);
      stream.destroy();
    }
  });
});
