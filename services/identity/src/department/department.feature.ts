import type { IdentityFeature } from '../identity.features';
import { ChangeOrgTreeHandler } from './commands/org-tree.command';
import { CreateDepartmentHttpController } from './commands/create-department/create-department.http.controller';
import { RenameDepartmentHttpController } from './commands/rename-department/rename-department.http.controller';
import { MoveDepartmentHttpController } from './commands/move-department/move-department.http.controller';
import { SetDepartmentSupervisorHttpController } from './commands/set-department-supervisor/set-department-supervisor.http.controller';
import { SetDepartmentVisibilityHttpController } from './commands/set-department-visibility/set-department-visibility.http.controller';
import { DeleteDepartmentHttpController } from './commands/delete-department/delete-department.http.controller';
import { departmentListProjection } from './projections/department-list/department-list.projection';
import { GetDepartmentHandler } from './queries/get-department/get-department.query';
import { GetDepartmentHttpController } from './queries/get-department/get-department.http.controller';
import { ListDepartmentsHandler } from './queries/list-departments/list-departments.query';
import { ListDepartmentsHttpController } from './queries/list-departments/list-departments.http.controller';

/** ORG-4 departments: one org-tree stream per enterprise, a department list read model. */
export const departmentsFeature: IdentityFeature = {
  name: 'departments',
  controllers: [
    CreateDepartmentHttpController,
    ListDepartmentsHttpController,
    GetDepartmentHttpController,
    RenameDepartmentHttpController,
    MoveDepartmentHttpController,
    SetDepartmentSupervisorHttpController,
    SetDepartmentVisibilityHttpController,
    DeleteDepartmentHttpController,
  ],
  providers: [ChangeOrgTreeHandler, ListDepartmentsHandler, GetDepartmentHandler],
  projections: [departmentListProjection],
};
