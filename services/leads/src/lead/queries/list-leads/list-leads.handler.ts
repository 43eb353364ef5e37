import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@leadstream/event-sourcing';
import type { Filter, ReadStore } from '@leadstream/read-store';
import { decodeCursor, encodeCursor } from '@leadstream/platform';
import { LEADS_READ_STORE } from '../../../leads.tokens';
import { addDays, isDay, startOfDayUtc } from '../../../lead-overview/domain/time-zone-days';
import { tenantTimeZone } from '../../../tenant/tenant-time-zone';
import { LEAD_LIST_COLLECTION, leadListCollectionOptions, type LeadListDocument } from '../../projections/lead-list/lead-list.schema';
import { toLeadView } from '../lead.view';
import { ListLeadsQuery, type LeadListPage } from './list-leads.query';

interface LeadCursor {
  readonly c: string;
  readonly i: string;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Newest first; keyset pagination on (createdAt, id) so pages stay stable while leads arrive. */
@QueryHandler(ListLeadsQuery)
export class ListLeadsHandler implements IQueryHandler<ListLeadsQuery> {
  constructor(@Inject(LEADS_READ_STORE) private readonly store: ReadStore) {}

  async execute(query: ListLeadsQuery): Promise<LeadListPage> {
    const { filter } = query;
    const conditions: Filter[] = [{ tenantId: query.tenantId }];
    if (filter.source !== undefined) conditions.push({ source: filter.source });
    if (filter.createdFrom !== undefined || filter.createdTo !== undefined) {
      const timeZone = await tenantTimeZone(this.store, query.tenantId);
      const range: Record<string, string> = {};
      if (filter.createdFrom !== undefined) range['$gte'] = this.instant('createdFrom', filter.createdFrom, timeZone, false);
      if (filter.createdTo !== undefined) range['$lt'] = this.instant('createdTo', filter.createdTo, timeZone, true);
      conditions.push({ createdAt: range });
    }
    if (filter.q !== undefined && filter.q.trim().length > 0) {
      conditions.push({ searchText: { $regex: escapeRegex(filter.q.trim().toLowerCase()) } });
    }
    const base: Filter = conditions.length === 1 ? conditions[0]! : { $and: conditions };
    let page: Filter = base;
    if (query.cursor !== undefined) {
      const cursor = decodeCursor<LeadCursor>(query.cursor);
      if (typeof cursor?.c !== 'string' || typeof cursor.i !== 'string') {
        throw new DomainError('invalid', 'leads.invalid-cursor', 'The cursor is not valid.', { cursor: 'is not a cursor returned by this list' });
      }
      page = { $and: [...conditions, { $or: [{ createdAt: { $lt: cursor.c } }, { createdAt: cursor.c, _id: { $lt: cursor.i } }] }] };
    }
    const leads = this.store.collection<LeadListDocument>(LEAD_LIST_COLLECTION, leadListCollectionOptions);
    const [docs, total] = await Promise.all([
      leads.find(page, { sort: { createdAt: -1, _id: -1 }, limit: query.limit + 1 }),
      leads.count(base),
    ]);
    const hasMore = docs.length > query.limit;
    const items = (hasMore ? docs.slice(0, query.limit) : docs).map(toLeadView);
    const last = items[items.length - 1];
    return { items, total, nextCursor: hasMore && last ? encodeCursor({ c: last.createdAt, i: last.id }) : null };
  }

  private instant(field: string, value: string, timeZone: string, endOfDay: boolean): string {
    if (isDay(value)) return new Date(startOfDayUtc(endOfDay ? addDays(value, 1) : value, timeZone)).toISOString();
    const ms = Date.parse(value);
    if (Number.isNaN(ms) || /^\d{4}-\d{2}-\d{2}$/.test(value)) {
      throw new DomainError('invalid', 'leads.invalid-date', `${field} is not a valid date.`, { [field]: 'is not a valid date or date-time' });
    }
    return new Date(ms).toISOString();
  }
}
