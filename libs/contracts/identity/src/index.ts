/**
 * Integration events published by the identity service on `leadstream.identity.v1`.
 * Contracts never change once published: a change is a new version beside the old one.
 * This package imports nothing.
 */
export const IDENTITY_SOURCE = 'leadstream/identity';
export const IDENTITY_TOPIC = 'leadstream.identity.v1';

export const EnterpriseCreatedV1Type = 'identity.EnterpriseCreated.v1' as const;
export interface EnterpriseCreatedV1 {
  readonly enterpriseId: string;
  readonly name: string;
  /** IANA time zone the enterprise's day buckets use. */
  readonly timeZone: string;
  readonly seatQuota: number;
  readonly adminMemberId: string;
  readonly createdAt: string;
}

/** ORG-2: the administrator changed; the previous one is a plain member from now on. */
export const AdministratorChangedV1Type = 'identity.AdministratorChanged.v1' as const;
export interface AdministratorChangedV1 {
  readonly enterpriseId: string;
  readonly previousAdminMemberId: string;
  readonly adminMemberId: string;
  readonly changedAt: string;
}

/** ORG-3: an operator disabled the enterprise ("in beta"); its members cannot sign in. */
export const EnterpriseDisabledV1Type = 'identity.EnterpriseDisabled.v1' as const;
export interface EnterpriseDisabledV1 {
  readonly enterpriseId: string;
  readonly disabledAt: string;
}

/** ORG-3: an operator enabled the enterprise again. */
export const EnterpriseEnabledV1Type = 'identity.EnterpriseEnabled.v1' as const;
export interface EnterpriseEnabledV1 {
  readonly enterpriseId: string;
  readonly enabledAt: string;
}

export const MemberCreatedV1Type = 'identity.MemberCreated.v1' as const;
export interface MemberCreatedV1 {
  readonly enterpriseId: string;
  readonly memberId: string;
  readonly accountNumber: string;
  readonly accountName: string;
  readonly realName: string | null;
  readonly isAdmin: boolean;
  readonly createdAt: string;
}

/** A member's profile changed (ORG-5): the full new profile. */
export const MemberProfileChangedV1Type = 'identity.MemberProfileChanged.v1' as const;
export interface MemberProfileChangedV1 {
  readonly enterpriseId: string;
  readonly memberId: string;
  readonly realName: string | null;
  /** External nickname shown to customers. */
  readonly nickname: string | null;
  readonly changedAt: string;
}

/** A member's password was changed by itself (`reset: false`) or reset by a manager. Never carries the password or its hash. */
export const MemberPasswordChangedV1Type = 'identity.MemberPasswordChanged.v1' as const;
export interface MemberPasswordChangedV1 {
  readonly enterpriseId: string;
  readonly memberId: string;
  readonly reset: boolean;
  readonly changedBy: string;
  readonly changedAt: string;
}

/** A member was disabled (ORG-6): it cannot sign in and should no longer be assigned work; it keeps its seat. */
export const MemberDisabledV1Type = 'identity.MemberDisabled.v1' as const;
export interface MemberDisabledV1 {
  readonly enterpriseId: string;
  readonly memberId: string;
  readonly disabledBy: string;
  readonly disabledAt: string;
}

/** A disabled member was enabled again (ORG-6). */
export const MemberEnabledV1Type = 'identity.MemberEnabled.v1' as const;
export interface MemberEnabledV1 {
  readonly enterpriseId: string;
  readonly memberId: string;
  readonly enabledBy: string;
  readonly enabledAt: string;
}

/** ORG-5: the member's departments were set (the whole set). A deleted department's members move to its parent: see DepartmentDeleted.membersMoveToDepartmentId. */
export const MemberMovedV1Type = 'identity.MemberMoved.v1' as const;
export interface MemberMovedV1 {
  readonly enterpriseId: string;
  readonly memberId: string;
  readonly departmentIds: readonly string[];
  readonly movedBy: string;
  readonly movedAt: string;
}

/** The management permission (`org:manage`) was granted (`manager: true`) or revoked (ORG-7). */
export const MemberManagementChangedV1Type = 'identity.MemberManagementChanged.v1' as const;
export interface MemberManagementChangedV1 {
  readonly enterpriseId: string;
  readonly memberId: string;
  readonly manager: boolean;
  readonly changedBy: string;
  readonly changedAt: string;
}

export type IdentityIntegrationEvent =
  | DepartmentIntegrationEvent
  | RoleIntegrationEvent
  | AccountBindingIntegrationEvent
  | { readonly type: typeof EnterpriseCreatedV1Type; readonly data: EnterpriseCreatedV1 }
  | { readonly type: typeof AdministratorChangedV1Type; readonly data: AdministratorChangedV1 }
  | { readonly type: typeof EnterpriseDisabledV1Type; readonly data: EnterpriseDisabledV1 }
  | { readonly type: typeof EnterpriseEnabledV1Type; readonly data: EnterpriseEnabledV1 }
  | { readonly type: typeof MemberCreatedV1Type; readonly data: MemberCreatedV1 }
  | { readonly type: typeof MemberProfileChangedV1Type; readonly data: MemberProfileChangedV1 }
  | { readonly type: typeof MemberPasswordChangedV1Type; readonly data: MemberPasswordChangedV1 }
  | { readonly type: typeof MemberDisabledV1Type; readonly data: MemberDisabledV1 }
  | { readonly type: typeof MemberEnabledV1Type; readonly data: MemberEnabledV1 }
  | { readonly type: typeof MemberManagementChangedV1Type; readonly data: MemberManagementChangedV1 }
  | { readonly type: typeof MemberMovedV1Type; readonly data: MemberMovedV1 };

/** JSON Schema (draft 2020-12) of each contract's `data`. */
export const identityContractSchemas = {
  [EnterpriseCreatedV1Type]: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:leadstream:identity:EnterpriseCreated:v1',
    title: 'EnterpriseCreated v1',
    type: 'object',
    additionalProperties: false,
    required: ['enterpriseId', 'name', 'timeZone', 'seatQuota', 'adminMemberId', 'createdAt'],
    properties: {
      enterpriseId: { type: 'string', format: 'uuid' },
      name: { type: 'string', minLength: 1 },
      timeZone: { type: 'string', minLength: 1 },
      seatQuota: { type: 'integer', minimum: 1 },
      adminMemberId: { type: 'string', format: 'uuid' },
      createdAt: { type: 'string', format: 'date-time' },
    },
  },
  [AdministratorChangedV1Type]: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:leadstream:identity:AdministratorChanged:v1',
    title: 'AdministratorChanged v1',
    type: 'object',
    additionalProperties: false,
    required: ['enterpriseId', 'previousAdminMemberId', 'adminMemberId', 'changedAt'],
    properties: {
      enterpriseId: { type: 'string', format: 'uuid' },
      previousAdminMemberId: { type: 'string', format: 'uuid' },
      adminMemberId: { type: 'string', format: 'uuid' },
      changedAt: { type: 'string', format: 'date-time' },
    },
  },
  [EnterpriseDisabledV1Type]: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:leadstream:identity:EnterpriseDisabled:v1',
    title: 'EnterpriseDisabled v1',
    type: 'object',
    additionalProperties: false,
    required: ['enterpriseId', 'disabledAt'],
    properties: {
      enterpriseId: { type: 'string', format: 'uuid' },
      disabledAt: { type: 'string', format: 'date-time' },
    },
  },
  [EnterpriseEnabledV1Type]: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:leadstream:identity:EnterpriseEnabled:v1',
    title: 'EnterpriseEnabled v1',
    type: 'object',
    additionalProperties: false,
    required: ['enterpriseId', 'enabledAt'],
    properties: {
      enterpriseId: { type: 'string', format: 'uuid' },
      enabledAt: { type: 'string', format: 'date-time' },
    },
  },
  [MemberCreatedV1Type]: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:leadstream:identity:MemberCreated:v1',
    title: 'MemberCreated v1',
    type: 'object',
    additionalProperties: false,
    required: ['enterpriseId', 'memberId', 'accountNumber', 'accountName', 'realName', 'isAdmin', 'createdAt'],
    properties: {
      enterpriseId: { type: 'string', format: 'uuid' },
      memberId: { type: 'string', format: 'uuid' },
      accountNumber: { type: 'string', pattern: '^[0-9]{5,12}$' },
      accountName: { type: 'string', minLength: 1 },
      realName: { type: ['string', 'null'] },
      isAdmin: { type: 'boolean' },
      createdAt: { type: 'string', format: 'date-time' },
    },
  },
  [MemberProfileChangedV1Type]: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:leadstream:identity:MemberProfileChanged:v1',
    title: 'MemberProfileChanged v1',
    type: 'object',
    additionalProperties: false,
    required: ['enterpriseId', 'memberId', 'realName', 'nickname', 'changedAt'],
    properties: {
      enterpriseId: { type: 'string', format: 'uuid' },
      memberId: { type: 'string', format: 'uuid' },
      realName: { type: ['string', 'null'] },
      nickname: { type: ['string', 'null'] },
      changedAt: { type: 'string', format: 'date-time' },
    },
  },
  [MemberPasswordChangedV1Type]: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:leadstream:identity:MemberPasswordChanged:v1',
    title: 'MemberPasswordChanged v1',
    type: 'object',
    additionalProperties: false,
    required: ['enterpriseId', 'memberId', 'reset', 'changedBy', 'changedAt'],
    properties: {
      enterpriseId: { type: 'string', format: 'uuid' },
      memberId: { type: 'string', format: 'uuid' },
      reset: { type: 'boolean' },
      changedBy: { type: 'string', format: 'uuid' },
      changedAt: { type: 'string', format: 'date-time' },
    },
  },
  [MemberDisabledV1Type]: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:leadstream:identity:MemberDisabled:v1',
    title: 'MemberDisabled v1',
    type: 'object',
    additionalProperties: false,
    required: ['enterpriseId', 'memberId', 'disabledBy', 'disabledAt'],
    properties: {
      enterpriseId: { type: 'string', format: 'uuid' },
      memberId: { type: 'string', format: 'uuid' },
      disabledBy: { type: 'string', format: 'uuid' },
      disabledAt: { type: 'string', format: 'date-time' },
    },
  },
  [MemberEnabledV1Type]: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:leadstream:identity:MemberEnabled:v1',
    title: 'MemberEnabled v1',
    type: 'object',
    additionalProperties: false,
    required: ['enterpriseId', 'memberId', 'enabledBy', 'enabledAt'],
    properties: {
      enterpriseId: { type: 'string', format: 'uuid' },
      memberId: { type: 'string', format: 'uuid' },
      enabledBy: { type: 'string', format: 'uuid' },
      enabledAt: { type: 'string', format: 'date-time' },
    },
  },
  [MemberMovedV1Type]: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:leadstream:identity:MemberMoved:v1',
    title: 'MemberMoved v1',
    type: 'object',
    additionalProperties: false,
    required: ['enterpriseId', 'memberId', 'departmentIds', 'movedBy', 'movedAt'],
    properties: {
      enterpriseId: { type: 'string', format: 'uuid' },
      memberId: { type: 'string', format: 'uuid' },
      departmentIds: { type: 'array', items: { type: 'string', format: 'uuid' }, uniqueItems: true },
      movedBy: { type: 'string', format: 'uuid' },
      movedAt: { type: 'string', format: 'date-time' },
    },
  },
  [MemberManagementChangedV1Type]: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:leadstream:identity:MemberManagementChanged:v1',
    title: 'MemberManagementChanged v1',
    type: 'object',
    additionalProperties: false,
    required: ['enterpriseId', 'memberId', 'manager', 'changedBy', 'changedAt'],
    properties: {
      enterpriseId: { type: 'string', format: 'uuid' },
      memberId: { type: 'string', format: 'uuid' },
      manager: { type: 'boolean' },
      changedBy: { type: 'string', format: 'uuid' },
      changedAt: { type: 'string', format: 'date-time' },
    },
  },
  ...departmentContractSchemas(),
  ...roleContractSchemas(),
  ...accountBindingContractSchemas(),
} as const;

// ---- ORG-4 departments (one org tree per enterprise; subject = the department id) ----

/** A department was created (ORG-4); `parentId` null: a root department. */
export const DepartmentCreatedV1Type = 'identity.DepartmentCreated.v1' as const;
export interface DepartmentCreatedV1 {
  readonly enterpriseId: string;
  readonly departmentId: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
}

/** A department was renamed (ORG-4). */
export const DepartmentRenamedV1Type = 'identity.DepartmentRenamed.v1' as const;
export interface DepartmentRenamedV1 {
  readonly enterpriseId: string;
  readonly departmentId: string;
  readonly name: string;
  readonly renamedAt: string;
}

/** A department moved, with its subtree, under another parent (null: it became a root). */
export const DepartmentMovedV1Type = 'identity.DepartmentMoved.v1' as const;
export interface DepartmentMovedV1 {
  readonly enterpriseId: string;
  readonly departmentId: string;
  readonly fromParentId: string | null;
  readonly toParentId: string | null;
  readonly movedAt: string;
}

/** A department's supervisor (主管) was set, or cleared (`supervisorId` null). */
export const DepartmentSupervisorChangedV1Type = 'identity.DepartmentSupervisorChanged.v1' as const;
export interface DepartmentSupervisorChangedV1 {
  readonly enterpriseId: string;
  readonly departmentId: string;
  readonly supervisorId: string | null;
  readonly changedAt: string;
}

/**
 * A department was deleted (ORG-4). Its direct children now hang under `parentId`, and its members
 * move to `membersMoveToDepartmentId` (= `parentId`; null: no department).
 */
export const DepartmentDeletedV1Type = 'identity.DepartmentDeleted.v1' as const;
export interface DepartmentDeletedV1 {
  readonly enterpriseId: string;
  readonly departmentId: string;
  readonly parentId: string | null;
  readonly childIdsMovedToParent: readonly string[];
  readonly membersMoveToDepartmentId: string | null;
  readonly deletedAt: string;
}

export type DepartmentIntegrationEvent =
  | { readonly type: typeof DepartmentCreatedV1Type; readonly data: DepartmentCreatedV1 }
  | { readonly type: typeof DepartmentRenamedV1Type; readonly data: DepartmentRenamedV1 }
  | { readonly type: typeof DepartmentMovedV1Type; readonly data: DepartmentMovedV1 }
  | { readonly type: typeof DepartmentSupervisorChangedV1Type; readonly data: DepartmentSupervisorChangedV1 }
  | { readonly type: typeof DepartmentDeletedV1Type; readonly data: DepartmentDeletedV1 };

/**
 * JSON Schemas of the department contracts, spread into identityContractSchemas above: a hoisted
 * function, and literal keys, because the `*V1Type` constants below are not initialised yet then.
 */
function departmentContractSchemas() {
  const uuid = { type: 'string', format: 'uuid' } as const;
  const uuidOrNull = { anyOf: [{ type: 'string', format: 'uuid' }, { type: 'null' }] } as const;
  const dateTime = { type: 'string', format: 'date-time' } as const;
  const schema = <T extends string>(name: T) =>
    ({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: `urn:leadstream:identity:${name}:v1`, title: `${name} v1`, type: 'object', additionalProperties: false }) as const;
  return {
    'identity.DepartmentCreated.v1': {
      ...schema('DepartmentCreated'),
      required: ['enterpriseId', 'departmentId', 'name', 'parentId', 'createdBy', 'createdAt'],
      properties: { enterpriseId: uuid, departmentId: uuid, name: { type: 'string', minLength: 1, maxLength: 100 }, parentId: uuidOrNull, createdBy: uuid, createdAt: dateTime },
    },
    'identity.DepartmentRenamed.v1': {
      ...schema('DepartmentRenamed'),
      required: ['enterpriseId', 'departmentId', 'name', 'renamedAt'],
      properties: { enterpriseId: uuid, departmentId: uuid, name: { type: 'string', minLength: 1, maxLength: 100 }, renamedAt: dateTime },
    },
    'identity.DepartmentMoved.v1': {
      ...schema('DepartmentMoved'),
      required: ['enterpriseId', 'departmentId', 'fromParentId', 'toParentId', 'movedAt'],
      properties: { enterpriseId: uuid, departmentId: uuid, fromParentId: uuidOrNull, toParentId: uuidOrNull, movedAt: dateTime },
    },
    'identity.DepartmentSupervisorChanged.v1': {
      ...schema('DepartmentSupervisorChanged'),
      required: ['enterpriseId', 'departmentId', 'supervisorId', 'changedAt'],
      properties: { enterpriseId: uuid, departmentId: uuid, supervisorId: uuidOrNull, changedAt: dateTime },
    },
    'identity.DepartmentDeleted.v1': {
      ...schema('DepartmentDeleted'),
      required: ['enterpriseId', 'departmentId', 'parentId', 'childIdsMovedToParent', 'membersMoveToDepartmentId', 'deletedAt'],
      properties: {
        enterpriseId: uuid,
        departmentId: uuid,
        parentId: uuidOrNull,
        childIdsMovedToParent: { type: 'array', items: uuid },
        membersMoveToDepartmentId: uuidOrNull,
        deletedAt: dateTime,
      },
    },
  } as const;
}

// ---- ORG-10 account bindings (subject = the binding id). Never any credential, not even ciphertext ----

/** The external platforms an enterprise can bind (账号绑定). */
export const ACCOUNT_BINDING_KINDS = ['ads', 'wechat-official-account', 'live-streaming', 'email', 'sms', 'xiumi', 'wechat-mini-program', 'wecom'] as const;

/** An external platform account was bound to the enterprise (ORG-10); `credentialFields` names the stored fields only. */
export const AccountBoundV1Type = 'identity.AccountBound.v1' as const;
export interface AccountBoundV1 {
  readonly enterpriseId: string;
  readonly bindingId: string;
  readonly kind: (typeof ACCOUNT_BINDING_KINDS)[number];
  readonly accountId: string;
  readonly displayName: string | null;
  readonly credentialFields: readonly string[];
  readonly boundBy: string;
  readonly boundAt: string;
}

/** A binding's credentials were replaced (rebind), possibly with a new account id or display name. */
export const AccountReboundV1Type = 'identity.AccountRebound.v1' as const;
export interface AccountReboundV1 {
  readonly enterpriseId: string;
  readonly bindingId: string;
  readonly kind: (typeof ACCOUNT_BINDING_KINDS)[number];
  readonly accountId: string;
  readonly displayName: string | null;
  readonly credentialFields: readonly string[];
  readonly reboundBy: string;
  readonly reboundAt: string;
}

/** A binding was removed (unbind): the account can no longer be used through Leadstream. */
export const AccountUnboundV1Type = 'identity.AccountUnbound.v1' as const;
export interface AccountUnboundV1 {
  readonly enterpriseId: string;
  readonly bindingId: string;
  readonly kind: (typeof ACCOUNT_BINDING_KINDS)[number];
  readonly accountId: string;
  readonly unboundBy: string;
  readonly unboundAt: string;
}

export type AccountBindingIntegrationEvent =
  | { readonly type: typeof AccountBoundV1Type; readonly data: AccountBoundV1 }
  | { readonly type: typeof AccountReboundV1Type; readonly data: AccountReboundV1 }
  | { readonly type: typeof AccountUnboundV1Type; readonly data: AccountUnboundV1 };

/** JSON Schemas of the account-binding contracts (hoisted, literal keys: see departmentContractSchemas). */
function accountBindingContractSchemas() {
  const uuid = { type: 'string', format: 'uuid' } as const;
  const dateTime = { type: 'string', format: 'date-time' } as const;
  const kind = { type: 'string', enum: ['ads', 'wechat-official-account', 'live-streaming', 'email', 'sms', 'xiumi', 'wechat-mini-program', 'wecom'] } as const;
  const accountId = { type: 'string', minLength: 1, maxLength: 200 } as const;
  const displayName = { anyOf: [{ type: 'string', maxLength: 100 }, { type: 'null' }] } as const;
  const credentialFields = { type: 'array', items: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' }, minItems: 1, maxItems: 20 } as const;
  const schema = <T extends string>(name: T) =>
    ({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: `urn:leadstream:identity:${name}:v1`, title: `${name} v1`, type: 'object', additionalProperties: false }) as const;
  return {
    'identity.AccountBound.v1': {
      ...schema('AccountBound'),
      required: ['enterpriseId', 'bindingId', 'kind', 'accountId', 'displayName', 'credentialFields', 'boundBy', 'boundAt'],
      properties: { enterpriseId: uuid, bindingId: uuid, kind, accountId, displayName, credentialFields, boundBy: uuid, boundAt: dateTime },
    },
    'identity.AccountRebound.v1': {
      ...schema('AccountRebound'),
      required: ['enterpriseId', 'bindingId', 'kind', 'accountId', 'displayName', 'credentialFields', 'reboundBy', 'reboundAt'],
      properties: { enterpriseId: uuid, bindingId: uuid, kind, accountId, displayName, credentialFields, reboundBy: uuid, reboundAt: dateTime },
    },
    'identity.AccountUnbound.v1': {
      ...schema('AccountUnbound'),
      required: ['enterpriseId', 'bindingId', 'kind', 'accountId', 'unboundBy', 'unboundAt'],
      properties: { enterpriseId: uuid, bindingId: uuid, kind, accountId, unboundBy: uuid, unboundAt: dateTime },
    },
  } as const;
}

// ---- ORG-8 roles (one stream per role, subject = the role id; assignments: subject = the member id) ----

/** A role was created (ORG-8), possibly as a copy of another (`copiedFrom`). `packages`: permission package ids. */
export const RoleCreatedV1Type = 'identity.RoleCreated.v1' as const;
export interface RoleCreatedV1 {
  readonly enterpriseId: string;
  readonly roleId: string;
  readonly name: string;
  readonly packages: readonly string[];
  readonly copiedFrom: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
}

/** A role was renamed and/or its packages replaced (ORG-8): the full new state. */
export const RoleChangedV1Type = 'identity.RoleChanged.v1' as const;
export interface RoleChangedV1 {
  readonly enterpriseId: string;
  readonly roleId: string;
  readonly name: string;
  readonly packages: readonly string[];
  readonly changedBy: string;
  readonly changedAt: string;
}

/** A role was deleted (ORG-8): its members no longer get its permissions. */
export const RoleDeletedV1Type = 'identity.RoleDeleted.v1' as const;
export interface RoleDeletedV1 {
  readonly enterpriseId: string;
  readonly roleId: string;
  readonly deletedBy: string;
  readonly deletedAt: string;
}

/** A role was assigned to a member (ORG-8). */
export const RoleAssignedV1Type = 'identity.RoleAssigned.v1' as const;
export interface RoleAssignedV1 {
  readonly enterpriseId: string;
  readonly memberId: string;
  readonly roleId: string;
  readonly assignedBy: string;
  readonly assignedAt: string;
}

/** A role was taken from a member (ORG-8). */
export const RoleUnassignedV1Type = 'identity.RoleUnassigned.v1' as const;
export interface RoleUnassignedV1 {
  readonly enterpriseId: string;
  readonly memberId: string;
  readonly roleId: string;
  readonly unassignedBy: string;
  readonly unassignedAt: string;
}

export type RoleIntegrationEvent =
  | { readonly type: typeof RoleCreatedV1Type; readonly data: RoleCreatedV1 }
  | { readonly type: typeof RoleChangedV1Type; readonly data: RoleChangedV1 }
  | { readonly type: typeof RoleDeletedV1Type; readonly data: RoleDeletedV1 }
  | { readonly type: typeof RoleAssignedV1Type; readonly data: RoleAssignedV1 }
  | { readonly type: typeof RoleUnassignedV1Type; readonly data: RoleUnassignedV1 };

/** JSON Schemas of the role contracts, spread into identityContractSchemas (hoisted, literal keys: see departmentContractSchemas). */
function roleContractSchemas() {
  const uuid = { type: 'string', format: 'uuid' } as const;
  const uuidOrNull = { anyOf: [{ type: 'string', format: 'uuid' }, { type: 'null' }] } as const;
  const dateTime = { type: 'string', format: 'date-time' } as const;
  const name = { type: 'string', minLength: 1, maxLength: 64 } as const;
  const packages = { type: 'array', items: { type: 'string', pattern: '^[a-z]+:[a-z]+$' }, uniqueItems: true } as const;
  const schema = <T extends string>(title: T) =>
    ({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: `urn:leadstream:identity:${title}:v1`, title: `${title} v1`, type: 'object', additionalProperties: false }) as const;
  return {
    'identity.RoleCreated.v1': {
      ...schema('RoleCreated'),
      required: ['enterpriseId', 'roleId', 'name', 'packages', 'copiedFrom', 'createdBy', 'createdAt'],
      properties: { enterpriseId: uuid, roleId: uuid, name, packages, copiedFrom: uuidOrNull, createdBy: uuid, createdAt: dateTime },
    },
    'identity.RoleChanged.v1': {
      ...schema('RoleChanged'),
      required: ['enterpriseId', 'roleId', 'name', 'packages', 'changedBy', 'changedAt'],
      properties: { enterpriseId: uuid, roleId: uuid, name, packages, changedBy: uuid, changedAt: dateTime },
    },
    'identity.RoleDeleted.v1': {
      ...schema('RoleDeleted'),
      required: ['enterpriseId', 'roleId', 'deletedBy', 'deletedAt'],
      properties: { enterpriseId: uuid, roleId: uuid, deletedBy: uuid, deletedAt: dateTime },
    },
    'identity.RoleAssigned.v1': {
      ...schema('RoleAssigned'),
      required: ['enterpriseId', 'memberId', 'roleId', 'assignedBy', 'assignedAt'],
      properties: { enterpriseId: uuid, memberId: uuid, roleId: uuid, assignedBy: uuid, assignedAt: dateTime },
    },
    'identity.RoleUnassigned.v1': {
      ...schema('RoleUnassigned'),
      required: ['enterpriseId', 'memberId', 'roleId', 'unassignedBy', 'unassignedAt'],
      properties: { enterpriseId: uuid, memberId: uuid, roleId: uuid, unassignedBy: uuid, unassignedAt: dateTime },
    },
  } as const;
}
