import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ReadStore } from '@leadstream/read-store';
import { LEADS_READ_STORE } from '../../../leads.tokens';
import { contactLeadsPage, findContact } from '../contact-leads-page';
import { toContactLeadView } from '../contact.view';
import { ListContactLeadsQuery, type ContactLeadsListPage } from './list-contact-leads.query';

/** A contact's leads, earliest first, page by page (a contact may hold thousands). */
@QueryHandler(ListContactLeadsQuery)
export class ListContactLeadsHandler implements IQueryHandler<ListContactLeadsQuery> {
  constructor(@Inject(LEADS_READ_STORE) private readonly store: ReadStore) {}

  async execute(query: ListContactLeadsQuery): Promise<ContactLeadsListPage> {
    const contact = await findContact(this.store, query.tenantId, query.contactId);
    const page = await contactLeadsPage(this.store, query.tenantId, contact, query.limit, query.cursor);
    return { items: page.leads.map(toContactLeadView), total: contact.leadCount, nextCursor: page.nextCursor };
  }
}
