import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmptyObject, IsObject, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { MAX_COLUMNS } from '../../lead-filter/query/lead-sort';
import { LEAD_VIEW_VISIBILITIES, MAX_VIEW_NAME_LENGTH } from '../domain/lead-view.events';

// the view's filter and sort are the search's
export { LeadConditionDto as LeadViewConditionDto, LeadFilterDto as LeadViewFilterDto, LeadSortDto as LeadViewSortDto } from '../../lead-filter/search-leads/search-leads.request.dto';
import { LeadFilterDto as LeadViewFilterDto, LeadSortDto as LeadViewSortDto } from '../../lead-filter/search-leads/search-leads.request.dto';

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
