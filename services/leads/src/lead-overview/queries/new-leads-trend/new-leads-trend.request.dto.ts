import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class NewLeadsTrendRequestDto {
  @ApiProperty({ example: '2026-11-01', description: 'First day (YYYY-MM-DD) in the enterprise time zone' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be a day formatted YYYY-MM-DD' })
  from: string;

  @ApiProperty({ example: '2026-11-30', description: 'Last day (YYYY-MM-DD), inclusive; at most 366 days after from' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be a day formatted YYYY-MM-DD' })
  to: string;
}

class TrendBucketDto {
  @ApiProperty({ example: '2026-11-24' }) date: string;
  @ApiProperty() count: number;
}

export class NewLeadsTrendDto {
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone: string;
  @ApiProperty({ type: [TrendBucketDto] }) buckets: TrendBucketDto[];
}
