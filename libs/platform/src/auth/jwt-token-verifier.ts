import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type CryptoKey, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, type Principal, type TokenVerifier } from './principal';

/** Why a token was refused. `expired` lets clients know a refresh may help. */
export type InvalidTokenReason = 'malformed' | 'expired' | 'invalid';

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
  constructor(readonly reason: InvalidTokenReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface JwtTokenVerifierOptions {
  /** Key lookup: `remoteJwks(url)`, `localJwks(() => jwks)`, or any jose JWTVerifyGetKey. */
  readonly keys: JWTVerifyGetKey;
  readonly issuer: string;
  readonly audience: string;
  /** Accepted `alg` values; default asymmetric only: EdDSA/Ed25519, ES256, RS256, PS256. */
  readonly algorithms?: readonly string[];
  /** Allowed clock skew for `exp`/`nbf`, in seconds (default 5). */
  readonly clockToleranceSeconds?: number;
}

export const DEFAULT_JWT_ALGORITHMS: readonly string[] = ['EdDSA', 'Ed25519', 'ES256', 'RS256', 'PS256'];

/**
 * Verifies access tokens (signature, `iss`, `aud`, `exp`/`nbf`) and maps their claims:
 * `sub` → memberId, `tid` → tenantId, `perms` → permissions, `adm` → isAdmin, `jti` → tokenId.
 * With local keys this is pure CPU work: no network per request.
 */
export class JwtTokenVerifier implements TokenVerifier {
  private readonly algorithms: string[];

  constructor(private readonly options: JwtTokenVerifierOptions) {
    this.algorithms = [...(options.algorithms ?? DEFAULT_JWT_ALGORITHMS)];
  }

  async verify(token: string): Promise<Principal> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 16_384) {
      throw new InvalidTokenError('malformed', 'the access token is malformed');
    }
    let payload: JWTPayload;
    try {
      payload = await this.verifyPayload(token);
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new InvalidTokenError('expired', 'the access token has expired', { cause: error });
      if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) {
        throw new InvalidTokenError('malformed', 'the access token is malformed', { cause: error });
      }
      throw new InvalidTokenError('invalid', 'the access token is invalid', { cause: error });
    }
    return principalFromClaims(payload);
  }

  private async verifyPayload(token: string): Promise<JWTPayload> {
    const options = {
      issuer: this.options.issuer,
      audience: this.options.audience,
      algorithms: this.algorithms,
      clockTolerance: this.options.clockToleranceSeconds ?? 5,
    };
    try {
      return (await jwtVerify(token, this.options.keys, options)).payload;
    } catch (error) {
      // Several keys match the token's header (same kid, or no kid during a rotation): jose hands
      // them over to be tried one by one. A key whose signature checks out decides the outcome.
      if (!(error instanceof joseErrors.JWKSMultipleMatchingKeys)) throw error;
      let lastError: unknown = error;
      for await (const key of error as unknown as AsyncIterable<CryptoKey>) {
        try {
          return (await jwtVerify(token, key, options)).payload;
        } catch (candidateError) {
          if (!(candidateError instanceof joseErrors.JWSSignatureVerificationFailed)) throw candidateError;
          lastError = candidateError;
        }
      }
      throw lastError;
    }
  }
}

/** Maps verified access-token claims to a Principal; throws InvalidTokenError when they are incomplete. */
export function principalFromClaims(payload: JWTPayload): Principal {
  const { sub, jti } = payload;
  const tid = payload['tid'];
  const perms = payload['perms'] ?? [];
  const adm = payload['adm'] ?? false;
  if (typeof sub !== 'string' || sub.length === 0) throw new InvalidTokenError('invalid', 'the access token has no subject');
  if (typeof tid !== 'string' || tid.length === 0) throw new InvalidTokenError('invalid', 'the access token has no tenant');
  if (!Array.isArray(perms) || !perms.every((p): p is string => typeof p === 'string')) {
    throw new InvalidTokenError('invalid', 'the access token has malformed permissions');
  }
  if (typeof adm !== 'boolean') throw new InvalidTokenError('invalid', 'the access token has a malformed admin flag');
  if (jti !== undefined && typeof jti !== 'string') throw new InvalidTokenError('invalid', 'the access token has a malformed id');
  const principal: Principal = {
    tenantId: tid,
    memberId: sub,
    permissions: Object.freeze([...perms]),
    isAdmin: adm,
    ...(jti !== undefined ? { tokenId: jti } : {}),
  };
  return Object.freeze(principal);
}

export interface RemoteJwksOptions {
  /** Minimum time between refetches triggered by an unknown `kid` (ms, default 30 s). */
  readonly cooldownDuration?: number;
  /** How long fetched keys are trusted before a refetch (ms, default 10 min). */
  readonly cacheMaxAge?: number;
  /** HTTP timeout of a fetch (ms, default 5 s). */
  readonly timeoutDuration?: number;
}

/** Keys fetched from a JWKS URL, cached (10 min) with a cooldown (30 s) between refetches. */
export function remoteJwks(url: string, options: RemoteJwksOptions = {}): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(url), {
    cooldownDuration: options.cooldownDuration ?? 30_000,
    cacheMaxAge: options.cacheMaxAge ?? 600_000,
    timeoutDuration: options.timeoutDuration ?? 5_000,
  });
}

/**
 * Keys from an in-process key set, re-read on each verification so that rotation takes effect at
 * once (also when the same object is changed in place). The imported keys are reused as long as the
 * key set's JSON is unchanged, so a verification costs one small JSON.stringify, not a key import.
 */
export function localJwks(getJwks: () => JSONWebKeySet): JWTVerifyGetKey {
  let lastFingerprint: string | undefined;
  let current: JWTVerifyGetKey | undefined;
  return (protectedHeader, token) => {
    const fingerprint = JSON.stringify(getJwks());
    if (current === undefined || fingerprint !== lastFingerprint) {
      current = createLocalJWKSet(JSON.parse(fingerprint) as JSONWebKeySet);
      lastFingerprint = fingerprint;
    }
    return current(protectedHeader, token);
  };
}

/** A JwtTokenVerifier for Leadstream access tokens (issuer/audience constants preset). */
export function accessTokenVerifier(keys: JWTVerifyGetKey, options: Partial<Omit<JwtTokenVerifierOptions, 'keys'>> = {}): JwtTokenVerifier {
  return new JwtTokenVerifier({ issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE, ...options, keys });
}
