import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { call, type Json, type Reply } from './testing/http-client';

const PASSWORD = 'correct horse battery';

function assertProblem(res: Reply, status: number, code?: string) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal(res.json['status'], status);
  if (code !== undefined) assert.equal(res.json['code'], code, res.text);
}

function claimsOf(token: string): Json {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Json;
}

describe('sign-in end to end (ORG-3: account number, lockout, refresh tokens, logout, client audience)', () => {
  let dataDir: string;
  let host: HostProcess;
  const t = { enterpriseId: '', adminNumber: '', token: '' };

  const login = (body: Record<string, unknown>) => call(host.url, 'POST', '/v1/auth/login', { body });
  const loginByName = (accountName: string, password = PASSWORD, extra: Record<string, unknown> = {}) => login({ enterpriseId: t.enterpriseId, accountName, password, ...extra });
  const refresh = (refreshToken: string) => call(host.url, 'POST', '/v1/auth/refresh', { body: { refreshToken } });
  const createMember = async (accountName: string, extra: Record<string, unknown> = {}) => {
    const res = await call(host.url, 'POST', '/v1/members', { token: t.token, body: { accountName, password: PASSWORD, ...extra } });
    assert.equal(res.status, 201, res.text);
    return { id: res.json['id'] as string, accountNumber: res.json['accountNumber'] as string };
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-auth-e2e-'));
    host = await startHostProcess({ DATA_DIR: dataDir });
    const created = await call(host.url, 'POST', '/v1/enterprises', { body: { name: 'Initech', admin: { accountName: 'admin', password: PASSWORD } } });
    assert.equal(created.status, 201, created.text);
    t.enterpriseId = created.json['enterpriseId'];
    t.adminNumber = created.json['adminAccountNumber'];
    const res = await loginByName('admin');
    assert.equal(res.status, 200, res.text);
    t.token = res.json['accessToken'];
  });

  after(async () => {
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('signs in by account number (string or number) as well as by enterprise + account name', async () => {
    const byNumber = await login({ accountNumber: t.adminNumber, password: PASSWORD });
    assert.equal(byNumber.status, 200, byNumber.text);
    assert.equal(byNumber.json['tokenType'], 'Bearer');
    assert.equal(typeof byNumber.json['refreshToken'], 'string');
    const claims = claimsOf(byNumber.json['accessToken']);
    assert.equal(claims['tid'], t.enterpriseId);
    assert.equal(claims['aud'], 'leadstream-api');
    assert.equal((await call(host.url, 'GET', '/v1/members', { token: byNumber.json['accessToken'] })).status, 200);
    assert.equal((await login({ accountNumber: Number(t.adminNumber), password: PASSWORD })).status, 200);
    assert.equal((await loginByName('ADMIN')).status, 200);
  });

  it('answers 400 naming the fields when the account is not identified exactly one way', async () => {
    const none = await login({ password: PASSWORD });
    assertProblem(none, 400, 'validation-failed');
    const fields = new Set((none.json['errors'] as { field: string }[]).map((e) => e.field));
    for (const f of ['enterpriseId', 'accountName', 'accountNumber']) assert.ok(fields.has(f), `${f} named: ${none.text}`);
    const both = await login({ accountNumber: t.adminNumber, enterpriseId: t.enterpriseId, accountName: 'admin', password: PASSWORD });
    assertProblem(both, 400, 'validation-failed');
    assert.match(both.text, /enterpriseId/);
    assertProblem(await login({ accountNumber: '12ab', password: PASSWORD }), 400, 'validation-failed');
  });

  it('gives one and the same 401 for every kind of wrong credentials', async () => {
    const m = await createMember('uniform');
    const replies = [
      await loginByName('uniform', 'wrong password!'),
      await loginByName('nobody-here', PASSWORD),
      await login({ accountNumber: m.accountNumber, password: 'wrong password!' }),
      await login({ accountNumber: '999999999999', password: PASSWORD }),
      await login({ enterpriseId: '00000000-0000-4000-8000-000000000000', accountName: 'uniform', password: PASSWORD }),
    ];
    for (const r of replies) assertProblem(r, 401, 'identity.invalid-credentials');
    for (const r of replies.slice(1)) assert.deepEqual(r.json, replies[0]!.json);
  });

  it('locks an account out after repeated failures (429 + Retry-After, password not checked) and lets it in after the lock', async () => {
    const m = await createMember('locky');
    for (let i = 0; i < 5; i++) assertProblem(await loginByName('locky', `wrong password ${i}`), 401, 'identity.invalid-credentials');
    const locked = await loginByName('locky');
    assertProblem(locked, 429, 'identity.too-many-attempts');
    const retryAfter = Number(locked.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 30, `Retry-After ${retryAfter}`);
    // the same account named by its number is locked too; other accounts are not
    assertProblem(await login({ accountNumber: m.accountNumber, password: PASSWORD }), 429, 'identity.too-many-attempts');
    assert.equal((await loginByName('admin')).status, 200);

    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 300));
    const after = await loginByName('locky');
    assert.equal(after.status, 200, after.text);
    // a success resets the counter: one more failure does not lock again
    assertProblem(await loginByName('locky', 'wrong again!'), 401, 'identity.invalid-credentials');
    assert.equal((await loginByName('locky')).status, 200);
  });

  it('rotates refresh tokens, re-reads permissions, and revokes the whole session when a rotated token is reused', async () => {
    const m = await createMember('rotator');
    const first = await loginByName('rotator');
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(claimsOf(first.json['accessToken'])['perms'], []);

    assert.equal((await call(host.url, 'PUT', `/v1/members/${m.id}/management`, { token: t.token, body: { manager: true } })).status, 204);
    const second = await refresh(first.json['refreshToken']);
    assert.equal(second.status, 200, second.text);
    assert.notEqual(second.json['refreshToken'], first.json['refreshToken']);
    assert.equal(second.json['expiresIn'], 900);
    const claims = claimsOf(second.json['accessToken']);
    assert.equal(claims['sub'], m.id);
    assert.deepEqual(claims['perms'], ['org:manage', 'org:read'], 'the new token carries the current permissions');
    assert.equal((await call(host.url, 'GET', '/v1/members', { token: second.json['accessToken'] })).status, 200);

    const third = await refresh(second.json['refreshToken']);
    assert.equal(third.status, 200, third.text);

    // the first token comes back: theft is assumed, and the session is gone for everyone
    assertProblem(await refresh(first.json['refreshToken']), 401, 'identity.refresh-token-reused');
    assertProblem(await refresh(third.json['refreshToken']), 401, 'identity.invalid-refresh-token');
    // other sessions of the member are untouched
    assert.equal((await refresh((await loginByName('rotator')).json['refreshToken'])).status, 200);
    assertProblem(await refresh('not-a-token'), 401, 'identity.invalid-refresh-token');
    assertProblem(await refresh(`${m.id}.${'A'.repeat(43)}`), 401, 'identity.invalid-refresh-token');
  });

  it('logout revokes the session', async () => {
    await createMember('leaver');
    const signedIn = await loginByName('leaver');
    const token = signedIn.json['refreshToken'] as string;
    const out = await call(host.url, 'POST', '/v1/auth/logout', { body: { refreshToken: token } });
    assert.equal(out.status, 204, out.text);
    assertProblem(await refresh(token), 401, 'identity.invalid-refresh-token');
    assert.equal((await call(host.url, 'POST', '/v1/auth/logout', { body: { refreshToken: token } })).status, 204, 'logout is idempotent');
  });

  it('refuses to refresh for a disabled member, and refreshes again once it is enabled', async () => {
    const m = await createMember('sleeper');
    const signedIn = await loginByName('sleeper');
    assert.equal((await call(host.url, 'POST', `/v1/members/${m.id}/disable`, { token: t.token })).status, 204);
    assertProblem(await refresh(signedIn.json['refreshToken']), 403, 'identity.member-disabled');
    assert.equal((await call(host.url, 'POST', `/v1/members/${m.id}/enable`, { token: t.token })).status, 204);
    assert.equal((await refresh(signedIn.json['refreshToken'])).status, 200);
  });

  it('gives marketing-only members tokens for the APIs but not for the client audience', async () => {
    await createMember('marketer', { marketingOnly: true });
    assertProblem(await loginByName('marketer', PASSWORD, { audience: 'client' }), 403, 'identity.marketing-only');
    assertProblem(await loginByName('marketer', 'wrong password!', { audience: 'client' }), 401, 'identity.invalid-credentials');
    const api = await loginByName('marketer');
    assert.equal(api.status, 200, api.text);
    assert.equal(claimsOf(api.json['accessToken'])['aud'], 'leadstream-api');

    await createMember('agent');
    const client = await loginByName('agent', PASSWORD, { audience: 'client' });
    assert.equal(client.status, 200, client.text);
    assert.deepEqual(claimsOf(client.json['accessToken'])['aud'], ['leadstream-api', 'leadstream-client']);
    assert.equal((await call(host.url, 'GET', '/v1/members', { token: client.json['accessToken'] })).status !== 401, true, 'the platform still accepts it');
    const refreshed = await refresh(client.json['refreshToken']);
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.deepEqual(claimsOf(refreshed.json['accessToken'])['aud'], ['leadstream-api', 'leadstream-client']);
    assertProblem(await loginByName('agent', PASSWORD, { audience: 'admin-console' }), 400, 'validation-failed');
  });
});
