import { Query } from '@nestjs/cqrs';
import type { ContactView } from '../contact.view';

export class GetContactQuery extends Query<ContactView> {
  constructor(
    readonly tenantId: string,
    readonly contactId: string,
  ) {
    super();
  }
}
