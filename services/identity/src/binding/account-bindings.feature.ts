import type { IdentityFeature } from '../identity.features';
import { ChangeAccountBindingHandler } from './commands/account-binding.command';
import { AccountBindingCommandsHttpController } from './commands/account-binding.http.controller';
import { CredentialVault } from './credential-vault';
import { accountBindingListProjection } from './projections/account-binding-list.projection';
import { AccountBindingQueriesHttpController, GetAccountBindingHandler, ListAccountBindingsHandler } from './queries/account-binding.queries';

/** ORG-10 account bindings: one stream per binding, credentials sealed with the enterprise's data key. */
export const accountBindingsFeature: IdentityFeature = {
  name: 'account-bindings',
  controllers: [AccountBindingCommandsHttpController, AccountBindingQueriesHttpController],
  providers: [CredentialVault, ChangeAccountBindingHandler, ListAccountBindingsHandler, GetAccountBindingHandler],
  projections: [accountBindingListProjection],
};
