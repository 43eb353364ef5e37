import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@leadstream/event-sourcing';
import type { Filter, ReadStore } from '@leadstream/read-store';
import { findKeysetPage } from '@leadstream/platform';
import { LEADS_READ_STORE } from '../../../leads.tokens';
import { addDays, isDay, startOfDayUtc } from '../../../lead-overview/domain/time-zone-days';
import { tenantTimeZone } from '../../../tenant/tenant-time-zone';
import { LEAD_LIST_COLLECTION, leadListCollectionOptions, type LeadListDocument } from '../../projections/lead-list/lead-list.schema';
import { toLeadView } from '../lead.view';
import { ListLeadsQuery, type LeadListPage } from './list-leads.query';
import { LeadSchemaReader } from '../../../lead-schema/lead-schema.reader';

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Newest first; keyset pagination on (createdAt, id) so pages stay stable while leads arrive. */
@QueryHandler(ListLeadsQuery)
export class ListLeadsHandler implements IQueryHandler<ListLeadsQuery> {
  constructor(
    @Inject(LEADS_READ_STORE) private readonly store: ReadStore,
    private readonly schemas: LeadSchemaReader,
  ) {}

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
    const leads = this.store.collection<LeadListDocument>(LEAD_LIST_COLLECTION, leadListCollectionOptions);
    const { docs, total, nextCursor } = await findKeysetPage(leads, { filter: base, limit: query.limit, cursor: query.cursor, direction: -1 });
    const schema = await this.schemas.get(query.tenantId);
    return { items: docs.map((doc) => toLeadView(doc, schema)), total, nextCursor };
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
