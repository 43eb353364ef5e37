import type { CollectionOptions, Document } from '@leadstream/read-store';

export const CONTACT_LEADS_COLLECTION = 'leads_contact_leads';

/**
 * One lead as contact resolution sees it: its normalised identifiers and the contact it belongs
 * to. The multikey index on `identifiers` is the identifier → leads index; the one on `contactId`
 * gives a contact's leads in one read. A deleted (erased) lead stays as a tombstone without any
 * personal data (`deleted: true`, no identifiers, no name), so a late redelivery cannot bring it back.
 */
export interface ContactLeadDocument extends Document {
  _id: string;
  tenantId: string;
  /** Null once deleted. */
  contactId: string | null;
  /** Sorted `kind:value` keys (see contact-identifiers); personal data, empty once deleted. */
  identifiers: string[];
  /** Global position of the lead's creation: the earliest lead of a contact names it. */
  seq: number;
  name: string | null;
  company: string | null;
  createdAt: string;
  /** Time of the lead's latest event. */
  lastActivityAt: string;
  deleted: boolean;
  /** Global position of the last event of this lead applied (at-least-once delivery). */
  position: number;
}

export const CONTACTS_COLLECTION = 'leads_contacts';

/**
 * One contact (LEAD-3): a connected component of leads sharing identifiers. Everything in it is
 * derived from its leads' current records, so a rebuild gives the same document whatever path of
 * merges and splits led to it.
 */
export interface ContactDocument extends Document {
  /** The id of its earliest lead. */
  _id: string;
  tenantId: string;
  /** Sorted. */
  leadIds: string[];
  /** Sorted `kind:value` keys. */
  identifiers: string[];
  leadCount: number;
  identifierCount: number;
  /** Creation time of its earliest lead (the list's order). */
  createdAt: string;
  /** Latest event time of any of its leads. */
  lastActivityAt: string;
}

export const contactLeadsCollectionOptions: CollectionOptions = {
  indexes: [
    { keys: { identifiers: 1, tenantId: 1 }, name: 'identifier_tenant' },
    { keys: { contactId: 1 }, name: 'contact' },
  ],
};

export const contactsCollectionOptions: CollectionOptions = {
  indexes: [{ keys: { tenantId: 1, createdAt: -1, _id: -1 }, name: 'tenant_created' }],
  // contacts by identifier are found through their leads' records (`contact_leads` indexes the
  // same identifiers): two index entries less per lead to write
  retiredIndexes: ['identifier_tenant'],
};
