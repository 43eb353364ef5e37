import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ReadStore } from '@leadstream/read-store';
import { LEADS_READ_STORE } from '../../../leads.tokens';
import { periodIndex } from '../../domain/trend-periods';
import { rankSeries } from '../../domain/trend-series';
import { OVERVIEW_SLOTS_COLLECTION, overviewSlotsCollectionOptions, type OverviewSlotDocument } from '../../projections/lead-overview/lead-overview.schema';
import { resolveTrendRange } from '../trend-range';
import { LeadAttributionTrendQuery, type AttributionTrend } from './lead-attribution-trend.query';

/** New leads per period by source or by activity, top keys by name, the rest as `other` (LEAD-11). */
@QueryHandler(LeadAttributionTrendQuery)
export class LeadAttributionTrendHandler implements IQueryHandler<LeadAttributionTrendQuery> {
  constructor(@Inject(LEADS_READ_STORE) private readonly store: ReadStore) {}

  async execute(query: LeadAttributionTrendQuery): Promise<AttributionTrend> {
    const range = await resolveTrendRange(this.store, query.tenantId, query.from, query.to, query.granularity);
    const field = query.dimension === 'source' ? 'sources' : 'activities';
    const slots = await this.store
      .collection<OverviewSlotDocument>(OVERVIEW_SLOTS_COLLECTION, overviewSlotsCollectionOptions)
      .find({ tenantId: query.tenantId, slot: { $gte: range.start, $lt: range.end } }, { projection: { slot: 1, [field]: 1 } });
    const periods = range.starts.length;
    const perKey = new Map<string | null, number[]>();
    for (const s of slots) {
      const i = periodIndex(range.boundaries, Date.parse(s.slot));
      if (i < 0) continue;
      for (const { k, n } of s[field] ?? []) {
        let counts = perKey.get(k);
        if (!counts) {
          counts = new Array<number>(periods).fill(0);
          perKey.set(k, counts);
        }
        counts[i]! += n;
      }
    }
    const series = rankSeries(perKey, periods, query.top).map((s) => ({
      ...s,
      label: s.kind === 'none' ? '(none)' : s.kind === 'other' ? '(other)' : s.key!,
    }));
    return { timeZone: range.timeZone, granularity: range.granularity, periods: [...range.starts], series };
  }
}
