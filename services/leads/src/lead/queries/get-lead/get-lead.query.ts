import { Query } from '@nestjs/cqrs';
import type { LeadView } from '../lead.view';

export class GetLeadQuery extends Query<LeadView> {
  constructor(
    readonly tenantId: string,
    readonly leadId: string,
  ) {
    super();
  }
}
