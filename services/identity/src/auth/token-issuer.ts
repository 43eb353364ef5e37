import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DomainError, handleCommand, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { rolePermissionsOf } from '../role/effective-permissions';
import type { IdentityOptions } from '../identity.tokens';
import { SESSION_CATEGORY, sessionDecider } from './session/session.decider';

/** Extra audience of tokens meant for the customer-service client (ORG-3); never for marketing-only members. */
export const CLIENT_AUDIENCE = 'leadstream-client';
/** Refresh tokens (and so sessions) live 30 days from sign-in; refreshing does not extend that. */
export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

export type LoginAudience = 'api' | 'client';

export const marketingOnlyRefused = () =>
  new DomainError('forbidden', 'identity.marketing-only', 'Marketing-only members may use the account centre and the APIs, but not the client.');

export const sessionStreamId = (sessionId: string) => streamIdOf(SESSION_CATEGORY, sessionId);

/** An opaque refresh token: `<sessionId>.<256 random bits, base64url>`. Only its SHA-256 hash is stored. */
export function newRefreshToken(sessionId: string): string {
  return `${sessionId}.${randomBytes(32).toString('base64url')}`;
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The session id of a well-formed refresh token, else null. */
export function sessionIdOf(token: string): string | null {
  const dot = token.indexOf('.');
  if (dot < 0) return null;
  const sessionId = token.slice(0, dot);
  return UUID.test(sessionId) && token.length - dot - 1 === 43 ? sessionId.toLowerCase() : null;
}

export interface TokenSubject {
  readonly memberId: string;
  readonly enterpriseId: string;
  readonly isAdmin: boolean;
  readonly manager: boolean;
}

export interface IssuedTokens {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
  readonly refreshToken: string;
}

/** Signs an access token with the member's current permissions (read now, not when the session began). */
export async function signAccessToken(store: EventStore, options: IdentityOptions, subject: TokenSubject, audiences: readonly string[]): Promise<{ accessToken: string; expiresIn: number }> {
  const ttl = options.accessTokenTtlSeconds ?? 900;
  const accessToken = await options.signingKeys.sign(
    {
      sub: subject.memberId,
      tid: subject.enterpriseId,
      adm: subject.isAdmin,
      // ORG-7: managers hold org:manage (and org:read); ORG-8: plus the union of the member's roles
      perms: subject.isAdmin
        ? ['*']
        : [...new Set([...(subject.manager ? ['org:read', 'org:manage'] : []), ...(await rolePermissionsOf(store, subject.memberId, subject.enterpriseId))])].sort(),
    },
    ttl,
    audiences,
  );
  return { accessToken, expiresIn: ttl };
}

/** A successful sign-in: an access token and a new session with its first refresh token. */
export async function startSession(
  store: EventStore,
  options: IdentityOptions,
  subject: TokenSubject,
  audiences: readonly string[],
  correlationId: string,
): Promise<IssuedTokens> {
  const { accessToken, expiresIn } = await signAccessToken(store, options, subject, audiences);
  const sessionId = randomUUID();
  const refreshToken = newRefreshToken(sessionId);
  await handleCommand(
    store,
    sessionStreamId(sessionId),
    sessionDecider,
    {
      kind: 'StartSession',
      sessionId,
      memberId: subject.memberId,
      enterpriseId: subject.enterpriseId,
      tokenHash: hashRefreshToken(refreshToken),
      audiences,
      now: new Date().toISOString(),
      lifetimeMs: SESSION_LIFETIME_MS,
    },
    { tenantId: subject.enterpriseId, correlationId, causationId: null, actor: subject.memberId },
  );
  return { accessToken, tokenType: 'Bearer', expiresIn, refreshToken };
}
