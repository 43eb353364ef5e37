import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { call, eventually, type Json, type Reply } from './testing/http-client';
import { createEnterprise, memberWithPackages, type SignedIn } from './testing/enterprise-setup';

const CSV = 'text/csv';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const FINISHED = new Set(['completed', 'cancelled', 'failed']);

/** A generated file of `rows` data rows: every 50th has a budget that is not a number (bad). */
function bigCsv(rows: number, prefix: string): { csv: string; good: number; bad: number } {
  const lines = ['Name,Mobile,Budget'];
  let bad = 0;
  for (let i = 1; i <= rows; i++) {
    const isBad = i % 50 === 0;
    if (isBad) bad += 1;
    lines.push(`${prefix} ${i},1${String(30_000_000_00 + i).padStart(10, '0')},${isBad ? 'lots' : i}`);
  }
  return { csv: lines.join('\r\n') + '\r\n', good: rows - bad, bad };
}

describe('lead import: CSV/XLSX upload, mapping, background job, error file, cancel, kill -9 resume (LEAD-7)', () => {
  let dataDir: string;
  let host: HostProcess;
  let a: SignedIn;
  let b: SignedIn;
  let readerToken = '';

  const upload = async (token: string, body: Buffer | string, contentType = CSV, query = ''): Promise<Reply> => {
    const res = await fetch(`${host.url}/v1/lead-imports${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body });
    const text = await res.text();
    let json: Json = {};
    try {
      json = JSON.parse(text) as Json;
    } catch {
      json = { text };
    }
    return { status: res.status, headers: res.headers, json, text };
  };
  const job = (token: string, id: string) => call(host.url, 'GET', `/v1/lead-imports/${id}`, { token });
  const finished = (token: string, id: string, timeoutMs = 60_000) => eventually(() => job(token, id), (r) => r.status === 200 && FINISHED.has(r.json['state'] as string), timeoutMs);
  const errorRows = async (token: string, id: string): Promise<string[][]> => {
    const res = await fetch(`${host.url}/v1/lead-imports/${id}/errors`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
    const buf = Buffer.from(await res.arrayBuffer());
    assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the error file starts with a BOM');
    return parse(buf, { bom: true, relax_column_count: true });
  };
  const search = (token: string, body: Json) => call(host.url, 'POST', '/v1/leads/search', { token, body });
  const importAndWait = async (token: string, file: Buffer | string, mapping: Json, contentType = CSV) => {
    const up = await upload(token, file, contentType);
    assert.equal(up.status, 201, up.text);
    const started = await call(host.url, 'POST', `/v1/lead-imports/${up.json['id']}/start`, { token, body: { mapping } });
    assert.equal(started.status, 202, started.text);
    const done = await finished(token, up.json['id'] as string);
    assert.equal(done.json['state'], 'completed', done.text);
    return { id: up.json['id'] as string, upload: up.json, job: done.json };
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-lead-import-e2e-'));
    host = await startHostProcess({ DATA_DIR: dataDir });
    a = await createEnterprise(host.url, 'Acme Import');
    b = await createEnterprise(host.url, 'Globex Import');
    for (const body of [
      { key: 'budget', label: 'Budget', type: 'integer' },
      { key: 'note', label: 'Note', type: 'text' },
    ]) {
      const res = await call(host.url, 'POST', '/v1/lead-schema/fields', { token: a.token, body });
      assert.equal(res.status, 201, res.text);
    }
    readerToken = await memberWithPackages(host.url, a, 'reader', ['leads:read']);
  });

  after(async () => {
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('imports a UTF-8 CSV with BOM, CRLF and quoted newlines; every bad row is in the error file with its row, column and reason', async () => {
    const csv =
      '\uFEFFName,Mobile,Email,Budget,Note,Ignored\r\n' +
      'Ada Import,13800000001,,100,plain,x\r\n' +
      '"Bo, Import",13800000002,bo@example.com,200,"line one\r\nline two",y\r\n' +
      'Cy Import,13800000003,,many,"=HYPERLINK(""http://x"")",z\r\n' +
      'Di Import,,,5,no contact,w\r\n' +
      ',,,,,\r\n' +
      'Ed Import,,ed@example.com,,"says ""hi""",v\r\n';
    const up = await upload(a.token, Buffer.from(csv, 'utf8'), CSV, '?fileName=leads.csv');
    assert.equal(up.status, 201, up.text);
    assert.equal(up.json['format'], 'csv');
    assert.equal(up.json['encoding'], 'utf-8');
    assert.deepEqual(up.json['headers'], ['Name', 'Mobile', 'Email', 'Budget', 'Note', 'Ignored']);
    assert.equal(up.json['rows'], 5, 'data rows that are not empty');
    assert.deepEqual(up.json['preview'][1], ['Bo, Import', '13800000002', 'bo@example.com', '200', 'line one\r\nline two', 'y']);
    assert.equal(up.headers.get('location'), `/v1/lead-imports/${up.json['id']}`);
    const id = up.json['id'] as string;
    assert.equal((await job(a.token, id)).json['state'], 'uploaded');

    const mapping = { Name: 'name', Mobile: 'phone', Email: 'email', Budget: 'budget', Note: 'fields.note' };
    const started = await call(host.url, 'POST', `/v1/lead-imports/${id}/start`, { token: a.token, body: { mapping } });
    assert.equal(started.status, 202, started.text);
    const done = await finished(a.token, id);
    assert.equal(done.json['state'], 'completed', done.text);
    assert.deepEqual(
      { rowsRead: done.json['rowsRead'], imported: done.json['imported'], failed: done.json['failed'], skipped: done.json['skipped'], fileName: done.json['fileName'] },
      { rowsRead: 6, imported: 3, failed: 2, skipped: 1, fileName: 'leads.csv' },
    );

    const errors = await errorRows(a.token, id);
    assert.deepEqual(errors[0], ['row', 'column', 'reason', 'Name', 'Mobile', 'Email', 'Budget', 'Note', 'Ignored']);
    assert.equal(errors.length, 3);
    assert.deepEqual(errors[1]!.slice(0, 2), ['4', 'Budget']);
    assert.match(errors[1]![2]!, /^Budget: /);
    // the row as it was, formula-like text neutralised (the error file is opened in spreadsheets)
    assert.deepEqual(errors[1]!.slice(3), ['Cy Import', '13800000003', '', 'many', `'=HYPERLINK("http://x")`, 'z']);
    assert.equal(errors[2]![0], '5');
    assert.match(errors[2]![2]!, /phone|qq|email|contact/i);

    const listed = await eventually(
      () => search(a.token, { limit: 10, sort: { field: 'name', direction: 'asc' } }),
      (r) => r.status === 200 && r.json['total'] === 3,
    );
    assert.equal(listed.json['total'], 3, listed.text);
    const byName = new Map((listed.json['items'] as Json[]).map((l) => [l['name'], l]));
    assert.deepEqual([...byName.keys()].sort(), ['Ada Import', 'Bo, Import', 'Ed Import']);
    assert.equal(byName.get('Bo, Import')!['fields']['note'], 'line one\r\nline two');
    assert.equal(byName.get('Bo, Import')!['fields']['budget'], 200);
    assert.equal(byName.get('Ed Import')!['fields']['note'], 'says "hi"');
    assert.equal(byName.get('Ada Import')!['phone'], '13800000001');
    // the other enterprise sees neither the job nor the leads
    assert.equal((await job(b.token, id)).status, 404);
    assert.equal((await search(b.token, { limit: 1 })).json['total'], 0);
  });

  it('detects GB18030 (no BOM, not UTF-8) and reads the Chinese text right; an explicit encoding wins', async () => {
    const csv = '姓名,手机,备注\r\n张三,13900000001,北京客户\r\n李四,13900000002,上海\r\n';
    const bytes = iconv.encode(csv, 'gb18030');
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    const { upload: up, job: done } = await importAndWait(a.token, bytes, { 姓名: 'name', 手机: 'phone', 备注: 'note' });
    assert.equal(up['encoding'], 'gb18030');
    assert.deepEqual(up['headers'], ['姓名', '手机', '备注']);
    assert.equal(done['imported'], 2);
    const found = await eventually(() => search(a.token, { q: '张三', limit: 5 }), (r) => r.status === 200 && r.json['total'] === 1);
    assert.equal(found.json['items'][0]['fields']['note'], '北京客户');
    const forced = await upload(a.token, Buffer.from('Name,Mobile\r\nX,13900000009\r\n', 'utf8'), CSV, '?encoding=gb18030');
    assert.equal(forced.status, 201, forced.text);
    assert.equal(forced.json['encoding'], 'gb18030');
    const badEncoding = await upload(a.token, Buffer.from('Name\r\nX\r\n'), CSV, '?encoding=latin1');
    assert.equal(badEncoding.status, 400);
    assert.ok(JSON.stringify(badEncoding.json['errors']).includes('encoding'), badEncoding.text);
  });

  it('imports an XLSX file (format told by its bytes, whatever the Content-Type), numbers and text cells alike', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Leads');
    sheet.addRow(['Name', 'Mobile', 'Budget', 'Note']);
    sheet.addRow(['Xia Sheet', 13700000001, 42, 'from excel']);
    sheet.addRow(['Yu Sheet', '13700000002', 'not a number', '']);
    sheet.addRow(['Zed Sheet', '13700000003', 7, '=not a formula']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const { id, upload: up, job: done } = await importAndWait(a.token, bytes, { Name: 'name', Mobile: 'phone', Budget: 'budget', Note: 'note' }, CSV);
    assert.equal(up['format'], 'xlsx');
    assert.equal(up['encoding'], null);
    assert.deepEqual(up['headers'], ['Name', 'Mobile', 'Budget', 'Note']);
    assert.deepEqual({ imported: done['imported'], failed: done['failed'] }, { imported: 2, failed: 1 });
    const errors = await errorRows(a.token, id);
    assert.deepEqual(errors[1]!.slice(0, 2), ['3', 'Budget']);
    const found = await eventually(() => search(a.token, { q: 'Sheet', limit: 5, sort: { field: 'name', direction: 'asc' } }), (r) => r.status === 200 && r.json['total'] === 2);
    const items = found.json['items'] as Json[];
    assert.deepEqual(items.map((l) => [l['name'], l['phone'], l['fields']['budget']]), [['Xia Sheet', '13700000001', 42], ['Zed Sheet', '13700000003', 7]]);
    assert.equal(items[1]!['fields']['note'], '=not a formula');
    const typed = await upload(a.token, bytes, XLSX);
    assert.equal(typed.status, 201, typed.text);
  });

  it('refuses malformed and empty files at upload (400 naming body), and a bad mapping at start (400 naming mapping.<column>)', async () => {
    for (const [file, reason] of [
      ['Name,Mobile\r\n"Unclosed,13800000000\r\n', /quoted value is never closed/],
      ['', /empty/],
      ['Name,Mobile\r\nA,1"3"\r\n', /quote/],
    ] as const) {
      const res = await upload(a.token, Buffer.from(file, 'utf8'));
      assert.equal(res.status, 400, res.text);
      assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
      const errors = res.json['errors'] as Json[];
      assert.equal(errors[0]!['field'], 'body');
      assert.match(errors[0]!['reason'] as string, reason);
    }
    // a declared size over 512 MiB is refused before the body is read
    const tooLarge = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${host.url}/v1/lead-imports`, { method: 'POST', headers: { authorization: `Bearer ${a.token}`, 'content-type': CSV, 'content-length': String(512 * 1024 * 1024 + 1) } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
      req.on('error', reject);
      req.write('Name,Mobile\r\n');
    });
    assert.equal(tooLarge.status, 413, tooLarge.body);
    assert.equal((JSON.parse(tooLarge.body) as Json)['errors'][0]['field'], 'body');
    const notZip = await upload(a.token, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64)]), XLSX);
    assert.equal(notZip.status, 400, notZip.text);
    assert.equal((notZip.json['errors'] as Json[])[0]!['field'], 'body');
    const json = await call(host.url, 'POST', '/v1/lead-imports', { token: a.token, body: { name: 'x' } });
    assert.equal(json.status, 400, json.text);
    assert.equal((json.json['errors'] as Json[])[0]!['field'], 'body');

    const up = await upload(a.token, Buffer.from('Name,Mobile,Budget\r\nA,13800000000,1\r\n'));
    assert.equal(up.status, 201, up.text);
    const start = (body: Json) => call(host.url, 'POST', `/v1/lead-imports/${up.json['id']}/start`, { token: a.token, body });
    for (const [body, field] of [
      [{ mapping: { Name: 'name', Mobile: 'phone', Missing: 'note' } }, 'mapping.Missing'],
      [{ mapping: { Name: 'name', Mobile: 'phone', Budget: 'nosuchfield' } }, 'mapping.Budget'],
      [{ mapping: { Name: 'name', Mobile: 'owner' } }, 'mapping.Mobile'],
      [{ mapping: { Name: 'name', Mobile: 'phone', Budget: 'name' } }, 'mapping.Budget'],
      [{ mapping: { Name: 'name', Budget: 'budget' } }, 'mapping'],
      [{ mapping: { Name: 42 } }, 'mapping.Name'],
      [{}, 'mapping'],
      [{ mappingId: '00000000-0000-4000-8000-000000000000' }, 'mappingId'],
    ] as const) {
      const res = await start(body);
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
      assert.ok((res.json['errors'] as Json[]).some((e) => e['field'] === field), `${JSON.stringify(body)} names ${field}: ${res.text}`);
    }
    assert.equal((await job(a.token, up.json['id'] as string)).json['state'], 'uploaded', 'a refused start leaves the job as it was');
    const ok = await start({ mapping: { Name: 'name', Mobile: 'phone' } });
    assert.equal(ok.status, 202, ok.text);
    const again = await start({ mapping: { Name: 'name', Mobile: 'phone' } });
    assert.equal(again.status, 409, again.text);
    assert.equal((await finished(a.token, up.json['id'] as string)).json['imported'], 1);
  });

  it('saves, lists, uses, replaces and deletes import mappings', async () => {
    const bad = await call(host.url, 'POST', '/v1/lead-import-mappings', { token: a.token, body: { name: 'Bad', mapping: { Col: 'nosuchfield' } } });
    assert.equal(bad.status, 400, bad.text);
    assert.ok((bad.json['errors'] as Json[]).some((e) => e['field'] === 'mapping.Col'), bad.text);
    const created = await call(host.url, 'POST', '/v1/lead-import-mappings', { token: a.token, body: { name: 'Trade fair', mapping: { Who: 'name', Tel: 'phone' } } });
    assert.equal(created.status, 201, created.text);
    const mappingId = created.json['id'] as string;
    assert.deepEqual(created.json['mapping'], { Who: 'name', Tel: 'phone' });
    const listed = await eventually(() => call(host.url, 'GET', '/v1/lead-import-mappings', { token: a.token }), (r) => r.status === 200 && r.json['total'] === 1);
    assert.deepEqual((listed.json['items'] as Json[]).map((m) => m['name']), ['Trade fair']);
    assert.equal((await call(host.url, 'GET', '/v1/lead-import-mappings', { token: b.token })).json['total'], 0);
    assert.equal((await call(host.url, 'GET', `/v1/lead-import-mappings/${mappingId}`, { token: b.token })).status, 404);

    const up = await upload(a.token, Buffer.from('Who,Tel\r\nMapped Person,13600000001\r\n'));
    assert.equal(up.status, 201, up.text);
    const started = await call(host.url, 'POST', `/v1/lead-imports/${up.json['id']}/start`, { token: a.token, body: { mappingId } });
    assert.equal(started.status, 202, started.text);
    const done = await finished(a.token, up.json['id'] as string);
    assert.deepEqual({ state: done.json['state'], imported: done.json['imported'], mappingId: done.json['mappingId'] }, { state: 'completed', imported: 1, mappingId });
    // another enterprise cannot start with it
    const upB = await upload(b.token, Buffer.from('Who,Tel\r\nX,13600000002\r\n'));
    const refused = await call(host.url, 'POST', `/v1/lead-imports/${upB.json['id']}/start`, { token: b.token, body: { mappingId } });
    assert.equal(refused.status, 400, refused.text);

    const replaced = await call(host.url, 'PUT', `/v1/lead-import-mappings/${mappingId}`, { token: a.token, body: { name: 'Trade fair 2', mapping: { Who: 'name', Mail: 'email' } } });
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(replaced.json['name'], 'Trade fair 2');
    assert.equal((await call(host.url, 'DELETE', `/v1/lead-import-mappings/${mappingId}`, { token: a.token })).status, 204);
    assert.equal((await call(host.url, 'GET', `/v1/lead-import-mappings/${mappingId}`, { token: a.token })).status, 404);
    assert.equal((await call(host.url, 'DELETE', `/v1/lead-import-mappings/${mappingId}`, { token: a.token })).status, 404);
    await eventually(() => call(host.url, 'GET', '/v1/lead-import-mappings', { token: a.token }), (r) => r.json['total'] === 0);
  });

  it('needs leads:import (403) and hides other enterprises’ imports (404)', async () => {
    const up = await upload(a.token, Buffer.from('Name,Mobile\r\nP,13500000001\r\n'));
    assert.equal(up.status, 201, up.text);
    const id = up.json['id'] as string;
    assert.equal((await upload(readerToken, Buffer.from('Name,Mobile\r\nP,13500000001\r\n'))).status, 403);
    assert.equal((await job(readerToken, id)).status, 403);
    assert.equal((await call(host.url, 'POST', `/v1/lead-imports/${id}/start`, { token: readerToken, body: { mapping: { Name: 'name', Mobile: 'phone' } } })).status, 403);
    assert.equal((await call(host.url, 'GET', '/v1/lead-import-mappings', { token: readerToken })).status, 403);
    assert.equal((await call(host.url, 'POST', `/v1/lead-imports/${id}/start`, { token: b.token, body: { mapping: { Name: 'name', Mobile: 'phone' } } })).status, 404);
    assert.equal((await call(host.url, 'POST', `/v1/lead-imports/${id}/cancel`, { token: b.token })).status, 404);
    assert.equal((await fetch(`${host.url}/v1/lead-imports/${id}/errors`, { headers: { authorization: `Bearer ${b.token}` } })).status, 404);
    assert.equal((await upload('', Buffer.from('x'))).status, 401);
    // a job never started can be cancelled; it ends there
    const cancelled = await call(host.url, 'POST', `/v1/lead-imports/${id}/cancel`, { token: a.token });
    assert.equal(cancelled.status, 202, cancelled.text);
    assert.equal(cancelled.json['state'], 'cancelled');
  });

  it('lists the enterprise\'s imports newest first, by state, with their counts', async () => {
    const listed = await eventually(
      () => call(host.url, 'GET', '/v1/lead-imports?limit=2', { token: a.token }),
      (r) => r.status === 200 && (r.json['items'] as Json[]).every((j) => j['state'] !== 'running') && r.json['total'] >= 7,
    );
    assert.equal(listed.status, 200, listed.text);
    const items = listed.json['items'] as Json[];
    assert.equal(items.length, 2);
    assert.ok(items[0]!['uploadedAt'] >= items[1]!['uploadedAt'], 'newest upload first');
    const rest = await call(host.url, 'GET', `/v1/lead-imports?limit=200&cursor=${encodeURIComponent(listed.json['nextCursor'] as string)}`, { token: a.token });
    assert.equal(rest.status, 200, rest.text);
    const all = [...items, ...(rest.json['items'] as Json[])];
    assert.equal(all.length, listed.json['total']);
    assert.equal(new Set(all.map((j) => j['id'])).size, all.length, 'pages do not overlap');
    const first = all.find((j) => j['fileName'] === 'leads.csv')!;
    assert.deepEqual({ state: first['state'], imported: first['imported'], failed: first['failed'], skipped: first['skipped'] }, { state: 'completed', imported: 3, failed: 2, skipped: 1 });
    const cancelled = await call(host.url, 'GET', '/v1/lead-imports?state=cancelled', { token: a.token });
    assert.ok((cancelled.json['items'] as Json[]).length >= 1 && (cancelled.json['items'] as Json[]).every((j) => j['state'] === 'cancelled'), cancelled.text);
    const bad = await call(host.url, 'GET', '/v1/lead-imports?state=done', { token: a.token });
    assert.equal(bad.status, 400);
    assert.ok((bad.json['errors'] as Json[]).some((e) => e['field'] === 'state'), bad.text);
    assert.equal((await call(host.url, 'GET', '/v1/lead-imports', { token: readerToken })).status, 403);
    const other = await call(host.url, 'GET', '/v1/lead-imports', { token: b.token });
    assert.ok((other.json['items'] as Json[]).every((j) => !all.some((mine) => mine['id'] === j['id'])), 'another enterprise sees none of these');
  });

  it('cancels a running import: it stops after the chunk in progress, what was imported stays, and it is never resumed', async () => {
    const { csv } = bigCsv(40_000, 'Cancel');
    const up = await upload(a.token, Buffer.from(csv, 'utf8'));
    assert.equal(up.status, 201, up.text);
    const id = up.json['id'] as string;
    assert.equal((await call(host.url, 'POST', `/v1/lead-imports/${id}/start`, { token: a.token, body: { mapping: { Name: 'name', Mobile: 'phone', Budget: 'budget' } } })).status, 202);
    await eventually(() => job(a.token, id), (r) => (r.json['rowsRead'] as number) > 0, 60_000);
    const cancel = await call(host.url, 'POST', `/v1/lead-imports/${id}/cancel`, { token: a.token });
    assert.equal(cancel.status, 202, cancel.text);
    assert.equal(cancel.json['cancelRequested'], true);
    const done = await finished(a.token, id);
    assert.equal(done.json['state'], 'cancelled', done.text);
    const rowsRead = done.json['rowsRead'] as number;
    assert.ok(rowsRead > 0 && rowsRead < 40_000, `stopped part-way (${rowsRead} rows read)`);
    assert.equal((done.json['imported'] as number) + (done.json['failed'] as number), rowsRead);
    const listed = await eventually(() => search(a.token, { q: 'Cancel', limit: 1 }), (r) => r.json['total'] === done.json['imported'], 30_000);
    assert.equal(listed.json['total'], done.json['imported'], 'exactly the imported rows are in the list');
    const later = await call(host.url, 'POST', `/v1/lead-imports/${id}/cancel`, { token: a.token });
    assert.equal(later.status, 202);
    assert.equal(later.json['state'], 'cancelled');
  });

  it('resumes after kill -9 part-way: every good row imported exactly once, every bad row reported exactly once', async () => {
    const rows = 30_000;
    const { csv, good, bad } = bigCsv(rows, 'Resume');
    const up = await upload(a.token, Buffer.from(csv, 'utf8'));
    assert.equal(up.status, 201, up.text);
    const id = up.json['id'] as string;
    assert.equal((await call(host.url, 'POST', `/v1/lead-imports/${id}/start`, { token: a.token, body: { mapping: { Name: 'name', Mobile: 'phone', Budget: 'budget' } } })).status, 202);
    const midway = await eventually(() => job(a.token, id), (r) => (r.json['imported'] as number) >= 2_000, 60_000);
    assert.equal(midway.json['state'], 'running', `still running when killed: ${midway.text}`);
    await host.kill();

    host = await startHostProcess({ DATA_DIR: dataDir });
    const done = await finished(a.token, id, 120_000);
    assert.equal(done.json['state'], 'completed', done.text);
    assert.deepEqual({ rowsRead: done.json['rowsRead'], imported: done.json['imported'], failed: done.json['failed'] }, { rowsRead: rows, imported: good, failed: bad });
    const listed = await eventually(() => search(a.token, { q: 'Resume', limit: 1 }), (r) => r.json['total'] === good, 60_000);
    assert.equal(listed.json['total'], good, 'no row imported twice, none lost');
    const errors = await errorRows(a.token, id);
    const rowNumbers = errors.slice(1).map((e) => Number(e[0]));
    assert.equal(rowNumbers.length, bad);
    assert.equal(new Set(rowNumbers).size, bad, 'no bad row reported twice');
    assert.deepEqual(rowNumbers, Array.from({ length: bad }, (_, i) => (i + 1) * 50 + 1));
  });
});
