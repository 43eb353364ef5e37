import { Query } from '@nestjs/cqrs';
import type { Granularity } from '../../domain/trend-periods';

export interface NewLeadsTrend {
  readonly timeZone: string;
  readonly granularity: Granularity;
  /** One per period, labelled by its first day in the range. */
  readonly buckets: { date: string; count: number }[];
}

export class NewLeadsTrendQuery extends Query<NewLeadsTrend> {
  constructor(
    readonly tenantId: string,
    readonly from: string,
    readonly to: string,
    readonly granularity: string = 'day',
  ) {
    super();
  }
}
