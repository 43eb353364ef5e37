/**
 * Integration events published by the leads service on `leadstream.leads.v1`, keyed by lead id.
 * Contracts never change once published: a change is a new version beside the old one.
 * This package imports nothing.
 */
export const LEADS_SOURCE = 'leadstream/leads';
export const LEADS_TOPIC = 'leadstream.leads.v1';

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

export type LeadsIntegrationEvent = { readonly type: typeof LeadCreatedV1Type; readonly data: LeadCreatedV1 };

const nullableString = { type: ['string', 'null'] } as const;

/** JSON Schema (draft 2020-12) of each contract's `data`. */
export const leadsContractSchemas = {
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
