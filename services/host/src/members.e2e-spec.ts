import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { call, eventually, type Json, type Reply } from './testing/http-client';



const PASSWORD = 'correct horse battery';



async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!, i);
      }
    }),
  );
  return results;
}

function assertProblem(res: Reply, status: number, code?: string) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal(res.json['status'], status);
  if (code !== undefined) assert.equal(res.json['code'], code, res.text);
}

describe('members end to end (ORG-1, ORG-5, ORG-6, ORG-7)', () => {
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
  const createMember = (token: string, body: Record<string, unknown>) => call(host.url, 'POST', '/v1/members', { token, body: { password: PASSWORD, ...body } });
  const getMember = (token: string, id: string) => call(host.url, 'GET', `/v1/members/${id}`, { token });

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-members-e2e-'));
    host = await startHostProcess({ DATA_DIR: dataDir });
    for (const [tenant, name, seatQuota] of [
      [a, 'Acme', 1_100],
      [b, 'Globex', 3],
    ] as const) {
      const created = await call(host.url, 'POST', '/v1/enterprises', { body: { name, seatQuota, admin: { accountName: 'admin', password: PASSWORD } } });
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

  it('answers 401 without a token and 400 for bad input', async () => {
    assertProblem(await call(host.url, 'GET', '/v1/members'), 401);
    assertProblem(await call(host.url, 'POST', '/v1/members', { body: { accountName: 'x', password: PASSWORD } }), 401);
    assertProblem(await call(host.url, 'POST', `/v1/members/batch/disable`, { body: { ids: [a.adminId] } }), 401);
    const bad = await createMember(a.token, { accountName: 'bad name', accountNumber: '12', password: 'short' });
    assertProblem(bad, 400, 'validation-failed');
    const fields = new Set((bad.json['errors'] as { field: string }[]).map((e) => e.field));
    for (const f of ['accountName', 'accountNumber', 'password']) assert.ok(fields.has(f), `${f} named`);
  });

  it('creates a member with a chosen account number, shows it without secrets, and refuses the number twice', async () => {
    const number = String(100_000 + Math.floor(Math.random() * 899_999_999));
    const created = await createMember(a.token, { accountName: 'Li.Lei', realName: 'Li Lei', nickname: 'Lily', accountNumber: number });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json['accountNumber'], number);
    const id = created.json['id'] as string;
    const read = await eventually(() => getMember(a.token, id), (r) => r.status === 200);
    assert.equal(read.status, 200, read.text);
    assert.equal(read.json['accountName'], 'Li.Lei');
    assert.equal(read.json['nickname'], 'Lily');
    assert.equal(read.json['status'], 'enabled');
    assert.doesNotMatch(read.text, /argon2|passwordHash|password/i);

    const again = await createMember(b.token, { accountName: 'someone', accountNumber: number });
    assertProblem(again, 409, 'identity.account-number-taken');
    const offer = await call(host.url, 'GET', '/v1/members/account-numbers/free?count=3', { token: a.token });
    assert.equal(offer.status, 200, offer.text);
    assert.equal(offer.json['accountNumbers'].length, 3);
    const chosen = await createMember(a.token, { accountName: 'chooser', accountNumber: offer.json['accountNumbers'][1] });
    assert.equal(chosen.status, 201, chosen.text);
    assert.equal(chosen.json['accountNumber'], offer.json['accountNumbers'][1]);
    const proposed = await createMember(a.token, { accountName: 'han' });
    assert.equal(proposed.status, 201, proposed.text);
    assert.match(proposed.json['accountNumber'], /^[0-9]{5,12}$/);
    // the new member signs in
    assert.equal((await login(a.enterpriseId, 'HAN')).status, 200, 'account names are case-insensitive');
  });

  it('lets exactly one of 20 simultaneous creates with one account name succeed', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_v, i) => createMember(a.token, { accountName: i % 2 === 0 ? 'twin' : 'TWIN', realName: `twin ${i}` })),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 1, JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 409).length, 19, JSON.stringify(statuses));
    for (const r of results.filter((x) => x.status === 409)) assertProblem(r, 409, 'identity.account-name-taken');
    const list = await eventually(
      () => call(host.url, 'GET', '/v1/members?q=twin', { token: a.token }),
      (r) => r.json['total'] === 1,
    );
    assert.equal(list.json['total'], 1);
  });

  it('enforces the seat quota under concurrency; disabled members still take a seat', async () => {
    // Globex: quota 3, the administrator holds one seat → two more members at most
    const results = await Promise.all(Array.from({ length: 10 }, (_v, i) => createMember(b.token, { accountName: `seat${i}` })));
    const ok = results.filter((r) => r.status === 201);
    assert.equal(ok.length, 2, JSON.stringify(results.map((r) => r.status)));
    for (const r of results.filter((x) => x.status !== 201)) assertProblem(r, 409, 'identity.seat-quota-exceeded');
    const firstId = ok[0]!.json['id'] as string;
    assert.equal((await call(host.url, 'POST', `/v1/members/${firstId}/disable`, { token: b.token })).status, 204);
    assertProblem(await createMember(b.token, { accountName: 'after-disable' }), 409, 'identity.seat-quota-exceeded');
    // a refused create leaves its account name free; the disabled member can be enabled again (its seat is still its own)
    assert.equal((await call(host.url, 'POST', `/v1/members/${firstId}/enable`, { token: b.token })).status, 204);
    const members = await eventually(
      () => call(host.url, 'GET', '/v1/members', { token: b.token }),
      (r) => r.json['total'] === 3,
    );
    assert.equal(members.json['total'], 3);
  });

  it('a disabled member cannot sign in (only with the right password is it told why), keeps its permissions, and enabling restores it', async () => {
    const created = await createMember(a.token, { accountName: 'mgr1', manager: true });
    assert.equal(created.status, 201, created.text);
    const id = created.json['id'] as string;
    const token = await tokenOf(a.enterpriseId, 'mgr1');
    assert.equal((await call(host.url, 'GET', '/v1/members', { token })).status, 200, 'a manager reads members');

    assert.equal((await call(host.url, 'POST', `/v1/members/${id}/disable`, { token: a.token })).status, 204);
    assertProblem(await login(a.enterpriseId, 'mgr1'), 403, 'identity.member-disabled');
    assertProblem(await login(a.enterpriseId, 'mgr1', 'wrong password!'), 401, 'identity.invalid-credentials');
    // identity's own routes refuse the live token at once (other services: within the token TTL)
    assertProblem(await call(host.url, 'GET', '/v1/members', { token }), 403, 'identity.member-disabled');
    assertProblem(await createMember(token, { accountName: 'by-disabled' }), 403, 'identity.member-disabled');
    const shown = await eventually(() => getMember(a.token, id), (r) => r.json['status'] === 'disabled');
    assert.equal(shown.json['status'], 'disabled');
    assert.equal(shown.json['manager'], true, 'permissions are kept');

    assert.equal((await call(host.url, 'POST', `/v1/members/${id}/enable`, { token: a.token })).status, 204);
    const again = await tokenOf(a.enterpriseId, 'mgr1');
    assert.equal((await call(host.url, 'GET', '/v1/members', { token: again })).status, 200);
    assert.equal((await call(host.url, 'GET', '/v1/members', { token })).status, 200, 'the old token works again once enabled');
    assertProblem(await call(host.url, 'POST', `/v1/members/${a.adminId}/disable`, { token: a.token }), 422, 'identity.admin-cannot-be-disabled');
  });

  it('ORG-7: managers create members and reset passwords; only the administrator grants management', async () => {
    const mgr = await tokenOf(a.enterpriseId, 'mgr1');
    const plain = await createMember(mgr, { accountName: 'plain1' });
    assert.equal(plain.status, 201, plain.text);
    const plainId = plain.json['id'] as string;
    assertProblem(await createMember(mgr, { accountName: 'mgr2', manager: true }), 403, 'identity.admin-only');
    assertProblem(await call(host.url, 'PUT', `/v1/members/${plainId}/management`, { token: mgr, body: { manager: true } }), 403, 'identity.admin-only');
    assertProblem(await call(host.url, 'POST', `/v1/members/${a.adminId}/reset-password`, { token: mgr, body: { password: 'hijacked password' } }), 403, 'identity.admin-only');

    assert.equal((await call(host.url, 'POST', `/v1/members/${plainId}/reset-password`, { token: mgr, body: { password: 'brand new password' } })).status, 204);
    assertProblem(await login(a.enterpriseId, 'plain1'), 401);
    const plainToken = await tokenOf(a.enterpriseId, 'plain1', 'brand new password');
    // a member without permissions: 403 on every members route, but it may change its own password
    assertProblem(await call(host.url, 'GET', '/v1/members', { token: plainToken }), 403, 'missing-permissions');
    assertProblem(await getMember(plainToken, plainId), 403, 'missing-permissions');
    assertProblem(await createMember(plainToken, { accountName: 'nope' }), 403, 'missing-permissions');
    assertProblem(await call(host.url, 'POST', '/v1/members/me/password', { token: plainToken, body: { currentPassword: 'wrong', newPassword: 'another password' } }), 403, 'identity.wrong-current-password');
    assert.equal(
      (await call(host.url, 'POST', '/v1/members/me/password', { token: plainToken, body: { currentPassword: 'brand new password', newPassword: 'another password' } })).status,
      204,
    );
    assert.equal((await login(a.enterpriseId, 'plain1', 'another password')).status, 200);

    // the administrator grants management; the grant reaches the member at its next sign-in
    assert.equal((await call(host.url, 'PUT', `/v1/members/${plainId}/management`, { token: a.token, body: { manager: true } })).status, 204);
    const promoted = await tokenOf(a.enterpriseId, 'plain1', 'another password');
    assert.equal((await call(host.url, 'GET', '/v1/members', { token: promoted })).status, 200);
    // revoking takes effect at once on identity's routes, even for the token that still says org:manage
    assert.equal((await call(host.url, 'PUT', `/v1/members/${plainId}/management`, { token: a.token, body: { manager: false } })).status, 204);
    assertProblem(await createMember(promoted, { accountName: 'after-revoke' }), 403, 'identity.management-required');
  });

  it('keeps tenants apart: another enterprise’s member is 404 for reads and writes', async () => {
    const created = await createMember(a.token, { accountName: 'private' });
    const id = created.json['id'] as string;
    await eventually(() => getMember(a.token, id), (r) => r.status === 200);
    assertProblem(await getMember(b.token, id), 404);
    assertProblem(await call(host.url, 'POST', `/v1/members/${id}/disable`, { token: b.token }), 404);
    assertProblem(await call(host.url, 'PATCH', `/v1/members/${id}`, { token: b.token, body: { realName: 'x' } }), 404);
    const batch = await call(host.url, 'POST', '/v1/members/batch/disable', { token: b.token, body: { ids: [id] } });
    assert.equal(batch.status, 200, batch.text);
    assert.deepEqual(batch.json['results'][0], { id, ok: false, error: { status: 404, code: 'identity.member-not-found', detail: 'The member was not found.' } });
    assertProblem(await getMember(a.token, '00000000-0000-4000-8000-000000000000'), 404);
    assertProblem(await getMember(a.token, 'not-a-uuid'), 400);
    const listB = await call(host.url, 'GET', '/v1/members?limit=200', { token: b.token });
    assert.ok(listB.json['items'].every((m: Json) => m['id'] !== id));
  });

  it('edits profiles singly and in batch; lists with q, status and cursor pagination', async () => {
    const ids: string[] = [];
    for (const name of ['ed1', 'ed2', 'ed3']) {
      const res = await createMember(a.token, { accountName: name });
      assert.equal(res.status, 201, res.text);
      ids.push(res.json['id']);
    }
    assert.equal((await call(host.url, 'PATCH', `/v1/members/${ids[0]}`, { token: a.token, body: { realName: 'Wang Fang', nickname: 'Fanfan' } })).status, 204);
    const batch = await call(host.url, 'POST', '/v1/members/batch/edit', { token: a.token, body: { ids: ids.slice(1), nickname: 'Support desk' } });
    assert.equal(batch.status, 200, batch.text);
    assert.equal(batch.json['succeeded'], 2);
    const byNick = await eventually(
      () => call(host.url, 'GET', '/v1/members?q=support%20DESK', { token: a.token }),
      (r) => r.json['total'] === 2,
    );
    assert.deepEqual(byNick.json['items'].map((m: Json) => m['id']).sort(), ids.slice(1).sort());
    const fan = await eventually(() => getMember(a.token, ids[0]!), (r) => r.json['nickname'] === 'Fanfan');
    assert.equal(fan.json['realName'], 'Wang Fang');

    const all = await call(host.url, 'GET', '/v1/members?limit=200', { token: a.token });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Reply = await call(host.url, 'GET', `/v1/members?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: a.token });
      assert.equal(page.status, 200, page.text);
      assert.equal(page.json['total'], all.json['total']);
      seen.push(...page.json['items'].map((m: Json) => m['id']));
      cursor = page.json['nextCursor'];
    } while (cursor);
    assert.equal(seen.length, all.json['total']);
    assert.equal(new Set(seen).size, seen.length, 'no member twice across pages');
    assertProblem(await call(host.url, 'GET', '/v1/members?cursor=%%%', { token: a.token }), 400);
    assertProblem(await call(host.url, 'GET', '/v1/members?status=gone', { token: a.token }), 400);
  });

  it('disables and enables 1,000 members in one batch, a result per member, and resets passwords in batch', { timeout: 300_000 }, async () => {
    const started = Date.now();
    const created = await inParallel(
      Array.from({ length: 1_000 }, (_v, i) => `bulk${i}`),
      16,
      async (accountName) => {
        const res = await createMember(a.token, { accountName });
        assert.equal(res.status, 201, res.text);
        return res.json['id'] as string;
      },
    );
    const createdMs = Date.now() - started;
    const unknown = '00000000-0000-4000-8000-000000000001';
    assertProblem(await call(host.url, 'POST', '/v1/members/batch/disable', { token: a.token, body: { ids: [...created, unknown] } }), 400, 'validation-failed');

    const t0 = Date.now();
    const disabled = await call(host.url, 'POST', '/v1/members/batch/disable', { token: a.token, body: { ids: created } });
    const disableMs = Date.now() - t0;
    assert.equal(disabled.status, 200, disabled.text.slice(0, 500));
    assert.equal(disabled.json['results'].length, 1_000);
    assert.equal(disabled.json['succeeded'], 1_000);
    assert.ok(disabled.json['results'].every((r: Json, i: number) => r['id'] === created[i] && r['ok'] === true));
    const listed = await eventually(
      () => call(host.url, 'GET', '/v1/members?status=disabled&q=bulk&limit=1', { token: a.token }),
      (r) => r.json['total'] === 1_000,
    );
    assert.equal(listed.json['total'], 1_000);
    assertProblem(await login(a.enterpriseId, 'bulk7'), 403, 'identity.member-disabled');

    const mixed = [...created.slice(0, 999), unknown];
    const enabled = await call(host.url, 'POST', '/v1/members/batch/enable', { token: a.token, body: { ids: mixed } });
    assert.equal(enabled.status, 200);
    assert.equal(enabled.json['succeeded'], 999);
    assert.equal(enabled.json['failed'], 1);
    assert.deepEqual(enabled.json['results'][999], { id: unknown, ok: false, error: { status: 404, code: 'identity.member-not-found', detail: 'The member was not found.' } });
    assert.equal((await login(a.enterpriseId, 'bulk7')).status, 200);

    const t1 = Date.now();
    const reset = await call(host.url, 'POST', '/v1/members/batch/reset-password', { token: a.token, body: { ids: created.slice(0, 20), password: 'batch reset password' } });
    const resetMs = Date.now() - t1;
    assert.equal(reset.status, 200, reset.text);
    assert.equal(reset.json['succeeded'], 20);
    assert.equal((await login(a.enterpriseId, 'bulk3', 'batch reset password')).status, 200);
    assertProblem(await call(host.url, 'POST', '/v1/members/batch/reset-password', { token: a.token, body: { ids: created.slice(0, 2) } }), 400, 'validation-failed');
    console.log(`# 1,000 creates ${createdMs} ms, batch disable of 1,000 ${disableMs} ms, batch reset of 20 ${resetMs} ms`);
  });
});
