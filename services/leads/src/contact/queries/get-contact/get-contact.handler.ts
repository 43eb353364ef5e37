import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@leadstream/event-sourcing';
import type { ReadStore } from '@leadstream/read-store';
import { LEADS_READ_STORE } from '../../../leads.tokens';
import {
  CONTACTS_COLLECTION,
  CONTACT_LEADS_COLLECTION,
  contactLeadsCollectionOptions,
  contactsCollectionOptions,
  type ContactDocument,
  type ContactLeadDocument,
} from '../../projections/contacts/contacts.schema';
import { toContactView, type ContactView } from '../contact.view';
import { GetContactQuery } from './get-contact.query';

@QueryHandler(GetContactQuery)
export class GetContactHandler implements IQueryHandler<GetContactQuery> {
  constructor(@Inject(LEADS_READ_STORE) private readonly store: ReadStore) {}

  async execute(query: GetContactQuery): Promise<ContactView> {
    // the tenant is part of the filter: another enterprise's contact is simply not found
    const doc = await this.store.collection<ContactDocument>(CONTACTS_COLLECTION, contactsCollectionOptions).findOne({ _id: query.contactId, tenantId: query.tenantId });
    if (!doc) throw new DomainError('not_found', 'leads.contact-not-found', `Contact ${query.contactId} was not found.`);
    const collection = this.store.collection<ContactLeadDocument>(CONTACT_LEADS_COLLECTION, contactLeadsCollectionOptions);
    const leads: ContactLeadDocument[] = [];
    // in chunks: an embedded store checks each candidate against the whole `$in` list
    for (let i = 0; i < doc.leadIds.length; i += 500) leads.push(...(await collection.find({ _id: { $in: doc.leadIds.slice(i, i + 500) }, tenantId: query.tenantId })));
    return toContactView(doc, leads);
  }
}
