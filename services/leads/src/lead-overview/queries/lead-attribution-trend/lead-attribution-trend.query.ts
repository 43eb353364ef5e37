import { Query } from '@nestjs/cqrs';
import type { Granularity } from '../../domain/trend-periods';
import type { SeriesKind } from '../../domain/trend-series';

/** What brought the lead: its source (channel) or the activity (campaign) it came from. */
export type AttributionDimension = 'source' | 'activity';

export interface AttributionSeries {
  readonly kind: SeriesKind;
  readonly key: string | null;
  readonly label: string;
  readonly total: number;
  readonly counts: number[];
}

export interface AttributionTrend {
  readonly timeZone: string;
  readonly granularity: Granularity;
  readonly periods: string[];
  readonly series: AttributionSeries[];
}

export class LeadAttributionTrendQuery extends Query<AttributionTrend> {
  constructor(
    readonly tenantId: string,
    readonly dimension: AttributionDimension,
    readonly from: string,
    readonly to: string,
    readonly granularity: string = 'day',
    readonly top: number = 10,
  ) {
    super();
  }
}
