// Ed25519 keys and access tokens for the platform's own tests.
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from '../auth/principal';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function makeKey(kid: string): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  return { kid, privateKey, publicJwk };
}

export interface TokenInit {
  sub?: string;
  tid?: string;
  perms?: string[];
  adm?: boolean;
  jti?: string;
  iss?: string;
  aud?: string;
  exp?: number | string;
  kid?: string;
}

export async function signToken(key: SigningKey, init: TokenInit = {}): Promise<string> {
  const claims: Record<string, unknown> = {
    tid: init.tid ?? 'tenant-1',
    perms: init.perms ?? ['leads:read'],
    adm: init.adm ?? false,
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: init.kid ?? key.kid, typ: 'at+jwt' })
    .setSubject(init.sub ?? 'member-1')
    .setIssuer(init.iss ?? ACCESS_TOKEN_ISSUER)
    .setAudience(init.aud ?? ACCESS_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setJti(init.jti ?? 'token-1')
    .setExpirationTime(init.exp ?? '5m')
    .sign(key.privateKey);
}
