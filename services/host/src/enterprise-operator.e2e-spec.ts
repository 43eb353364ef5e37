// ORG-3 "enterprise not enabled (in beta)": the operator routes POST /v1/enterprises/{id}/disable and
// /enable, guarded by X-Operator-Secret (and refused outright when no operator secret is configured),
// and what a disabled enterprise means for sign-in and refresh.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { call, type Reply } from './testing/http-client';

const PASSWORD = 'correct horse battery';
const SECRET = 'operator-secret-for-e2e-0123456789';

function assertProblem(res: Reply, status: number, code?: string) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal(res.json['status'], status);
  if (code !== undefined) assert.equal(res.json['code'], code, res.text);
}

describe('enterprise disable/enable by the operator (ORG-3, in beta)', () => {
  const dataDirs: string[] = [];
  let host: HostProcess;
  let open: HostProcess;
  const t = { enterpriseId: '', adminNumber: '' };

  const operator = (h: HostProcess, action: 'disable' | 'enable', id: string, secret?: string) =>
    call(h.url, 'POST', `/v1/enterprises/${id}/${action}`, secret === undefined ? {} : { headers: { 'x-operator-secret': secret } });
  const login = (password = PASSWORD) => call(host.url, 'POST', '/v1/auth/login', { body: { accountNumber: t.adminNumber, password } });

  before(async () => {
    dataDirs.push(await mkdtemp(join(tmpdir(), 'leadstream-operator-e2e-')), await mkdtemp(join(tmpdir(), 'leadstream-operator-open-e2e-')));
    [host, open] = await Promise.all([
      startHostProcess({ DATA_DIR: dataDirs[0]!, OPERATOR_SECRET: SECRET }),
      startHostProcess({ DATA_DIR: dataDirs[1]! }),
    ]);
    const created = await call(host.url, 'POST', '/v1/enterprises', {
      headers: { 'x-operator-secret': SECRET },
      body: { name: 'Beta Corp', admin: { accountName: 'admin', password: PASSWORD } },
    });
    assert.equal(created.status, 201, created.text);
    t.enterpriseId = created.json['enterpriseId'];
    t.adminNumber = created.json['adminAccountNumber'];
  });

  after(async () => {
    await Promise.all([host?.stop(), open?.stop()]);
    for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
  });

  it('answers 401 without the operator secret or with a wrong one, and 404 for an unknown enterprise', async () => {
    for (const action of ['disable', 'enable'] as const) {
      assertProblem(await operator(host, action, t.enterpriseId), 401);
      assertProblem(await operator(host, action, t.enterpriseId, 'not-the-operator-secret!!'), 401);
      assertProblem(await operator(host, action, randomUUID(), SECRET), 404, 'identity.enterprise-not-found');
    }
    assert.equal((await login()).status, 200, 'nothing was disabled');
  });

  it('refuses the routes (403) when no operator secret is configured, even though creation is open there', async () => {
    const created = await call(open.url, 'POST', '/v1/enterprises', { body: { name: 'Open Corp', admin: { accountName: 'admin', password: PASSWORD } } });
    assert.equal(created.status, 201, created.text);
    for (const action of ['disable', 'enable'] as const) {
      assertProblem(await operator(open, action, created.json['enterpriseId']), 403, 'identity.operator-secret-required');
      assertProblem(await operator(open, action, created.json['enterpriseId'], SECRET), 403, 'identity.operator-secret-required');
    }
    const signIn = await call(open.url, 'POST', '/v1/auth/login', { body: { accountNumber: created.json['adminAccountNumber'], password: PASSWORD } });
    assert.equal(signIn.status, 200, signIn.text);
  });

  it('disabled: sign-in answers 403 with the reason only after correct credentials, refresh is refused; enabled again: both work', async () => {
    const before = await login();
    assert.equal(before.status, 200, before.text);
    const refreshToken = before.json['refreshToken'] as string;

    const disabled = await operator(host, 'disable', t.enterpriseId, SECRET);
    assert.equal(disabled.status, 200, disabled.text);
    assert.deepEqual(disabled.json, { enterpriseId: t.enterpriseId, enabled: false });
    const again = await operator(host, 'disable', t.enterpriseId, SECRET);
    assert.equal(again.status, 200, `idempotent: ${again.text}`);
    assert.equal(again.json['enabled'], false);

    const refused = await login();
    assertProblem(refused, 403, 'identity.enterprise-not-enabled');
    assert.match(refused.text, /not enabled/);
    assertProblem(await login('wrong password!'), 401, 'identity.invalid-credentials');
    assertProblem(await call(host.url, 'POST', '/v1/auth/refresh', { body: { refreshToken } }), 403, 'identity.enterprise-not-enabled');

    const enabled = await operator(host, 'enable', t.enterpriseId, SECRET);
    assert.equal(enabled.status, 200, enabled.text);
    assert.deepEqual(enabled.json, { enterpriseId: t.enterpriseId, enabled: true });
    assert.equal((await operator(host, 'enable', t.enterpriseId, SECRET)).status, 200, 'idempotent');
    const after = await login();
    assert.equal(after.status, 200, after.text);
    const refreshed = await call(host.url, 'POST', '/v1/auth/refresh', { body: { refreshToken } });
    assert.equal(refreshed.status, 200, `the session survived the disabled period: ${refreshed.text}`);
  });

  it('creates an enterprise "in beta" (enabled: false): its administrator is refused until an operator enables it', async () => {
    const created = await call(host.url, 'POST', '/v1/enterprises', {
      headers: { 'x-operator-secret': SECRET },
      body: { name: 'Beta Two', enabled: false, admin: { accountName: 'admin', password: PASSWORD } },
    });
    assert.equal(created.status, 201, created.text);
    const signIn = () => call(host.url, 'POST', '/v1/auth/login', { body: { accountNumber: created.json['adminAccountNumber'], password: PASSWORD } });
    assertProblem(await signIn(), 403, 'identity.enterprise-not-enabled');
    assert.equal((await operator(host, 'enable', created.json['enterpriseId'], SECRET)).status, 200);
    const enabled = await signIn();
    assert.equal(enabled.status, 200, enabled.text);
  });
});
