import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { call, type Json, type Reply } from './testing/http-client';

const PASSWORD = 'correct horse battery';

function assertProblem(res: Reply, status: number, field?: string) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal(res.json['status'], status);
  if (field !== undefined) {
    const fields = ((res.json['errors'] ?? []) as { field: string }[]).map((e) => e.field);
    assert.ok(fields.includes(field), `${field} is named: ${res.text}`);
  }
}

const names = (res: Reply) => (res.json['items'] as Json[]).map((s) => s['name'] as string);

describe('lead statuses (LEAD-5) against the real host', () => {
  let dataDir: string;
  let host: HostProcess;
  const a = { enterpriseId: '', token: '' };
  const b = { enterpriseId: '', token: '' };
  let plainToken = '';

  const login = async (enterpriseId: string, accountName: string) => {
    const res = await call(host.url, 'POST', '/v1/auth/login', { body: { enterpriseId, accountName, password: PASSWORD } });
    assert.equal(res.status, 200, res.text);
    return res.json['accessToken'] as string;
  };
  const list = (token: string) => call(host.url, 'GET', '/v1/lead-statuses', { token });

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-statuses-e2e-'));
    host = await startHostProcess({ DATA_DIR: dataDir });
    for (const [tenant, name] of [
      [a, 'Acme Statuses'],
      [b, 'Globex Statuses'],
    ] as const) {
      const created = await call(host.url, 'POST', '/v1/enterprises', {
        body: { name, timeZone: 'Asia/Shanghai', seatQuota: 10, admin: { accountName: 'admin', password: PASSWORD, realName: 'Ada' } },
      });
      assert.equal(created.status, 201, created.text);
      tenant.enterpriseId = created.json['enterpriseId'];
      tenant.token = await login(tenant.enterpriseId, 'admin');
    }
    const member = await call(host.url, 'POST', '/v1/members', { token: a.token, body: { accountName: 'plain', password: PASSWORD } });
    assert.equal(member.status, 201, member.text);
    plainToken = await login(a.enterpriseId, 'plain');
  });

  after(async () => {
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows the default set to a new enterprise', async () => {
    const res = await list(a.token);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(names(res), ['New', 'Contacted', 'Qualified', 'Converted', 'Invalid']);
    (res.json['items'] as Json[]).forEach((s, i) => {
      assert.match(s['id'], /^[0-9a-f-]{36}$/);
      assert.equal(s['order'], i);
      assert.equal(s['retired'], false);
    });
  });

  it('creates, renames, reorders and retires; B is untouched', async () => {
    const created = await call(host.url, 'POST', '/v1/lead-statuses', { token: a.token, body: { name: ' Follow-up ' } });
    assert.equal(created.status, 201, created.text);
    const id = created.json['id'] as string;
    assert.deepEqual(names(await list(a.token)), ['New', 'Contacted', 'Qualified', 'Converted', 'Invalid', 'Follow-up']);

    const renamed = await call(host.url, 'PATCH', `/v1/lead-statuses/${id}`, { token: a.token, body: { name: 'Call back' } });
    assert.equal(renamed.status, 204, renamed.text);

    const ids = ((await list(a.token)).json['items'] as Json[]).map((s) => s['id'] as string);
    const reordered = [ids[5]!, ...ids.slice(0, 5)];
    const reorder = await call(host.url, 'POST', '/v1/lead-statuses/reorder', { token: a.token, body: { statusIds: reordered } });
    assert.equal(reorder.status, 204, reorder.text);

    const retire = await call(host.url, 'POST', `/v1/lead-statuses/${ids[4]}/retire`, { token: a.token });
    assert.equal(retire.status, 204, retire.text);

    const after = await list(a.token);
    assert.deepEqual(
      (after.json['items'] as Json[]).map((s) => [s['id'], s['name'], s['order'], s['retired']]),
      reordered.map((sid, i) => [sid, ['Call back', 'New', 'Contacted', 'Qualified', 'Converted', 'Invalid'][i], i, sid === ids[4]]),
    );
    // a retired status's name is free again
    assert.equal((await call(host.url, 'POST', '/v1/lead-statuses', { token: a.token, body: { name: 'invalid' } })).status, 201);

    // B still has the defaults, and A's status ids are unknown to B
    assert.deepEqual(names(await list(b.token)), ['New', 'Contacted', 'Qualified', 'Converted', 'Invalid']);
    assertProblem(await call(host.url, 'PATCH', `/v1/lead-statuses/${id}`, { token: b.token, body: { name: 'Taken over' } }), 404);
    assertProblem(await call(host.url, 'POST', `/v1/lead-statuses/${id}/retire`, { token: b.token }), 404);
  });

  it('refuses bad input: duplicate names 409, unknown ids 404, invalid fields 400', async () => {
    assertProblem(await call(host.url, 'POST', '/v1/lead-statuses', { token: a.token, body: { name: 'QUALIFIED' } }), 409, 'name');
    assertProblem(await call(host.url, 'POST', '/v1/lead-statuses', { token: a.token, body: { name: '' } }), 400, 'name');
    assertProblem(await call(host.url, 'POST', '/v1/lead-statuses', { token: a.token, body: { name: 'x'.repeat(33) } }), 400, 'name');
    assertProblem(await call(host.url, 'POST', '/v1/lead-statuses', { token: a.token, body: {} }), 400, 'name');
    assertProblem(await call(host.url, 'PATCH', `/v1/lead-statuses/${randomUUID()}`, { token: a.token, body: { name: 'Ghost' } }), 404);
    assertProblem(await call(host.url, 'POST', `/v1/lead-statuses/${randomUUID()}/retire`, { token: a.token }), 404);
    assertProblem(await call(host.url, 'PATCH', '/v1/lead-statuses/not-a-uuid', { token: a.token, body: { name: 'Ghost' } }), 400);
    assertProblem(await call(host.url, 'POST', '/v1/lead-statuses/reorder', { token: a.token, body: { statusIds: [randomUUID()] } }), 400, 'statusIds');
  });

  it('needs a token (401) and a leads permission (403)', async () => {
    assertProblem(await call(host.url, 'GET', '/v1/lead-statuses'), 401);
    assertProblem(await call(host.url, 'POST', '/v1/lead-statuses', { body: { name: 'Anon' } }), 401);
    assertProblem(await list(plainToken), 403);
    assertProblem(await call(host.url, 'POST', '/v1/lead-statuses', { token: plainToken, body: { name: 'Sneaky' } }), 403);
    assertProblem(await call(host.url, 'POST', '/v1/lead-statuses/reorder', { token: plainToken, body: { statusIds: [] } }), 403);
  });
});
