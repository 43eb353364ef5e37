/** The authenticated caller of a request, as read from its access token. */
export interface Principal {
  readonly tenantId: string;
  readonly memberId: string;
  readonly permissions: readonly string[];
  readonly isAdmin: boolean;
  /** The token's `jti`, when it has one. */
  readonly tokenId?: string;
}

/** Verifies an access token and returns its principal; rejects for any invalid, expired or foreign token. */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

/** DI token of the TokenVerifier the AuthGuard uses. */
export const TOKEN_VERIFIER: unique symbol = Symbol.for('@leadstream/platform:TOKEN_VERIFIER');

/** `iss` of access tokens minted by the identity service. */
export const ACCESS_TOKEN_ISSUER = 'leadstream-identity';
/** `aud` of access tokens accepted by the API services. */
export const ACCESS_TOKEN_AUDIENCE = 'leadstream-api';

/**
 * Whether `principal` holds `permission`: admins and holders of `*` hold everything; `leads:*`
 * grants every permission starting with `leads:` (`leads:read`, `leads:notes:write`); otherwise an
 * exact match is needed.
 */
export function hasPermission(principal: Pick<Principal, 'isAdmin' | 'permissions'>, permission: string): boolean {
  if (principal.isAdmin) return true;
  for (const granted of principal.permissions) {
    if (granted === '*' || granted === permission) return true;
    if (granted.endsWith(':*') && permission.startsWith(granted.slice(0, -1))) return true;
  }
  return false;
}

/** The permissions of `required` that `principal` lacks (empty when it holds them all). */
export function missingPermissions(principal: Pick<Principal, 'isAdmin' | 'permissions'>, required: readonly string[]): string[] {
  return required.filter((p) => !hasPermission(principal, p));
}

/** Key under which the AuthGuard attaches the principal to the (Fastify) request. */
export const PRINCIPAL_KEY = 'principal';

/** The principal the AuthGuard attached to a request, if any (public routes have none). */
export function principalOf(request: unknown): Principal | undefined {
  const value = (request as Record<string, unknown> | undefined)?.[PRINCIPAL_KEY];
  return value && typeof value === 'object' ? (value as Principal) : undefined;
}
