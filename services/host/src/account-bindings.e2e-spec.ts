import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKeys } from '@leadstream/identity';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { call as httpCall, eventually, type CallOptions, type Json, type Reply } from './testing/http-client';


/** Every response body the test saw, to check that no secret was ever echoed. */
const bodies: string[] = [];

/** Every response body is kept: the test scans them all for the secrets at the end. */
async function call(url: string, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const reply = await httpCall(url, method, path, options);
  bodies.push(reply.text);
  return reply;
}


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

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

// distinctive plaintext secrets: none may appear in any response, event, file or log line
const SECRETS = {
  wechat: `wx-app-secret-${randomUUID()}`,
  smtp: `smtp-password-${randomUUID()}`,
  rebound: `rebound-app-secret-${randomUUID()}`,
};

describe('account bindings (ORG-10) over HTTP against the real host', () => {
  let dataDir: string;
  let host: HostProcess;
  let hostLog = '';
  const a = { enterpriseId: '', token: '' };
  const b = { enterpriseId: '', token: '' };
  const reader = { token: '' };
  const nobody = { token: '' };
  const ids: Record<string, string> = {};

  const list = (token: string, query = '') => call(host.url, 'GET', `/v1/account-bindings${query}`, { token });
  const get = (token: string, id: string) => call(host.url, 'GET', `/v1/account-bindings/${id}`, { token });

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-bindings-e2e-'));
    // debug: the most talkative level a production host would plausibly run at
    host = await startHostProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'debug' });
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
    const keys = await SigningKeys.loadOrCreate(join(dataDir, 'identity', 'signing-key.json'));
    const mint = (perms: string[]) => keys.sign({ sub: randomUUID(), tid: a.enterpriseId, adm: false, perms }, 900);
    reader.token = await mint(['org:read']);
    nobody.token = await mint([]);
  });

  after(async () => {
    if (host && host.child.exitCode === null) await host.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('generates the master key into DATA_DIR/identity/master-key, mode 0600', async () => {
    const info = await stat(join(dataDir, 'identity', 'master-key'));
    assert.equal(info.mode & 0o777, 0o600);
  });

  it('binds accounts and lists them with the names of the credential fields only', async () => {
    const wechat = await call(host.url, 'POST', '/v1/account-bindings', {
      token: a.token,
      body: { kind: 'wechat-official-account', accountId: 'gh_3f2a1b', displayName: 'Acme 公众号', credentials: { appId: 'wx1234567890', appSecret: SECRETS.wechat } },
    });
    assert.equal(wechat.status, 201, JSON.stringify(wechat.json));
    assert.deepEqual(Object.keys(wechat.json), ['id']);
    ids['wechat'] = wechat.json['id'];
    const email = await call(host.url, 'POST', '/v1/account-bindings', {
      token: a.token,
      body: { kind: 'email', accountId: 'marketing@acme.example', credentials: { smtpHost: 'smtp.acme.example', username: 'marketing', password: SECRETS.smtp } },
    });
    assert.equal(email.status, 201, JSON.stringify(email.json));
    ids['email'] = email.json['id'];

    const all = await eventually(() => list(a.token), (r) => r.json['total'] === 2);
    assert.equal(all.status, 200, JSON.stringify(all.json));
    assert.deepEqual(
      (all.json['items'] as Json[]).map((i) => i['id']),
      [ids['wechat'], ids['email']],
    );
    const one = await get(reader.token, ids['wechat']!);
    assert.equal(one.status, 200, JSON.stringify(one.json));
    assert.equal(one.json['kind'], 'wechat-official-account');
    assert.equal(one.json['accountId'], 'gh_3f2a1b');
    assert.equal(one.json['displayName'], 'Acme 公众号');
    assert.deepEqual(one.json['credentialFields'], ['appId', 'appSecret']);
    assert.equal(one.json['credentials'], undefined);
    const mail = await get(a.token, ids['email']!);
    assert.deepEqual(mail.json['credentialFields'], ['password', 'smtpHost', 'username']);
    assert.equal(mail.json['displayName'], null);

    const byKind = await list(a.token, '?kind=email');
    assert.deepEqual((byKind.json['items'] as Json[]).map((i) => i['id']), [ids['email']]);
    const page1 = await list(a.token, '?limit=1');
    assert.equal(page1.json['items'].length, 1);
    assert.equal(typeof page1.json['nextCursor'], 'string');
    const page2 = await list(a.token, `?limit=1&cursor=${page1.json['nextCursor']}`);
    assert.deepEqual((page2.json['items'] as Json[]).map((i) => i['id']), [ids['email']]);
    assert.equal(page2.json['nextCursor'], null);
  });

  it('rebinds: replaces the credentials (and optionally account id / name)', async () => {
    const res = await call(host.url, 'POST', `/v1/account-bindings/${ids['wechat']}/rebind`, {
      token: a.token,
      body: { displayName: 'Acme 服务号', credentials: { appId: 'wx1234567890', appSecret: SECRETS.rebound, token: 'callback-token' } },
    });
    assert.equal(res.status, 204, JSON.stringify(res.json));
    const after = await eventually(
      () => get(a.token, ids['wechat']!),
      (r) => r.json['displayName'] === 'Acme 服务号',
    );
    assert.deepEqual(after.json['credentialFields'], ['appId', 'appSecret', 'token']);
    assert.equal(after.json['accountId'], 'gh_3f2a1b');
  });

  it('unbinds: the binding is gone, and cannot be rebound or unbound again', async () => {
    const res = await call(host.url, 'DELETE', `/v1/account-bindings/${ids['email']}`, { token: a.token });
    assert.equal(res.status, 204, JSON.stringify(res.json));
    const gone = await eventually(
      () => get(a.token, ids['email']!),
      (r) => r.status === 404,
    );
    assertProblem(gone, 404);
    const all = await list(a.token);
    assert.deepEqual((all.json['items'] as Json[]).map((i) => i['id']), [ids['wechat']]);
    assertProblem(await call(host.url, 'DELETE', `/v1/account-bindings/${ids['email']}`, { token: a.token }), 404);
    assertProblem(await call(host.url, 'POST', `/v1/account-bindings/${ids['email']}/rebind`, { token: a.token, body: { credentials: { password: 'x' } } }), 404);
  });

  it('401 without a valid token, 403 without the permission', async () => {
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/v1/account-bindings'],
      ['GET', `/v1/account-bindings/${ids['wechat']}`],
      ['POST', '/v1/account-bindings', { kind: 'sms', accountId: '1069', credentials: { apiKey: 'k' } }],
      ['POST', `/v1/account-bindings/${ids['wechat']}/rebind`, { credentials: { apiKey: 'k' } }],
      ['DELETE', `/v1/account-bindings/${ids['wechat']}`],
    ];
    for (const [method, path, body] of routes) {
      assertProblem(await call(host.url, method, path, { body }), 401);
      assertProblem(await call(host.url, method, path, { body, token: `${a.token}x` }), 401);
      assertProblem(await call(host.url, method, path, { body, token: nobody.token }), 403);
    }
    // org:read reads but does not write
    assert.equal((await list(reader.token)).status, 200);
    for (const [method, path, body] of routes.filter(([m]) => m !== 'GET')) {
      assertProblem(await call(host.url, method, path, { body, token: reader.token }), 403);
    }
    assert.equal((await get(a.token, ids['wechat']!)).status, 200, 'nothing was changed by the refused calls');
  });

  it('another tenant’s binding is not found (404), and never listed', async () => {
    assertProblem(await get(b.token, ids['wechat']!), 404);
    assertProblem(await call(host.url, 'POST', `/v1/account-bindings/${ids['wechat']}/rebind`, { token: b.token, body: { credentials: { appSecret: 'stolen' } } }), 404);
    assertProblem(await call(host.url, 'DELETE', `/v1/account-bindings/${ids['wechat']}`, { token: b.token }), 404);
    const theirs = await list(b.token);
    assert.equal(theirs.json['total'], 0);
    const ours = await get(a.token, ids['wechat']!);
    assert.equal(ours.status, 200);
    assert.deepEqual(ours.json['credentialFields'], ['appId', 'appSecret', 'token'], 'the refused rebind changed nothing');
  });

  it('bad input is a 400 naming the fields', async () => {
    const bind = (body: unknown) => call(host.url, 'POST', '/v1/account-bindings', { token: a.token, body });
    assertProblem(await bind({}), 400, ['accountId', 'credentials', 'kind']);
    assertProblem(await bind({ kind: 'myspace', accountId: 'x', credentials: { a: 'b' } }), 400, ['kind']);
    assertProblem(await bind({ kind: 'sms', accountId: '', credentials: { a: 'b' } }), 400, ['accountId']);
    assertProblem(await bind({ kind: 'sms', accountId: '1069', credentials: 'secret' }), 400, ['credentials']);
    assertProblem(await bind({ kind: 'sms', accountId: '1069', credentials: {} }), 400, ['credentials']);
    assertProblem(await bind({ kind: 'sms', accountId: '1069', credentials: { apiKey: 42, apiSecret: '' } }), 400, ['credentials.apiKey', 'credentials.apiSecret']);
    assertProblem(await bind({ kind: 'sms', accountId: '1069', credentials: { 'bad name': 'x' } }), 400, ['credentials']);
    assertProblem(await bind({ kind: 'sms', accountId: '1069', credentials: { a: 'b' }, extra: 1 }), 400, ['extra']);
    assertProblem(await call(host.url, 'POST', '/v1/account-bindings/not-a-uuid/rebind', { token: a.token, body: { credentials: { a: 'b' } } }), 400, ['id']);
    assertProblem(await call(host.url, 'POST', `/v1/account-bindings/${ids['wechat']}/rebind`, { token: a.token, body: {} }), 400, ['credentials']);
    assertProblem(await get(a.token, 'not-a-uuid'), 400, ['id']);
    assertProblem(await list(a.token, '?kind=myspace'), 400, ['kind']);
    assertProblem(await list(a.token, '?limit=0'), 400, ['limit']);
    const unchanged = await list(a.token);
    assert.equal(unchanged.json['total'], 1, 'no refused request bound anything');
  });

  it('no secret appears in any response, in any file under DATA_DIR (events.db included) or in the log', async () => {
    hostLog = host.output();
    assert.equal(await host.stop(), 0, hostLog);
    hostLog = host.output();
    const secrets = Object.values(SECRETS);
    const all = bodies.join('\n');
    for (const secret of secrets) assert.ok(!all.includes(secret), 'a response body echoed a secret');
    for (const secret of secrets) assert.ok(!hostLog.includes(secret), 'the host logged a secret');

    const files = await filesUnder(dataDir);
    const eventLog = join(dataDir, 'identity', 'events.db');
    assert.ok(files.includes(eventLog));
    let sawBindingEvents = false;
    for (const file of files) {
      const bytes = await readFile(file);
      if (bytes.includes('identity.AccountBound')) sawBindingEvents = true;
      for (const secret of secrets) {
        for (const encoding of ['utf8', 'utf16le'] as const) {
          assert.equal(bytes.indexOf(Buffer.from(secret, encoding)), -1, `${file} holds a secret in plain text`);
        }
        assert.equal(bytes.indexOf(Buffer.from(secret).toString('base64')), -1, `${file} holds a secret in base64`);
      }
    }
    assert.ok(sawBindingEvents, 'the binding events were on disk where the scan looked');
  });
});
