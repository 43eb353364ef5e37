import type { Provider, Type } from '@nestjs/common';
import type { Projection } from '@leadstream/read-store';
import { accountBindingsFeature } from './binding/account-bindings.feature';
import { administratorFeature } from './enterprise/administrator.feature';
import { enterpriseOperatorFeature } from './enterprise/enterprise-operator.feature';
import { roleTemplatesFeature } from './department/role-template.feature';
import { departmentsFeature } from './department/department.feature';
import { membersFeature } from './member/members.feature';
import { rolesFeature } from './role/roles.feature';

/**
 * A feature folder (members, departments, roles, …) contributes its controllers, providers
 * (command/query handlers) and projections here, so features are added without touching the
 * module. Projections run in IdentityRuntime (checkpointed, catch-up then live).
 */
export interface IdentityFeature {
  readonly name: string;
  readonly controllers: readonly Type[];
  readonly providers: readonly Provider[];
  readonly projections: readonly Projection[];
}

export const identityFeatures: readonly IdentityFeature[] = [membersFeature, departmentsFeature, accountBindingsFeature, rolesFeature, administratorFeature, roleTemplatesFeature, enterpriseOperatorFeature];
