import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { call, eventually, type Json, type Reply } from './testing/http-client';

const PASSWORD = 'correct horse battery';

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

describe('saved lead views (LEAD-9) against the real host', () => {
  let dataDir: string;
  let host: HostProcess;
  const a: Tenant = { enterpriseId: '', token: '' };
  const b: Tenant = { enterpriseId: '', token: '' };
  /** Two members of enterprise A with leads:read, and one without. */
  let aliceToken = '';
  let bobToken = '';
  let strangerToken = '';
  let aliceId = '';
  let obsoleteFieldId = '';

  const login = async (enterpriseId: string, accountName: string) => {
    const res = await call(host.url, 'POST', '/v1/auth/login', { body: { enterpriseId, accountName, password: PASSWORD } });
    assert.equal(res.status, 200, res.text);
    return res.json['accessToken'] as string;
  };
  const member = async (accountName: string, packages: string[]) => {
    const created = await call(host.url, 'POST', '/v1/members', { token: a.token, body: { accountName, password: PASSWORD } });
    assert.equal(created.status, 201, created.text);
    const role = await call(host.url, 'POST', '/v1/roles', { token: a.token, body: { name: `Role ${accountName}`, packages } });
    assert.equal(role.status, 201, role.text);
    const assigned = await call(host.url, 'POST', `/v1/roles/${role.json['id']}/members`, { token: a.token, body: { memberIds: [created.json['id']] } });
    assert.equal(assigned.status, 200, assigned.text);
    return { id: created.json['id'] as string, token: await login(a.enterpriseId, accountName) };
  };
  const save = (token: string, body: Json) => call(host.url, 'POST', '/v1/lead-views', { token, body });
  const created = async (token: string, body: Json) => {
    const res = await save(token, body);
    assert.equal(res.status, 201, res.text);
    return res.json;
  };
  const get = (token: string, id: string) => call(host.url, 'GET', `/v1/lead-views/${id}`, { token });
  const list = async (token: string) => {
    const res = await call(host.url, 'GET', '/v1/lead-views', { token });
    assert.equal(res.status, 200, res.text);
    return res.json as { items: Json[]; total: number; nextCursor: string | null };
  };
  /** The list once the read model shows `ok` (it follows the log). */
  const listWhen = async (token: string, ok: (names: string[]) => boolean) => {
    const page = await eventually(() => list(token), (p) => ok(p.items.map((v) => v['name'] as string)));
    const names = page.items.map((v) => v['name'] as string);
    assert.ok(ok(names), JSON.stringify(names));
    return page;
  };
  const hot = (extra: Json = {}): Json => ({
    name: 'Hot leads',
    filter: { conditions: [{ field: 'budget', op: 'gte', value: 1000 }, { field: 'source', op: 'equals', value: 'expo' }], match: 'all', q: 'acme' },
    sort: { field: 'budget', direction: 'desc' },
    columns: ['name', 'budget', 'status'],
    ...extra,
  });

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-lead-views-e2e-'));
    host = await startHostProcess({ DATA_DIR: dataDir });
    for (const [tenant, name] of [
      [a, 'Acme Views'],
      [b, 'Globex Views'],
    ] as const) {
      const res = await call(host.url, 'POST', '/v1/enterprises', {
        body: { name, timeZone: 'Asia/Shanghai', seatQuota: 10, admin: { accountName: 'admin', password: PASSWORD, realName: 'Ada' } },
      });
      assert.equal(res.status, 201, res.text);
      tenant.enterpriseId = res.json['enterpriseId'];
      tenant.token = await login(tenant.enterpriseId, 'admin');
    }
    for (const body of [
      { key: 'budget', label: 'Budget', type: 'integer' },
      { key: 'obsolete', label: 'Obsolete', type: 'text' },
    ]) {
      const res = await call(host.url, 'POST', '/v1/lead-schema/fields', { token: a.token, body });
      assert.equal(res.status, 201, res.text);
      if (body.key === 'obsolete') obsoleteFieldId = res.json['id'];
    }
    const alice = await member('alice', ['leads:read']);
    aliceId = alice.id;
    aliceToken = alice.token;
    bobToken = (await member('bob', ['leads:read'])).token;
    strangerToken = (await member('stranger', ['org:read'])).token;
  });

  after(async () => {
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates (private by default), reads, replaces and deletes a view', async () => {
    const view = await created(aliceToken, hot({ name: '  Alice hot  ' }));
    assert.equal(view['name'], 'Alice hot');
    assert.equal(view['visibility'], 'private');
    assert.equal(view['ownerId'], aliceId);
    assert.equal(view['version'], 0);
    assert.deepEqual(view['filter'], hot()['filter']);
    assert.deepEqual(view['sort'], { field: 'budget', direction: 'desc' });
    assert.deepEqual(view['columns'], ['name', 'budget', 'status']);
    const id = view['id'] as string;

    const read = await get(aliceToken, id);
    assert.equal(read.status, 200, read.text);
    assert.equal(read.headers.get('etag'), '"0"');
    assert.deepEqual(read.json, view);

    const replaced = await call(host.url, 'PUT', `/v1/lead-views/${id}`, { token: aliceToken, headers: { 'if-match': '"0"' }, body: { name: 'Alice cold', filter: { conditions: [], match: 'any' } } });
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(replaced.json['name'], 'Alice cold');
    assert.equal(replaced.json['version'], 1);
    assert.equal(replaced.json['sort'], null, 'a replacement replaces the whole view');
    assert.equal(replaced.json['columns'], null);
    assert.equal(replaced.json['createdAt'], view['createdAt']);
    assert.equal(replaced.headers.get('etag'), '"1"');

    // a stale If-Match is refused; a malformed one names the header
    const stale = await call(host.url, 'PUT', `/v1/lead-views/${id}`, { token: aliceToken, headers: { 'if-match': '"0"' }, body: hot() });
    assertProblem(stale, 412);
    assertProblem(await call(host.url, 'DELETE', `/v1/lead-views/${id}`, { token: aliceToken, headers: { 'if-match': '"0"' } }), 412);
    assertProblem(await call(host.url, 'DELETE', `/v1/lead-views/${id}`, { token: aliceToken, headers: { 'if-match': 'nonsense' } }), 400, 'If-Match');

    await listWhen(aliceToken, (names) => names.includes('Alice cold'));
    const deleted = await call(host.url, 'DELETE', `/v1/lead-views/${id}`, { token: aliceToken, headers: { 'if-match': '"1"' } });
    assert.equal(deleted.status, 204, deleted.text);
    assertProblem(await get(aliceToken, id), 404);
    assertProblem(await call(host.url, 'DELETE', `/v1/lead-views/${id}`, { token: aliceToken }), 404);
    assertProblem(await call(host.url, 'PUT', `/v1/lead-views/${id}`, { token: aliceToken, body: hot() }), 404);
    await listWhen(aliceToken, (names) => !names.includes('Alice cold'));
  });

  it("lists the caller's private views and every shared view, by name; someone else's private view is not found", async () => {
    const mine = await created(aliceToken, hot({ name: 'B private of alice' }));
    const shared = await created(aliceToken, hot({ name: 'A shared by alice', visibility: 'shared' }));
    const bobs = await created(bobToken, hot({ name: 'C private of bob', visibility: 'private' }));

    const alices = await listWhen(aliceToken, (n) => n.includes('A shared by alice') && n.includes('B private of alice'));
    const names = alices.items.map((v) => v['name'] as string);
    assert.ok(!names.includes('C private of bob'), 'bob’s private view is not listed for alice');
    assert.deepEqual(names, [...names].sort(), 'ordered by name');
    assert.equal(alices.total, alices.items.length);

    const bobList = await listWhen(bobToken, (n) => n.includes('A shared by alice') && n.includes('C private of bob'));
    assert.ok(!bobList.items.some((v) => v['name'] === 'B private of alice'));
    // the administrator sees shared views, not other members' private ones
    const adminList = await listWhen(a.token, (n) => n.includes('A shared by alice'));
    assert.ok(!adminList.items.some((v) => v['visibility'] === 'private'));

    assert.equal((await get(bobToken, shared['id'])).status, 200);
    assertProblem(await get(bobToken, mine['id']), 404);
    assertProblem(await get(aliceToken, bobs['id']), 404);
    assertProblem(await call(host.url, 'PUT', `/v1/lead-views/${mine['id']}`, { token: bobToken, body: hot() }), 404);
    assertProblem(await call(host.url, 'DELETE', `/v1/lead-views/${mine['id']}`, { token: a.token }), 404);
  });

  it('only the owner or an administrator may change or delete a shared view', async () => {
    const shared = await created(aliceToken, hot({ name: 'Team view', visibility: 'shared' }));
    const id = shared['id'] as string;
    const byBob = await call(host.url, 'PUT', `/v1/lead-views/${id}`, { token: bobToken, body: hot({ name: 'Taken over', visibility: 'shared' }) });
    assertProblem(byBob, 403);
    assert.equal(byBob.json['code'], 'leads.view-not-owner', byBob.text);
    assertProblem(await call(host.url, 'DELETE', `/v1/lead-views/${id}`, { token: bobToken }), 403);
    // a 403 is not hidden behind a body problem: the rights come first
    assertProblem(await call(host.url, 'PUT', `/v1/lead-views/${id}`, { token: bobToken, body: hot({ filter: { conditions: [{ field: 'nope', op: 'equals', value: 1 }] } }) }), 403);

    const byAdmin = await call(host.url, 'PUT', `/v1/lead-views/${id}`, { token: a.token, body: hot({ name: 'Team view (admin)', visibility: 'shared' }) });
    assert.equal(byAdmin.status, 200, byAdmin.text);
    assert.equal(byAdmin.json['ownerId'], aliceId, 'the owner stays');
    assert.equal((await call(host.url, 'DELETE', `/v1/lead-views/${id}`, { token: a.token })).status, 204);
    assertProblem(await get(aliceToken, id), 404);
  });

  it('checks the filter, sort and columns against the lead schema as it stands; bad bodies name the field', async () => {
    const keep = await created(aliceToken, { name: 'Uses obsolete', filter: { conditions: [{ field: 'obsolete', op: 'contains', value: 'x' }] } });
    assert.equal(keep['filter']['match'], 'all', 'match defaults to all');
    assert.equal((await call(host.url, 'DELETE', `/v1/lead-schema/fields/${obsoleteFieldId}`, { token: a.token })).status, 204);

    assertProblem(await save(aliceToken, { name: 'Deleted field', filter: { conditions: [{ field: 'obsolete', op: 'contains', value: 'x' }] } }), 400, 'filter.conditions[0].field');
    assertProblem(await save(aliceToken, { name: 'Unknown field', filter: { conditions: [{ field: 'no_such_field', op: 'equals', value: 1 }] } }), 400, 'filter.conditions[0].field');
    // replacing a view against the schema as it stands now: the deleted field is refused
    assertProblem(await call(host.url, 'PUT', `/v1/lead-views/${keep['id']}`, { token: aliceToken, body: { name: 'Again', filter: { conditions: [{ field: 'obsolete', op: 'contains', value: 'x' }] } } }), 400, 'filter.conditions[0].field');
    assertProblem(await save(aliceToken, { name: 'Bad op', filter: { conditions: [{ field: 'budget', op: 'contains', value: 'x' }] } }), 400, 'filter.conditions[0].op');
    assertProblem(await save(aliceToken, { name: 'Bad value', filter: { conditions: [{ field: 'budget', op: 'gte', value: 'lots' }] } }), 400, 'filter.conditions[0].value');
    const several = await save(aliceToken, { name: 'Bad sort', filter: { conditions: [] }, sort: { field: 'tags' }, columns: ['name', 'obsolete'] });
    assertProblem(several, 400, 'sort.field');
    assertProblem(several, 400, 'columns[1]');
    assertProblem(await save(aliceToken, { filter: { conditions: [] } }), 400, 'name');
    assertProblem(await save(aliceToken, { name: '', filter: { conditions: [] } }), 400, 'name');
    assertProblem(await save(aliceToken, { name: '   ', filter: { conditions: [] } }), 400, 'name');
    assertProblem(await save(aliceToken, { name: 'x'.repeat(101), filter: { conditions: [] } }), 400, 'name');
    assertProblem(await save(aliceToken, { name: 'Vis', visibility: 'public', filter: { conditions: [] } }), 400, 'visibility');
    assertProblem(await save(aliceToken, { name: 'No filter' }), 400, 'filter');
    assertProblem(await save(aliceToken, { name: 'Match', filter: { match: 'some' } }), 400, 'filter.match');
    assertProblem(await save(aliceToken, { name: 'Extra', filter: {}, extra: true }), 400, 'extra');
    assertProblem(await get(aliceToken, 'not-a-uuid'), 400, 'id');
    assertProblem(await call(host.url, 'PUT', '/v1/lead-views/not-a-uuid', { token: aliceToken, body: hot() }), 400, 'id');
    assertProblem(await call(host.url, 'DELETE', '/v1/lead-views/not-a-uuid', { token: aliceToken }), 400, 'id');
    assertProblem(await get(aliceToken, randomUUID()), 404);
  });

  it("another enterprise's views are not found; without leads:read every route is forbidden", async () => {
    const shared = await created(a.token, hot({ name: 'Acme shared', visibility: 'shared' }));
    const id = shared['id'] as string;
    assertProblem(await get(b.token, id), 404);
    assertProblem(await call(host.url, 'PUT', `/v1/lead-views/${id}`, { token: b.token, body: hot() }), 404);
    assertProblem(await call(host.url, 'DELETE', `/v1/lead-views/${id}`, { token: b.token }), 404);
    await listWhen(a.token, (n) => n.includes('Acme shared'));
    assert.ok(!(await list(b.token)).items.some((v) => v['id'] === id));

    assertProblem(await call(host.url, 'GET', '/v1/lead-views', { token: strangerToken }), 403);
    assertProblem(await save(strangerToken, hot()), 403);
    assertProblem(await get(strangerToken, id), 403);
    assertProblem(await call(host.url, 'PUT', `/v1/lead-views/${id}`, { token: strangerToken, body: hot() }), 403);
    assertProblem(await call(host.url, 'DELETE', `/v1/lead-views/${id}`, { token: strangerToken }), 403);
    assertProblem(await call(host.url, 'GET', '/v1/lead-views'), 401);
  });
});
