import { Query } from '@nestjs/cqrs';
import type { LeadView } from '../lead.view';

export interface LeadListPage {
  readonly items: LeadView[];
  readonly total: number;
  readonly nextCursor: string | null;
}

export interface ListLeadsFilter {
  readonly source?: string;
  readonly createdFrom?: string;
  readonly createdTo?: string;
  readonly q?: string;
}

export class ListLeadsQuery extends Query<LeadListPage> {
  constructor(
    readonly tenantId: string,
    readonly filter: ListLeadsFilter,
    readonly limit: number,
    readonly cursor: string | undefined,
  ) {
    super();
  }
}
