import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { call, eventually, type Json, type Reply } from './testing/http-client';

const PASSWORD = 'correct horse battery';
const NEW = '00000000-0000-4000-8000-000000000001';
const QUALIFIED = '00000000-0000-4000-8000-000000000003';

function assertProblem(res: Reply, status: number, field?: string) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  if (field !== undefined) {
    const fields = ((res.json['errors'] ?? []) as { field: string }[]).map((e) => e.field);
    assert.ok(fields.includes(field), `${field} is named: ${res.text}`);
  }
}

interface Tenant {
  enterpriseId: string;
  token: string;
}

describe('lead operations, single and in batch (LEAD-5, LEAD-6) against the real host', () => {
  let dataDir: string;
  let host: HostProcess;
  const a: Tenant = { enterpriseId: '', token: '' };
  const b: Tenant = { enterpriseId: '', token: '' };
  let readerToken = '';
  let ownerId = '';
  let leaverId = '';
  let bMemberId = '';

  const login = async (enterpriseId: string, accountName: string) => {
    const res = await call(host.url, 'POST', '/v1/auth/login', { body: { enterpriseId, accountName, password: PASSWORD } });
    assert.equal(res.status, 200, res.text);
    return res.json['accessToken'] as string;
  };
  const createMember = async (tenant: Tenant, accountName: string) => {
    const res = await call(host.url, 'POST', '/v1/members', { token: tenant.token, body: { accountName, password: PASSWORD } });
    assert.equal(res.status, 201, res.text);
    return res.json['id'] as string;
  };
  const createLead = async (token: string, body: Json) => {
    const res = await call(host.url, 'POST', '/v1/leads', { token, body });
    assert.equal(res.status, 201, res.text);
    return res.json['id'] as string;
  };
  const lead = (token: string, id: string) => call(host.url, 'GET', `/v1/leads/${id}`, { token });
  const leadWhen = async (id: string, ok: (lead: Json) => boolean) => {
    const res = await eventually(() => lead(a.token, id), (r) => r.status === 200 && ok(r.json));
    assert.equal(res.status, 200, res.text);
    assert.ok(ok(res.json), res.text);
    return res.json;
  };
  const batchWhenDone = async (id: string, timeoutMs = 60_000) => {
    const res = await eventually(() => call(host.url, 'GET', `/v1/lead-batches/${id}`, { token: a.token }), (r) => r.status === 200 && r.json['status'] !== 'running', timeoutMs);
    assert.equal(res.status, 200, res.text);
    assert.notEqual(res.json['status'], 'running', res.text);
    return res.json;
  };
  const results = async (id: string, query = '') => {
    const items: Json[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(host.url, 'GET', `/v1/lead-batches/${id}/results?limit=1000${query}${cursor ? `&cursor=${cursor}` : ''}`, { token: a.token });
      assert.equal(res.status, 200, res.text);
      items.push(...(res.json['items'] as Json[]));
      cursor = res.json['nextCursor'];
    } while (cursor);
    return items;
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-lead-ops-e2e-'));
    host = await startHostProcess({ DATA_DIR: dataDir });
    for (const [tenant, name] of [
      [a, 'Acme Ops'],
      [b, 'Globex Ops'],
    ] as const) {
      const created = await call(host.url, 'POST', '/v1/enterprises', {
        body: { name, timeZone: 'Asia/Shanghai', seatQuota: 10, admin: { accountName: 'admin', password: PASSWORD, realName: 'Ada' } },
      });
      assert.equal(created.status, 201, created.text);
      tenant.enterpriseId = created.json['enterpriseId'];
      tenant.token = await login(tenant.enterpriseId, 'admin');
    }
    ownerId = await createMember(a, 'seller');
    leaverId = await createMember(a, 'leaver');
    assert.equal((await call(host.url, 'POST', `/v1/members/${leaverId}/disable`, { token: a.token })).status, 204);
    bMemberId = await createMember(b, 'globex-seller');
    await createMember(a, 'reader');
    const role = await call(host.url, 'POST', '/v1/roles', { token: a.token, body: { name: 'Readers', packages: ['leads:read'] } });
    assert.equal(role.status, 201, role.text);
    const readerId = ((await call(host.url, 'GET', '/v1/members?limit=50', { token: a.token })).json['items'] as Json[]).find((m) => m['accountName'] === 'reader')!['id'];
    assert.equal((await call(host.url, 'POST', `/v1/roles/${role.json['id']}/members`, { token: a.token, body: { memberIds: [readerId] } })).status, 200);
    readerToken = await login(a.enterpriseId, 'reader');
  });

  after(async () => {
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sets a status; a retired or unknown status is refused naming statusId; the same status again is unchanged', async () => {
    const id = await createLead(a.token, { name: 'Status Lead', phone: '13800000001' });
    const created = await leadWhen(id, () => true);
    assert.equal(created['statusId'], NEW, 'a new lead gets the first status of the catalogue');
    const set = await call(host.url, 'PUT', `/v1/leads/${id}/status`, { token: a.token, body: { statusId: QUALIFIED } });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.json['outcome'], 'applied');
    await leadWhen(id, (l) => l['statusId'] === QUALIFIED);
    assert.equal((await call(host.url, 'PUT', `/v1/leads/${id}/status`, { token: a.token, body: { statusId: QUALIFIED } })).json['outcome'], 'unchanged');

    const retiredId = (await call(host.url, 'POST', '/v1/lead-statuses', { token: a.token, body: { name: 'Dormant' } })).json['id'];
    assert.equal((await call(host.url, 'PUT', `/v1/leads/${id}/status`, { token: a.token, body: { statusId: retiredId } })).status, 200);
    await leadWhen(id, (l) => l['statusId'] === retiredId);
    assert.equal((await call(host.url, 'POST', `/v1/lead-statuses/${retiredId}/retire`, { token: a.token })).status, 204);
    const other = await createLead(a.token, { phone: '13800000002' });
    assertProblem(await call(host.url, 'PUT', `/v1/leads/${other}/status`, { token: a.token, body: { statusId: retiredId } }), 400, 'statusId');
    assertProblem(await call(host.url, 'POST', '/v1/leads', { token: a.token, body: { phone: '13800000003', statusId: retiredId } }), 400, 'statusId');
    assertProblem(await call(host.url, 'PUT', `/v1/leads/${other}/status`, { token: a.token, body: { statusId: randomUUID() } }), 400, 'statusId');
    assertProblem(await call(host.url, 'PUT', `/v1/leads/${other}/status`, { token: a.token, body: { statusId: 'qualified' } }), 400, 'statusId');
    // the lead that holds the retired status keeps it
    assert.equal((await lead(a.token, id)).json['statusId'], retiredId);
  });

  it('adds and removes tags', async () => {
    const id = await createLead(a.token, { phone: '13800000010', tags: ['vip'] });
    const changed = await call(host.url, 'POST', `/v1/leads/${id}/tags`, { token: a.token, body: { add: ['hot', 'expo'], remove: ['vip'] } });
    assert.equal(changed.status, 200, changed.text);
    await leadWhen(id, (l) => JSON.stringify(l['tags']) === JSON.stringify(['hot', 'expo']));
    assert.equal((await call(host.url, 'POST', `/v1/leads/${id}/tags`, { token: a.token, body: { add: ['hot'] } })).json['outcome'], 'unchanged');
    assertProblem(await call(host.url, 'POST', `/v1/leads/${id}/tags`, { token: a.token, body: {} }), 400, 'add');
    assertProblem(await call(host.url, 'POST', `/v1/leads/${id}/tags`, { token: a.token, body: { add: 'hot' } }), 400, 'add');
  });

  it('assigns only to active members of the same enterprise; null unassigns', async () => {
    const id = await createLead(a.token, { phone: '13800000020' });
    await eventually(
      () => call(host.url, 'PUT', `/v1/leads/${id}/owner`, { token: a.token, body: { ownerId } }),
      (r) => r.status === 200,
    );
    await leadWhen(id, (l) => l['ownerId'] === ownerId);
    assertProblem(await call(host.url, 'PUT', `/v1/leads/${id}/owner`, { token: a.token, body: { ownerId: leaverId } }), 400, 'ownerId');
    assertProblem(await call(host.url, 'PUT', `/v1/leads/${id}/owner`, { token: a.token, body: { ownerId: bMemberId } }), 400, 'ownerId');
    assertProblem(await call(host.url, 'PUT', `/v1/leads/${id}/owner`, { token: a.token, body: { ownerId: randomUUID() } }), 400, 'ownerId');
    assertProblem(await call(host.url, 'PUT', `/v1/leads/${id}/owner`, { token: a.token, body: {} }), 400, 'ownerId');
    const unassigned = await call(host.url, 'PUT', `/v1/leads/${id}/owner`, { token: a.token, body: { ownerId: null } });
    assert.equal(unassigned.status, 200, unassigned.text);
    await leadWhen(id, (l) => l['ownerId'] === null);
    // capture straight into an owner's hands
    const owned = await createLead(a.token, { phone: '13800000021', ownerId });
    await leadWhen(owned, (l) => l['ownerId'] === ownerId);
    assertProblem(await call(host.url, 'POST', '/v1/leads', { token: a.token, body: { phone: '13800000022', ownerId: leaverId } }), 400, 'ownerId');
  });

  it('edits contact fields; the last contact cannot be removed', async () => {
    const id = await createLead(a.token, { name: 'Before', phone: '13800000030', company: 'Old Co' });
    const edited = await call(host.url, 'PATCH', `/v1/leads/${id}`, { token: a.token, body: { name: 'After', email: 'after@example.com', company: null, title: 'CEO' } });
    assert.equal(edited.status, 200, edited.text);
    const shown = await leadWhen(id, (l) => l['name'] === 'After');
    assert.equal(shown['email'], 'after@example.com');
    assert.equal(shown['company'], null);
    assert.equal(shown['title'], 'CEO');
    assert.equal((await call(host.url, 'PATCH', `/v1/leads/${id}`, { token: a.token, body: { phone: null } })).status, 200);
    assertProblem(await call(host.url, 'PATCH', `/v1/leads/${id}`, { token: a.token, body: { email: null } }), 400, 'email');
    assertProblem(await call(host.url, 'PATCH', `/v1/leads/${id}`, { token: a.token, body: { email: 'not-mail' } }), 400, 'email');
    assertProblem(await call(host.url, 'PATCH', `/v1/leads/${id}`, { token: a.token, body: { nickname: 'x' } }), 400, 'nickname');
    assertProblem(await call(host.url, 'PATCH', `/v1/leads/${id}`, { token: a.token, body: { fields: { nothing_here: 1 } } }), 400, 'fields.nothing_here');
  });

  it('checks tenant and permission on every operation', async () => {
    const id = await createLead(a.token, { phone: '13800000040' });
    await leadWhen(id, () => true);
    for (const [method, path, body] of [
      ['PATCH', `/v1/leads/${id}`, { name: 'x' }],
      ['PUT', `/v1/leads/${id}/status`, { statusId: QUALIFIED }],
      ['POST', `/v1/leads/${id}/tags`, { add: ['x'] }],
      ['PUT', `/v1/leads/${id}/owner`, { ownerId: bMemberId }],
      ['DELETE', `/v1/leads/${id}`, undefined],
      ['GET', `/v1/leads/${id}/data-key`, undefined],
    ] as const) {
      assertProblem(await call(host.url, method, path, { token: b.token, body }), 404);
      assertProblem(await call(host.url, method, path, { body }), 401);
      if (method !== 'GET') assertProblem(await call(host.url, method, path, { token: readerToken, body }), 403);
    }
    assertProblem(await call(host.url, 'POST', '/v1/lead-batches', { token: readerToken, body: { operation: 'delete', leadIds: [id] } }), 403);
    assertProblem(await call(host.url, 'PATCH', '/v1/leads/not-a-uuid', { token: a.token, body: { name: 'x' } }), 400, 'id');
    // nothing changed
    assert.equal((await lead(a.token, id)).json['statusId'], NEW);
  });

  it('runs a batch by ids: every lead gets a result; missing and deleted leads fail without stopping the rest', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 250; i += 25) {
      ids.push(...(await Promise.all(Array.from({ length: 25 }, (_v, k) => createLead(a.token, { phone: `1390000${String(i + k).padStart(4, '0')}` })))));
    }
    const deleted = ids[7]!;
    assert.equal((await call(host.url, 'DELETE', `/v1/leads/${deleted}`, { token: a.token })).status, 204);
    const missing = randomUUID();
    const bLead = await createLead(b.token, { phone: '13900009999' });
    const res = await call(host.url, 'POST', '/v1/lead-batches', { token: a.token, body: { operation: 'setStatus', statusId: QUALIFIED, leadIds: [...ids, missing, bLead] } });
    assert.equal(res.status, 202, res.text);
    assert.equal(res.json['total'], 252);
    const done = await batchWhenDone(res.json['id']);
    assert.equal(done['status'], 'completed_with_failures');
    assert.deepEqual([done['total'], done['processed'], done['applied'], done['unchanged'], done['failed']], [252, 252, 249, 0, 3]);
    const failed = await results(res.json['id'], '&outcome=failed');
    assert.deepEqual(failed.map((r) => r['leadId']).sort(), [deleted, missing, bLead].sort());
    assert.ok(failed.every((r) => r['code'] === 'leads.lead-not-found' && typeof r['reason'] === 'string'), JSON.stringify(failed));
    const all = await results(res.json['id']);
    assert.equal(all.length, 252);
    assert.equal(new Set(all.map((r) => r['leadId'])).size, 252);
    await leadWhen(ids[100]!, (l) => l['statusId'] === QUALIFIED);
    // B's lead was not touched
    assert.equal((await lead(b.token, bLead)).json['statusId'], NEW);
    // another tenant cannot see the batch
    assertProblem(await call(host.url, 'GET', `/v1/lead-batches/${res.json['id']}`, { token: b.token }), 404);

    // the same batch again: unchanged for all, failures again for the three
    const again = await call(host.url, 'POST', '/v1/lead-batches', { token: a.token, body: { operation: 'setStatus', statusId: QUALIFIED, leadIds: ids } });
    const second = await batchWhenDone(again.json['id']);
    assert.deepEqual([second['applied'], second['unchanged'], second['failed']], [0, 249, 1]);
  });

  it('refuses bad batch requests, naming the field', async () => {
    const id = await createLead(a.token, { phone: '13800000050' });
    assertProblem(await call(host.url, 'POST', '/v1/lead-batches', { token: a.token, body: { operation: 'setStatus', leadIds: [id] } }), 400, 'statusId');
    assertProblem(await call(host.url, 'POST', '/v1/lead-batches', { token: a.token, body: { operation: 'explode', leadIds: [id] } }), 400, 'operation');
    assertProblem(await call(host.url, 'POST', '/v1/lead-batches', { token: a.token, body: { operation: 'delete' } }), 400, 'leadIds');
    assertProblem(await call(host.url, 'POST', '/v1/lead-batches', { token: a.token, body: { operation: 'delete', leadIds: [] } }), 400, 'leadIds');
    assertProblem(await call(host.url, 'POST', '/v1/lead-batches', { token: a.token, body: { operation: 'delete', leadIds: ['nope'] } }), 400, 'leadIds');
    assertProblem(await call(host.url, 'POST', '/v1/lead-batches', { token: a.token, body: { operation: 'addTags', tags: [], leadIds: [id] } }), 400, 'tags');
    assertProblem(await call(host.url, 'POST', '/v1/lead-batches', { token: a.token, body: { operation: 'assign', leadIds: [id] } }), 400, 'ownerId');
    // a batch status change to a retired status fails per lead, naming statusId
    const retired = (await call(host.url, 'POST', '/v1/lead-statuses', { token: a.token, body: { name: 'Gone' } })).json['id'];
    await call(host.url, 'POST', `/v1/lead-statuses/${retired}/retire`, { token: a.token });
    const res = await call(host.url, 'POST', '/v1/lead-batches', { token: a.token, body: { operation: 'setStatus', statusId: retired, leadIds: [id] } });
    assert.equal(res.status, 202, res.text);
    await batchWhenDone(res.json['id']);
    const [result] = await results(res.json['id']);
    assert.equal(result!['outcome'], 'failed');
    assert.ok(result!['fields']['statusId'], JSON.stringify(result));
  });

  it('resumes an interrupted batch after kill -9 without applying anything twice or losing a lead', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3000; i += 100) {
      ids.push(...(await Promise.all(Array.from({ length: 100 }, (_v, k) => createLead(a.token, { phone: `1370000${String(i + k).padStart(4, '0')}` })))));
    }
    const res = await call(host.url, 'POST', '/v1/lead-batches', { token: a.token, body: { operation: 'addTags', tags: ['resumed'], leadIds: ids } });
    assert.equal(res.status, 202, res.text);
    const batchId = res.json['id'] as string;
    const midway = await eventually(() => call(host.url, 'GET', `/v1/lead-batches/${batchId}`, { token: a.token }), (r) => r.status === 200 && r.json['processed'] > 0, 30_000);
    await host.kill();
    assert.ok(midway.json['processed'] < 3000, `killed midway: ${midway.text}`);
    host = await startHostProcess({ DATA_DIR: dataDir });
    const done = await batchWhenDone(batchId, 120_000);
    assert.equal(done['status'], 'completed', JSON.stringify(done));
    assert.deepEqual([done['processed'], done['applied'], done['unchanged'], done['failed']], [3000, 3000, 0, 0]);
    const all = await results(batchId);
    assert.equal(new Set(all.map((r) => r['leadId'])).size, 3000);
    for (const id of [ids[0]!, ids[1500]!, ids[2999]!]) await leadWhen(id, (l) => (l['tags'] as string[]).filter((t) => t === 'resumed').length === 1);
  });
});
