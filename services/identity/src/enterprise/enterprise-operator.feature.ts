import type { IdentityFeature } from '../identity.features';
import { EnableEnterpriseHttpController } from './commands/enable-enterprise/enable-enterprise.http.controller';

/** ORG-3: operator routes disabling ("in beta") and enabling an enterprise. */
export const enterpriseOperatorFeature: IdentityFeature = {
  name: 'enterprise-operator',
  controllers: [EnableEnterpriseHttpController],
  providers: [],
  projections: [],
};
