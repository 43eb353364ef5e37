import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { bearerTokenOf } from './auth.guard';
import { InvalidTokenError, JwtTokenVerifier, localJwks, principalFromClaims, remoteJwks } from './jwt-token-verifier';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, hasPermission, missingPermissions, principalOf, TOKEN_VERIFIER } from './principal';

const p = (permissions: string[], isAdmin = false) => ({ permissions, isAdmin });

describe('hasPermission', () => {
  it('needs an exact match by default', () => {
    assert.equal(hasPermission(p(['leads:read']), 'leads:read'), true);
    assert.equal(hasPermission(p(['leads:read']), 'leads:write'), false);
    assert.equal(hasPermission(p(['leads:read']), 'leads:reader'), false);
    assert.equal(hasPermission(p([]), 'leads:read'), false);
  });
  it('grants everything to admins and to holders of *', () => {
    assert.equal(hasPermission(p([], true), 'billing:delete'), true);
    assert.equal(hasPermission(p(['*']), 'billing:delete'), true);
  });
  it('treats resource:* as every permission of that resource', () => {
    assert.equal(hasPermission(p(['leads:*']), 'leads:read'), true);
    assert.equal(hasPermission(p(['leads:*']), 'leads:notes:write'), true);
    assert.equal(hasPermission(p(['leads:*']), 'leadsx:read'), false);
    assert.equal(hasPermission(p(['leads:*']), 'contacts:read'), false);
    assert.equal(hasPermission(p(['leads:notes:*']), 'leads:read'), false);
  });
  it('lists missing permissions', () => {
    assert.deepEqual(missingPermissions(p(['leads:read']), ['leads:read', 'leads:write', 'contacts:read']), ['leads:write', 'contacts:read']);
    assert.deepEqual(missingPermissions(p([], true), ['leads:write']), []);
  });
});

describe('principalFromClaims', () => {
  it('maps sub/tid/perms/adm/jti', () => {
    assert.deepEqual(principalFromClaims({ sub: 'm', tid: 't', perms: ['a:b'], adm: true, jti: 'j' }), {
      tenantId: 't',
      memberId: 'm',
      permissions: ['a:b'],
      isAdmin: true,
      tokenId: 'j',
    });
    assert.deepEqual(principalFromClaims({ sub: 'm', tid: 't' }), { tenantId: 't', memberId: 'm', permissions: [], isAdmin: false });
  });
  it('refuses incomplete or malformed claims', () => {
    for (const claims of [{ tid: 't' }, { sub: 'm' }, { sub: 'm', tid: 't', perms: 'a:b' }, { sub: 'm', tid: 't', perms: [1] }, { sub: 'm', tid: 't', adm: 'yes' }]) {
      assert.throws(() => principalFromClaims(claims), InvalidTokenError, JSON.stringify(claims));
    }
  });
});

describe('bearerTokenOf', () => {
  it('extracts bearer tokens only', () => {
    assert.equal(bearerTokenOf('Bearer abc.def.ghi'), 'abc.def.ghi');
    assert.equal(bearerTokenOf('bearer abc'), 'abc');
    assert.equal(bearerTokenOf('Basic abc'), undefined);
    assert.equal(bearerTokenOf('Bearer'), undefined);
    assert.equal(bearerTokenOf('Bearer a b'), undefined);
    assert.equal(bearerTokenOf(undefined), undefined);
  });
});

describe('JwtTokenVerifier', () => {
  it('verifies an EdDSA token against a local JWKS and reports expiry distinctly', async () => {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1' };
    const verifier = new JwtTokenVerifier({ keys: localJwks(() => ({ keys: [jwk] })), issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE });
    const token = await new SignJWT({ tid: 't1', perms: ['leads:read'] })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k1' })
      .setSubject('m1')
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setExpirationTime('1m')
      .sign(privateKey);
    assert.deepEqual(await verifier.verify(token), { tenantId: 't1', memberId: 'm1', permissions: ['leads:read'], isAdmin: false });

    const expired = await new SignJWT({ tid: 't1' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k1' })
      .setSubject('m1')
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(privateKey);
    await assert.rejects(verifier.verify(expired), (e: unknown) => e instanceof InvalidTokenError && e.reason === 'expired');
    await assert.rejects(verifier.verify(''), (e: unknown) => e instanceof InvalidTokenError && e.reason === 'malformed');
  });

  it('tries every key when several match (no kid during a rotation), and still rejects a foreign one', async () => {
    const keys = await Promise.all([0, 1, 2].map(() => generateKeyPair('EdDSA', { crv: 'Ed25519' })));
    const jwks = { keys: [await exportJWK(keys[0]!.publicKey), await exportJWK(keys[1]!.publicKey)] };
    const verifier = new JwtTokenVerifier({ keys: localJwks(() => jwks), issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE });
    const tokenBy = (privateKey: CryptoKey, exp: number | string = '1m') =>
      new SignJWT({ tid: 't1' })
        .setProtectedHeader({ alg: 'EdDSA' })
        .setSubject('m1')
        .setIssuer(ACCESS_TOKEN_ISSUER)
        .setAudience(ACCESS_TOKEN_AUDIENCE)
        .setExpirationTime(exp)
        .sign(privateKey);
    assert.equal((await verifier.verify(await tokenBy(keys[0]!.privateKey))).memberId, 'm1');
    assert.equal((await verifier.verify(await tokenBy(keys[1]!.privateKey))).memberId, 'm1');
    await assert.rejects(verifier.verify(await tokenBy(keys[2]!.privateKey)), (e: unknown) => e instanceof InvalidTokenError && e.reason === 'invalid');
    const expired = await tokenBy(keys[1]!.privateKey, Math.floor(Date.now() / 1000) - 3600);
    await assert.rejects(verifier.verify(expired), (e: unknown) => e instanceof InvalidTokenError && e.reason === 'expired');
  });

  it('builds a remote JWKS getter without fetching anything up front', () => {
    const getKey = remoteJwks('https://identity.invalid/.well-known/jwks.json');
    assert.equal(typeof getKey, 'function');
  });
});

describe('principalOf / TOKEN_VERIFIER', () => {
  it('reads the attached principal', () => {
    const principal = { tenantId: 't', memberId: 'm', permissions: [], isAdmin: false };
    assert.equal(principalOf({ principal }), principal);
    assert.equal(principalOf({}), undefined);
    assert.equal(typeof TOKEN_VERIFIER, 'symbol');
  });
});
