import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@leadstream/event-sourcing';
import type { ReadStore } from '@leadstream/read-store';
import { LEADS_READ_STORE } from '../../../leads.tokens';
import { tenantTimeZone } from '../../../tenant/tenant-time-zone';
import { addDays, daysBetweenInclusive, isDay, localDay, startOfDayUtc } from '../../domain/time-zone-days';
import {
  NEW_LEAD_COUNTS_COLLECTION,
  newLeadCountsCollectionOptions,
  type NewLeadCountDocument,
} from '../../projections/new-lead-counts/new-lead-counts.schema';
import { NewLeadsTrendQuery, type NewLeadsTrend } from './new-leads-trend.query';

export const MAX_TREND_DAYS = 366;

/** One bucket per local day from `from` to `to`, empty days included (LEAD-11). */
@QueryHandler(NewLeadsTrendQuery)
export class NewLeadsTrendHandler implements IQueryHandler<NewLeadsTrendQuery> {
  constructor(@Inject(LEADS_READ_STORE) private readonly store: ReadStore) {}

  async execute(query: NewLeadsTrendQuery): Promise<NewLeadsTrend> {
    const fields: Record<string, string> = {};
    if (!isDay(query.from)) fields['from'] = 'is not a calendar day';
    if (!isDay(query.to)) fields['to'] = 'is not a calendar day';
    if (Object.keys(fields).length === 0) {
      if (query.to < query.from) fields['to'] = 'must not be before from';
      else if (query.to > addDays(query.from, MAX_TREND_DAYS - 1)) fields['to'] = `must be at most ${MAX_TREND_DAYS} days after from`;
    }
    if (Object.keys(fields).length > 0) throw new DomainError('invalid', 'leads.invalid-range', 'The date range is not valid.', fields);

    const timeZone = await tenantTimeZone(this.store, query.tenantId);
    const start = new Date(startOfDayUtc(query.from, timeZone)).toISOString();
    const end = new Date(startOfDayUtc(addDays(query.to, 1), timeZone)).toISOString();
    const slots = await this.store
      .collection<NewLeadCountDocument>(NEW_LEAD_COUNTS_COLLECTION, newLeadCountsCollectionOptions)
      .find({ tenantId: query.tenantId, slot: { $gte: start, $lt: end } }, { projection: { slot: 1, count: 1 } });
    const perDay = new Map<string, number>();
    for (const s of slots) {
      const day = localDay(Date.parse(s.slot), timeZone);
      perDay.set(day, (perDay.get(day) ?? 0) + s.count);
    }
    return { timeZone, buckets: daysBetweenInclusive(query.from, query.to).map((date) => ({ date, count: perDay.get(date) ?? 0 })) };
  }
}
