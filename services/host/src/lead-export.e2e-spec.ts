import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { call, eventually, type Json } from './testing/http-client';

const PASSWORD = 'correct horse battery';

describe('lead export: filtered list, chosen columns, CSV with BOM and XLSX, formula cells neutralised (LEAD-8)', () => {
  let dataDir: string;
  let host: HostProcess;
  const a = { enterpriseId: '', token: '' };
  const b = { enterpriseId: '', token: '' };
  let readerToken = '';

  const login = async (enterpriseId: string, accountName: string) => {
    const res = await call(host.url, 'POST', '/v1/auth/login', { body: { enterpriseId, accountName, password: PASSWORD } });
    assert.equal(res.status, 200, res.text);
    return res.json['accessToken'] as string;
  };
  const exportRaw = (token: string, body: Json) =>
    fetch(`${host.url}/v1/leads/export`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-lead-export-e2e-'));
    host = await startHostProcess({ DATA_DIR: dataDir });
    for (const [tenant, name] of [
      [a, 'Acme Export'],
      [b, 'Globex Export'],
    ] as const) {
      const created = await call(host.url, 'POST', '/v1/enterprises', {
        body: { name, timeZone: 'Asia/Shanghai', seatQuota: 10, admin: { accountName: 'admin', password: PASSWORD, realName: 'Ada' } },
      });
      assert.equal(created.status, 201, created.text);
      tenant.enterpriseId = created.json['enterpriseId'];
      tenant.token = await login(tenant.enterpriseId, 'admin');
    }
    for (const body of [
      { key: 'note', label: 'Note', type: 'text' },
      { key: 'budget', label: 'Budget', type: 'integer' },
    ]) {
      const res = await call(host.url, 'POST', '/v1/lead-schema/fields', { token: a.token, body });
      assert.equal(res.status, 201, res.text);
    }
    const leads: Json[] = [
      { name: '=HYPERLINK("http://x.example","click")', phone: '13900000001', source: 'expo', fields: { note: '-5', budget: -5 } },
      { name: '张伟', phone: '13900000002', source: 'expo', fields: { note: 'line one\nline two, with "quotes"', budget: 1200 } },
      { name: 'Web Lead', phone: '13900000003', source: 'web', fields: { note: '@SUM(A1)', budget: 7 } },
    ];
    for (const body of leads) {
      const res = await call(host.url, 'POST', '/v1/leads', { token: a.token, body });
      assert.equal(res.status, 201, res.text);
    }
    const other = await call(host.url, 'POST', '/v1/leads', { token: b.token, body: { name: 'Other tenant', phone: '13700000000', source: 'expo' } });
    assert.equal(other.status, 201, other.text);

    const member = await call(host.url, 'POST', '/v1/members', { token: a.token, body: { accountName: 'reader', password: PASSWORD } });
    assert.equal(member.status, 201, member.text);
    const role = await call(host.url, 'POST', '/v1/roles', { token: a.token, body: { name: 'Readers', packages: ['leads:read'] } });
    assert.equal(role.status, 201, role.text);
    assert.equal((await call(host.url, 'POST', `/v1/roles/${role.json['id']}/members`, { token: a.token, body: { memberIds: [member.json['id']] } })).status, 200);
    readerToken = await login(a.enterpriseId, 'reader');
    const all = await eventually(
      () => call(host.url, 'POST', '/v1/leads/search', { token: a.token, body: { limit: 1 } }),
      (r) => r.status === 200 && r.json['total'] === 3,
    );
    assert.equal(all.json['total'], 3, all.text);
  });

  after(async () => {
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('exports CSV with a BOM, the chosen columns by label, the filter applied, formula-like text neutralised and numbers kept', async () => {
    const res = await exportRaw(a.token, {
      format: 'csv',
      columns: ['name', 'source', 'note', 'budget'],
      conditions: [{ field: 'source', op: 'equals', value: 'expo' }],
      sort: { field: 'budget', direction: 'asc' },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/csv/);
    assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="leads-\d{8}-\d{6}\.csv"/);
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark first');
    const rows = parse(bytes.subarray(3).toString('utf8'), { relax_column_count: false }) as string[][];
    assert.deepEqual(rows[0], ['Name', 'Source', 'Note', 'Budget']);
    assert.equal(rows.length, 3, 'header + the two expo leads; the web lead and the other enterprise are left out');
    assert.deepEqual(rows[1], ['\'=HYPERLINK("http://x.example","click")', 'expo', "'-5", '-5']);
    assert.deepEqual(rows[2], ['张伟', 'expo', 'line one\nline two, with "quotes"', '1200']);
    assert.ok(!bytes.toString('utf8').includes('Other tenant'));
  });

  it('exports XLSX that reads back with the same cells, numbers as numbers', async () => {
    const res = await exportRaw(a.token, { format: 'xlsx', columns: ['name', 'note', 'budget'], sort: { field: 'budget', direction: 'desc' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    assert.deepEqual(values(1), ['Name', 'Note', 'Budget']);
    assert.deepEqual(values(2), ['张伟', 'line one\nline two, with "quotes"', 1200]);
    assert.deepEqual(values(3), ['Web Lead', "'@SUM(A1)", 7]);
    assert.deepEqual(values(4), ['\'=HYPERLINK("http://x.example","click")', "'-5", -5]);
    assert.equal(sheet.rowCount, 4);
  });

  it('needs leads:export (leads:read is not enough), and names an unknown column', async () => {
    const denied = await exportRaw(readerToken, { format: 'csv' });
    assert.equal(denied.status, 403);
    assert.match(denied.headers.get('content-type') ?? '', /application\/problem\+json/);
    const unknown = await exportRaw(a.token, { format: 'csv', columns: ['name', 'no_such_field'] });
    assert.equal(unknown.status, 400);
    const problem = (await unknown.json()) as { errors?: { field: string }[] };
    assert.ok((problem.errors ?? []).some((e) => e.field === 'columns[1]'), JSON.stringify(problem));
    const badFormat = await exportRaw(a.token, { format: 'pdf' });
    assert.equal(badFormat.status, 400);
  });
});
