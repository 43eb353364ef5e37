import { Query } from '@nestjs/cqrs';
import type { Granularity } from '../../domain/trend-periods';

export interface StatusSeries {
  readonly key: string;
  readonly label: string;
  readonly retired: boolean;
  /** Leads in the status at the end of each period. */
  readonly counts: number[];
}

export interface StatusTrend {
  readonly timeZone: string;
  readonly granularity: Granularity;
  readonly periods: string[];
  readonly series: StatusSeries[];
}

export class LeadStatusTrendQuery extends Query<StatusTrend> {
  constructor(
    readonly tenantId: string,
    readonly from: string,
    readonly to: string,
    readonly granularity: string = 'day',
  ) {
    super();
  }
}
