import 'reflect-metadata';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Get, Injectable, Module, Post } from '@nestjs/common';
import type { JSONWebKeySet, JWK } from 'jose';
import { bootApp, type BootedApp } from '../testing-support/boot';
import { makeKey, signToken as sign, type SigningKey } from '../testing-support/tokens';
import { AuthModule } from './auth.module';
import { CurrentPrincipal, Public, RequirePermissions } from './decorators';
import { accessTokenVerifier, localJwks } from './jwt-token-verifier';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, type Principal } from './principal';

/** The identity service's key ring, as a host would provide it (keys can be added at run time). */
@Injectable()
class KeyRing {
  readonly keys: JWK[] = [];
  jwks(): JSONWebKeySet {
    return { keys: this.keys };
  }
}

@Module({ providers: [KeyRing], exports: [KeyRing] })
class KeyRingModule {}

@Controller('leads')
@RequirePermissions('leads:read')
class LeadsController {
  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return { principal };
  }

  @Post()
  @RequirePermissions('leads:write')
  create(@CurrentPrincipal() principal: Principal) {
    return { createdBy: principal.memberId };
  }

  @Get('open')
  @Public()
  open(@CurrentPrincipal() principal: Principal | undefined) {
    return { principal: principal ?? null };
  }
}

@Controller('status')
@Public()
class StatusController {
  @Get()
  status() {
    return { ok: true };
  }
}

@Module({
  imports: [
    KeyRingModule,
    AuthModule.forRoot({
      imports: [KeyRingModule],
      verifier: {
        useFactory: (ring: KeyRing) => accessTokenVerifier(localJwks(() => ring.jwks())),
        inject: [KeyRing],
      },
    }),
  ],
  controllers: [LeadsController, StatusController],
})
class AuthTestModule {}

describe('AuthGuard (JWT bearer tokens, permissions, @Public)', () => {
  let booted: BootedApp;
  let key: SigningKey;
  let otherKey: SigningKey;

  before(async () => {
    booted = await bootApp(AuthTestModule);
    key = await makeKey('key-1');
    otherKey = await makeKey('key-1'); // same kid, different key: a forged signature
    booted.app.get(KeyRing).keys.push(key.publicJwk);
  });
  after(async () => {
    await booted.app.close();
  });

  const get = (url: string, token?: string, method: 'GET' | 'POST' = 'GET') =>
    booted.app.inject({
      method,
      url,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      ...(method === 'POST' ? { payload: {} } : {}),
    });

  function assert401(res: Awaited<ReturnType<typeof get>>, code: string) {
    assert.equal(res.statusCode, 401);
    assert.equal(res.headers['content-type'], 'application/problem+json');
    assert.match(String(res.headers['www-authenticate']), /^Bearer/);
    const body = res.json();
    assert.equal(body.status, 401);
    assert.equal(body.code, code);
    return body;
  }

  it('rejects a request without a token with 401 and WWW-Authenticate: Bearer', async () => {
    const res = await get('/leads');
    assert401(res, 'unauthenticated');
    assert.equal(res.headers['www-authenticate'], 'Bearer');
  });

  it('rejects a non-bearer Authorization header', async () => {
    const res = await booted.app.inject({ method: 'GET', url: '/leads', headers: { authorization: 'Basic YWRhOnNlY3JldA==' } });
    assert401(res, 'invalid-token');
  });

  it('rejects garbage, a bad signature, alg none and an HMAC token', async () => {
    assert401(await get('/leads', 'not.a.jwt'), 'invalid-token');
    const forged = await sign(otherKey);
    const forgedRes = await get('/leads', forged);
    assert401(forgedRes, 'invalid-token');
    assert.match(String(forgedRes.headers['www-authenticate']), /error="invalid_token"/);

    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const payload = { sub: 'member-1', tid: 'tenant-1', perms: ['*'], adm: true, iss: ACCESS_TOKEN_ISSUER, aud: ACCESS_TOKEN_AUDIENCE, exp: now + 300 };
    assert401(await get('/leads', `${b64({ alg: 'none' })}.${b64(payload)}.`), 'invalid-token');

    const { createHmac } = await import('node:crypto');
    const head = `${b64({ alg: 'HS256', kid: 'key-1' })}.${b64(payload)}`;
    const mac = createHmac('sha256', JSON.stringify(key.publicJwk)).update(head).digest('base64url');
    assert401(await get('/leads', `${head}.${mac}`), 'invalid-token');
  });

  it('rejects an expired token with code token-expired', async () => {
    const expired = await sign(key, { exp: Math.floor(Date.now() / 1000) - 60 });
    const res = await get('/leads', expired);
    assert401(res, 'token-expired');
    assert.match(String(res.headers['www-authenticate']), /error="invalid_token"/);
  });

  it('rejects a token for another audience or from another issuer', async () => {
    assert401(await get('/leads', await sign(key, { aud: 'some-other-api' })), 'invalid-token');
    assert401(await get('/leads', await sign(key, { iss: 'someone-else' })), 'invalid-token');
  });

  it('rejects a token without a tenant', async () => {
    assert401(await get('/leads', await sign(key, { tid: '' })), 'invalid-token');
  });

  it('attaches the principal of a valid token', async () => {
    const res = await get('/leads', await sign(key, { sub: 'member-7', tid: 'tenant-9', perms: ['leads:read'], jti: 'jti-7' }));
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().principal, {
      tenantId: 'tenant-9',
      memberId: 'member-7',
      permissions: ['leads:read'],
      isAdmin: false,
      tokenId: 'jti-7',
    });
  });

  it('answers a missing permission with 403 naming it (method- and class-level)', async () => {
    const reader = await sign(key, { perms: ['leads:read'] });
    const res = await get('/leads', reader, 'POST');
    assert.equal(res.statusCode, 403);
    assert.equal(res.headers['content-type'], 'application/problem+json');
    const body = res.json();
    assert.equal(body.code, 'missing-permissions');
    assert.match(body.detail, /leads:write/);

    const nobody = await sign(key, { perms: ['contacts:read'] });
    const classLevel = await get('/leads', nobody);
    assert.equal(classLevel.statusCode, 403);
    assert.match(classLevel.json().detail, /leads:read/);
    // method and class requirements add up: leads:write alone is not enough for POST /leads
    const writerOnly = await get('/leads', await sign(key, { perms: ['leads:write'] }), 'POST');
    assert.equal(writerOnly.statusCode, 403);
    assert.match(writerOnly.json().detail, /leads:read/);
  });

  it('lets wildcards and admins through', async () => {
    const wildcard = await get('/leads', await sign(key, { perms: ['leads:*'] }), 'POST');
    assert.equal(wildcard.statusCode, 201);
    assert.deepEqual(wildcard.json(), { createdBy: 'member-1' });
    const star = await get('/leads', await sign(key, { perms: ['*'] }), 'POST');
    assert.equal(star.statusCode, 201);
    const admin = await get('/leads', await sign(key, { perms: [], adm: true }), 'POST');
    assert.equal(admin.statusCode, 201);
  });

  it('lets @Public routes and controllers through without a token (even with a bad one)', async () => {
    const open = await get('/leads/open');
    assert.equal(open.statusCode, 200);
    assert.deepEqual(open.json(), { principal: null });
    const withBadToken = await get('/leads/open', 'garbage');
    assert.equal(withBadToken.statusCode, 200);
    const status = await get('/status');
    assert.equal(status.statusCode, 200);
    assert.deepEqual(status.json(), { ok: true });
  });

  it('accepts tokens of a key added to the key ring later (rotation)', async () => {
    const next = await makeKey('key-2');
    const token = await sign(next);
    assert401(await get('/leads', token), 'invalid-token');
    booted.app.get(KeyRing).keys.push(next.publicJwk);
    assert.equal((await get('/leads', token)).statusCode, 200);
    // the old key still works until it is removed
    assert.equal((await get('/leads', await sign(key))).statusCode, 200);
    booted.app.get(KeyRing).keys.splice(0, 1);
    assert401(await get('/leads', await sign(key)), 'invalid-token');
    booted.app.get(KeyRing).keys.unshift(key.publicJwk);
  });
});
