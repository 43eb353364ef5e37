import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ReadStore } from '@leadstream/read-store';
import { LEADS_READ_STORE } from '../../../leads.tokens';
import { periodIndex } from '../../domain/trend-periods';
import {
  NEW_LEAD_COUNTS_COLLECTION,
  newLeadCountsCollectionOptions,
  type NewLeadCountDocument,
} from '../../projections/new-lead-counts/new-lead-counts.schema';
import { resolveTrendRange } from '../trend-range';
import { NewLeadsTrendQuery, type NewLeadsTrend } from './new-leads-trend.query';

/** New leads per day, week or month of the enterprise time zone, empty periods included (LEAD-11). */
@QueryHandler(NewLeadsTrendQuery)
export class NewLeadsTrendHandler implements IQueryHandler<NewLeadsTrendQuery> {
  constructor(@Inject(LEADS_READ_STORE) private readonly store: ReadStore) {}

  async execute(query: NewLeadsTrendQuery): Promise<NewLeadsTrend> {
    const range = await resolveTrendRange(this.store, query.tenantId, query.from, query.to, query.granularity);
    const slots = await this.store
      .collection<NewLeadCountDocument>(NEW_LEAD_COUNTS_COLLECTION, newLeadCountsCollectionOptions)
      .find({ tenantId: query.tenantId, slot: { $gte: range.start, $lt: range.end } }, { projection: { slot: 1, count: 1 } });
    const counts = new Array<number>(range.starts.length).fill(0);
    for (const s of slots) {
      const i = periodIndex(range.boundaries, Date.parse(s.slot));
      if (i >= 0) counts[i]! += s.count;
    }
    return { timeZone: range.timeZone, granularity: range.granularity, buckets: range.starts.map((date, i) => ({ date, count: counts[i]! })) };
  }
}
