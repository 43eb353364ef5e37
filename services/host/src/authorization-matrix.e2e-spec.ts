// Authorisation matrix (issue 4, "Enforcement everywhere"): walks EVERY route of every service the
// host runs, as listed by the host's own OpenAPI document (`GET /docs-json`), so a route added later
// is covered without touching this file. For each route:
//
//   - no token, an expired token, a tampered token, a token signed by another key → 401 problem+json;
//   - a signed-in member holding no permissions → 403 (unless the route is on SELF_SERVICE below);
//   - every `{id}`-like path parameter: a non-UUID → 400; enterprise A's ids called by enterprise
//     B's administrator → 404 (never 2xx or 403, which would leak that the id exists);
//   - no route ever answers 5xx during the whole walk.
//
// A route that is not guarded fails the 401 checks unless it is on PUBLIC; a route that needs no
// permission fails the 403 check unless it is on SELF_SERVICE. Both lists are explicit on purpose:
// being public or open to every member must be a decision someone wrote down.
//
// Cross-tenant ids: for a path template `/v1/<collection>/{id}…` the test uses a real resource of
// enterprise A when it knows how to create one (CREATE_BODIES; for an unknown collection it tries
// `POST /v1/<collection>` with `{name}` and uses the returned id if that works). Otherwise it falls back
// to a random UUID — still a 404 for enterprise B, but weaker (it cannot catch an existence leak);
// such templates are reported by `t.diagnostic` as "covered with a random id".
//
// The second part states and tests how long a permission change takes to reach a token (see
// services/identity/README.md, "Token and permission propagation").
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from '@leadstream/platform';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { call as httpCall, eventually, type CallOptions, type Json, type Reply } from './testing/http-client';



interface Route {
  readonly method: string;
  readonly template: string;
  readonly hasBody: boolean;
  readonly params: readonly string[];
}

/** `METHOD /template` as the allow-lists spell it. */
const keyOf = (route: { method: string; template: string }) => `${route.method} ${route.template}`;

/**
 * Routes public by design: no token needed. Health and docs are public too (`/docs`, `/docs-json` are
 * not part of the OpenAPI document itself; they are checked separately below).
 */
const PUBLIC = new Set<string>([
  'GET /health/live', // liveness probe
  'GET /health/ready', // readiness probe
  'POST /v1/enterprises', // sign-up: creates the enterprise and its administrator (OPERATOR_SECRET may gate it)
  // ORG-3 operator routes: no member token, the X-Operator-Secret header instead (401 without or with a
  // wrong one; 403 identity.operator-secret-required when the host has no operator secret configured)
  'POST /v1/enterprises/{id}/disable',
  'POST /v1/enterprises/{id}/enable',
  'POST /v1/auth/login', // sign-in: how a token is obtained in the first place
  'POST /v1/auth/refresh', // ORG-3: the refresh token is the credential (no access token needed)
  'POST /v1/auth/logout', // ORG-3: revokes the session of the refresh token it is given
  'GET /.well-known/jwks.json', // public keys other services verify tokens with
]);

/** Routes any signed-in member may call: a token is required, but no permission. */
const SELF_SERVICE = new Set<string>([
  'POST /v1/members/me/password', // change one's own password (proves the current one)
]);

/** Bodies that create one resource of a collection in enterprise A (used for cross-tenant 404s). */
const CREATE_BODIES: Record<string, () => Record<string, unknown>> = {
  members: () => ({ accountName: `matrix-${randomUUID().slice(0, 8)}`, password: 'correct horse battery' }),
  departments: () => ({ name: `Matrix ${randomUUID().slice(0, 8)}` }),
  leads: () => ({ name: 'Matrix Lead', phone: `+86139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, source: 'matrix' }),
  // routes still being built: if these bodies stop fitting, the test falls back to a random id (see below)
  roles: () => ({ name: `Matrix role ${randomUUID().slice(0, 8)}`, packages: [] }),
  fields: () => ({ key: `matrix_${randomUUID().slice(0, 8)}`, label: 'Matrix', type: 'singleChoice', attributes: { options: ['One'] } }),
  'account-bindings': () => ({ kind: 'email', accountId: `matrix-${randomUUID().slice(0, 8)}@example.com`, credentials: { password: 'matrix secret' } }),
  // a shared view, so enterprise B's 404 proves visibility is not the only guard (the tenant is)
  'lead-views': () => ({ name: 'Matrix view', visibility: 'shared', filter: { conditions: [] } }),
  'lead-import-mappings': () => ({ name: 'Matrix mapping', mapping: { Name: 'name', Mobile: 'phone' } }),
};

/** Collections whose resource the test must manage to create (their create routes are stable). */
const MUST_CREATE = new Set(['members', 'departments', 'leads']);

/** Minimal valid bodies for `{id}` routes, so a cross-tenant call gets past validation to the lookup (exactly 404). */
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  'PATCH /v1/members/{id}': { realName: 'Someone Else' },
  'POST /v1/members/{id}/reset-password': { password: 'a brand new password' },
  'PUT /v1/members/{id}/management': { manager: true },
  'POST /v1/members/{id}/move': { departmentIds: [] },
  'PATCH /v1/departments/{id}': { name: 'Taken Over' },
  'POST /v1/departments/{id}/move': { parentId: null },
  'PUT /v1/departments/{id}/supervisor': { memberId: randomUUID() },
  'PUT /v1/departments/{id}/visibility': { hidden: true },
  'PUT /v1/departments/{id}/role-template': { roleIds: [] },
  'PATCH /v1/roles/{id}': { name: 'Taken Over' },
  'POST /v1/roles/{id}/copy': { name: 'Copied Over' },
  'POST /v1/roles/{id}/members': { memberIds: [randomUUID()] },
  'POST /v1/roles/{id}/members/unassign': { memberIds: [randomUUID()] },
  'POST /v1/account-bindings/{id}/rebind': { credentials: { password: 'taken over' } },
  'PATCH /v1/leads/{id}': { name: 'Taken Over' },
  'PUT /v1/leads/{id}/status': { statusId: '00000000-0000-4000-8000-000000000003' },
  'POST /v1/leads/{id}/tags': { add: ['taken-over'] },
  'PUT /v1/leads/{id}/owner': { ownerId: null },
  'PATCH /v1/lead-schema/fields/{id}': { label: 'Taken Over' },
  'POST /v1/lead-schema/fields/{id}/options': { label: 'Taken Over' },
  'PATCH /v1/lead-schema/fields/{id}/options/{optionId}': { label: 'Taken Over' },
  'POST /v1/lead-schema/fields/{id}/options/reorder': { optionIds: [] },
  'PUT /v1/lead-views/{id}': { name: 'Taken Over', filter: { conditions: [] } },
  'POST /v1/lead-imports/{id}/start': { mapping: { Name: 'name', Mobile: 'phone' } },
  'PUT /v1/lead-import-mappings/{id}': { name: 'Taken Over', mapping: { Name: 'name', Mobile: 'phone' } },
};

/** Values for path parameters that are not ids (e.g. `POST /v1/members/batch/{action}`). */
const OTHER_PARAMS: Record<string, string> = { action: 'disable' };

const isIdParam = (name: string) => name === 'id' || /Id$/.test(name);
const PASSWORD = 'correct horse battery';
const NOT_A_UUID = 'not-a-uuid';
/** Clock skew every verifier allows past `exp` (JwtTokenVerifier's default clockToleranceSeconds). */
const TOLERANCE = 5;

/** Every response of the walk, to prove no route answered 5xx. */
const serverErrors: string[] = [];
let requests = 0;

/** Every call of the walk goes through here: counted, and any 5xx recorded. */
async function call(url: string, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const reply = await httpCall(url, method, path, options);
  requests++;
  if (reply.status >= 500) serverErrors.push(`${method} ${path} → ${reply.status} ${reply.text}`);
  return reply;
}



function assertProblem(res: Reply, status: number, where: string, code?: string) {
  assert.equal(res.status, status, `${where}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/, where);
  assert.equal(res.json['status'], status, where);
  if (code !== undefined) assert.equal(res.json['code'], code, `${where}: ${res.text}`);
}

/** Fills a template's path parameters: id-like ones from `id(name)`, the others from OTHER_PARAMS. */
function pathOf(route: Route, id: (param: string) => string): string {
  return route.template.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(isIdParam(name) ? id(name) : (OTHER_PARAMS[name] ?? 'x')));
}

/** The collection a template's first id belongs to: `/v1/departments/{id}/move` → `departments`. */
function collectionOf(template: string): string | undefined {
  return /\/([^/{}]+)\/\{[^}]+\}/.exec(template)?.[1];
}

describe('authorisation matrix: every route of the host, from its OpenAPI document', () => {
  let dataDir: string;
  let host: HostProcess;
  let routes: Route[] = [];
  let hostKey: CryptoKey;
  let hostKid: string;
  const a = { enterpriseId: '', adminId: '', token: '' };
  const b = { enterpriseId: '', adminId: '', token: '' };
  let plain = { id: '', token: '' };
  /** Enterprise A's resources by collection (`members` → a member id). */
  const resources = new Map<string, string>();

  const readRouteOf = (collection: string) => routes.find((r) => r.method === 'GET' && collectionOf(r.template) === collection && /\/\{id\}$/.test(r.template));

  const tokenOf = async (enterpriseId: string, accountName: string, password = PASSWORD) => {
    const res = await call(host.url, 'POST', '/v1/auth/login', { body: { enterpriseId, accountName, password } });
    assert.equal(res.status, 200, res.text);
    return res.json['accessToken'] as string;
  };

  /** Signs a token with the host's own key (read from DATA_DIR), with chosen claims. */
  const mint = (claims: Record<string, unknown>, expiresAt: number) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: hostKid, typ: 'at+jwt' })
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt(expiresAt - 60)
      .setJti(randomUUID())
      .setExpirationTime(expiresAt)
      .sign(hostKey);

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-authz-matrix-'));
    // 60 s is the shortest access-token lifetime the host accepts: the propagation bound tested below
    host = await startHostProcess({ DATA_DIR: dataDir, ACCESS_TOKEN_TTL_SECONDS: '60' });

    const docs = await call(host.url, 'GET', '/docs-json');
    assert.equal(docs.status, 200, docs.text);
    for (const [template, operations] of Object.entries(docs.json['paths'] as Record<string, Record<string, Json>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        routes.push({
          method: method.toUpperCase(),
          template,
          hasBody: operation['requestBody'] !== undefined,
          params: [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
        });
      }
    }
    routes = routes.sort((x, y) => keyOf(x).localeCompare(keyOf(y)));

    const stored = JSON.parse(await readFile(join(dataDir, 'identity', 'signing-key.json'), 'utf8')) as { privateJwk: JWK };
    hostKid = stored.privateJwk.kid!;
    hostKey = (await importJWK({ ...stored.privateJwk, alg: 'EdDSA' }, 'EdDSA')) as CryptoKey;

    for (const [tenant, name] of [
      [a, 'Matrix A'],
      [b, 'Matrix B'],
    ] as const) {
      const created = await call(host.url, 'POST', '/v1/enterprises', { body: { name, seatQuota: 50, admin: { accountName: 'admin', password: PASSWORD } } });
      assert.equal(created.status, 201, created.text);
      tenant.enterpriseId = created.json['enterpriseId'];
      tenant.adminId = created.json['adminMemberId'];
      tenant.token = await tokenOf(tenant.enterpriseId, 'admin');
    }
    // a signed-in member of enterprise A with no permissions at all
    const member = await call(host.url, 'POST', '/v1/members', { token: a.token, body: { accountName: 'nobody', password: PASSWORD } });
    assert.equal(member.status, 201, member.text);
    plain = { id: member.json['id'], token: await tokenOf(a.enterpriseId, 'nobody') };
    assert.deepEqual(decodeJwt(plain.token)['perms'] ?? [], [], 'a plain member holds no permissions');

    // one resource of enterprise A per collection that has `{id}` routes
    const collections = new Set(routes.filter((r) => r.params.some(isIdParam)).map((r) => collectionOf(r.template)));
    for (const collection of collections) {
      if (collection === undefined) continue;
      const createRoute = routes.find((r) => r.method === 'POST' && r.template.endsWith(`/${collection}`) && r.params.length === 0);
      if (!createRoute) continue;
      const body = CREATE_BODIES[collection]?.() ?? { name: `Matrix ${collection} ${randomUUID().slice(0, 8)}` };
      const created = await call(host.url, 'POST', createRoute.template, { token: a.token, body });
      const id: unknown = created.json['id'];
      if (created.status === 201 && typeof id === 'string') resources.set(collection, id);
      else assert.ok(!MUST_CREATE.has(collection), `creating a ${collection} in enterprise A: ${created.status} ${created.text}`);
    }
    // an import is created by uploading a file (a raw CSV body, not JSON)
    const upload = await fetch(`${host.url}/v1/lead-imports`, { method: 'POST', headers: { authorization: `Bearer ${a.token}`, 'content-type': 'text/csv' }, body: 'Name,Mobile\r\nMatrix,13900000000\r\n' });
    const uploaded = (await upload.json()) as { id?: unknown };
    assert.equal(upload.status, 201, JSON.stringify(uploaded));
    resources.set('lead-imports', String(uploaded.id));
    // a lead sharing nothing is a contact of its own, named by the lead's id (LEAD-3)
    if (resources.has('leads')) resources.set('contacts', resources.get('leads')!);
    // reads are eventually consistent: wait until A sees its own resources
    for (const [collection, id] of resources) {
      const read = readRouteOf(collection);
      if (read) await eventually(() => call(host.url, 'GET', pathOf(read, () => id), { token: a.token }), (r) => r.status === 200);
    }
  });

  after(async () => {
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('discovers the routes of every service from /docs-json, and the allow-lists name only routes that exist', (t: TestContext) => {
    const keys = new Set(routes.map(keyOf));
    t.diagnostic(`${routes.length} routes: ${[...keys].join(', ')}`);
    for (const prefix of ['/v1/members', '/v1/departments', '/v1/leads', '/v1/auth/login', '/v1/enterprises']) {
      assert.ok(
        routes.some((r) => r.template.startsWith(prefix)),
        `no ${prefix} route in the OpenAPI document`,
      );
    }
    for (const key of [...PUBLIC, ...SELF_SERVICE]) assert.ok(keys.has(key), `allow-listed route ${key} no longer exists: update the allow-list`);
  });

  it('public routes (allow-listed) answer without a token, and docs are served', async () => {
    for (const route of routes.filter((r) => PUBLIC.has(keyOf(r)))) {
      const res = await call(host.url, route.method, pathOf(route, () => randomUUID()), route.hasBody ? { body: {} } : {});
      assert.notEqual(res.status, 401, `${keyOf(route)} is public by design: ${res.text}`);
      assert.ok(res.status < 500, `${keyOf(route)}: ${res.text}`);
    }
    assert.equal((await call(host.url, 'GET', '/docs')).status, 200);
  });

  it('every other route answers 401 problem+json to no token, a malformed header, an expired, a tampered and a foreign-key token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const adminClaims = { sub: a.adminId, tid: a.enterpriseId, perms: ['*'], adm: true };
    const expired = await mint(adminClaims, now - 120);
    // tampered: a valid token whose signature no longer matches (last signature character changed)…
    const sig = a.token.slice(a.token.lastIndexOf('.') + 1);
    const flipped = `${a.token.slice(0, a.token.lastIndexOf('.') + 1)}${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    // …and a plain member's token whose payload was rewritten to claim administrator rights
    const [head, , signature] = plain.token.split('.');
    const escalated = `${head}.${Buffer.from(JSON.stringify({ ...decodeJwt(plain.token), perms: ['*'], adm: true })).toString('base64url')}.${signature}`;
    // a token signed by another Ed25519 key, even under the host's key id
    const { privateKey: foreignKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    assert.ok((await exportJWK(foreignKey)).d, 'a real Ed25519 key');
    const foreign = await new SignJWT(adminClaims)
      .setProtectedHeader({ alg: 'EdDSA', kid: hostKid, typ: 'at+jwt' })
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(foreignKey);

    const cases: Array<[string, string | undefined, string]> = [
      ['no token', undefined, 'unauthenticated'],
      ['expired', expired, 'token-expired'],
      ['tampered signature', flipped, 'invalid-token'],
      ['tampered payload', escalated, 'invalid-token'],
      ['foreign key', foreign, 'invalid-token'],
    ];
    const guarded = routes.filter((r) => !PUBLIC.has(keyOf(r)));
    assert.ok(guarded.length > 0);
    for (const route of guarded) {
      const path = pathOf(route, (name) => (name === 'id' ? (resources.get(collectionOf(route.template) ?? '') ?? randomUUID()) : randomUUID()));
      for (const [label, token, code] of cases) {
        const res = await call(host.url, route.method, path, { ...(token === undefined ? {} : { token }), ...(route.hasBody ? { body: {} } : {}) });
        assertProblem(res, 401, `${keyOf(route)} with ${label} (neither guarded nor on PUBLIC?)`, code);
        assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/, `${keyOf(route)} ${label}`);
      }
      const basic = await fetch(`${host.url}${path}`, { method: route.method, headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
      assert.equal(basic.status, 401, `${keyOf(route)} with a Basic header`);
    }
  });

  it('a signed-in member without permissions gets 403 on every route that requires one (real and minted tokens)', async () => {
    const minted = await mint({ sub: plain.id, tid: a.enterpriseId, perms: [] }, Math.floor(Date.now() / 1000) + 120);
    for (const route of routes.filter((r) => !PUBLIC.has(keyOf(r)))) {
      const path = pathOf(route, (name) => (name === 'id' ? (resources.get(collectionOf(route.template) ?? '') ?? randomUUID()) : randomUUID()));
      for (const [label, token] of [
        ['signed-in', plain.token],
        ['minted', minted],
      ] as const) {
        const res = await call(host.url, route.method, path, { token, ...(route.hasBody ? { body: {} } : {}) });
        if (SELF_SERVICE.has(keyOf(route))) {
          assert.notEqual(res.status, 401, `${keyOf(route)} (${label}): a member's valid token is accepted`);
          assert.ok(!(res.status === 403 && res.json['code'] === 'missing-permissions'), `${keyOf(route)} is self-service but needs a permission`);
        } else {
          assertProblem(res, 403, `${keyOf(route)} (${label}) needs no permission: add @RequirePermissions or put it on SELF_SERVICE`);
        }
      }
    }
  });

  it('a validly signed token for a member or enterprise that does not exist is never a 5xx', async () => {
    const exp = Math.floor(Date.now() / 1000) + 120;
    const ghosts = [
      await mint({ sub: randomUUID(), tid: a.enterpriseId, perms: ['*'] }, exp), // unknown member of a real enterprise
      await mint({ sub: randomUUID(), tid: randomUUID(), perms: ['*'] }, exp), // unknown enterprise
      await mint({ sub: 'not-a-uuid', tid: 'not-a-uuid', perms: ['*'] }, exp), // ids of another shape
    ];
    for (const route of routes.filter((r) => !PUBLIC.has(keyOf(r)))) {
      for (const token of ghosts) {
        // random ids: such a token is signed by identity's own key, so it is trusted with what it claims
        const res = await call(host.url, route.method, pathOf(route, () => randomUUID()), { token, ...(route.hasBody ? { body: {} } : {}) });
        assert.ok(res.status < 500, `${keyOf(route)} with a ghost token: ${res.status} ${res.text}`);
      }
    }
  });

  it('id path parameters that are not UUIDs are a 400, never a 5xx', async () => {
    for (const route of routes.filter((r) => !PUBLIC.has(keyOf(r)) && r.params.some(isIdParam))) {
      const res = await call(host.url, route.method, pathOf(route, () => NOT_A_UUID), { token: a.token, ...(route.hasBody ? { body: VALID_BODIES[keyOf(route)] ?? {} } : {}) });
      assertProblem(res, 400, `${keyOf(route)} with id ${NOT_A_UUID}`);
    }
  });

  it('other path parameters with an unknown value are a 4xx, never a 5xx', async () => {
    for (const route of routes.filter((r) => !PUBLIC.has(keyOf(r)) && r.params.some((p) => !isIdParam(p)))) {
      const path = route.template.replace(/\{([^}]+)\}/g, (_m, name: string) => (isIdParam(name) ? randomUUID() : 'no-such-value'));
      const res = await call(host.url, route.method, path, { token: a.token, ...(route.hasBody ? { body: {} } : {}) });
      assert.ok(res.status >= 400 && res.status < 500, `${route.method} ${path}: ${res.status} ${res.text}`);
      assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/, `${route.method} ${path}`);
    }
  });

  it("another enterprise's ids are a 404 for every {id} route (never 2xx/403 leaking existence)", async (t: TestContext) => {
    t.diagnostic(`enterprise A's resources: ${[...resources].map(([c, id]) => `${c}=${id}`).join(', ')}`);
    const randomOnly: string[] = [];
    for (const route of routes.filter((r) => !PUBLIC.has(keyOf(r)) && r.params.some(isIdParam))) {
      const collection = collectionOf(route.template) ?? '';
      const realId = resources.get(collection);
      if (realId === undefined) randomOnly.push(keyOf(route));
      const path = pathOf(route, (name) => (name === 'id' ? (realId ?? randomUUID()) : randomUUID()));
      const known = VALID_BODIES[keyOf(route)];
      const res = await call(host.url, route.method, path, { token: b.token, ...(route.hasBody ? { body: known ?? {} } : {}) });
      const where = `${keyOf(route)} as enterprise B on A's ${realId ? collection : 'random id'}`;
      if (!route.hasBody || known !== undefined) assertProblem(res, 404, where);
      else assert.ok([400, 404, 422].includes(res.status), `${where}: ${res.status} ${res.text}`);
    }
    // A still sees its resources untouched: nothing B did reached them
    for (const [collection, id] of resources) {
      const read = readRouteOf(collection);
      if (!read) continue;
      const res = await call(host.url, 'GET', pathOf(read, () => id), { token: a.token });
      assert.equal(res.status, 200, `${collection} ${id}: ${res.text}`);
    }
    const member = await call(host.url, 'GET', `/v1/members/${resources.get('members')}`, { token: a.token });
    assert.notEqual(member.json['realName'], 'Someone Else');
    assert.equal(member.json['status'], 'enabled');
    if (randomOnly.length > 0) t.diagnostic(`covered with a random id only (no known way to create one): ${randomOnly.join(', ')}`);
  });

  it("another enterprise's ids inside request bodies are refused per item, never acted on", async () => {
    const memberA = resources.get('members')!;
    const departmentA = resources.get('departments')!;
    const batch = await call(host.url, 'POST', '/v1/members/batch/disable', { token: b.token, body: { ids: [memberA] } });
    assert.equal(batch.status, 200, batch.text);
    assert.equal(batch.json['succeeded'], 0, batch.text);
    assert.equal(batch.json['results'][0]['error']['status'], 404, batch.text);
    const child = await call(host.url, 'POST', '/v1/departments', { token: b.token, body: { name: 'Under A', parentId: departmentA } });
    assert.ok([404, 422].includes(child.status), `a department under A's department: ${child.text}`);
    if (routes.some((r) => keyOf(r) === 'POST /v1/roles')) {
      const role = await call(host.url, 'POST', '/v1/roles', { token: b.token, body: { name: `B role ${randomUUID().slice(0, 8)}`, packages: [], memberIds: [memberA] } });
      assert.ok(role.status < 500, role.text);
      if (role.status === 201) assert.equal(role.json['succeeded'], 0, `B assigned a role to A's member: ${role.text}`);
    }
    const member = await call(host.url, 'GET', `/v1/members/${memberA}`, { token: a.token });
    assert.equal(member.json['status'], 'enabled', 'B did not disable A\'s member');
  });

  it('no route answered 5xx during the walk', (t: TestContext) => {
    const guarded = routes.filter((r) => !PUBLIC.has(keyOf(r))).length;
    const withIds = routes.filter((r) => !PUBLIC.has(keyOf(r)) && r.params.some(isIdParam)).length;
    t.diagnostic(`matrix: ${routes.length} routes (${routes.length - guarded} public, ${guarded} guarded, ${withIds} with ids); ${requests} requests so far`);
    assert.deepEqual(serverErrors, []);
  });

  describe('how fast a permission change reaches a token (ACCESS_TOKEN_TTL_SECONDS=60)', () => {
    it('tokens carry their permissions and live ACCESS_TOKEN_TTL_SECONDS; after exp they are 401 everywhere', async () => {
      const claims = decodeJwt(plain.token);
      assert.equal(claims.exp! - claims.iat!, 60, 'the access token lives ACCESS_TOKEN_TTL_SECONDS');
      // instead of waiting a minute: the same claims with exp in the past. Verifiers allow 5 s of clock
      // skew (JwtTokenVerifier clockToleranceSeconds), so a token is refused at most exp + 5 s
      const now = Math.floor(Date.now() / 1000);
      const adminClaims = { sub: a.adminId, tid: a.enterpriseId, perms: ['*'], adm: true };
      assert.equal((await call(host.url, 'GET', '/v1/leads', { token: await mint(adminClaims, now - 2) })).status, 200, 'within the clock tolerance');
      const stale = await mint(adminClaims, now - TOLERANCE - 1);
      for (const path of ['/v1/members', '/v1/departments', '/v1/leads']) {
        assertProblem(await call(host.url, 'GET', path, { token: stale }), 401, path, 'token-expired');
      }
    });

    it('a management grant reaches the member at its next sign-in; a revoke is immediate on member routes, elsewhere bounded by exp', async () => {
      const created = await call(host.url, 'POST', '/v1/members', { token: a.token, body: { accountName: 'promoted', password: PASSWORD } });
      assert.equal(created.status, 201, created.text);
      const id = created.json['id'] as string;
      const before = await tokenOf(a.enterpriseId, 'promoted');
      assertProblem(await call(host.url, 'GET', '/v1/departments', { token: before }), 403, 'before the grant', 'missing-permissions');

      assert.equal((await call(host.url, 'PUT', `/v1/members/${id}/management`, { token: a.token, body: { manager: true } })).status, 204);
      // the old token still carries no permission: the grant is not in it
      assertProblem(await call(host.url, 'GET', '/v1/departments', { token: before }), 403, 'old token after the grant', 'missing-permissions');
      const granted = await tokenOf(a.enterpriseId, 'promoted');
      const grantedPerms = decodeJwt(granted)['perms'] as string[];
      assert.ok(grantedPerms.includes('org:read') && grantedPerms.includes('org:manage'), JSON.stringify(grantedPerms));
      assert.equal((await call(host.url, 'GET', '/v1/departments', { token: granted })).status, 200, 'a fresh sign-in reflects the grant');
      assert.equal((await call(host.url, 'GET', '/v1/members', { token: granted })).status, 200);

      assert.equal((await call(host.url, 'PUT', `/v1/members/${id}/management`, { token: a.token, body: { manager: false } })).status, 204);
      // identity's member routes check the caller against the event store on every request: at once
      assertProblem(
        await call(host.url, 'POST', '/v1/members', { token: granted, body: { accountName: 'after-revoke', password: PASSWORD } }),
        403,
        'member route after the revoke',
        'identity.management-required',
      );
      // routes that trust the token alone keep honouring it until it expires (≤ ACCESS_TOKEN_TTL_SECONDS)…
      assert.equal((await call(host.url, 'GET', '/v1/departments', { token: granted })).status, 200, 'stale until exp');
      const exp = decodeJwt(granted).exp!;
      assert.ok(exp - Math.floor(Date.now() / 1000) <= 60, 'the window is bounded by the 60 s lifetime');
      // …and not beyond: the same token past its expiry (+ the 5 s clock tolerance) is 401
      const expiredTwin = await mint({ sub: id, tid: a.enterpriseId, perms: ['org:read', 'org:manage'] }, Math.floor(Date.now() / 1000) - TOLERANCE - 1);
      assertProblem(await call(host.url, 'GET', '/v1/departments', { token: expiredTwin }), 401, 'after exp', 'token-expired');
      // the next sign-in no longer carries the permission
      const revoked = await tokenOf(a.enterpriseId, 'promoted');
      assert.deepEqual(decodeJwt(revoked)['perms'] ?? [], []);
      assertProblem(await call(host.url, 'GET', '/v1/departments', { token: revoked }), 403, 'after re-sign-in', 'missing-permissions');
    });
  });
});
