import { Query } from '@nestjs/cqrs';
import type { ContactSummaryView } from '../contact.view';

export interface ContactListPage {
  readonly items: ContactSummaryView[];
  readonly total: number;
  readonly nextCursor: string | null;
}

export interface ListContactsFilter {
  /** `kind:value`, or a bare e-mail / phone / QQ number, normalised like the leads' identifiers. */
  readonly identifier?: string;
  /** The contact of this lead. */
  readonly leadId?: string;
}

export class ListContactsQuery extends Query<ContactListPage> {
  constructor(
    readonly tenantId: string,
    readonly filter: ListContactsFilter,
    readonly limit: number,
    readonly cursor: string | undefined,
  ) {
    super();
  }
}
