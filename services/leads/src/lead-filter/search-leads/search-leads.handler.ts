import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Filter, ReadStore } from '@leadstream/read-store';
import { decodeCursor, encodeCursor, ValidationProblemException } from '@leadstream/platform';
import { LEADS_READ_STORE } from '../../leads.tokens';
import { LeadSchemaReader } from '../../lead-schema/lead-schema.reader';
import { tenantTimeZone } from '../../tenant/tenant-time-zone';
import { LEAD_LIST_COLLECTION, leadListCollectionOptions, type LeadListDocument } from '../../lead/projections/lead-list/lead-list.schema';
import { toLeadView } from '../../lead/queries/lead.view';
import { compileLeadFilter } from '../query/lead-filter';
import { afterCursor, cursorPositionOf, pickColumns, readCursorPosition, resolveColumns, resolveSort, sortOf } from '../query/lead-sort';
import { SearchLeadsQuery, type LeadSearchPage } from './search-leads.query';

/**
 * The lead list with the filter language: filter, sort on any sortable field, keyset pagination
 * on (sort value, id) — stable while leads arrive, nulls included — and chosen columns.
 */
@QueryHandler(SearchLeadsQuery)
export class SearchLeadsHandler implements IQueryHandler<SearchLeadsQuery> {
  constructor(
    @Inject(LEADS_READ_STORE) private readonly store: ReadStore,
    private readonly schemas: LeadSchemaReader,
  ) {}

  async execute({ tenantId, search }: SearchLeadsQuery): Promise<LeadSearchPage> {
    const schema = await this.schemas.get(tenantId);
    const timeZone = await tenantTimeZone(this.store, tenantId);
    const parts: Filter[] = [{ tenantId }];
    for (const { definition, prefix } of search.filters) {
      const compiled = compileLeadFilter(definition, schema, timeZone, prefix);
      if (Object.keys(compiled).length > 0) parts.push(compiled);
    }
    const sort = resolveSort(search.sort, schema, search.sortPrefix);
    const columns = resolveColumns(search.columns, schema, search.columnsPrefix);
    const filter: Filter = parts.length === 1 ? parts[0]! : { $and: parts };
    let after: Filter | undefined;
    if (search.cursor !== undefined) {
      const position = readCursorPosition(decodeCursor(search.cursor), sort);
      if (!position) {
        throw new ValidationProblemException([{ field: 'cursor', reason: 'cursor belongs to another sort' }], 'The pagination cursor does not fit this sort.');
      }
      after = afterCursor(sort, position);
    }
    const leads = this.store.collection<LeadListDocument>(LEAD_LIST_COLLECTION, leadListCollectionOptions);
    const { docs, total } = await leads.findPage(filter, { sort: sortOf(sort), limit: search.limit + 1, ...(after ? { after } : {}) });
    const more = docs.length > search.limit;
    const shown = more ? docs.slice(0, search.limit) : docs;
    const last = shown[shown.length - 1];
    const nextCursor = more && last ? encodeCursor(toCursor(cursorPositionOf(sort, last))) : null;
    return { items: shown.map((doc) => pickColumns(toLeadView(doc, schema), columns)), total, nextCursor };
  }
}

function toCursor(position: { sort: string; value: string | number | null; id: string }): Record<string, unknown> {
  return { s: position.sort, v: position.value, i: position.id };
}
