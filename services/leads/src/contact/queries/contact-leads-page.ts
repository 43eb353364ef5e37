import { DomainError } from '@leadstream/event-sourcing';
import { decodeCursor, encodeCursor, ValidationProblemException } from '@leadstream/platform';
import type { ReadStore } from '@leadstream/read-store';
import {
  CONTACTS_COLLECTION,
  CONTACT_LEADS_COLLECTION,
  contactLeadsCollectionOptions,
  contactsCollectionOptions,
  type ContactDocument,
  type ContactLeadDocument,
} from '../projections/contacts/contacts.schema';

/** Leads a contact's detail shows at most; the rest are paged through `GET /v1/contacts/{id}/leads`. */
export const CONTACT_DETAIL_LEADS = 100;

/** The contact, in its enterprise: another enterprise's contact (or a merged-away id) is a 404. */
export async function findContact(store: ReadStore, tenantId: string, contactId: string): Promise<ContactDocument> {
  const doc = await store.collection<ContactDocument>(CONTACTS_COLLECTION, contactsCollectionOptions).findOne({ _id: contactId, tenantId });
  if (!doc) throw new DomainError('not_found', 'leads.contact-not-found', `Contact ${contactId} was not found.`);
  return doc;
}

export interface ContactLeadsPage {
  readonly leads: ContactLeadDocument[];
  readonly nextCursor: string | null;
}

/**
 * One page of a contact's leads, earliest first (by the position of their creation in the log),
 * cut by keyset on that position: a page read while leads join or leave the contact neither
 * repeats nor skips the leads that stay.
 */
export async function contactLeadsPage(store: ReadStore, tenantId: string, contact: ContactDocument, limit: number, cursor?: string): Promise<ContactLeadsPage> {
  let after = -1;
  if (cursor !== undefined) {
    const decoded = decodeCursor<{ s?: unknown }>(cursor);
    if (typeof decoded.s !== 'number' || !Number.isSafeInteger(decoded.s)) {
      throw new ValidationProblemException([{ field: 'cursor', reason: 'is not a cursor returned by this list' }], 'The pagination cursor is invalid.');
    }
    after = decoded.s;
  }
  const found = await store
    .collection<ContactLeadDocument>(CONTACT_LEADS_COLLECTION, contactLeadsCollectionOptions)
    .find({ contactId: contact._id, tenantId, seq: { $gt: after } }, { sort: { seq: 1 }, limit: limit + 1 });
  const leads = found.slice(0, limit);
  const last = leads[leads.length - 1];
  return { leads, nextCursor: found.length > limit && last ? encodeCursor({ s: last.seq }) : null };
}
