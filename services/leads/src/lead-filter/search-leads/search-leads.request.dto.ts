import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { LeadView } from '../../lead/queries/lead.view';
import { FILTER_OPERATORS, MAX_CONDITIONS, MAX_Q_LENGTH } from '../query/lead-filter';
import { MAX_COLUMNS } from '../query/lead-sort';

export class LeadConditionDto {
  @ApiProperty({ description: 'A system field key (name, phone, qq, email, company, title, source, activity, owner, status, tags, score, createdAt, updatedAt) or a custom field key' })
  field: string;

  @ApiProperty({ enum: FILTER_OPERATORS, description: 'Which operators a field accepts depends on its type (see the leads README)' })
  op: string;

  @ApiPropertyOptional({ description: 'A scalar, a list (anyOf, allOf, noneOf) or [from, to] (between); absent for empty / notEmpty' })
  value?: unknown;
}

export class LeadSortDto {
  @ApiProperty({ description: 'A text, number, date or date-time field (system or custom)' })
  @IsString()
  @MaxLength(100)
  field: string;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  direction?: 'asc' | 'desc';
}

/** A lead list filter (LEAD-9): shared by the search, saved views and batches by filter. */
export class LeadFilterDto {
  @ApiPropertyOptional({ type: [LeadConditionDto], description: `At most ${MAX_CONDITIONS} conditions; each is checked against the lead schema as it stands` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CONDITIONS)
  @IsObject({ each: true })
  conditions?: Record<string, unknown>[];

  @ApiPropertyOptional({ enum: ['all', 'any'], default: 'all', description: 'all: every condition holds; any: at least one does' })
  @IsOptional()
  @IsIn(['all', 'any'])
  match?: 'all' | 'any';

  @ApiPropertyOptional({ description: 'Case-insensitive text in name, phone, QQ, e-mail, company or title' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_Q_LENGTH)
  q?: string;
}

/** POST /v1/leads/search: the lead list with the full filter language (LEAD-9). */
export class SearchLeadsRequestDto extends LeadFilterDto {
  @ApiPropertyOptional({ type: LeadSortDto, description: 'Default: createdAt desc (or the view’s sort)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LeadSortDto)
  sort?: LeadSortDto;

  @ApiPropertyOptional({ type: [String], description: 'Fields to return (id always); default: every field (or the view’s columns)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_COLUMNS)
  @IsString({ each: true })
  columns?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'A saved view: its filter is ANDed with the conditions given here; its sort and columns apply unless given here' })
  @IsOptional()
  @IsUUID()
  viewId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 20 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page (same filter and sort)' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  cursor?: string;
}

export class SearchLeadsPageDto {
  @ApiProperty({ type: [LeadView], description: 'Leads, each with the chosen columns only when columns are given' }) items: Record<string, unknown>[];
  @ApiProperty({ description: 'Leads matching the filter' }) total: number;
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
