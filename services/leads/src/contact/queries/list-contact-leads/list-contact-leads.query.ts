import { Query } from '@nestjs/cqrs';
import type { ContactLeadView } from '../contact.view';

export interface ContactLeadsListPage {
  readonly items: ContactLeadView[];
  /** The contact's leads, all of them. */
  readonly total: number;
  readonly nextCursor: string | null;
}

export class ListContactLeadsQuery extends Query<ContactLeadsListPage> {
  constructor(
    readonly tenantId: string,
    readonly contactId: string,
    readonly limit: number,
    readonly cursor: string | undefined,
  ) {
    super();
  }
}
