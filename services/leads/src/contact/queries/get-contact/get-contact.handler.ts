import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ReadStore } from '@leadstream/read-store';
import { LEADS_READ_STORE } from '../../../leads.tokens';
import { CONTACT_DETAIL_LEADS, contactLeadsPage, findContact } from '../contact-leads-page';
import { toContactView, type ContactView } from '../contact.view';
import { GetContactQuery } from './get-contact.query';

@QueryHandler(GetContactQuery)
export class GetContactHandler implements IQueryHandler<GetContactQuery> {
  constructor(@Inject(LEADS_READ_STORE) private readonly store: ReadStore) {}

  async execute(query: GetContactQuery): Promise<ContactView> {
    // the tenant is part of the filter: another enterprise's contact is simply not found
    const doc = await findContact(this.store, query.tenantId, query.contactId);
    const page = await contactLeadsPage(this.store, query.tenantId, doc, CONTACT_DETAIL_LEADS);
    return toContactView(doc, page.leads, page.nextCursor);
  }
}
