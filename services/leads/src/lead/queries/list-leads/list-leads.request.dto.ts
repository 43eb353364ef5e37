import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { LeadView } from '../lead.view';

const DATE_OR_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export class ListLeadsRequestDto {
  @ApiPropertyOptional({ description: 'Exact source (channel)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  source?: string;

  @ApiPropertyOptional({ description: 'Created at or after: ISO-8601 date-time, or a day (YYYY-MM-DD, its start in the enterprise time zone)' })
  @IsOptional()
  @Matches(DATE_OR_DATE_TIME, { message: 'createdFrom must be an ISO-8601 date (YYYY-MM-DD) or date-time with offset' })
  createdFrom?: string;

  @ApiPropertyOptional({ description: 'Created before: ISO-8601 date-time (exclusive), or a day (YYYY-MM-DD, inclusive)' })
  @IsOptional()
  @Matches(DATE_OR_DATE_TIME, { message: 'createdTo must be an ISO-8601 date (YYYY-MM-DD) or date-time with offset' })
  createdTo?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive text in name, phone, QQ, e-mail or company' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export class LeadListPageDto {
  @ApiProperty({ type: [LeadView] }) items: LeadView[];
  @ApiProperty() total: number;
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
