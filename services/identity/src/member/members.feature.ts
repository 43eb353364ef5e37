import type { IdentityFeature } from '../identity.features';
import { ActiveMemberGuard } from './active-member.guard';
import { ChangeOwnPasswordHandler } from './commands/change-own-password/change-own-password.handler';
import { ChangeOwnPasswordHttpController } from './commands/change-own-password/change-own-password.http.controller';
import { CreateMemberHandler } from './commands/create-member/create-member.handler';
import { CreateMemberHttpController } from './commands/create-member/create-member.http.controller';
import { ManageMembersHandler } from './commands/manage-members/manage-members.handler';
import { ManageMembersHttpController } from './commands/manage-members/manage-members.http.controller';
import { memberListProjection } from './projections/member-list/member-list.projection';
import { GetMemberHandler, GetMemberHttpController } from './queries/get-member/get-member';
import { ListMembersHandler, ListMembersHttpController } from './queries/list-members/list-members';
import { ProposeAccountNumbersHandler, ProposeAccountNumbersHttpController } from './queries/propose-account-numbers/propose-account-numbers';

/** ORG-1 (seats), ORG-5 members, ORG-6 disable/enable, ORG-7 management permission. */
export const membersFeature: IdentityFeature = {
  name: 'members',
  // the static routes (me/password, account-numbers/free) come before the `:id` ones
  controllers: [ChangeOwnPasswordHttpController, ProposeAccountNumbersHttpController, CreateMemberHttpController, ManageMembersHttpController, ListMembersHttpController, GetMemberHttpController],
  providers: [ActiveMemberGuard, CreateMemberHandler, ManageMembersHandler, ChangeOwnPasswordHandler, ListMembersHandler, GetMemberHandler, ProposeAccountNumbersHandler],
  projections: [memberListProjection],
};
