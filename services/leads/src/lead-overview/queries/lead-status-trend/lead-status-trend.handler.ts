import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { loadState, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import type { ReadStore } from '@leadstream/read-store';
import { LEADS_EVENT_STORE, LEADS_READ_STORE } from '../../../leads.tokens';
import { statusCatalogueDecider } from '../../../status/domain/status-catalogue.decider';
import { STATUS_CATALOGUE_CATEGORY } from '../../../status/domain/status.events';
import { periodIndex } from '../../domain/trend-periods';
import {
  OVERVIEW_SLOTS_COLLECTION,
  OVERVIEW_STATUS_MONTHS_COLLECTION,
  overviewSlotsCollectionOptions,
  statusMonthsCollectionOptions,
  type OverviewSlotDocument,
  type StatusMonthDocument,
} from '../../projections/lead-overview/lead-overview.schema';
import { resolveTrendRange } from '../trend-range';
import { LeadStatusTrendQuery, type StatusSeries, type StatusTrend } from './lead-status-trend.query';

/**
 * Leads in each status at the end of each period (LEAD-11), from the net status changes per slot:
 * the opening balance is the UTC months before the range's month plus that month's slots before
 * the range, then a running sum over the periods. Series follow the catalogue's display order;
 * retired statuses only while leads are in them.
 */
@QueryHandler(LeadStatusTrendQuery)
export class LeadStatusTrendHandler implements IQueryHandler<LeadStatusTrendQuery> {
  constructor(
    @Inject(LEADS_READ_STORE) private readonly store: ReadStore,
    @Inject(LEADS_EVENT_STORE) private readonly events: EventStore,
  ) {}

  async execute(query: LeadStatusTrendQuery): Promise<StatusTrend> {
    const range = await resolveTrendRange(this.store, query.tenantId, query.from, query.to, query.granularity);
    const month = range.start.slice(0, 7);
    const [catalogue, months, slots] = await Promise.all([
      loadState(this.events, streamIdOf(STATUS_CATALOGUE_CATEGORY, query.tenantId), statusCatalogueDecider),
      this.store
        .collection<StatusMonthDocument>(OVERVIEW_STATUS_MONTHS_COLLECTION, statusMonthsCollectionOptions)
        .find({ tenantId: query.tenantId, month: { $lt: month } }, { projection: { statuses: 1 } }),
      this.store
        .collection<OverviewSlotDocument>(OVERVIEW_SLOTS_COLLECTION, overviewSlotsCollectionOptions)
        .find({ tenantId: query.tenantId, slot: { $gte: `${month}-01T00:00:00.000Z`, $lt: range.end } }, { projection: { slot: 1, statuses: 1 } }),
    ]);
    const periods = range.starts.length;
    const opening = new Map<string, number>();
    const deltas = new Map<string, number[]>();
    const add = (k: string, i: number, n: number) => {
      if (i < 0) {
        opening.set(k, (opening.get(k) ?? 0) + n);
        return;
      }
      let d = deltas.get(k);
      if (!d) {
        d = new Array<number>(periods).fill(0);
        deltas.set(k, d);
      }
      d[i]! += n;
    };
    for (const m of months) for (const { k, n } of m.statuses) if (k !== null) add(k, -1, n);
    for (const s of slots) {
      const at = Date.parse(s.slot);
      const i = at < range.boundaries[0]! ? -1 : periodIndex(range.boundaries, at);
      for (const { k, n } of s.statuses) if (k !== null) add(k, i, n);
    }
    const running = (k: string): number[] => {
      let sum = opening.get(k) ?? 0;
      const d = deltas.get(k);
      return Array.from({ length: periods }, (_, i) => (sum += d?.[i] ?? 0));
    };
    const series: StatusSeries[] = [];
    const known = new Set<string>();
    for (const status of catalogue.state.statuses) {
      known.add(status.id);
      const counts = running(status.id);
      if (status.retired && counts.every((n) => n === 0)) continue;
      series.push({ key: status.id, label: status.name, retired: status.retired, counts });
    }
    for (const k of [...new Set([...opening.keys(), ...deltas.keys()])].sort()) {
      if (known.has(k)) continue;
      const counts = running(k);
      if (counts.some((n) => n !== 0)) series.push({ key: k, label: k, retired: true, counts });
    }
    return { timeZone: range.timeZone, granularity: range.granularity, periods: [...range.starts], series };
  }
}
