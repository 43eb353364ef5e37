import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { call, eventually, type Json } from './testing/http-client';




function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function assertProblem(res: { status: number; headers: Headers; json: Json }, status: number) {
  assert.equal(res.status, status, JSON.stringify(res.json));
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal(res.json['status'], status);
  assert.equal(typeof res.json['title'], 'string');
}

function fieldsOf(res: { json: Json }): string[] {
  // one entry per (field, reason): a field may be named more than once
  return [...new Set(((res.json['errors'] ?? []) as { field: string }[]).map((e) => e.field))].sort();
}

describe('embedded host end to end: walkthrough, restart, isolation, bad input', () => {
  let dataDir: string;
  let host: HostProcess;
  const a = { enterpriseId: '', token: '' };
  const b = { enterpriseId: '', token: '' };
  const leadIdsA: string[] = [];

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-e2e-'));
    host = await startHostProcess({ DATA_DIR: dataDir });
  });

  after(async () => {
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates two enterprises and signs their admins in', async () => {
    for (const [tenant, name, timeZone] of [
      [a, 'Acme Trading', 'Asia/Shanghai'],
      [b, 'Globex', 'Europe/Berlin'],
    ] as const) {
      const created = await call(host.url, 'POST', '/v1/enterprises', {
        body: { name, timeZone, seatQuota: 50, admin: { accountName: 'admin', password: 'correct horse battery', realName: 'Ada' } },
      });
      assert.equal(created.status, 201, JSON.stringify(created.json));
      assert.match(created.json['enterpriseId'], /^[0-9a-f-]{36}$/);
      assert.match(created.json['adminMemberId'], /^[0-9a-f-]{36}$/);
      tenant.enterpriseId = created.json['enterpriseId'];
      const login = await call(host.url, 'POST', '/v1/auth/login', {
        body: { enterpriseId: tenant.enterpriseId, accountName: 'admin', password: 'correct horse battery' },
      });
      assert.equal(login.status, 200, JSON.stringify(login.json));
      assert.equal(login.json['tokenType'], 'Bearer');
      assert.equal(login.json['expiresIn'], 900);
      tenant.token = login.json['accessToken'];
    }
    assert.notEqual(a.enterpriseId, b.enterpriseId);
  });

  it('refuses wrong credentials without saying which part was wrong', async () => {
    const wrongPassword = await call(host.url, 'POST', '/v1/auth/login', { body: { enterpriseId: a.enterpriseId, accountName: 'admin', password: 'nope-nope' } });
    const wrongName = await call(host.url, 'POST', '/v1/auth/login', { body: { enterpriseId: a.enterpriseId, accountName: 'nobody', password: 'correct horse battery' } });
    const wrongEnterprise = await call(host.url, 'POST', '/v1/auth/login', { body: { enterpriseId: b.enterpriseId.replace(/^.{8}/, '00000000'), accountName: 'admin', password: 'correct horse battery' } });
    for (const res of [wrongPassword, wrongName, wrongEnterprise]) {
      assertProblem(res, 401);
      assert.equal(res.json['detail'], wrongPassword.json['detail']);
      assert.equal(res.json['code'], 'identity.invalid-credentials');
    }
  });

  it('publishes the signing keys as a JWKS', async () => {
    const jwks = await call(host.url, 'GET', '/.well-known/jwks.json');
    assert.equal(jwks.status, 200);
    assert.equal(jwks.json['keys'].length, 1);
    assert.equal(jwks.json['keys'][0].kty, 'OKP');
    assert.equal(jwks.json['keys'][0].d, undefined, 'the private part is never published');
  });

  it('captures leads, lists, filters and pages them', async () => {
    const inputs = [
      { name: 'Han Meimei', phone: '+86 138 0013 8000', source: 'expo', tags: ['vip'] },
      { name: 'Li Lei', email: 'li.lei@example.com', source: 'web', company: 'Initech' },
      { qq: '10001', source: 'expo' },
    ];
    for (const body of inputs) {
      const res = await call(host.url, 'POST', '/v1/leads', { token: a.token, body });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      leadIdsA.push(res.json['id']);
    }
    const duplicatePhone = await call(host.url, 'POST', '/v1/leads', { token: b.token, body: { phone: '+8613800138000', source: 'expo' } });
    assert.equal(duplicatePhone.status, 201, 'the same phone in another lead is allowed (LEAD-2)');

    const list = await eventually(
      () => call(host.url, 'GET', '/v1/leads', { token: a.token }),
      (r) => r.json['total'] === 3,
    );
    assert.equal(list.status, 200);
    assert.equal(list.json['total'], 3);
    assert.deepEqual(list.json['items'].map((l: Json) => l['id']), [...leadIdsA].reverse(), 'newest first');
    assert.equal(list.json['nextCursor'], null);
    const han = list.json['items'].find((l: Json) => l['name'] === 'Han Meimei');
    assert.equal(han.phone, '+8613800138000');
    assert.deepEqual(han.tags, ['vip']);

    const expo = await call(host.url, 'GET', '/v1/leads?source=expo', { token: a.token });
    assert.equal(expo.json['total'], 2);
    const search = await call(host.url, 'GET', '/v1/leads?q=INITECH', { token: a.token });
    assert.deepEqual(search.json['items'].map((l: Json) => l['name']), ['Li Lei']);

    const page1 = await call(host.url, 'GET', '/v1/leads?limit=2', { token: a.token });
    assert.equal(page1.json['items'].length, 2);
    assert.equal(page1.json['total'], 3);
    assert.equal(typeof page1.json['nextCursor'], 'string');
    const page2 = await call(host.url, 'GET', `/v1/leads?limit=2&cursor=${encodeURIComponent(page1.json['nextCursor'])}`, { token: a.token });
    assert.equal(page2.json['items'].length, 1);
    assert.equal(page2.json['nextCursor'], null);
    assert.equal(page2.json['items'][0].id, leadIdsA[0]);

    const today = todayIn('Asia/Shanghai');
    const inRange = await call(host.url, 'GET', `/v1/leads?createdFrom=${today}&createdTo=${today}`, { token: a.token });
    assert.equal(inRange.json['total'], 3);
    const future = await call(host.url, 'GET', `/v1/leads?createdFrom=${addDays(today, 1)}`, { token: a.token });
    assert.equal(future.json['total'], 0);

    const one = await call(host.url, 'GET', `/v1/leads/${leadIdsA[1]}`, { token: a.token });
    assert.equal(one.status, 200);
    assert.equal(one.json['email'], 'li.lei@example.com');
    assert.equal(one.json['company'], 'Initech');
  });

  it('reads the new-leads trend in the enterprise time zone, empty days included', async () => {
    const today = todayIn('Asia/Shanghai');
    const trend = await eventually(
      () => call(host.url, 'GET', `/v1/lead-overview/new-leads?from=${addDays(today, -2)}&to=${today}`, { token: a.token }),
      (r) => r.json['buckets']?.[2]?.count === 3,
    );
    assert.equal(trend.status, 200, JSON.stringify(trend.json));
    assert.equal(trend.json['timeZone'], 'Asia/Shanghai');
    assert.deepEqual(trend.json['buckets'], [
      { date: addDays(today, -2), count: 0 },
      { date: addDays(today, -1), count: 0 },
      { date: today, count: 3 },
    ]);
    const berlinToday = todayIn('Europe/Berlin');
    const trendB = await eventually(
      () => call(host.url, 'GET', `/v1/lead-overview/new-leads?from=${berlinToday}&to=${berlinToday}`, { token: b.token }),
      (r) => r.json['timeZone'] === 'Europe/Berlin' && r.json['buckets']?.[0]?.count === 1,
    );
    assert.equal(trendB.json['timeZone'], 'Europe/Berlin', 'the time zone comes from identity via the bus');
    assert.deepEqual(trendB.json['buckets'], [{ date: berlinToday, count: 1 }]);
  });

  it('keeps tenants apart', async () => {
    const listB = await call(host.url, 'GET', '/v1/leads', { token: b.token });
    assert.equal(listB.json['total'], 1);
    assert.ok(listB.json['items'].every((l: Json) => !leadIdsA.includes(l['id'])));
    for (const id of leadIdsA) {
      const res = await call(host.url, 'GET', `/v1/leads/${id}`, { token: b.token });
      assertProblem(res, 404);
    }
  });

  it('answers 401 without a valid token', async () => {
    assertProblem(await call(host.url, 'GET', '/v1/leads'), 401);
    assertProblem(await call(host.url, 'POST', '/v1/leads', { body: { phone: '13800138000' } }), 401);
    assertProblem(await call(host.url, 'GET', '/v1/leads', { token: 'not.a.jwt' }), 401);
    const tampered = a.token.slice(0, -4) + (a.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    assertProblem(await call(host.url, 'GET', '/v1/leads', { token: tampered }), 401);
    assertProblem(await call(host.url, 'GET', '/v1/lead-overview/new-leads?from=2026-01-01&to=2026-01-02'), 401);
  });

  it('answers bad input with 4xx problem+json naming the fields, never 5xx', async () => {
    const noContact = await call(host.url, 'POST', '/v1/leads', { token: a.token, body: { name: 'No Contact' } });
    assertProblem(noContact, 400);
    assert.deepEqual(fieldsOf(noContact), ['email', 'phone', 'qq']);

    const badFormats = await call(host.url, 'POST', '/v1/leads', { token: a.token, body: { phone: 'call me', qq: '0123', email: 'nope' } });
    assertProblem(badFormats, 400);
    assert.deepEqual(fieldsOf(badFormats), ['email', 'phone', 'qq']);

    const wrongTypes = await call(host.url, 'POST', '/v1/leads', { token: a.token, body: { phone: 13800138000, tags: 'vip', name: { first: 'x' } } });
    assertProblem(wrongTypes, 400);
    assert.deepEqual(fieldsOf(wrongTypes), ['name', 'phone', 'tags']);

    const unknown = await call(host.url, 'POST', '/v1/leads', { token: a.token, body: { phone: '13800138000', isAdmin: true } });
    assertProblem(unknown, 400);
    assert.deepEqual(fieldsOf(unknown), ['isAdmin']);

    assertProblem(await call(host.url, 'POST', '/v1/leads', { token: a.token, rawBody: '{"phone": "1380013' }), 400);
    assertProblem(await call(host.url, 'POST', '/v1/leads', { token: a.token, rawBody: 'phone=1', headers: { 'content-type': 'text/plain' } }), 415);
    const longName = await call(host.url, 'POST', '/v1/leads', { token: a.token, body: { phone: '13800138000', name: 'x'.repeat(10_000) } });
    assertProblem(longName, 400);
    assert.deepEqual(fieldsOf(longName), ['name']);
    assertProblem(await call(host.url, 'POST', '/v1/leads', { token: a.token, body: { phone: '13800138000', name: 'x'.repeat(3_000_000) } }), 413);
    assertProblem(await call(host.url, 'POST', '/v1/leads', { token: a.token, rawBody: '[1,2,3]' }), 400);
    assertProblem(await call(host.url, 'POST', '/v1/leads', { token: a.token, rawBody: 'null' }), 400);

    const badQuery = await call(host.url, 'GET', '/v1/leads?limit=abc&createdFrom=yesterday', { token: a.token });
    assertProblem(badQuery, 400);
    assert.deepEqual(fieldsOf(badQuery), ['createdFrom', 'limit']);
    assertProblem(await call(host.url, 'GET', '/v1/leads?limit=100000', { token: a.token }), 400);
    const badCursor = await call(host.url, 'GET', '/v1/leads?cursor=%%%garbage', { token: a.token });
    assertProblem(badCursor, 400);
    assert.deepEqual(fieldsOf(badCursor), ['cursor']);
    const badId = await call(host.url, 'GET', '/v1/leads/not-a-uuid', { token: a.token });
    assertProblem(badId, 400);
    assert.deepEqual(fieldsOf(badId), ['id']);

    const badTrend = await call(host.url, 'GET', '/v1/lead-overview/new-leads?from=2026-13-01&to=2026-01-01', { token: a.token });
    assertProblem(badTrend, 400);
    assert.deepEqual(fieldsOf(badTrend), ['from']);
    const reversed = await call(host.url, 'GET', '/v1/lead-overview/new-leads?from=2026-02-01&to=2026-01-01', { token: a.token });
    assertProblem(reversed, 400);
    assert.deepEqual(fieldsOf(reversed), ['to']);
    assertProblem(await call(host.url, 'GET', '/v1/lead-overview/new-leads?from=2020-01-01&to=2026-01-01', { token: a.token }), 400);
    assertProblem(await call(host.url, 'GET', '/v1/lead-overview/new-leads', { token: a.token }), 400);

    const badEnterprise = await call(host.url, 'POST', '/v1/enterprises', { body: { name: 'X', timeZone: 'Mars/Base', seatQuota: -1, admin: { accountName: 'a b', password: 'short' } } });
    assertProblem(badEnterprise, 400);
    assert.ok(fieldsOf(badEnterprise).includes('admin.password'), JSON.stringify(badEnterprise.json));
    assert.ok(fieldsOf(badEnterprise).includes('admin.accountName'));
    assert.ok(fieldsOf(badEnterprise).includes('seatQuota'));
    const badZone = await call(host.url, 'POST', '/v1/enterprises', { body: { name: 'X', timeZone: 'Mars/Base', admin: { accountName: 'admin', password: 'long enough pw' } } });
    assertProblem(badZone, 400);
    assert.deepEqual(fieldsOf(badZone), ['timeZone']);
    const badLogin = await call(host.url, 'POST', '/v1/auth/login', { body: { enterpriseId: 'x', accountName: 42 } });
    assertProblem(badLogin, 400);
    assert.deepEqual(fieldsOf(badLogin), ['accountName', 'enterpriseId', 'password']);
    assertProblem(await call(host.url, 'GET', '/v1/no-such-route', { token: a.token }), 404);
  });

  it('replays a create with the same Idempotency-Key instead of creating twice', async () => {
    const headers = { 'idempotency-key': 'lead-import-row-42' };
    const first = await call(host.url, 'POST', '/v1/leads', { token: a.token, body: { phone: '13900139000' }, headers });
    const second = await call(host.url, 'POST', '/v1/leads', { token: a.token, body: { phone: '13900139000' }, headers });
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.equal(second.json['id'], first.json['id']);
    const different = await call(host.url, 'POST', '/v1/leads', { token: a.token, body: { phone: '13900139001' }, headers });
    assertProblem(different, 422);
    leadIdsA.push(first.json['id']);
  });

  it('serves the OpenAPI document for every service and the health endpoints', async () => {
    const doc = await call(host.url, 'GET', '/docs-json');
    assert.equal(doc.status, 200);
    for (const path of ['/v1/enterprises', '/v1/auth/login', '/v1/leads', '/v1/leads/{id}', '/v1/lead-overview/new-leads']) {
      assert.ok(doc.json['paths'][path], `OpenAPI covers ${path}`);
    }
    const ui = await fetch(`${host.url}/docs`);
    assert.equal(ui.status, 200);
    assert.match(await ui.text(), /swagger/i);
    assert.equal((await call(host.url, 'GET', '/health/live')).status, 200);
    assert.equal((await call(host.url, 'GET', '/health/ready')).status, 200);
  });

  it('keeps everything across a clean restart, and old tokens stay valid', async () => {
    await eventually(
      () => call(host.url, 'GET', '/v1/leads', { token: a.token }),
      (r) => r.json['total'] === 4,
    );
    assert.equal(await host.stop(), 0, 'clean shutdown on SIGTERM');
    host = await startHostProcess({ DATA_DIR: dataDir });
    const list = await call(host.url, 'GET', '/v1/leads', { token: a.token });
    assert.equal(list.status, 200);
    assert.equal(list.json['total'], 4);
    assert.deepEqual(list.json['items'].map((l: Json) => l['id']).sort(), [...leadIdsA].sort());
    const login = await call(host.url, 'POST', '/v1/auth/login', { body: { enterpriseId: b.enterpriseId, accountName: 'ADMIN', password: 'correct horse battery' } });
    assert.equal(login.status, 200, 'account names are case-insensitive');
    const today = todayIn('Asia/Shanghai');
    const trend = await call(host.url, 'GET', `/v1/lead-overview/new-leads?from=${today}&to=${today}`, { token: a.token });
    assert.deepEqual(trend.json['buckets'], [{ date: today, count: 4 }]);
  });

  it('keeps an acknowledged lead after kill -9', async () => {
    const created = await call(host.url, 'POST', '/v1/leads', { token: a.token, body: { email: 'survivor@example.com' } });
    assert.equal(created.status, 201);
    await host.kill();
    host = await startHostProcess({ DATA_DIR: dataDir });
    const one = await eventually(
      () => call(host.url, 'GET', `/v1/leads/${created.json['id']}`, { token: a.token }),
      (r) => r.status === 200,
    );
    assert.equal(one.status, 200);
    assert.equal(one.json['email'], 'survivor@example.com');
  });
});

describe('operator secret', () => {
  it('guards enterprise creation when configured', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'leadstream-e2e-op-'));
    const secret = 'operator-secret-0123456789';
    const host = await startHostProcess({ DATA_DIR: dataDir, OPERATOR_SECRET: secret });
    try {
      const body = { name: 'Guarded', admin: { accountName: 'admin', password: 'long enough pw' } };
      assertProblem(await call(host.url, 'POST', '/v1/enterprises', { body }), 401);
      assertProblem(await call(host.url, 'POST', '/v1/enterprises', { body, headers: { 'x-operator-secret': 'wrong' } }), 401);
      const ok = await call(host.url, 'POST', '/v1/enterprises', { body, headers: { 'x-operator-secret': secret } });
      assert.equal(ok.status, 201);
    } finally {
      await host.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start on bad configuration, naming the variable', async () => {
    await assert.rejects(startHostProcess({ DATA_DIR: '/tmp', OPERATOR_SECRET: 'short', PORT: '3999' }, 5000), /OPERATOR_SECRET/);
    await assert.rejects(startHostProcess({ DATA_DIR: '/tmp', PORT: 'http' }, 5000), /PORT/);
  });
});
