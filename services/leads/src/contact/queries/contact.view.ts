import { ApiProperty } from '@nestjs/swagger';
import type { ContactDocument, ContactLeadDocument } from '../projections/contacts/contacts.schema';

/** Leads and identifiers a list item names at most; `leadCount` and `identifierCount` count them all. */
export const CONTACT_SUMMARY_MAX_IDS = 20;

/** A contact in the list. */
export class ContactSummaryView {
  @ApiProperty({ format: 'uuid', description: 'The id of its earliest lead' }) id: string;
  @ApiProperty({ type: [String], description: `Its leads, sorted by id: the first ${CONTACT_SUMMARY_MAX_IDS} (leadCount counts them all; the contact's leads are paged by GET /v1/contacts/{id}/leads)` })
  leadIds: string[];
  @ApiProperty({ type: [String], description: `Normalised identifiers \`kind:value\` (phone:, email:, qq:), sorted: the first ${CONTACT_SUMMARY_MAX_IDS} (identifierCount counts them all)` })
  identifiers: string[];
  @ApiProperty() leadCount: number;
  @ApiProperty() identifierCount: number;
  @ApiProperty({ format: 'date-time', description: 'Creation of its earliest lead' }) createdAt: string;
  @ApiProperty({ format: 'date-time', description: 'Latest event of any of its leads' }) lastActivityAt: string;
}

export class ContactLeadView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true }) company: string | null;
  @ApiProperty({ type: [String], description: 'The identifiers this lead holds' }) identifiers: string[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) lastActivityAt: string;
}

export class ContactIdentifierView {
  @ApiProperty({ example: 'phone:+8613800138000' }) key: string;
  @ApiProperty({ example: 'phone' }) kind: string;
  @ApiProperty({ example: '+8613800138000' }) value: string;
  @ApiProperty({ type: [String], description: 'The leads holding it, among the leads in this response' }) leadIds: string[];
}

/**
 * One contact with its leads (earliest first: the first 100; `nextLeadsCursor` pages on through
 * `GET /v1/contacts/{id}/leads`) and all its identifiers.
 */
export class ContactView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() leadCount: number;
  @ApiProperty() identifierCount: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) lastActivityAt: string;
  @ApiProperty({ type: [ContactLeadView], description: 'Its first 100 leads, earliest first' }) leads: ContactLeadView[];
  @ApiProperty({ type: String, nullable: true, description: 'When it has more leads: the cursor of the next page of GET /v1/contacts/{id}/leads' })
  nextLeadsCursor: string | null;
  @ApiProperty({ type: [ContactIdentifierView] }) identifiers: ContactIdentifierView[];
}

export function toContactSummaryView(doc: ContactDocument): ContactSummaryView {
  return {
    id: doc._id,
    leadIds: doc.leadIds.slice(0, CONTACT_SUMMARY_MAX_IDS),
    identifiers: doc.identifiers.slice(0, CONTACT_SUMMARY_MAX_IDS),
    leadCount: doc.leadCount,
    identifierCount: doc.identifierCount,
    createdAt: doc.createdAt,
    lastActivityAt: doc.lastActivityAt,
  };
}

export function toContactLeadView(lead: ContactLeadDocument): ContactLeadView {
  return { id: lead._id, name: lead.name, company: lead.company, identifiers: lead.identifiers, createdAt: lead.createdAt, lastActivityAt: lead.lastActivityAt };
}

/** `leads`: the first page of the contact's leads, earliest first; `nextLeadsCursor`: the page after it. */
export function toContactView(doc: ContactDocument, leads: readonly ContactLeadDocument[], nextLeadsCursor: string | null): ContactView {
  const ordered = [...leads].sort((a, b) => a.seq - b.seq);
  const holders = new Map<string, string[]>(doc.identifiers.map((k) => [k, []]));
  for (const lead of ordered) for (const k of lead.identifiers) holders.get(k)?.push(lead._id);
  return {
    id: doc._id,
    leadCount: doc.leadCount,
    identifierCount: doc.identifierCount,
    createdAt: doc.createdAt,
    lastActivityAt: doc.lastActivityAt,
    leads: ordered.map(toContactLeadView),
    nextLeadsCursor,
    identifiers: doc.identifiers.map((key) => {
      const colon = key.indexOf(':');
      return { key, kind: key.slice(0, colon), value: key.slice(colon + 1), leadIds: holders.get(key) ?? [] };
    }),
  };
}
