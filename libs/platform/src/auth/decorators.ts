import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { principalOf, type Principal } from './principal';

export const IS_PUBLIC_KEY = '@leadstream/platform:isPublic';
export const REQUIRED_PERMISSIONS_KEY = '@leadstream/platform:requiredPermissions';

/** Marks a route (or every route of a controller) as reachable without an access token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/**
 * Permissions a route requires, all of them (class- and method-level lists add up).
 * See `hasPermission` for wildcards and admins.
 */
export const RequirePermissions = (...permissions: string[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(REQUIRED_PERMISSIONS_KEY, permissions));

/** The Principal of the request (undefined on a @Public route). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal | undefined =>
  principalOf(ctx.switchToHttp().getRequest()),
);
