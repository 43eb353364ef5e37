import type { IdentityFeature } from '../identity.features';
import { ChangeAdministratorHandler } from './commands/change-administrator/change-administrator.handler';
import { ChangeAdministratorHttpController } from './commands/change-administrator/change-administrator.http.controller';

/** ORG-2: changing the administrator. */
export const administratorFeature: IdentityFeature = {
  name: 'administrator',
  controllers: [ChangeAdministratorHttpController],
  providers: [ChangeAdministratorHandler],
  projections: [],
};
