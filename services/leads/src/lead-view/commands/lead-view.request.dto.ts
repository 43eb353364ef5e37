import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmptyObject, IsObject, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { FILTER_OPERATORS, MAX_CONDITIONS, MAX_Q_LENGTH } from '../../lead-filter/query/lead-filter';
import { MAX_COLUMNS } from '../../lead-filter/query/lead-sort';
import { LEAD_VIEW_VISIBILITIES, MAX_VIEW_NAME_LENGTH } from '../domain/lead-view.events';

export class LeadViewConditionDto {
  @ApiProperty({ description: 'A system field key or a live custom field key' }) field: string;
  @ApiProperty({ enum: FILTER_OPERATORS }) op: string;
  @ApiPropertyOptional({ description: 'A scalar, a list or [from, to], by operator; absent for empty / notEmpty' }) value?: unknown;
}

export class LeadViewFilterDto {
  @ApiPropertyOptional({ type: [LeadViewConditionDto], default: [], description: `At most ${MAX_CONDITIONS}; checked against the lead schema when the view is saved` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CONDITIONS)
  @IsObject({ each: true })
  conditions?: Record<string, unknown>[];

  @ApiPropertyOptional({ enum: ['all', 'any'], default: 'all' })
  @IsOptional()
  @IsIn(['all', 'any'])
  match?: 'all' | 'any';

  @ApiPropertyOptional({ description: 'Free text in name, phone, QQ, e-mail, company or title' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_Q_LENGTH)
  q?: string;
}

export class LeadViewSortDto {
  @ApiProperty({ description: 'A text, number, date or date-time field (system or custom)' })
  @IsString()
  @MaxLength(100)
  field: string;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  direction?: 'asc' | 'desc';
}

/** POST /v1/lead-views and PUT /v1/lead-views/{id}: a whole view definition. */
export class SaveLeadViewRequestDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_VIEW_NAME_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_VIEW_NAME_LENGTH)
  name: string;

  @ApiPropertyOptional({ enum: LEAD_VIEW_VISIBILITIES, default: 'private', description: 'private: only the owner sees it; shared: every member of the enterprise does' })
  @IsOptional()
  @IsIn(LEAD_VIEW_VISIBILITIES)
  visibility?: (typeof LEAD_VIEW_VISIBILITIES)[number];

  @ApiProperty({ type: LeadViewFilterDto, description: 'The filter language of POST /v1/leads/search' })
  @IsObject()
  @ValidateNested()
  @Type(() => LeadViewFilterDto)
  filter: LeadViewFilterDto;

  @ApiPropertyOptional({ type: LeadViewSortDto })
  @IsOptional()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => LeadViewSortDto)
  sort?: LeadViewSortDto;

  @ApiPropertyOptional({ type: [String], description: 'Fields the list shows (id always)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_COLUMNS)
  @IsString({ each: true })
  columns?: string[];
}

export class LeadViewIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class LeadViewCreatedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The view’s version (send it back as If-Match to change it safely)' }) version: number;
}
