import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { call, eventually, type Json } from './testing/http-client';
import { createEnterprise, memberWithPackages, type SignedIn } from './testing/enterprise-setup';

describe('lead export: CSV and XLSX of the filtered list, formula cells neutralised (LEAD-8)', () => {
  let dataDir: string;
  let host: HostProcess;
  let a: SignedIn;
  let b: SignedIn;
  let readerToken = '';

  const exportRaw = (token: string, body: Json) =>
    fetch(`${host.url}/v1/leads/export`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-lead-export-e2e-'));
    host = await startHostProcess({ DATA_DIR: dataDir });
    a = await createEnterprise(host.url, 'Acme Export');
    b = await createEnterprise(host.url, 'Globex Export');
    for (const body of [
      { key: 'budget', label: 'Budget', type: 'integer' },
      { key: 'note', label: 'Note', type: 'text' },
      { key: 'obsolete', label: 'Obsolete', type: 'text' },
    ]) {
      const res = await call(host.url, 'POST', '/v1/lead-schema/fields', { token: a.token, body });
      assert.equal(res.status, 201, res.text);
    }
    const leads: Json[] = [
      { name: '=HYPERLINK("http://evil")', phone: '13900000001', source: 'expo', fields: { budget: -5, note: '-5' } },
      { name: '张三', phone: '13900000002', source: 'expo', fields: { budget: 100, note: 'a, "quoted"\nnext line' } },
      { name: '@SUM(A1)', phone: '13900000003', source: 'web', fields: { note: '+1' } },
    ];
    for (const body of leads) {
      const res = await call(host.url, 'POST', '/v1/leads', { token: a.token, body });
      assert.equal(res.status, 201, res.text);
    }
    assert.equal((await call(host.url, 'POST', '/v1/leads', { token: b.token, body: { name: 'Other tenant', phone: '13700000000', source: 'expo' } })).status, 201);
    readerToken = await memberWithPackages(host.url, a, 'reader', ['leads:read']);
    await eventually(
      () => call(host.url, 'POST', '/v1/leads/search', { token: a.token, body: { limit: 1 } }),
      (r) => r.status === 200 && r.json['total'] === 3,
    );
  });

  after(async () => {
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('exports CSV with BOM, labels as headers, neutralised formula text, numbers kept, filter and columns honoured', async () => {
    const res = await exportRaw(a.token, {
      format: 'csv',
      columns: ['name', 'budget', 'note'],
      conditions: [{ field: 'source', op: 'equals', value: 'expo' }],
      sort: { field: 'phone', direction: 'asc' },
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="leads-\d{8}-\d{6}\.csv"$/);
    const buf = Buffer.from(await res.arrayBuffer());
    assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const rows: string[][] = parse(buf, { bom: true });
    assert.deepEqual(rows, [
      ['Name', 'Budget', 'Note'],
      [`'=HYPERLINK("http://evil")`, '-5', "'-5"],
      ['张三', '100', 'a, "quoted"\nnext line'],
    ]);
    assert.ok(!buf.toString('utf8').includes('Other tenant'));
  });

  it('exports XLSX read back with exceljs: numbers as numbers, formula-like text as text', async () => {
    const res = await exportRaw(a.token, { format: 'xlsx', columns: ['name', 'budget', 'note'], sort: { field: 'phone', direction: 'asc' } });
    assert.equal(res.status, 200, await res.clone().text());
    assert.match(res.headers.get('content-type') ?? '', /spreadsheetml\.sheet/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.worksheets[0]!;
    const values = [1, 2, 3, 4].map((r) => [1, 2, 3].map((c) => ws.getRow(r).getCell(c).value));
    assert.deepEqual(values, [
      ['Name', 'Budget', 'Note'],
      [`'=HYPERLINK("http://evil")`, -5, "'-5"],
      ['张三', 100, 'a, "quoted"\nnext line'],
      ["'@SUM(A1)", null, "'+1"],
    ]);
    assert.equal(ws.actualRowCount, 4);
  });

  it('403 with only leads:read, 401 without a token, 400 naming columns[i] for an unknown or deleted column', async () => {
    assert.equal((await exportRaw(readerToken, { format: 'csv' })).status, 403);
    assert.equal((await fetch(`${host.url}/v1/leads/export`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"format":"csv"}' })).status, 401);
    const schema = await call(host.url, 'GET', '/v1/lead-schema', { token: a.token });
    const obsoleteId = (schema.json['customFields'] as Json[]).find((f) => f['key'] === 'obsolete')!['id'];
    assert.equal((await call(host.url, 'DELETE', `/v1/lead-schema/fields/${obsoleteId}`, { token: a.token })).status, 204);
    for (const column of ['nope', 'obsolete']) {
      const res = await call(host.url, 'POST', '/v1/leads/export', { token: a.token, body: { format: 'csv', columns: ['name', column] } });
      assert.equal(res.status, 400, res.text);
      assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.ok(((res.json['errors'] ?? []) as { field: string }[]).some((e) => e.field === 'columns[1]'), res.text);
    }
    const bad = await call(host.url, 'POST', '/v1/leads/export', { token: a.token, body: { format: 'pdf' } });
    assert.equal(bad.status, 400, bad.text);
  });
});
