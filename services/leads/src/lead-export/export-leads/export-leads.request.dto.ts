import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional, IsString, IsUUID, ValidateNested } from 'class-validator';
import { LeadFilterDto, LeadSortDto } from '../../lead-filter/search-leads/search-leads.request.dto';
import { EXPORT_FORMATS, type ExportFormat } from '../domain/lead-export.events';
import { MAX_EXPORT_COLUMNS } from './export-columns';

/** POST /v1/leads/export: the filtered lead list with chosen columns, as a file (LEAD-8). */
export class ExportLeadsRequestDto extends LeadFilterDto {
  @ApiProperty({ enum: EXPORT_FORMATS, description: 'csv: UTF-8 with BOM, CRLF, RFC 4180 quoting; xlsx: one worksheet per 1,048,575 leads' })
  @IsIn(EXPORT_FORMATS)
  format: ExportFormat;

  @ApiPropertyOptional({
    type: [String],
    description: 'Columns in file order: system field keys, custom field keys, or id. Default: the view’s columns, else every field not hidden in the schema',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_EXPORT_COLUMNS)
  @IsString({ each: true })
  columns?: string[];

  @ApiPropertyOptional({ type: LeadSortDto, description: 'Default: the view’s sort, else createdAt desc (the list’s order)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LeadSortDto)
  sort?: LeadSortDto;

  @ApiPropertyOptional({ format: 'uuid', description: 'A saved view: its filter is ANDed with the conditions given here; its sort and columns apply unless given here' })
  @IsOptional()
  @IsUUID()
  viewId?: string;
}
