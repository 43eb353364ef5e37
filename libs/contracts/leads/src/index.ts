/**
 * Integration events published by the leads service on `leadstream.leads.v1`, keyed by lead id.
 * Contracts never change once published: a change is a new version beside the old one.
 * This package imports nothing.
 */
export const LEADS_SOURCE = 'leadstream/leads';
export const LEADS_TOPIC = 'leadstream.leads.v1';

/**
 * @deprecated No longer published: it carried personal data in clear, which erasure (crypto-shredding)
 * cannot reach once it is on the topic. Replaced by `leads.LeadCreated.v2`, whose personal data is sealed.
 */
export const LeadCreatedV1Type = 'leads.LeadCreated.v1' as const;
export interface LeadCreatedV1 {
  readonly enterpriseId: string;
  readonly leadId: string;
  readonly name: string | null;
  readonly phone: string | null;
  readonly qq: string | null;
  readonly email: string | null;
  readonly company: string | null;
  readonly source: string | null;
  readonly activityId: string | null;
  readonly tags: readonly string[];
  readonly createdAt: string;
}

/**
 * A lead's personal data, sealed with the lead's own key: AES-256-GCM, `iv` the base64 12-byte nonce,
 * `ciphertext` base64 of ciphertext + 16-byte tag, additional authenticated data = the lead id (UTF-8).
 * The plaintext is JSON: `{ name, phone, qq, email, company, title, fields: { <fieldId>: value } }`
 * (in LeadUpdated only the changed keys; `null` in `fields` clears a value). Holders of `leads:read`
 * get the key from `GET /v1/leads/{leadId}/data-key`; once the lead is deleted the key is destroyed
 * and every copy of the ciphertext, on the topic or elsewhere, stays unreadable. `null` when the
 * lead had already been erased when the event was published.
 */
export interface SealedPersonalDataV1 {
  readonly alg: 'A256GCM';
  readonly iv: string;
  readonly ciphertext: string;
}

export const LeadCreatedV2Type = 'leads.LeadCreated.v2' as const;
export interface LeadCreatedV2 {
  readonly enterpriseId: string;
  readonly leadId: string;
  readonly personal: SealedPersonalDataV1 | null;
  readonly source: string | null;
  readonly activityId: string | null;
  readonly statusId: string;
  readonly ownerId: string | null;
  readonly tags: readonly string[];
  readonly createdBy: string;
  readonly createdAt: string;
}

/** Personal fields changed (sealed, only the changed keys) and/or the source. */
export const LeadUpdatedV1Type = 'leads.LeadUpdated.v1' as const;
export interface LeadUpdatedV1 {
  readonly enterpriseId: string;
  readonly leadId: string;
  readonly personal: SealedPersonalDataV1 | null;
  /** Present only when the source changed. */
  readonly source?: string | null;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

export const LeadStatusChangedV1Type = 'leads.LeadStatusChanged.v1' as const;
export interface LeadStatusChangedV1 {
  readonly enterpriseId: string;
  readonly leadId: string;
  readonly previousStatusId: string;
  readonly statusId: string;
  readonly changedBy: string;
  readonly changedAt: string;
}

export const LeadTagsChangedV1Type = 'leads.LeadTagsChanged.v1' as const;
export interface LeadTagsChangedV1 {
  readonly enterpriseId: string;
  readonly leadId: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** The lead's tags after the change. */
  readonly tags: readonly string[];
  readonly changedBy: string;
  readonly changedAt: string;
}

export const LeadAssignedV1Type = 'leads.LeadAssigned.v1' as const;
export interface LeadAssignedV1 {
  readonly enterpriseId: string;
  readonly leadId: string;
  readonly previousOwnerId: string | null;
  /** null: unassigned. */
  readonly ownerId: string | null;
  readonly assignedBy: string;
  readonly assignedAt: string;
}

/** The lead was deleted and its personal data erased (its key destroyed). Carries no personal data. */
export const LeadDeletedV1Type = 'leads.LeadDeleted.v1' as const;
export interface LeadDeletedV1 {
  readonly enterpriseId: string;
  readonly leadId: string;
  readonly deletedBy: string;
  readonly deletedAt: string;
}

/**
 * A behaviour of a lead: a visit, an e-mail open, a click, a sign-up… (LEAD-12); the scoring
 * service scores on it. `properties` are attributes of the behaviour (page, campaign, link), never
 * personal data: the lead is referenced by id only.
 */
export const BehaviourRecordedV1Type = 'leads.BehaviourRecorded.v1' as const;
export interface BehaviourRecordedV1 {
  readonly enterpriseId: string;
  readonly leadId: string;
  readonly behaviourId: string;
  /** `visit`, `open`, `click`, `signup`, or another lower-case name. */
  readonly type: string;
  readonly occurredAt: string;
  readonly properties: Readonly<Record<string, string | number | boolean>>;
  readonly recordedBy: string;
  readonly recordedAt: string;
}

export type LeadsIntegrationEvent =
  | { readonly type: typeof LeadCreatedV1Type; readonly data: LeadCreatedV1 }
  | { readonly type: typeof LeadCreatedV2Type; readonly data: LeadCreatedV2 }
  | { readonly type: typeof LeadUpdatedV1Type; readonly data: LeadUpdatedV1 }
  | { readonly type: typeof LeadStatusChangedV1Type; readonly data: LeadStatusChangedV1 }
  | { readonly type: typeof LeadTagsChangedV1Type; readonly data: LeadTagsChangedV1 }
  | { readonly type: typeof LeadAssignedV1Type; readonly data: LeadAssignedV1 }
  | { readonly type: typeof LeadDeletedV1Type; readonly data: LeadDeletedV1 }
  | { readonly type: typeof BehaviourRecordedV1Type; readonly data: BehaviourRecordedV1 };

const nullableString = { type: ['string', 'null'] } as const;
const uuid = { type: 'string', format: 'uuid' } as const;
const nullableUuid = { type: ['string', 'null'], format: 'uuid' } as const;
const actor = { type: 'string', minLength: 1, description: 'member id, or a system actor' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const tagList = { type: 'array', items: { type: 'string' } } as const;
const sealedPersonal = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['alg', 'iv', 'ciphertext'],
  properties: { alg: { const: 'A256GCM' }, iv: { type: 'string', contentEncoding: 'base64' }, ciphertext: { type: 'string', contentEncoding: 'base64' } },
  description: 'Personal data sealed with the lead key (AES-256-GCM, AAD = lead id); key from GET /v1/leads/{leadId}/data-key until the lead is erased',
} as const;

function contract<const P extends Record<string, unknown>, const R extends readonly string[]>(name: string, version: number, required: R, properties: P) {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:leadstream:leads:${name}:v${version}`,
    title: `${name} v${version}`,
    type: 'object',
    additionalProperties: false,
    required,
    properties,
  } as const;
}

/** Schemas of contracts no longer published (kept so that old messages can still be read). */
export const leadsRetiredSchemas = {
  [LeadCreatedV1Type]: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:leadstream:leads:LeadCreated:v1',
    title: 'LeadCreated v1',
    type: 'object',
    additionalProperties: false,
    required: ['enterpriseId', 'leadId', 'name', 'phone', 'qq', 'email', 'company', 'source', 'activityId', 'tags', 'createdAt'],
    properties: {
      enterpriseId: { type: 'string', format: 'uuid' },
      leadId: { type: 'string', format: 'uuid' },
      name: nullableString,
      phone: nullableString,
      qq: nullableString,
      email: nullableString,
      company: nullableString,
      source: nullableString,
      activityId: nullableString,
      tags: { type: 'array', items: { type: 'string' } },
      createdAt: { type: 'string', format: 'date-time' },
    },
  },
} as const;

/** JSON Schema (draft 2020-12) of each published contract's `data`. */
export const leadsContractSchemas = {
  [LeadCreatedV2Type]: contract(
    'LeadCreated',
    2,
    ['enterpriseId', 'leadId', 'personal', 'source', 'activityId', 'statusId', 'ownerId', 'tags', 'createdBy', 'createdAt'],
    {
      enterpriseId: uuid,
      leadId: uuid,
      personal: sealedPersonal,
      source: nullableString,
      activityId: nullableString,
      statusId: uuid,
      ownerId: nullableUuid,
      tags: tagList,
      createdBy: actor,
      createdAt: dateTime,
    },
  ),
  [LeadUpdatedV1Type]: contract('LeadUpdated', 1, ['enterpriseId', 'leadId', 'personal', 'updatedBy', 'updatedAt'], {
    enterpriseId: uuid,
    leadId: uuid,
    personal: sealedPersonal,
    source: nullableString,
    updatedBy: actor,
    updatedAt: dateTime,
  }),
  [LeadStatusChangedV1Type]: contract('LeadStatusChanged', 1, ['enterpriseId', 'leadId', 'previousStatusId', 'statusId', 'changedBy', 'changedAt'], {
    enterpriseId: uuid,
    leadId: uuid,
    previousStatusId: uuid,
    statusId: uuid,
    changedBy: actor,
    changedAt: dateTime,
  }),
  [LeadTagsChangedV1Type]: contract('LeadTagsChanged', 1, ['enterpriseId', 'leadId', 'added', 'removed', 'tags', 'changedBy', 'changedAt'], {
    enterpriseId: uuid,
    leadId: uuid,
    added: tagList,
    removed: tagList,
    tags: tagList,
    changedBy: actor,
    changedAt: dateTime,
  }),
  [LeadAssignedV1Type]: contract('LeadAssigned', 1, ['enterpriseId', 'leadId', 'previousOwnerId', 'ownerId', 'assignedBy', 'assignedAt'], {
    enterpriseId: uuid,
    leadId: uuid,
    previousOwnerId: nullableUuid,
    ownerId: nullableUuid,
    assignedBy: actor,
    assignedAt: dateTime,
  }),
  [LeadDeletedV1Type]: contract('LeadDeleted', 1, ['enterpriseId', 'leadId', 'deletedBy', 'deletedAt'], {
    enterpriseId: uuid,
    leadId: uuid,
    deletedBy: actor,
    deletedAt: dateTime,
  }),
  [BehaviourRecordedV1Type]: contract('BehaviourRecorded', 1, ['enterpriseId', 'leadId', 'behaviourId', 'type', 'occurredAt', 'properties', 'recordedBy', 'recordedAt'], {
    enterpriseId: uuid,
    leadId: uuid,
    behaviourId: uuid,
    type: { type: 'string', pattern: '^[a-z][a-z0-9_.-]{0,63}$' },
    occurredAt: dateTime,
    properties: { type: 'object', maxProperties: 50, additionalProperties: { anyOf: [{ type: 'string', maxLength: 1000 }, { type: 'number' }, { type: 'boolean' }] } },
    recordedBy: actor,
    recordedAt: dateTime,
  }),
} as const;
