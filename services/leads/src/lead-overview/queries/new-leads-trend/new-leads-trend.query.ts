import { Query } from '@nestjs/cqrs';

export interface NewLeadsTrend {
  readonly timeZone: string;
  readonly buckets: { date: string; count: number }[];
}

export class NewLeadsTrendQuery extends Query<NewLeadsTrend> {
  constructor(
    readonly tenantId: string,
    readonly from: string,
    readonly to: string,
  ) {
    super();
  }
}
