import type { IdentityFeature } from '../identity.features';
import { GetRoleTemplateHandler, RoleTemplateHttpController, SetRoleTemplateHandler } from './role-template/role-template';

/** ORG-9: department role templates. */
export const roleTemplatesFeature: IdentityFeature = {
  name: 'department-role-templates',
  controllers: [RoleTemplateHttpController],
  providers: [SetRoleTemplateHandler, GetRoleTemplateHandler],
  projections: [],
};
