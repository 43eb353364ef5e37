import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { CursorPageQuery, ValidationProblemException } from '@leadstream/platform';
import type { LeadImportMappingState } from './domain/lead-import-mapping.decider';
import type { ImportJobState, LeadImportState } from './domain/lead-import.decider';
import { MAX_IMPORT_COLUMNS, type ColumnMapping, type ImportEncoding } from './domain/lead-import.events';

export class LeadImportIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class UploadLeadImportQuery {
  @ApiPropertyOptional({ enum: ['utf-8', 'gb18030'], description: 'Text encoding of a CSV file; detected when absent (BOM, else valid UTF-8, else GB18030)' })
  @IsOptional()
  @IsIn(['utf-8', 'gb18030'])
  encoding?: ImportEncoding;

  @ApiPropertyOptional({ description: 'The file name, kept for display' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  fileName?: string;
}

export class StartLeadImportRequestDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { Mobile: 'phone', Name: 'name', Budget: 'fields.budget' },
    description: 'Column header → system field key (name, phone, qq, email, company, title, source, activity, tags, status) or custom field key (`budget` or `fields.budget`). Unmapped columns are ignored.',
  })
  @IsOptional()
  @IsObject()
  mapping?: Record<string, unknown>;

  @ApiPropertyOptional({ format: 'uuid', description: 'A saved mapping (POST /v1/lead-import-mappings) instead of `mapping`' })
  @IsOptional()
  @IsUUID()
  mappingId?: string;
}

export class SaveLeadImportMappingRequestDto {
  @ApiProperty({ minLength: 1, maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { Mobile: 'phone', Name: 'name' } })
  @IsObject()
  mapping: Record<string, unknown>;
}

export class LeadImportUploadedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['csv', 'xlsx'] }) format: string;
  @ApiPropertyOptional({ enum: ['utf-8', 'gb18030'], nullable: true }) encoding: string | null;
  @ApiProperty({ description: 'Bytes' }) size: number;
  @ApiProperty({ type: [String] }) headers: string[];
  @ApiProperty({ type: 'array', items: { type: 'array', items: { type: 'string' } }, description: 'The first data rows' }) preview: string[][];
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Data rows that are not empty (CSV); null for XLSX' }) rows: number | null;
}

export class LeadImportDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['uploaded', 'running', 'completed', 'cancelled', 'failed'] }) state: string;
  @ApiPropertyOptional({ type: String, nullable: true }) fileName: string | null;
  @ApiProperty({ enum: ['csv', 'xlsx'] }) format: string;
  @ApiPropertyOptional({ type: String, nullable: true }) encoding: string | null;
  @ApiProperty({ type: [String] }) headers: string[];
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Data rows that are not empty (CSV); null for XLSX' }) rows: number | null;
  @ApiProperty({ description: 'Data rows read so far' }) rowsRead: number;
  @ApiProperty() imported: number;
  @ApiProperty({ description: 'Rows refused; see /errors' }) failed: number;
  @ApiProperty({ description: 'Empty rows (ignored)' }) skipped: number;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, nullable: true }) mapping: Record<string, string> | null;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) mappingId: string | null;
  @ApiProperty() cancelRequested: boolean;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Why a job failed' }) reason: string | null;
  @ApiProperty({ format: 'date-time' }) uploadedAt: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) startedAt: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
}

export class ListLeadImportsQuery extends CursorPageQuery {
  @ApiPropertyOptional({ enum: ['uploaded', 'running', 'completed', 'cancelled', 'failed'] })
  @IsOptional()
  @IsIn(['uploaded', 'running', 'completed', 'cancelled', 'failed'])
  state?: ImportJobState;
}

export class LeadImportPageDto {
  @ApiProperty({ type: [LeadImportDto] }) items: LeadImportDto[];
  @ApiProperty() total: number;
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor: string | null;
}

export class LeadImportMappingDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) mapping: Record<string, string>;
  @ApiProperty({ format: 'uuid' }) savedBy: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class LeadImportMappingPageDto {
  @ApiProperty({ type: [LeadImportMappingDto] }) items: LeadImportMappingDto[];
  @ApiProperty() total: number;
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor: string | null;
}

export function importView(id: string, s: LeadImportState): LeadImportDto {
  return {
    id,
    state: s.state,
    fileName: s.fileName,
    format: s.format!,
    encoding: s.encoding,
    headers: [...s.headers],
    rows: s.rows,
    rowsRead: s.rowsRead,
    imported: s.imported,
    failed: s.failed,
    skipped: s.skipped,
    mapping: s.mapping ? { ...s.mapping } : null,
    mappingId: s.mappingId,
    cancelRequested: s.cancelRequested,
    reason: s.reason,
    uploadedAt: s.uploadedAt!,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
  };
}

export function mappingView(s: LeadImportMappingState): LeadImportMappingDto {
  return { id: s.mappingId!, name: s.name!, mapping: { ...s.mapping! }, savedBy: s.savedBy!, updatedAt: s.updatedAt! };
}

/** A mapping's shape: an object of column → non-empty string (what each names is checked against the schema later). */
export function mappingOf(raw: Record<string, unknown>, where = 'mapping'): ColumnMapping {
  const errors = Object.entries(raw)
    .filter(([, v]) => typeof v !== 'string' || v.length === 0 || v.length > 100)
    .map(([k]) => ({ field: `${where}.${k}`, reason: 'must be the key of a field of the lead schema' }));
  if (Object.keys(raw).length > MAX_IMPORT_COLUMNS) errors.push({ field: where, reason: `maps at most ${MAX_IMPORT_COLUMNS} columns` });
  if (errors.length > 0) throw new ValidationProblemException(errors);
  return raw as ColumnMapping;
}
