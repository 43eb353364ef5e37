import type { IdentityFeature } from '../identity.features';
import { RoleCommandHandler } from './commands/role.command';
import { RoleCommandsHttpController } from './commands/role.http.controller';
import { roleListProjection } from './projections/role-list.projection';
import { GetRoleHandler, ListRolesHandler, PermissionPackagesHttpController, RoleQueriesHttpController } from './queries/role.queries';

/** ORG-8 roles and the permission catalogue. */
export const rolesFeature: IdentityFeature = {
  name: 'roles',
  controllers: [PermissionPackagesHttpController, RoleCommandsHttpController, RoleQueriesHttpController],
  providers: [RoleCommandHandler, ListRolesHandler, GetRoleHandler],
  projections: [roleListProjection],
};
