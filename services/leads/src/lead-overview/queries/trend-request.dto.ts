import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { GRANULARITIES, MAX_TREND_PERIODS, type Granularity } from '../domain/trend-periods';

export const TREND_FORMATS = ['json', 'csv'] as const;
export type TrendFormat = (typeof TREND_FORMATS)[number];

/** The range, granularity and format every lead overview trend takes (LEAD-11). */
export class TrendRequestDto {
  @ApiProperty({ example: '2026-11-01', description: 'First day (YYYY-MM-DD) in the enterprise time zone' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be a day formatted YYYY-MM-DD' })
  from: string;

  @ApiProperty({ example: '2026-11-30', description: `Last day (YYYY-MM-DD), inclusive; the range gives at most ${MAX_TREND_PERIODS} periods` })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be a day formatted YYYY-MM-DD' })
  to: string;

  @ApiPropertyOptional({
    enum: GRANULARITIES,
    default: 'day',
    description: 'Periods: local days, ISO weeks (Monday to Sunday) or calendar months; the first and last are clipped to the range and labelled by their first day in it',
  })
  @IsOptional()
  @IsIn(GRANULARITIES, { message: `granularity must be one of ${GRANULARITIES.join(', ')}` })
  granularity?: Granularity;

  @ApiPropertyOptional({ enum: TREND_FORMATS, description: 'csv: UTF-8 with BOM, one row per period, one column per series. Without it, `Accept: text/csv` also selects CSV' })
  @IsOptional()
  @IsIn(TREND_FORMATS, { message: `format must be one of ${TREND_FORMATS.join(', ')}` })
  format?: TrendFormat;
}

export const DEFAULT_TOP = 10;
export const MAX_TOP = 100;

export class AttributionTrendRequestDto extends TrendRequestDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_TOP, default: DEFAULT_TOP, description: 'Keys shown by name (largest totals in the range); the rest are summed into one `other` series' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_TOP)
  top?: number;
}

export class NewLeadsBucketDto {
  @ApiProperty({ example: '2026-11-24', description: 'First day of the period in the range' }) date: string;
  @ApiProperty() count: number;
}

export class NewLeadsTrendDto {
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone: string;
  @ApiProperty({ enum: GRANULARITIES }) granularity: Granularity;
  @ApiProperty({ type: [NewLeadsBucketDto] }) buckets: NewLeadsBucketDto[];
}

export class AttributionSeriesDto {
  @ApiProperty({ enum: ['value', 'none', 'other'], description: 'value: one source / activity; none: leads without one; other: every key beyond `top`' }) kind: 'value' | 'none' | 'other';
  @ApiProperty({ type: String, nullable: true, description: 'The source, or the activity id; null for none and other' }) key: string | null;
  @ApiProperty({ description: 'Column header of the CSV: the key, (none) or (other)' }) label: string;
  @ApiProperty({ description: 'New leads in the whole range' }) total: number;
  @ApiProperty({ type: [Number], description: 'New leads per period' }) counts: number[];
}

export class AttributionTrendDto {
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone: string;
  @ApiProperty({ enum: GRANULARITIES }) granularity: Granularity;
  @ApiProperty({ type: [String], example: ['2026-11-01', '2026-11-02'], description: 'First day of each period in the range' }) periods: string[];
  @ApiProperty({ type: [AttributionSeriesDto] }) series: AttributionSeriesDto[];
}

export class StatusSeriesDto {
  @ApiProperty({ format: 'uuid' }) key: string;
  @ApiProperty({ description: 'The status name (its id if it is not in the catalogue)' }) label: string;
  @ApiProperty() retired: boolean;
  @ApiProperty({ type: [Number], description: 'Leads in this status at the end of each period' }) counts: number[];
}

export class StatusTrendDto {
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone: string;
  @ApiProperty({ enum: GRANULARITIES }) granularity: Granularity;
  @ApiProperty({ type: [String], example: ['2026-11-01', '2026-11-02'] }) periods: string[];
  @ApiProperty({ type: [StatusSeriesDto] }) series: StatusSeriesDto[];
}
