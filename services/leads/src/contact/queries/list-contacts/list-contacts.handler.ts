import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@leadstream/event-sourcing';
import type { Filter, ReadStore } from '@leadstream/read-store';
import { findKeysetPage } from '@leadstream/platform';
import { LEADS_READ_STORE } from '../../../leads.tokens';
import { identifierCandidates } from '../../domain/contact-identifiers';
import {
  CONTACTS_COLLECTION,
  CONTACT_LEADS_COLLECTION,
  contactLeadsCollectionOptions,
  contactsCollectionOptions,
  type ContactDocument,
  type ContactLeadDocument,
} from '../../projections/contacts/contacts.schema';
import { toContactSummaryView } from '../contact.view';
import { ListContactsQuery, type ContactListPage } from './list-contacts.query';

/** Newest contact first (by its earliest lead's creation); keyset pagination on (createdAt, id). */
@QueryHandler(ListContactsQuery)
export class ListContactsHandler implements IQueryHandler<ListContactsQuery> {
  constructor(@Inject(LEADS_READ_STORE) private readonly store: ReadStore) {}

  async execute(query: ListContactsQuery): Promise<ContactListPage> {
    const conditions: Filter[] = [{ tenantId: query.tenantId }];
    const { identifier, leadId } = query.filter;
    if (identifier !== undefined) {
      const keys = identifierCandidates(identifier);
      if (keys.length === 0) {
        throw new DomainError('invalid', 'leads.invalid-identifier', 'identifier is not a phone, e-mail, QQ number or kind:value identifier.', {
          identifier: 'is not a phone, e-mail, QQ number or kind:value identifier',
        });
      }
      // through the leads' records, which index the identifiers: a contact has an identifier when one of its leads does
      const holders = await this.store
        .collection<ContactLeadDocument>(CONTACT_LEADS_COLLECTION, contactLeadsCollectionOptions)
        .find({ identifiers: keys.length === 1 ? keys[0] : { $in: keys }, tenantId: query.tenantId }, { projection: { contactId: 1 } });
      const contactIds = [...new Set(holders.map((lead) => lead.contactId).filter((id): id is string => id !== null))];
      conditions.push({ _id: { $in: contactIds } });
    }
    if (leadId !== undefined) {
      const lead = await this.store
        .collection<ContactLeadDocument>(CONTACT_LEADS_COLLECTION, contactLeadsCollectionOptions)
        .findOne({ _id: leadId, tenantId: query.tenantId });
      conditions.push({ _id: lead?.contactId ?? { $in: [] } });
    }
    const filter: Filter = conditions.length === 1 ? conditions[0]! : { $and: conditions };
    const contacts = this.store.collection<ContactDocument>(CONTACTS_COLLECTION, contactsCollectionOptions);
    const { docs, total, nextCursor } = await findKeysetPage(contacts, { filter, limit: query.limit, cursor: query.cursor, direction: -1 });
    return { items: docs.map(toContactSummaryView), total, nextCursor };
  }
}
