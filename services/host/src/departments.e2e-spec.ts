import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKeys } from '@leadstream/identity';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { call, eventually, type Json } from './testing/http-client';



type Response = Awaited<ReturnType<typeof call>>;


function assertProblem(res: Response, status: number, fields?: string[]) {
  assert.equal(res.status, status, JSON.stringify(res.json));
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal(res.json['status'], status);
  if (fields) {
    const named = [...new Set(((res.json['errors'] ?? []) as { field: string }[]).map((e) => e.field))].sort();
    assert.deepEqual(named, [...fields].sort(), JSON.stringify(res.json));
  }
}

describe('departments (ORG-4) over HTTP against the real host', () => {
  let dataDir: string;
  let host: HostProcess;
  let keys: SigningKeys;
  const a = { enterpriseId: '', token: '' };
  const b = { enterpriseId: '', token: '' };
  // non-admin members of enterprise A: tokens minted with the host's key, as login would for a member with these grants
  const reader = { memberId: randomUUID(), token: '' };
  const listed = { memberId: randomUUID(), token: '' };
  const manager = { memberId: randomUUID(), token: '' };
  const nobody = { memberId: randomUUID(), token: '' };
  const ids: Record<string, string> = {};

  const list = (token: string, query = '') => call(host.url, 'GET', `/v1/departments${query}`, { token });
  const names = (res: Response) => (res.json['items'] as Json[]).map((d) => d['name']).sort();
  const byName = (res: Response, name: string): Json => (res.json['items'] as Json[]).find((d) => d['name'] === name) ?? {};

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-departments-e2e-'));
    host = await startHostProcess({ DATA_DIR: dataDir });
    for (const [tenant, name] of [
      [a, 'Acme'],
      [b, 'Globex'],
    ] as const) {
      const created = await call(host.url, 'POST', '/v1/enterprises', {
        body: { name, seatQuota: 10, admin: { accountName: 'admin', password: 'correct horse battery' } },
      });
      assert.equal(created.status, 201, JSON.stringify(created.json));
      tenant.enterpriseId = created.json['enterpriseId'];
      const login = await call(host.url, 'POST', '/v1/auth/login', { body: { enterpriseId: tenant.enterpriseId, accountName: 'admin', password: 'correct horse battery' } });
      assert.equal(login.status, 200, JSON.stringify(login.json));
      tenant.token = login.json['accessToken'];
    }
    keys = await SigningKeys.loadOrCreate(join(dataDir, 'identity', 'signing-key.json'));
    const mint = (memberId: string, perms: string[]) => keys.sign({ sub: memberId, tid: a.enterpriseId, adm: false, perms }, 900);
    reader.token = await mint(reader.memberId, ['org:read']);
    listed.token = await mint(listed.memberId, ['org:read']);
    manager.token = await mint(manager.memberId, ['org:read', 'org:manage']);
    nobody.token = await mint(nobody.memberId, []);
  });

  after(async () => {
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates a tree and lists it flat with parentId and depth', async () => {
    const create = async (name: string, parent?: string) => {
      const res = await call(host.url, 'POST', '/v1/departments', { token: a.token, body: parent === undefined ? { name } : { name, parentId: ids[parent] } });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      ids[name] = res.json['id'];
    };
    await create('Acme');
    await create('Sales', 'Acme');
    await create('East', 'Sales');
    await create('West', 'Sales');
    await create('HR', 'Acme');

    const all = await eventually(() => list(a.token), (r) => r.json['total'] === 5);
    assert.equal(all.status, 200, JSON.stringify(all.json));
    assert.equal(all.json['total'], 5);
    assert.equal(all.json['nextCursor'], null);
    assert.deepEqual(names(all), ['Acme', 'East', 'HR', 'Sales', 'West']);
    assert.equal(byName(all, 'Acme').parentId, null);
    assert.equal(byName(all, 'Acme').depth, 0);
    assert.equal(byName(all, 'East').parentId, ids['Sales']);
    assert.equal(byName(all, 'East').depth, 2);

    const one = await call(host.url, 'GET', `/v1/departments/${ids['Sales']}`, { token: reader.token });
    assert.equal(one.status, 200, JSON.stringify(one.json));
    assert.equal(one.json['name'], 'Sales');
    assert.equal(one.json['parentId'], ids['Acme']);

    const children = await list(a.token, `?parentId=${ids['Sales']}`);
    assert.deepEqual(names(children), ['East', 'West']);
    const roots = await list(a.token, '?roots=true');
    assert.deepEqual(names(roots), ['Acme']);
    const search = await list(a.token, '?q=S');
    assert.deepEqual(names(search), ['East', 'Sales', 'West']);

    const page1 = await list(a.token, '?limit=2');
    assert.equal(page1.json['items'].length, 2);
    assert.equal(page1.json['total'], 5);
    assert.equal(typeof page1.json['nextCursor'], 'string');
    const page2 = await list(a.token, `?limit=2&cursor=${page1.json['nextCursor']}`);
    const page3 = await list(a.token, `?limit=2&cursor=${page2.json['nextCursor']}`);
    assert.equal(page3.json['nextCursor'], null);
    const paged = [...page1.json['items'], ...page2.json['items'], ...page3.json['items']].map((d: Json) => d['id']);
    assert.deepEqual(paged, all.json['items'].map((d: Json) => d['id']), 'pages cover the list once, in order');
  });

  it('renames, moves a subtree, and refuses cycles and sibling name clashes', async () => {
    const renamed = await call(host.url, 'PATCH', `/v1/departments/${ids['HR']}`, { token: manager.token, body: { name: 'People' } });
    assert.equal(renamed.status, 204, JSON.stringify(renamed.json));

    const moved = await call(host.url, 'POST', `/v1/departments/${ids['East']}/move`, { token: a.token, body: { parentId: ids['HR'] } });
    assert.equal(moved.status, 204, JSON.stringify(moved.json));
    const east = await eventually(
      () => call(host.url, 'GET', `/v1/departments/${ids['East']}`, { token: a.token }),
      (r) => r.json['parentId'] === ids['HR'],
    );
    assert.equal(east.json['parentId'], ids['HR']);
    const people = await eventually(
      () => call(host.url, 'GET', `/v1/departments/${ids['HR']}`, { token: a.token }),
      (r) => r.json['name'] === 'People',
    );
    assert.equal(people.json['name'], 'People');

    const underItself = await call(host.url, 'POST', `/v1/departments/${ids['Sales']}/move`, { token: a.token, body: { parentId: ids['Sales'] } });
    assertProblem(underItself, 422, ['parentId']);
    const underDescendant = await call(host.url, 'POST', `/v1/departments/${ids['Acme']}/move`, { token: a.token, body: { parentId: ids['West'] } });
    assertProblem(underDescendant, 422, ['parentId']);
    assert.equal(underDescendant.json['code'], 'identity.department-cycle');

    const clash = await call(host.url, 'POST', '/v1/departments', { token: a.token, body: { name: 'sales', parentId: ids['Acme'] } });
    assertProblem(clash, 409, ['name']);

    const toRoot = await call(host.url, 'POST', `/v1/departments/${ids['East']}/move`, { token: a.token, body: { parentId: null } });
    assert.equal(toRoot.status, 204);
    const back = await call(host.url, 'POST', `/v1/departments/${ids['East']}/move`, { token: a.token, body: { parentId: ids['Sales'] } });
    assert.equal(back.status, 204);
  });

  it('sets and clears the supervisor', async () => {
    const set = await call(host.url, 'PUT', `/v1/departments/${ids['Sales']}/supervisor`, { token: a.token, body: { memberId: manager.memberId } });
    assert.equal(set.status, 204, JSON.stringify(set.json));
    const withSupervisor = await eventually(
      () => call(host.url, 'GET', `/v1/departments/${ids['Sales']}`, { token: a.token }),
      (r) => r.json['supervisorId'] === manager.memberId,
    );
    assert.equal(withSupervisor.json['supervisorId'], manager.memberId);
    const cleared = await call(host.url, 'DELETE', `/v1/departments/${ids['Sales']}/supervisor`, { token: a.token });
    assert.equal(cleared.status, 204);
    const without = await eventually(
      () => call(host.url, 'GET', `/v1/departments/${ids['Sales']}`, { token: a.token }),
      (r) => r.json['supervisorId'] === null,
    );
    assert.equal(without.json['supervisorId'], null);
  });

  it('hides a department and its subtree from everyone but the admin and its visibility list', async () => {
    const hide = await call(host.url, 'PUT', `/v1/departments/${ids['Sales']}/visibility`, {
      token: a.token,
      body: { hidden: true, visibleToMemberIds: [listed.memberId], visibleToDepartmentIds: [ids['HR']] },
    });
    assert.equal(hide.status, 204, JSON.stringify(hide.json));
    const adminView = await eventually(() => list(a.token), (r) => byName(r, 'Sales')['hidden'] === true);
    assert.equal(adminView.json['total'], 5, 'the admin sees everything');
    assert.deepEqual(byName(adminView, 'Sales').visibleToMemberIds, [listed.memberId]);

    const readerView = await list(reader.token);
    assert.deepEqual(names(readerView), ['Acme', 'People'], 'Sales and its subtree (East, West) are left out');
    assert.equal(readerView.json['total'], 2);
    assertProblem(await call(host.url, 'GET', `/v1/departments/${ids['Sales']}`, { token: reader.token }), 404);
    assertProblem(await call(host.url, 'GET', `/v1/departments/${ids['East']}`, { token: reader.token }), 404);

    const listedView = await list(listed.token);
    assert.deepEqual(names(listedView), ['Acme', 'East', 'People', 'Sales', 'West']);
    assert.equal((await call(host.url, 'GET', `/v1/departments/${ids['West']}`, { token: listed.token })).status, 200);

    // a manager not on the list cannot touch what it cannot see
    assertProblem(await call(host.url, 'PATCH', `/v1/departments/${ids['Sales']}`, { token: manager.token, body: { name: 'Secret' } }), 404);
    assertProblem(await call(host.url, 'POST', '/v1/departments', { token: manager.token, body: { name: 'Inside', parentId: ids['Sales'] } }), 422, ['parentId']);
  });

  it('deletes a department: its children move up to its parent', async () => {
    const unhide = await call(host.url, 'PUT', `/v1/departments/${ids['Sales']}/visibility`, { token: a.token, body: { hidden: false } });
    assert.equal(unhide.status, 204);
    const deleted = await call(host.url, 'DELETE', `/v1/departments/${ids['Sales']}`, { token: a.token });
    assert.equal(deleted.status, 204, JSON.stringify(deleted.json));
    const after = await eventually(() => list(a.token), (r) => r.json['total'] === 4);
    assert.deepEqual(names(after), ['Acme', 'East', 'People', 'West']);
    assert.equal(byName(after, 'East').parentId, ids['Acme']);
    assert.equal(byName(after, 'West').parentId, ids['Acme']);
    assert.equal(byName(after, 'East').depth, 1);
    assertProblem(await call(host.url, 'GET', `/v1/departments/${ids['Sales']}`, { token: a.token }), 404);
    assertProblem(await call(host.url, 'DELETE', `/v1/departments/${ids['Sales']}`, { token: a.token }), 404);
  });

  it('two concurrent moves that together would make a cycle: exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const [x, y] = await Promise.all(
        [`Ping ${round}`, `Pong ${round}`].map(async (name) => {
          const res = await call(host.url, 'POST', '/v1/departments', { token: a.token, body: { name } });
          assert.equal(res.status, 201, JSON.stringify(res.json));
          return res.json['id'] as string;
        }),
      );
      const results = await Promise.all([
        call(host.url, 'POST', `/v1/departments/${x}/move`, { token: a.token, body: { parentId: y } }),
        call(host.url, 'POST', `/v1/departments/${y}/move`, { token: a.token, body: { parentId: x } }),
      ]);
      assert.deepEqual(results.map((r) => r.status).sort(), [204, 422], JSON.stringify(results.map((r) => r.json)));
      for (const id of [x!, y!]) assert.equal((await call(host.url, 'DELETE', `/v1/departments/${id}`, { token: a.token })).status, 204);
    }
    const settled = await eventually(() => list(a.token), (r) => r.json['total'] === 4);
    assert.equal(settled.json['total'], 4);
  });

  it('keeps the tree across a restart of the host', async () => {
    const before = await list(a.token);
    assert.equal(await host.stop(), 0);
    host = await startHostProcess({ DATA_DIR: dataDir });
    const after = await eventually(() => list(a.token), (r) => r.json['total'] === before.json['total']);
    assert.deepEqual(after.json['items'], before.json['items']);
  });

  it('401 without a token, 403 without the permission, 404 across tenants', async () => {
    assertProblem(await call(host.url, 'GET', '/v1/departments'), 401);
    assertProblem(await call(host.url, 'POST', '/v1/departments', { body: { name: 'X' } }), 401);
    assertProblem(await call(host.url, 'GET', '/v1/departments', { token: 'not.a.token' }), 401);

    assertProblem(await call(host.url, 'GET', '/v1/departments', { token: nobody.token }), 403);
    assertProblem(await call(host.url, 'GET', `/v1/departments/${ids['Acme']}`, { token: nobody.token }), 403);
    const readerWrites = await call(host.url, 'POST', '/v1/departments', { token: reader.token, body: { name: 'X' } });
    assertProblem(readerWrites, 403);
    assert.match(readerWrites.json['detail'], /org:manage/);
    assertProblem(await call(host.url, 'DELETE', `/v1/departments/${ids['Acme']}`, { token: reader.token }), 403);

    assertProblem(await call(host.url, 'GET', `/v1/departments/${ids['Acme']}`, { token: b.token }), 404);
    assertProblem(await call(host.url, 'PATCH', `/v1/departments/${ids['Acme']}`, { token: b.token, body: { name: 'Mine' } }), 404);
    assertProblem(await call(host.url, 'DELETE', `/v1/departments/${ids['Acme']}`, { token: b.token }), 404);
    assertProblem(await call(host.url, 'POST', '/v1/departments', { token: b.token, body: { name: 'Child', parentId: ids['Acme'] } }), 422, ['parentId']);
    const bList = await list(b.token);
    assert.equal(bList.status, 200);
    assert.equal(bList.json['total'], 0);
  });

  it('bad input is a 400 naming the fields', async () => {
    assertProblem(await call(host.url, 'POST', '/v1/departments', { token: a.token, body: { name: '', parentId: 'nope' } }), 400, ['name', 'parentId']);
    assertProblem(await call(host.url, 'POST', '/v1/departments', { token: a.token, body: { name: '   ' } }), 400, ['name']);
    assertProblem(await call(host.url, 'POST', '/v1/departments', { token: a.token, body: { name: 'X', color: 'red' } }), 400, ['color']);
    assertProblem(await call(host.url, 'POST', `/v1/departments/${ids['East']}/move`, { token: a.token, body: {} }), 400, ['parentId']);
    assertProblem(await call(host.url, 'GET', '/v1/departments/not-a-uuid', { token: a.token }), 400, ['id']);
    assertProblem(await call(host.url, 'PUT', `/v1/departments/${ids['East']}/supervisor`, { token: a.token, body: { memberId: '42' } }), 400, ['memberId']);
    assertProblem(
      await call(host.url, 'PUT', `/v1/departments/${ids['East']}/visibility`, { token: a.token, body: { hidden: 'yes', visibleToMemberIds: ['x'] } }),
      400,
      ['hidden', 'visibleToMemberIds'],
    );
    assertProblem(await call(host.url, 'GET', '/v1/departments?limit=0&cursor=%%%', { token: a.token }), 400);
  });
  it('a create retried with the same Idempotency-Key makes one department', async () => {
    const key = randomUUID();
    const first = await call(host.url, 'POST', '/v1/departments', { token: a.token, body: { name: 'Once' }, headers: { 'idempotency-key': key } });
    const again = await call(host.url, 'POST', '/v1/departments', { token: a.token, body: { name: 'Once' }, headers: { 'idempotency-key': key } });
    assert.equal(first.status, 201, JSON.stringify(first.json));
    assert.equal(again.status, 201, JSON.stringify(again.json));
    assert.equal(again.json['id'], first.json['id']);
    const once = await eventually(() => list(a.token, '?roots=true'), (r) => names(r).includes('Once'));
    assert.equal(names(once).filter((n) => n === 'Once').length, 1);
  });

  it('leaves out members whose departments are all hidden from the viewer (ORG-4)', async () => {
    const department = async (name: string, parentId?: string) => {
      const res = await call(host.url, 'POST', '/v1/departments', { token: b.token, body: parentId === undefined ? { name } : { name, parentId } });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      return res.json['id'] as string;
    };
    const member = async (accountName: string, departmentIds: string[]) => {
      const res = await call(host.url, 'POST', '/v1/members', { token: b.token, body: { accountName, password: 'correct horse battery', departmentIds } });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      return res.json['id'] as string;
    };
    const root = await department('Globex');
    const secret = await department('Secret', root);
    const inner = await department('Inner', secret);
    const open = await department('Open', root);
    const vera = await member('vera', [open]);
    const sam = await member('sam', [secret]);
    const ian = await member('ian', [inner]);
    const mia = await member('mia', [secret, open]);
    const nina = await member('nina', []);
    const hide = await call(host.url, 'PUT', `/v1/departments/${secret}/visibility`, { token: b.token, body: { hidden: true } });
    assert.equal(hide.status, 204, JSON.stringify(hide.json));
    const mint = (memberId: string) => keys.sign({ sub: memberId, tid: b.enterpriseId, adm: false, perms: ['org:read'] }, 900);
    const veraToken = await mint(vera);
    const samToken = await mint(sam);
    const members = (token: string, query = '') => call(host.url, 'GET', `/v1/members${query}`, { token });
    const idsOf = (res: Response) => (res.json['items'] as Json[]).map((m) => m['id'] as string).sort();

    const adminView = await eventually(() => members(b.token), (r) => r.json['total'] === 6);
    assert.equal(adminView.json['total'], 6, 'the admin sees everyone');
    const veraView = await eventually(() => members(veraToken), (r) => r.status === 200 && r.json['total'] === 4);
    assert.equal(veraView.status, 200, JSON.stringify(veraView.json));
    const visible = idsOf(adminView).filter((id) => id !== sam && id !== ian);
    assert.deepEqual(idsOf(veraView), visible, 'sam (Secret) and ian (Inner, under Secret) are left out; mia (also in Open) and nina (no department) stay');
    assert.ok(visible.includes(mia) && visible.includes(nina));
    assertProblem(await call(host.url, 'GET', `/v1/members/${sam}`, { token: veraToken }), 404);
    assertProblem(await call(host.url, 'GET', `/v1/members/${ian}`, { token: veraToken }), 404);
    assert.equal((await call(host.url, 'GET', `/v1/members/${mia}`, { token: veraToken })).status, 200);
    assert.equal((await call(host.url, 'GET', `/v1/members/${sam}`, { token: b.token })).status, 200);

    // paging counts and pages only what the viewer may see
    const page1 = await members(veraToken, '?limit=3');
    assert.equal(page1.json['total'], 4);
    const page2 = await members(veraToken, `?limit=3&cursor=${page1.json['nextCursor']}`);
    assert.equal(page2.json['nextCursor'], null);
    assert.deepEqual([...page1.json['items'], ...page2.json['items']].map((m: Json) => m['id']).sort(), visible);

    // a viewer always sees itself
    const samView = await members(samToken);
    assert.ok(idsOf(samView).includes(sam) && !idsOf(samView).includes(ian), JSON.stringify(samView.json));
    assert.equal((await call(host.url, 'GET', `/v1/members/${sam}`, { token: samToken })).status, 200);
  });
});
