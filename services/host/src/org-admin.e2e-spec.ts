import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostProcess, type HostProcess } from './testing/host-process';

interface Json {
  [key: string]: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
}

interface Reply {
  status: number;
  headers: Headers;
  json: Json;
  text: string;
}

const PASSWORD = 'correct horse battery';

async function call(url: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${url}${path}`, { method, headers, body });
  const text = await res.text();
  let json: Json = {};
  try {
    json = text ? (JSON.parse(text) as Json) : {};
  } catch {
    json = { text };
  }
  return { status: res.status, headers: res.headers, json, text };
}

async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() - start > timeoutMs) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function assertProblem(res: Reply, status: number, code?: string) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal(res.json['status'], status);
  if (code !== undefined) assert.equal(res.json['code'], code, res.text);
}

function claimsOf(token: string): Json {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Json;
}

describe('organisation administration end to end (ORG-2, ORG-5 departments, ORG-9 role templates)', () => {
  let dataDir: string;
  let host: HostProcess;
  const a = { enterpriseId: '', adminId: '', token: '' };
  const b = { enterpriseId: '', adminId: '', token: '' };

  const login = (enterpriseId: string, accountName: string, password = PASSWORD) =>
    call(host.url, 'POST', '/v1/auth/login', { body: { enterpriseId, accountName, password } });
  const tokenOf = async (enterpriseId: string, accountName: string, password = PASSWORD) => {
    const res = await login(enterpriseId, accountName, password);
    assert.equal(res.status, 200, res.text);
    return res.json['accessToken'] as string;
  };
  const createMember = async (token: string, accountName: string) => {
    const res = await call(host.url, 'POST', '/v1/members', { token, body: { accountName, password: PASSWORD } });
    assert.equal(res.status, 201, res.text);
    return res.json['id'] as string;
  };
  const changeAdmin = (token: string | undefined, currentPassword: string, accountName: string, password: string) =>
    call(host.url, 'POST', '/v1/enterprises/current/admin', { token, body: { currentPassword, newAdmin: { accountName, password } } });

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-org-admin-e2e-'));
    host = await startHostProcess({ DATA_DIR: dataDir });
    for (const [tenant, name] of [
      [a, 'Acme'],
      [b, 'Globex'],
    ] as const) {
      const created = await call(host.url, 'POST', '/v1/enterprises', { body: { name, seatQuota: 10, admin: { accountName: 'admin', password: PASSWORD } } });
      assert.equal(created.status, 201, created.text);
      tenant.enterpriseId = created.json['enterpriseId'];
      tenant.adminId = created.json['adminMemberId'];
      tenant.token = await tokenOf(tenant.enterpriseId, 'admin');
    }
  });

  after(async () => {
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('changes the administrator with both proofs; wrong proofs never say which part was wrong', async () => {
    const aliceId = await createMember(a.token, 'alice');
    const disabledId = await createMember(a.token, 'dora');
    await createMember(b.token, 'bob');
    assert.equal((await call(host.url, 'POST', `/v1/members/${disabledId}/disable`, { token: a.token })).status, 204);

    // no token, bad input, not the administrator
    assertProblem(await changeAdmin(undefined, PASSWORD, 'alice', PASSWORD), 401);
    assertProblem(await call(host.url, 'POST', '/v1/enterprises/current/admin', { token: a.token, body: { currentPassword: PASSWORD } }), 400);
    const aliceToken = await tokenOf(a.enterpriseId, 'alice');
    assertProblem(await changeAdmin(aliceToken, PASSWORD, 'alice', PASSWORD), 403);

    // wrong proofs: one answer, whichever part was wrong
    const wrong = [
      await changeAdmin(a.token, 'not the password', 'alice', PASSWORD),
      await changeAdmin(a.token, PASSWORD, 'alice', 'not the password'),
      await changeAdmin(a.token, PASSWORD, 'nobody', PASSWORD),
      await changeAdmin(a.token, PASSWORD, 'bob', PASSWORD), // another enterprise's member
    ];
    for (const res of wrong) {
      assertProblem(res, 401, 'identity.invalid-credentials');
      assert.equal(res.json['detail'], wrong[0]!.json['detail']);
    }
    // right proofs, but the member is disabled or is the administrator itself: the reason is given
    assertProblem(await changeAdmin(a.token, PASSWORD, 'dora', PASSWORD), 422, 'identity.new-admin-disabled');
    assertProblem(await changeAdmin(a.token, PASSWORD, 'admin', PASSWORD), 422, 'identity.already-admin');

    const changed = await changeAdmin(a.token, PASSWORD, 'ALICE', PASSWORD);
    assert.equal(changed.status, 200, changed.text);
    assert.deepEqual(changed.json, { enterpriseId: a.enterpriseId, previousAdminMemberId: a.adminId, adminMemberId: aliceId });

    // the old administrator's token is refused by identity at once, and it cannot hand over again
    assertProblem(await call(host.url, 'GET', '/v1/members', { token: a.token }), 401, 'identity.admin-changed');
    assertProblem(await changeAdmin(a.token, PASSWORD, 'alice', PASSWORD), 401, 'identity.admin-changed');

    // the old administrator signs in as a plain member; the new one as administrator
    const oldToken = await tokenOf(a.enterpriseId, 'admin');
    assert.equal(claimsOf(oldToken)['adm'], false);
    assert.notDeepEqual(claimsOf(oldToken)['perms'], ['*']);
    const newToken = await tokenOf(a.enterpriseId, 'alice');
    assert.equal(claimsOf(newToken)['adm'], true);
    assert.deepEqual(claimsOf(newToken)['perms'], ['*']);
    assertProblem(await changeAdmin(oldToken, PASSWORD, 'alice', PASSWORD), 403);
    assertProblem(await call(host.url, 'POST', `/v1/members/${aliceId}/disable`, { token: oldToken }), 403);

    // only the new one is administrator, in the members list too
    const list = await eventually(
      () => call(host.url, 'GET', '/v1/members', { token: newToken }),
      (r) => r.status === 200 && (r.json['items'] as Json[]).some((m) => m['id'] === aliceId && m['isAdmin'] === true),
    );
    assert.equal(list.status, 200, list.text);
    const admins = (list.json['items'] as Json[]).filter((m) => m['isAdmin'] === true).map((m) => m['id']);
    assert.deepEqual(admins, [aliceId]);

    // the former administrator is a plain member: the new one may disable it
    assert.equal((await call(host.url, 'POST', `/v1/members/${a.adminId}/disable`, { token: newToken })).status, 204);
    assertProblem(await login(a.enterpriseId, 'admin'), 403, 'identity.member-disabled');
    // the new administrator hands back (it can do everything the old one could)
    assert.equal((await call(host.url, 'POST', `/v1/members/${a.adminId}/enable`, { token: newToken })).status, 204);
    const back = await changeAdmin(newToken, PASSWORD, 'admin', PASSWORD);
    assert.equal(back.status, 200, back.text);
    assert.equal(claimsOf(await tokenOf(a.enterpriseId, 'admin'))['adm'], true);
  });

  it('lets exactly one of two concurrent hand-overs win', async () => {
    await createMember(b.token, 'carol');
    await createMember(b.token, 'dave');
    const [x, y] = await Promise.all([changeAdmin(b.token, PASSWORD, 'carol', PASSWORD), changeAdmin(b.token, PASSWORD, 'dave', PASSWORD)]);
    const statuses = [x.status, y.status].sort();
    assert.equal(statuses.filter((s) => s === 200).length, 1, `${x.text} ${y.text}`);
    const winner = x.status === 200 ? 'carol' : 'dave';
    const loser = winner === 'carol' ? 'dave' : 'carol';
    assert.equal(claimsOf(await tokenOf(b.enterpriseId, winner))['adm'], true);
    assert.equal(claimsOf(await tokenOf(b.enterpriseId, loser))['adm'], false);
    assert.equal(claimsOf(await tokenOf(b.enterpriseId, 'admin'))['adm'], false);
  });

  it('puts members in departments on create, moves them single and batch, lists by department, refuses unknown ones', async () => {
    const c = { enterpriseId: '', token: '' };
    const created = await call(host.url, 'POST', '/v1/enterprises', { body: { name: 'Initech', seatQuota: 20, admin: { accountName: 'admin', password: PASSWORD } } });
    assert.equal(created.status, 201, created.text);
    c.enterpriseId = created.json['enterpriseId'];
    c.token = await tokenOf(c.enterpriseId, 'admin');
    const department = async (name: string, parentId?: string) => {
      const res = await call(host.url, 'POST', '/v1/departments', { token: c.token, body: parentId === undefined ? { name } : { name, parentId } });
      assert.equal(res.status, 201, res.text);
      return res.json['id'] as string;
    };
    const root = await department('Initech');
    const sales = await department('Sales', root);
    const east = await department('East', sales);
    const hr = await department('HR', root);
    const unknown = '00000000-0000-4000-8000-000000000000';

    // on create: known departments are taken, an unknown one is refused naming departmentIds
    const refused = await call(host.url, 'POST', '/v1/members', { token: c.token, body: { accountName: 'ghost', password: PASSWORD, departmentIds: [unknown] } });
    assertProblem(refused, 422, 'identity.unknown-department');
    assert.match(refused.text, /departmentIds/);
    const made = await call(host.url, 'POST', '/v1/members', { token: c.token, body: { accountName: 'peter', password: PASSWORD, departmentIds: [east] } });
    assert.equal(made.status, 201, made.text);
    const peter = made.json['id'] as string;
    const others = [await createMember(c.token, 'milton'), await createMember(c.token, 'samir'), await createMember(c.token, 'michael')];

    // single move: unknown → 422 naming departmentIds; known → 204
    const bad = await call(host.url, 'POST', `/v1/members/${others[0]}/move`, { token: c.token, body: { departmentIds: [sales, unknown] } });
    assertProblem(bad, 422, 'identity.unknown-department');
    assert.match(bad.text, /departmentIds/);
    assert.equal((await call(host.url, 'POST', `/v1/members/${others[0]}/move`, { token: c.token, body: { departmentIds: [sales, hr] } })).status, 204);
    assertProblem(await call(host.url, 'POST', `/v1/members/${others[0]}/move`, { token: c.token, body: {} }), 400);

    // batch move: one result per member (a member of another enterprise is not found)
    const batch = await call(host.url, 'POST', '/v1/members/batch/move', { token: c.token, body: { ids: [others[1], others[2], a.adminId], departmentIds: [east] } });
    assert.equal(batch.status, 200, batch.text);
    assert.equal(batch.json['succeeded'], 2);
    assert.equal(batch.json['failed'], 1);
    assert.equal(batch.json['results'][2]['error']['status'], 404);
    assertProblem(await call(host.url, 'POST', '/v1/members/batch/move', { token: c.token, body: { ids: [others[1]] } }), 400);

    const inDepartment = (departmentId: string) => call(host.url, 'GET', `/v1/members?departmentId=${departmentId}`, { token: c.token });
    const ids = (r: Reply) => (r.json['items'] as Json[]).map((m) => m['id'] as string).sort();
    const eastList = await eventually(() => inDepartment(east), (r) => r.status === 200 && r.json['total'] === 3);
    assert.deepEqual(ids(eastList), [peter, others[1]!, others[2]!].sort());
    const one = await eventually(
      () => call(host.url, 'GET', `/v1/members/${others[0]}`, { token: c.token }),
      (r) => r.status === 200 && (r.json['departmentIds'] as string[]).length === 2,
    );
    assert.deepEqual([...(one.json['departmentIds'] as string[])].sort(), [sales, hr].sort());

    // ORG-4: deleting a department moves its members to its parent
    assert.equal((await call(host.url, 'DELETE', `/v1/departments/${east}`, { token: c.token })).status, 204);
    const salesList = await eventually(() => inDepartment(sales), (r) => r.status === 200 && r.json['total'] === 4);
    assert.deepEqual(ids(salesList), [peter, ...others].sort());
    assert.equal((await inDepartment(east)).json['total'], 0);
    const stillTwo = await call(host.url, 'GET', `/v1/members/${others[0]}`, { token: c.token });
    assert.deepEqual([...(stillTwo.json['departmentIds'] as string[])].sort(), [sales, hr].sort(), 'a member already in the parent is not doubled');
    // the deleted department can no longer be chosen
    assertProblem(await call(host.url, 'POST', `/v1/members/${peter}/move`, { token: c.token, body: { departmentIds: [east] } }), 422, 'identity.unknown-department');
  });

  it('ORG-9: a department role template grants its roles to the department members; leaving the department removes them', async () => {
    const d = { enterpriseId: '', token: '' };
    const created = await call(host.url, 'POST', '/v1/enterprises', { body: { name: 'Hooli', seatQuota: 20, admin: { accountName: 'admin', password: PASSWORD } } });
    assert.equal(created.status, 201, created.text);
    d.enterpriseId = created.json['enterpriseId'];
    d.token = await tokenOf(d.enterpriseId, 'admin');
    const department = async (name: string, parentId?: string) => {
      const res = await call(host.url, 'POST', '/v1/departments', { token: d.token, body: parentId === undefined ? { name } : { name, parentId } });
      assert.equal(res.status, 201, res.text);
      return res.json['id'] as string;
    };
    const role = async (name: string, packages: string[]) => {
      const res = await call(host.url, 'POST', '/v1/roles', { token: d.token, body: { name, packages } });
      assert.equal(res.status, 201, res.text);
      return res.json['id'] as string;
    };
    const root = await department('Hooli');
    const sales = await department('Sales', root);
    const east = await department('East', sales);
    const readLeads = await role('Lead readers', ['leads:read']);
    const scoring = await role('Scorers', ['scoring:read']);
    const gavin = await createMember(d.token, 'gavin');
    const perms = async () => claimsOf(await tokenOf(d.enterpriseId, 'gavin'))['perms'] as string[];
    const template = (id: string, roleIds: string[]) => call(host.url, 'PUT', `/v1/departments/${id}/role-template`, { token: d.token, body: { roleIds } });

    // templates are validated: unknown department 404, unknown role 422 naming roleIds, another enterprise 404
    assertProblem(await template('00000000-0000-4000-8000-000000000000', [readLeads]), 404);
    const badRole = await template(east, ['00000000-0000-4000-8000-000000000000']);
    assertProblem(badRole, 422, 'identity.unknown-role');
    assert.match(badRole.text, /roleIds/);
    assertProblem(await call(host.url, 'PUT', `/v1/departments/${east}/role-template`, { token: a.token, body: { roleIds: [] } }), 404);
    assert.equal((await template(east, [readLeads])).status, 204);
    assert.equal((await template(sales, [scoring])).status, 204);
    const shown = await call(host.url, 'GET', `/v1/departments/${east}/role-template`, { token: d.token });
    assert.deepEqual(shown.json, { departmentId: east, roleIds: [readLeads] });

    assert.ok(!(await perms()).includes('leads:read'), 'no department, no template roles');
    // joining East grants East's template (not its parent's)
    assert.equal((await call(host.url, 'POST', `/v1/members/${gavin}/move`, { token: d.token, body: { departmentIds: [east] } })).status, 204);
    assert.ok((await perms()).includes('leads:read'));
    assert.ok(!(await perms()).includes('scoring:read'));
    // deleting East moves gavin to Sales: Sales' template applies instead
    assert.equal((await call(host.url, 'DELETE', `/v1/departments/${east}`, { token: d.token })).status, 204);
    const afterDelete = await perms();
    assert.ok(afterDelete.includes('scoring:read') && !afterDelete.includes('leads:read'), afterDelete.join(','));
    // an explicitly assigned role stays when the member leaves the department; the template's goes
    assert.equal((await call(host.url, 'POST', `/v1/roles/${readLeads}/members`, { token: d.token, body: { memberIds: [gavin] } })).status, 200);
    assert.equal((await call(host.url, 'POST', `/v1/members/${gavin}/move`, { token: d.token, body: { departmentIds: [] } })).status, 204);
    const afterLeaving = await perms();
    assert.ok(afterLeaving.includes('leads:read') && !afterLeaving.includes('scoring:read'), afterLeaving.join(','));
  });
});
