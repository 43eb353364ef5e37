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

export type IdentityIntegrationEvent =
  | { readonly type: typeof EnterpriseCreatedV1Type; readonly data: EnterpriseCreatedV1 }
  | { readonly type: typeof MemberCreatedV1Type; readonly data: MemberCreatedV1 };

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
} as const;
