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
  | { readonly type: typeof EnterpriseCreatedV1Type; readonly data: EnterpriseCreatedV1 }
  | { readonly type: typeof MemberCreatedV1Type; readonly data: MemberCreatedV1 }
  | { readonly type: typeof MemberProfileChangedV1Type; readonly data: MemberProfileChangedV1 }
  | { readonly type: typeof MemberPasswordChangedV1Type; readonly data: MemberPasswordChangedV1 }
  | { readonly type: typeof MemberDisabledV1Type; readonly data: MemberDisabledV1 }
  | { readonly type: typeof MemberEnabledV1Type; readonly data: MemberEnabledV1 }
  | { readonly type: typeof MemberManagementChangedV1Type; readonly data: MemberManagementChangedV1 };

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
