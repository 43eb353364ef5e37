import { ApiProperty } from '@nestjs/swagger';
import type { ContactDocument, ContactLeadDocument } from '../projections/contacts/contacts.schema';

/** A contact in the list. */
export class ContactSummaryView {
  @ApiProperty({ format: 'uuid', description: 'The id of its earliest lead' }) id: string;
  @ApiProperty({ type: [String], description: 'Its leads, sorted by id' }) leadIds: string[];
  @ApiProperty({ type: [String], description: 'Normalised identifiers `kind:value` (phone:, email:, qq:), sorted' }) identifiers: string[];
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
  @ApiProperty({ type: [String], description: 'The leads holding it' }) leadIds: string[];
}

/** One contact with its leads (earliest first) and its identifiers. */
export class ContactView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() leadCount: number;
  @ApiProperty() identifierCount: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) lastActivityAt: string;
  @ApiProperty({ type: [ContactLeadView] }) leads: ContactLeadView[];
  @ApiProperty({ type: [ContactIdentifierView] }) identifiers: ContactIdentifierView[];
}

export function toContactSummaryView(doc: ContactDocument): ContactSummaryView {
  return {
    id: doc._id,
    leadIds: doc.leadIds,
    identifiers: doc.identifiers,
    leadCount: doc.leadCount,
    identifierCount: doc.identifierCount,
    createdAt: doc.createdAt,
    lastActivityAt: doc.lastActivityAt,
  };
}

export function toContactView(doc: ContactDocument, leads: readonly ContactLeadDocument[]): ContactView {
  const ordered = [...leads].sort((a, b) => a.seq - b.seq);
  const holders = new Map<string, string[]>(doc.identifiers.map((k) => [k, []]));
  for (const lead of ordered) for (const k of lead.identifiers) holders.get(k)?.push(lead._id);
  return {
    id: doc._id,
    leadCount: doc.leadCount,
    identifierCount: doc.identifierCount,
    createdAt: doc.createdAt,
    lastActivityAt: doc.lastActivityAt,
    leads: ordered.map((l) => ({ id: l._id, name: l.name, company: l.company, identifiers: l.identifiers, createdAt: l.createdAt, lastActivityAt: l.lastActivityAt })),
    identifiers: doc.identifiers.map((key) => {
      const colon = key.indexOf(':');
      return { key, kind: key.slice(0, colon), value: key.slice(colon + 1), leadIds: holders.get(key) ?? [] };
    }),
  };
}
