import { Query } from '@nestjs/cqrs';
import type { LeadFilterDefinition } from '../query/lead-filter';
import type { LeadSortDefinition } from '../query/lead-sort';

export interface LeadSearchPage {
  readonly items: Record<string, unknown>[];
  readonly total: number;
  readonly nextCursor: string | null;
}

export interface LeadSearch {
  /** Filters that must all hold (a saved view's and the request's). */
  readonly filters: readonly { readonly definition: LeadFilterDefinition; readonly prefix: string }[];
  readonly sort?: LeadSortDefinition;
  readonly sortPrefix: string;
  readonly columns?: readonly string[];
  readonly columnsPrefix: string;
  readonly limit: number;
  readonly cursor?: string;
}

export class SearchLeadsQuery extends Query<LeadSearchPage> {
  constructor(
    readonly tenantId: string,
    readonly search: LeadSearch,
  ) {
    super();
  }
}
