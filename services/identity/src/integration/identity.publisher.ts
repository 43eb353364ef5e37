import {
  AdministratorChangedV1Type,
  EnterpriseCreatedV1Type,
  EnterpriseDisabledV1Type,
  EnterpriseEnabledV1Type,
  IDENTITY_SOURCE,
  IDENTITY_TOPIC,
  MemberCreatedV1Type,
  MemberDisabledV1Type,
  MemberEnabledV1Type,
  MemberManagementChangedV1Type,
  MemberMovedV1Type,
  MemberPasswordChangedV1Type,
  MemberProfileChangedV1Type,
  type AdministratorChangedV1,
  type EnterpriseCreatedV1,
  type EnterpriseDisabledV1,
  type EnterpriseEnabledV1,
  type MemberCreatedV1,
  type MemberDisabledV1,
  type MemberEnabledV1,
  type MemberManagementChangedV1,
  type MemberMovedV1,
  type MemberPasswordChangedV1,
  type MemberProfileChangedV1,
} from '@leadstream/contracts-identity';
import type { PublishedLog } from '@leadstream/bus';
import type { RecordedEvent } from '@leadstream/event-sourcing';
import { ENTERPRISE_CATEGORY, type EnterpriseEvent } from '../enterprise/domain/enterprise.events';
import { MEMBER_CATEGORY, type MemberEvent } from '../member/domain/member.events';
import { mapOrgTreeEvent } from '../department/integration/department.publisher';
import { ORG_TREE_CATEGORY } from '../department/domain/org-tree.events';
import { mapRoleEvent } from '../role/integration/role.publisher';
import { MEMBER_ROLES_CATEGORY, ROLE_CATEGORY } from '../role/domain/role.events';
import { mapBindingEvent } from '../binding/integration/binding.publisher';
import { BINDING_CATEGORY } from '../binding/domain/binding.events';

/**
 * The relay's mapping from identity's domain events to its v1 contracts. Secrets (password hashes)
 * never cross this line.
 */
export function mapIdentityEvent(event: RecordedEvent): { type: string; subject: string; data: unknown } | null {
  const department = mapOrgTreeEvent(event);
  if (department) return department;
  const role = mapRoleEvent(event);
  if (role) return role;
  const binding = mapBindingEvent(event);
  if (binding) return binding;
  const e = event as unknown as EnterpriseEvent | MemberEvent;
  switch (e.type) {
    case 'identity.EnterpriseCreated': {
      const data: EnterpriseCreatedV1 = {
        enterpriseId: e.data.enterpriseId,
        name: e.data.name,
        timeZone: e.data.timeZone,
        seatQuota: e.data.seatQuota,
        adminMemberId: e.data.adminMemberId,
        createdAt: e.data.createdAt,
      };
      return { type: EnterpriseCreatedV1Type, subject: e.data.enterpriseId, data };
    }
    case 'identity.AdministratorChanged': {
      const data: AdministratorChangedV1 = {
        enterpriseId: e.data.enterpriseId,
        previousAdminMemberId: e.data.previousAdminMemberId,
        adminMemberId: e.data.adminMemberId,
        changedAt: e.data.changedAt,
      };
      return { type: AdministratorChangedV1Type, subject: e.data.enterpriseId, data };
    }
    case 'identity.EnterpriseDisabled': {
      const data: EnterpriseDisabledV1 = { enterpriseId: e.data.enterpriseId, disabledAt: e.data.disabledAt };
      return { type: EnterpriseDisabledV1Type, subject: e.data.enterpriseId, data };
    }
    case 'identity.EnterpriseEnabled': {
      const data: EnterpriseEnabledV1 = { enterpriseId: e.data.enterpriseId, enabledAt: e.data.enabledAt };
      return { type: EnterpriseEnabledV1Type, subject: e.data.enterpriseId, data };
    }
    case 'identity.MemberCreated': {
      const data: MemberCreatedV1 = {
        enterpriseId: e.data.enterpriseId,
        memberId: e.data.memberId,
        accountNumber: e.data.accountNumber,
        accountName: e.data.accountName,
        realName: e.data.realName,
        isAdmin: e.data.isAdmin,
        createdAt: e.data.createdAt,
      };
      return { type: MemberCreatedV1Type, subject: e.data.memberId, data };
    }
    case 'identity.MemberProfileChanged': {
      const data: MemberProfileChangedV1 = {
        enterpriseId: e.data.enterpriseId,
        memberId: e.data.memberId,
        realName: e.data.realName,
        nickname: e.data.nickname,
        changedAt: e.data.changedAt,
      };
      return { type: MemberProfileChangedV1Type, subject: e.data.memberId, data };
    }
    case 'identity.MemberPasswordChanged': {
      // the hash stays behind: only the fact that the password changed crosses
      const data: MemberPasswordChangedV1 = {
        enterpriseId: e.data.enterpriseId,
        memberId: e.data.memberId,
        reset: e.data.reset,
        changedBy: e.data.changedBy,
        changedAt: e.data.changedAt,
      };
      return { type: MemberPasswordChangedV1Type, subject: e.data.memberId, data };
    }
    case 'identity.MemberDisabled': {
      const data: MemberDisabledV1 = { enterpriseId: e.data.enterpriseId, memberId: e.data.memberId, disabledBy: e.data.disabledBy, disabledAt: e.data.disabledAt };
      return { type: MemberDisabledV1Type, subject: e.data.memberId, data };
    }
    case 'identity.MemberEnabled': {
      const data: MemberEnabledV1 = { enterpriseId: e.data.enterpriseId, memberId: e.data.memberId, enabledBy: e.data.enabledBy, enabledAt: e.data.enabledAt };
      return { type: MemberEnabledV1Type, subject: e.data.memberId, data };
    }
    case 'identity.MemberManagementChanged': {
      const data: MemberManagementChangedV1 = {
        enterpriseId: e.data.enterpriseId,
        memberId: e.data.memberId,
        manager: e.data.manager,
        changedBy: e.data.changedBy,
        changedAt: e.data.changedAt,
      };
      return { type: MemberManagementChangedV1Type, subject: e.data.memberId, data };
    }
    case 'identity.MemberMoved': {
      const data: MemberMovedV1 = {
        enterpriseId: e.data.enterpriseId,
        memberId: e.data.memberId,
        departmentIds: e.data.departmentIds,
        movedBy: e.data.movedBy,
        movedAt: e.data.movedAt,
      };
      return { type: MemberMovedV1Type, subject: e.data.memberId, data };
    }
    default:
      return null;
  }
}

export const identityPublishedLog: PublishedLog = {
  service: 'identity',
  source: IDENTITY_SOURCE,
  topic: IDENTITY_TOPIC,
  categories: [ENTERPRISE_CATEGORY, MEMBER_CATEGORY, ORG_TREE_CATEGORY, BINDING_CATEGORY, ROLE_CATEGORY, MEMBER_ROLES_CATEGORY],
  map: mapIdentityEvent,
};
