import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemException } from '../http/problem-details';
import { IS_PUBLIC_KEY, REQUIRED_PERMISSIONS_KEY } from './decorators';
import { InvalidTokenError } from './jwt-token-verifier';
import { missingPermissions, PRINCIPAL_KEY, TOKEN_VERIFIER, type Principal, type TokenVerifier } from './principal';

const BEARER = /^Bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;

/** The token of an `Authorization: Bearer <token>` header; undefined when absent or not a bearer token. */
export function bearerTokenOf(authorization: unknown): string | undefined {
  const value: unknown = Array.isArray(authorization) ? (authorization as unknown[])[0] : authorization;
  if (typeof value !== 'string') return undefined;
  return BEARER.exec(value)?.[1];
}

function unauthorized(detail: string, code: string, wwwAuthenticate: string): ProblemException {
  return new ProblemException({ status: 401, code, detail }, { headers: { 'WWW-Authenticate': wwwAuthenticate } });
}

/**
 * Global guard (AuthModule registers it as APP_GUARD). `@Public()` routes pass untouched; every other
 * HTTP route needs a valid bearer access token (401 otherwise, with `WWW-Authenticate: Bearer`) and
 * every permission named by `@RequirePermissions()` (403 otherwise). The principal is attached to the
 * request (`principalOf(request)`, `@CurrentPrincipal()`). Non-HTTP contexts are not guarded.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets) === true) return true;

    const request = context.switchToHttp().getRequest<{ headers: Record<string, unknown>; [PRINCIPAL_KEY]?: Principal }>();
    const authorization = request.headers['authorization'];
    if (authorization === undefined) {
      throw unauthorized('An access token is required: send "Authorization: Bearer <token>".', 'unauthenticated', 'Bearer');
    }
    const token = bearerTokenOf(authorization);
    if (token === undefined) {
      throw unauthorized(
        'The Authorization header must be "Bearer <token>".',
        'invalid-token',
        'Bearer error="invalid_request", error_description="malformed Authorization header"',
      );
    }

    let principal: Principal;
    try {
      principal = await this.verifier.verify(token);
    } catch (error) {
      const expired = error instanceof InvalidTokenError && error.reason === 'expired';
      throw unauthorized(
        expired ? 'The access token has expired.' : 'The access token is invalid.',
        expired ? 'token-expired' : 'invalid-token',
        `Bearer error="invalid_token", error_description="${expired ? 'the token has expired' : 'the token is invalid'}"`,
      );
    }

    const required = this.reflector.getAllAndMerge<string[]>(REQUIRED_PERMISSIONS_KEY, targets) ?? [];
    const missing = missingPermissions(principal, [...new Set(required)]);
    if (missing.length > 0) {
      throw new ProblemException({
        status: 403,
        code: 'missing-permissions',
        detail: `Missing ${missing.length === 1 ? 'permission' : 'permissions'}: ${missing.join(', ')}.`,
      });
    }
    request[PRINCIPAL_KEY] = principal;
    return true;
  }
}
