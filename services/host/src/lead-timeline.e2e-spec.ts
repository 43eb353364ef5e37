import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { call, type Json, type Reply } from './testing/http-client';

const PASSWORD = 'correct horse battery';
const NEW = '00000000-0000-4000-8000-000000000001';
const QUALIFIED = '00000000-0000-4000-8000-000000000003';

function assertProblem(res: Reply, status: number, field?: string) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  if (field !== undefined) assert.ok(((res.json['errors'] ?? []) as { field: string }[]).some((e) => e.field === field), `${field} is named: ${res.text}`);
}

describe('lead profile timeline (LEAD-12) against the real host', () => {
  let dataDir: string;
  let host: HostProcess;
  const a = { enterpriseId: '', token: '' };
  const b = { enterpriseId: '', token: '' };
  let strangerToken = '';

  const login = async (enterpriseId: string, accountName: string) => {
    const res = await call(host.url, 'POST', '/v1/auth/login', { body: { enterpriseId, accountName, password: PASSWORD } });
    assert.equal(res.status, 200, res.text);
    return res.json['accessToken'] as string;
  };
  const timeline = (token: string, id: string, query = '') => call(host.url, 'GET', `/v1/leads/${id}/timeline${query}`, { token });

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-timeline-e2e-'));
    host = await startHostProcess({ DATA_DIR: dataDir });
    for (const [tenant, name] of [
      [a, 'Acme Timeline'],
      [b, 'Globex Timeline'],
    ] as const) {
      const created = await call(host.url, 'POST', '/v1/enterprises', { body: { name, seatQuota: 10, admin: { accountName: 'admin', password: PASSWORD, realName: 'Ada' } } });
      assert.equal(created.status, 201, created.text);
      tenant.enterpriseId = created.json['enterpriseId'];
      tenant.token = await login(tenant.enterpriseId, 'admin');
    }
    const member = await call(host.url, 'POST', '/v1/members', { token: a.token, body: { accountName: 'stranger', password: PASSWORD } });
    assert.equal(member.status, 201, member.text);
    const role = await call(host.url, 'POST', '/v1/roles', { token: a.token, body: { name: 'Org only', packages: ['org:read'] } });
    assert.equal(role.status, 201, role.text);
    assert.equal((await call(host.url, 'POST', `/v1/roles/${role.json['id']}/members`, { token: a.token, body: { memberIds: [member.json['id']] } })).status, 200);
    strangerToken = await login(a.enterpriseId, 'stranger');
  });

  after(async () => {
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows every change newest first, custom fields by key, deleted fields hidden, in cursor pages', async () => {
    const budget = await call(host.url, 'POST', '/v1/lead-schema/fields', { token: a.token, body: { key: 'budget', label: 'Budget', type: 'integer' } });
    const secret = await call(host.url, 'POST', '/v1/lead-schema/fields', { token: a.token, body: { key: 'secret', label: 'Secret', type: 'text' } });
    assert.equal(budget.status, 201, budget.text);
    assert.equal(secret.status, 201, secret.text);
    const created = await call(host.url, 'POST', '/v1/leads', { token: a.token, body: { name: 'Tim Line', phone: '13800000100', tags: ['expo'], fields: { budget: 100, secret: 'hush' } } });
    assert.equal(created.status, 201, created.text);
    const id = created.json['id'] as string;
    assert.equal((await call(host.url, 'PATCH', `/v1/leads/${id}`, { token: a.token, body: { company: 'Acme', fields: { budget: 200 } } })).status, 200);
    assert.equal((await call(host.url, 'PUT', `/v1/leads/${id}/status`, { token: a.token, body: { statusId: QUALIFIED } })).status, 200);
    assert.equal((await call(host.url, 'POST', `/v1/leads/${id}/tags`, { token: a.token, body: { add: ['hot'], remove: ['expo'] } })).status, 200);
    assert.equal((await call(host.url, 'PATCH', `/v1/leads/${id}`, { token: a.token, body: { fields: { secret: 'only secret changes' } } })).status, 200);
    assert.equal((await call(host.url, 'DELETE', `/v1/lead-schema/fields/${secret.json['id']}`, { token: a.token })).status, 204);

    const all = await timeline(a.token, id);
    assert.equal(all.status, 200, all.text);
    const items = all.json['items'] as Json[];
    assert.deepEqual(items.map((e) => e['kind']), ['tagsChanged', 'statusChanged', 'updated', 'created'], 'the edit of a field deleted since shows nothing');
    assert.deepEqual(items[0]!['changes'], { added: ['hot'], removed: ['expo'] });
    assert.deepEqual(items[1]!['changes'], { from: NEW, to: QUALIFIED });
    assert.deepEqual(items[2]!['changes'], { company: 'Acme', fields: { budget: 200 } });
    const first = items[3]!;
    assert.equal((first['changes'] as Json)['name'], 'Tim Line');
    assert.deepEqual((first['changes'] as Json)['fields'], { budget: 100 }, 'the deleted field is hidden');
    assert.ok(!all.text.includes('hush'));
    for (const entry of items) assert.match(entry['by'] as string, /^[0-9a-f-]{36}$/);
    assert.deepEqual(items.map((e) => e['revision']), [...items.map((e) => e['revision'] as number)].sort((x, y) => y - x));
    assert.equal(all.json['nextCursor'], null);

    const seen: Json[] = [];
    let cursor: string | null = null;
    do {
      const page = await timeline(a.token, id, `?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(page.status, 200, page.text);
      seen.push(...(page.json['items'] as Json[]));
      cursor = page.json['nextCursor'];
    } while (cursor && seen.length < 10);
    assert.deepEqual(seen, items);
  });

  it('records behaviours (once per behaviourId) and shows them in the timeline at the time they happened', async () => {
    const created = await call(host.url, 'POST', '/v1/leads', { token: a.token, body: { phone: '13800000102' } });
    const id = created.json['id'] as string;
    const behaviour = (body: Json, token = a.token) => call(host.url, 'POST', `/v1/leads/${id}/behaviours`, { token, body });
    const past = new Date(Date.now() - 3_600_000).toISOString();
    const visit = await behaviour({ type: 'visit', occurredAt: past, properties: { page: '/pricing', seconds: 42, returning: true } });
    assert.equal(visit.status, 201, visit.text);
    assert.equal(visit.json['type'], 'visit');
    const behaviourId = randomUUID();
    const click = await behaviour({ type: 'click', occurredAt: new Date().toISOString(), properties: { link: 'offer' }, behaviourId });
    assert.equal(click.status, 201, click.text);
    const again = await behaviour({ type: 'click', occurredAt: new Date().toISOString(), properties: { link: 'offer' }, behaviourId });
    assert.equal(again.status, 200, 'the same behaviourId is recorded once');
    assert.equal(again.json['behaviourId'], behaviourId);

    const items = (await timeline(a.token, id)).json['items'] as Json[];
    assert.deepEqual(items.map((e) => e['kind']), ['behaviour', 'created', 'behaviour'], 'newest first by when it happened: the visit an hour ago comes after the creation');
    assert.equal((items[0]!['changes'] as Json)['type'], 'click');
    assert.deepEqual((items[2]!['changes'] as Json)['properties'], { page: '/pricing', seconds: 42, returning: true });
    assert.equal(items[2]!['at'], past);
    const paged: Json[] = [];
    let cursor: string | null = null;
    do {
      const page = await timeline(a.token, id, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...(page.json['items'] as Json[]));
      cursor = page.json['nextCursor'];
    } while (cursor && paged.length < 10);
    assert.deepEqual(paged, items);

    assertProblem(await behaviour({ type: 'Page View', occurredAt: past }), 400, 'type');
    assertProblem(await behaviour({ type: 'visit', occurredAt: '2026-01-01 10:00' }), 400, 'occurredAt');
    assertProblem(await behaviour({ type: 'visit', occurredAt: new Date(Date.now() + 86_400_000).toISOString() }), 400, 'occurredAt');
    assertProblem(await behaviour({ type: 'visit', occurredAt: past, properties: { nested: { a: 1 } } }), 400, 'properties.nested');
    assertProblem(await behaviour({ type: 'visit', occurredAt: past, properties: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`p${i}`, i])) }), 400, 'properties');
    assertProblem(await behaviour({ type: 'visit', occurredAt: past }, b.token), 404);
    assertProblem(await behaviour({ type: 'visit', occurredAt: past }, strangerToken), 403);
    assertProblem(await call(host.url, 'POST', `/v1/leads/${randomUUID()}/behaviours`, { token: a.token, body: { type: 'visit', occurredAt: past } }), 404);
  });

  it('404 for another enterprise’s, an unknown and a deleted lead; 403 without leads:read; 400 for a bad id, limit or cursor', async () => {
    const created = await call(host.url, 'POST', '/v1/leads', { token: a.token, body: { phone: '13800000101' } });
    const id = created.json['id'] as string;
    assertProblem(await timeline(b.token, id), 404);
    assertProblem(await timeline(a.token, randomUUID()), 404);
    assertProblem(await timeline(strangerToken, id), 403);
    assertProblem(await timeline(a.token, 'nope'), 400, 'id');
    assertProblem(await timeline(a.token, id, '?limit=0'), 400, 'limit');
    assertProblem(await timeline(a.token, id, '?cursor=%%%'), 400, 'cursor');
    assert.equal((await call(host.url, 'DELETE', `/v1/leads/${id}`, { token: a.token })).status, 204);
    assertProblem(await timeline(a.token, id), 404);
  });
});
