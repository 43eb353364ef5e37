import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { call, eventually, type Reply } from './testing/http-client';



const PASSWORD = 'correct horse battery';



function assertProblem(res: Reply, status: number, code?: string) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  if (code !== undefined) assert.equal(res.json['code'], code, res.text);
}

/** The permissions a token carries (its payload is not verified here: the services do that). */
function permsOf(token: string): string[] {
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { perms: string[] };
  return payload.perms;
}

describe('roles end to end (ORG-8)', () => {
  let dataDir: string;
  let host: HostProcess;
  const a = { enterpriseId: '', adminId: '', token: '' };
  const b = { enterpriseId: '', adminId: '', token: '' };

  const tokenOf = async (enterpriseId: string, accountName: string) => {
    const res = await call(host.url, 'POST', '/v1/auth/login', { body: { enterpriseId, accountName, password: PASSWORD } });
    assert.equal(res.status, 200, res.text);
    return res.json['accessToken'] as string;
  };
  const createMember = async (token: string, accountName: string, extra: Record<string, unknown> = {}) => {
    const res = await call(host.url, 'POST', '/v1/members', { token, body: { accountName, password: PASSWORD, ...extra } });
    assert.equal(res.status, 201, res.text);
    return res.json['id'] as string;
  };
  const createRole = (token: string, body: Record<string, unknown>) => call(host.url, 'POST', '/v1/roles', { token, body });
  const getRole = (token: string, id: string) => call(host.url, 'GET', `/v1/roles/${id}`, { token });

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-roles-e2e-'));
    host = await startHostProcess({ DATA_DIR: dataDir });
    for (const [tenant, name] of [
      [a, 'Acme'],
      [b, 'Globex'],
    ] as const) {
      const created = await call(host.url, 'POST', '/v1/enterprises', { body: { name, seatQuota: 50, admin: { accountName: 'admin', password: PASSWORD } } });
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

  it('lists the permission catalogue covering every service (org:read)', async () => {
    assertProblem(await call(host.url, 'GET', '/v1/permission-packages'), 401);
    const res = await call(host.url, 'GET', '/v1/permission-packages', { token: a.token });
    assert.equal(res.status, 200, res.text);
    const services = res.json['services'] as { service: string; packages: { id: string }[] }[];
    assert.deepEqual(
      services.map((s) => s.service),
      ['org', 'leads', 'scoring', 'campaigns', 'webhooks'],
    );
    const ids = services.flatMap((s) => s.packages.map((p) => p.id));
    for (const id of ['org:read', 'org:manage', 'leads:read', 'leads:write', 'leads:export', 'leads:import', 'leads:assign', 'scoring:manage', 'campaigns:review', 'webhooks:manage']) {
      assert.ok(ids.includes(id), id);
    }
    // a member without org:read may not read it
    await createMember(a.token, 'nobody');
    assertProblem(await call(host.url, 'GET', '/v1/permission-packages', { token: await tokenOf(a.enterpriseId, 'nobody') }), 403);
  });

  it('assigning a role reaches a new token: GET /v1/leads turns from 403 into 200', async () => {
    const seller = await createMember(a.token, 'seller');
    const before = await tokenOf(a.enterpriseId, 'seller');
    assert.deepEqual(permsOf(before), []);
    assertProblem(await call(host.url, 'GET', '/v1/leads', { token: before }), 403);

    const role = await createRole(a.token, { name: 'Sales', packages: ['leads:read', 'leads:export'] });
    assert.equal(role.status, 201, role.text);
    const roleId = role.json['id'] as string;
    const assigned = await call(host.url, 'POST', `/v1/roles/${roleId}/members`, { token: a.token, body: { memberIds: [seller] } });
    assert.equal(assigned.status, 200, assigned.text);
    assert.deepEqual(assigned.json['results'], [{ id: seller, ok: true, changed: true }]);

    // the old token still carries the old permissions (until it expires: ACCESS_TOKEN_TTL_SECONDS)
    assertProblem(await call(host.url, 'GET', '/v1/leads', { token: before }), 403);
    // sign-in reads the event store: the very next token carries the role's permissions
    const after = await tokenOf(a.enterpriseId, 'seller');
    assert.deepEqual(permsOf(after), ['leads:export', 'leads:read']);
    const leads = await call(host.url, 'GET', '/v1/leads', { token: after });
    assert.equal(leads.status, 200, leads.text);

    // unassigning takes it away again at the next sign-in
    const unassigned = await call(host.url, 'POST', `/v1/roles/${roleId}/members/unassign`, { token: a.token, body: { memberIds: [seller] } });
    assert.equal(unassigned.status, 200, unassigned.text);
    assert.equal(unassigned.json['succeeded'], 1);
    assertProblem(await call(host.url, 'GET', '/v1/leads', { token: await tokenOf(a.enterpriseId, 'seller') }), 403);
  });

  it('creates a role with packages and members in one step ("reverse selection"), with a result per member', async () => {
    const m1 = await createMember(a.token, 'rs1');
    const m2 = await createMember(a.token, 'rs2');
    const foreign = await createMember(b.token, 'outsider');
    const res = await createRole(a.token, { name: 'Campaigners', packages: ['campaigns:write', 'campaigns:review'], memberIds: [m1, m2, foreign] });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json['succeeded'], 2);
    assert.equal(res.json['failed'], 1);
    const failed = (res.json['results'] as { id: string; ok: boolean; error?: { status: number; code: string } }[]).find((r) => !r.ok)!;
    assert.equal(failed.id, foreign);
    assert.equal(failed.error?.status, 404);
    const roleId = res.json['id'] as string;
    const read = await eventually(
      () => getRole(a.token, roleId),
      (r) => r.status === 200 && r.json['memberCount'] === 2,
    );
    assert.equal(read.status, 200, read.text);
    assert.deepEqual([...(read.json['memberIds'] as string[])].sort(), [m1, m2].sort());
    assert.deepEqual(read.json['packages'], ['campaigns:review', 'campaigns:write']);
    assert.deepEqual(read.json['permissions'], ['campaigns:read', 'campaigns:review', 'campaigns:write']);
    assert.deepEqual(permsOf(await tokenOf(a.enterpriseId, 'rs1')), ['campaigns:read', 'campaigns:review', 'campaigns:write']);
    // another tenant's role is a 404, for reading and for managing
    assertProblem(await getRole(b.token, roleId), 404);
    assertProblem(await call(host.url, 'POST', `/v1/roles/${roleId}/members`, { token: b.token, body: { memberIds: [foreign] } }), 404, 'identity.role-not-found');
    assertProblem(await call(host.url, 'DELETE', `/v1/roles/${roleId}`, { token: b.token }), 404);
  });

  it('keeps role names unique per enterprise, also under concurrency', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_v, i) => createRole(a.token, { name: i % 2 === 0 ? 'Twins' : 'TWINS', packages: ['leads:read'] })));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 1, JSON.stringify(statuses));
    for (const r of results.filter((x) => x.status !== 201)) assertProblem(r, 409, 'identity.role-name-taken');
    // another enterprise may use the name
    assert.equal((await createRole(b.token, { name: 'Twins', packages: [] })).status, 201);
  });

  it('edits, copies and deletes roles; a deleted role grants nothing at the next sign-in', async () => {
    const editor = await createMember(a.token, 'editor');
    const created = await createRole(a.token, { name: 'Scorers', packages: ['scoring:read'], memberIds: [editor] });
    assert.equal(created.status, 201, created.text);
    const roleId = created.json['id'] as string;
    assert.equal((await call(host.url, 'PATCH', `/v1/roles/${roleId}`, { token: a.token, body: { name: 'Scoring team', packages: ['scoring:manage', 'webhooks:read'] } })).status, 204);
    assert.deepEqual(permsOf(await tokenOf(a.enterpriseId, 'editor')), ['scoring:manage', 'scoring:read', 'webhooks:read']);
    // the old name is free again, the new one taken
    assert.equal((await createRole(a.token, { name: 'scorers', packages: [] })).status, 201);
    assertProblem(await createRole(a.token, { name: 'scoring TEAM', packages: [] }), 409, 'identity.role-name-taken');
    assertProblem(await createRole(a.token, { name: 'x', packages: ['leads:teleport'] }), 400, 'identity.unknown-permission-package');
    assertProblem(await createRole(a.token, { name: 'y', packages: ['org:manage'] }), 400, 'identity.package-not-grantable-by-role');

    const copy = await call(host.url, 'POST', `/v1/roles/${roleId}/copy`, { token: a.token, body: { name: 'Scoring team 2' } });
    assert.equal(copy.status, 201, copy.text);
    const copied = await eventually(
      () => getRole(a.token, copy.json['id'] as string),
      (r) => r.status === 200,
    );
    assert.deepEqual(copied.json['packages'], ['scoring:manage', 'webhooks:read']);
    assert.equal(copied.json['copiedFrom'], roleId);
    assert.equal(copied.json['memberCount'], 0, 'a copy takes the packages, not the members');

    assert.equal((await call(host.url, 'DELETE', `/v1/roles/${roleId}`, { token: a.token })).status, 204);
    assert.deepEqual(permsOf(await tokenOf(a.enterpriseId, 'editor')), []);
    const gone = await eventually(
      () => getRole(a.token, roleId),
      (r) => r.status === 404,
    );
    assertProblem(gone, 404, 'identity.role-not-found');
    assertProblem(await call(host.url, 'DELETE', `/v1/roles/${roleId}`, { token: a.token }), 404);
  });

  it('lists roles with cursor pagination; reading needs org:read, managing org:manage', async () => {
    const first = await eventually(
      () => call(host.url, 'GET', '/v1/roles?limit=2', { token: a.token }),
      (r) => r.status === 200 && r.json['total'] >= 5,
    );
    assert.equal(first.status, 200, first.text);
    assert.equal(first.json['items'].length, 2);
    const next = await call(host.url, 'GET', `/v1/roles?limit=2&cursor=${encodeURIComponent(first.json['nextCursor'])}`, { token: a.token });
    assert.equal(next.status, 200, next.text);
    const ids = new Set([...first.json['items'], ...next.json['items']].map((r: { id: string }) => r.id));
    assert.equal(ids.size, 4, 'pages do not overlap');
    for (const item of [...first.json['items'], ...next.json['items']]) assert.notEqual(item.id, undefined);

    // a plain member: 403 for both; a manager reads and manages
    const plainToken = await tokenOf(a.enterpriseId, 'nobody');
    assertProblem(await call(host.url, 'GET', '/v1/roles', { token: plainToken }), 403);
    assertProblem(await createRole(plainToken, { name: 'mine', packages: [] }), 403);
    const bossId = await createMember(a.token, 'boss', { manager: true });
    const boss = await tokenOf(a.enterpriseId, 'boss');
    assert.equal((await call(host.url, 'GET', '/v1/roles', { token: boss })).status, 200);
    const bossRole = await createRole(boss, { name: 'Boss made', packages: ['leads:read'] });
    assert.equal(bossRole.status, 201, bossRole.text);
    // a manager assigns roles to plain members, but not to itself, another manager or the administrator
    const plainId = await createMember(a.token, 'plain-for-boss');
    const byBoss = await call(host.url, 'POST', `/v1/roles/${bossRole.json['id']}/members`, { token: boss, body: { memberIds: [plainId, bossId, a.adminId] } });
    assert.equal(byBoss.status, 200, byBoss.text);
    assert.deepEqual(
      (byBoss.json['results'] as { ok: boolean; error?: { status: number; code: string } }[]).map((r) => (r.ok ? 'ok' : `${r.error?.status} ${r.error?.code}`)),
      ['ok', '403 identity.admin-only', '403 identity.admin-only'],
    );
    assertProblem(await call(host.url, 'GET', '/v1/roles'), 401);
  });
});
