import { strict as assert } from 'node:assert';
import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as iconv from 'iconv-lite';
import { detectEncoding, detectFormat, ImportFileError, readFileRows, summariseFile } from './import-file';
import { importedEventId, importedLeadId } from './import-ids';

async function file(name: string, content: Buffer | string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lead-import-'));
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function rows(path: string): Promise<string[][]> {
  const out: string[][] = [];
  const encoding = await detectEncoding(path);
  for await (const row of readFileRows(path, detectFormat(await readFile(path)), encoding)) out.push([...row.cells]);
  return out;
}

describe('import file reading', () => {
  it('reads CRLF lines and quoted values holding commas, quotes and line breaks', async () => {
    const path = await file('a.csv', 'name,company\r\n"Li, Wei","A ""big""\r\nco"\r\nZhang,B\r\n');
    assert.deepEqual(await rows(path), [['name', 'company'], ['Li, Wei', 'A "big"\r\nco'], ['Zhang', 'B']]);
  });

  it('drops a UTF-8 BOM and reads UTF-8 without one', async () => {
    const withBom = await file('b.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('姓名\n王芳\n')]));
    const without = await file('c.csv', '姓名\n王芳\n');
    assert.equal(await detectEncoding(withBom), 'utf-8');
    assert.equal(await detectEncoding(without), 'utf-8');
    assert.deepEqual(await rows(withBom), [['姓名'], ['王芳']]);
    assert.deepEqual(await rows(without), [['姓名'], ['王芳']]);
  });

  it('detects and decodes GB18030', async () => {
    const path = await file('d.csv', iconv.encode('姓名,公司\n王芳,北京科技\n', 'gb18030'));
    assert.equal(await detectEncoding(path), 'gb18030');
    assert.deepEqual(await rows(path), [['姓名', '公司'], ['王芳', '北京科技']]);
  });

  it('judges the encoding by the whole file: GB18030 text after megabytes of ASCII, a 4-byte GB18030 character, UTF-8 split across read chunks', async () => {
    const ascii = 'name,phone\n' + Array.from({ length: 120_000 }, (_, i) => `Lead ${i},139${String(i).padStart(8, '0')}`).join('\n') + '\n';
    assert.ok(ascii.length > 2 * (1 << 20), 'longer than two read chunks');
    const lateGb = await file('late.csv', Buffer.concat([Buffer.from(ascii), iconv.encode('王芳,13900000000\n', 'gb18030')]));
    assert.equal(await detectEncoding(lateGb), 'gb18030');
    const lateRows = await rows(lateGb);
    assert.deepEqual(lateRows[lateRows.length - 1], ['王芳', '13900000000']);
    // U+20000 is four bytes in GB18030 (and not a two-byte GBK character)
    const fourByte = await file('four.csv', iconv.encode('name\n𠀀家\n', 'gb18030'));
    assert.equal(await detectEncoding(fourByte), 'gb18030');
    assert.deepEqual(await rows(fourByte), [['name'], ['𠀀家']]);
    // a multi-byte UTF-8 character straddling the 1 MiB read-chunk boundary is still UTF-8
    const first = `name\n${'a'.repeat(600_000)}\n`;
    const pad = 'b'.repeat((1 << 20) - first.length - 1);
    const straddling = await file('straddle.csv', `${first}${pad}王\n`);
    assert.equal(await detectEncoding(straddling), 'utf-8');
    assert.equal((await rows(straddling))[2]![0], `${pad}王`);
  });

  it('refuses an empty file, a header-only file and an unclosed quote', async () => {
    await assert.rejects(summariseFile(await file('e.csv', ''), 'csv', 'utf-8'), ImportFileError);
    await assert.rejects(summariseFile(await file('f.csv', 'name\n'), 'csv', 'utf-8'), ImportFileError);
    await assert.rejects(summariseFile(await file('g.csv', 'name\n"unclosed\n'), 'csv', 'utf-8'), ImportFileError);
  });

  it('summarises headers, a preview and the row count', async () => {
    const summary = await summariseFile(await file('h.csv', 'name,phone\na,1\nb,2\n'), 'csv', 'utf-8');
    assert.deepEqual(summary, { headers: ['name', 'phone'], preview: [['a', '1'], ['b', '2']], rows: 2 });
  });

  it('derives the same lead and event ids for the same job, start and row, different ones otherwise, ascending with the rows', () => {
    const at = Date.parse('2026-12-03T10:00:00.000Z');
    assert.equal(importedLeadId('job-1', at, 7), importedLeadId('job-1', at, 7));
    assert.notEqual(importedLeadId('job-1', at, 7), importedLeadId('job-1', at, 8));
    assert.notEqual(importedLeadId('job-1', at, 7), importedLeadId('job-2', at, 7), 'two jobs started in the same millisecond');
    assert.notEqual(importedLeadId('job-1', at, 7), importedEventId('job-1', at, 7));
    assert.match(importedLeadId('job-1', at, 7), /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(importedLeadId('job-1', at, 1_048_577).startsWith(at.toString(16).padStart(12, '0').slice(0, 8)), 'the start time leads');
    // every bit boundary of the row number keeps the order, up to the last row of a full file
    const rows = [2, 3, 7, 8, 9, 511, 512, 513, 131_071, 131_072, 131_073, 1_048_575, 1_048_576, 1_048_577];
    const ids = rows.map((r) => importedLeadId('job-1', at, r));
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(importedLeadId('job-1', at + 1, 2) > importedLeadId('job-1', at, 1_048_577), 'a later job sorts after');
    assert.throws(() => importedLeadId('job-1', at, 2 ** 21), RangeError);
  });
});
