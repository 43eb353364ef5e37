import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsOptional, IsString, IsUUID, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { EditLeadRequestDto } from '../../lead/commands/operate-lead/operate-lead.request.dto';
import { LeadFilterDto } from '../../lead-filter/search-leads/search-leads.request.dto';

/** Largest `leadIds` list one request may carry (larger batches select by filter, up to 100,000). */
export const MAX_BATCH_IDS = 20_000;

export const BATCH_OPERATIONS = ['setStatus', 'addTags', 'removeTags', 'assign', 'edit', 'delete'] as const;

/** The batch's selection by the list filter (see POST /v1/leads/search). */
export class LeadBatchFilterDto extends LeadFilterDto {}

export class RequestLeadBatchDto {
  @ApiProperty({ enum: BATCH_OPERATIONS })
  @IsIn(BATCH_OPERATIONS)
  operation: (typeof BATCH_OPERATIONS)[number];

  @ApiPropertyOptional({ format: 'uuid', description: 'setStatus: the status to set' })
  @ValidateIf((o: RequestLeadBatchDto) => o.operation === 'setStatus')
  @IsUUID()
  statusId?: string;

  @ApiPropertyOptional({ type: [String], description: 'addTags / removeTags: the tags' })
  @ValidateIf((o: RequestLeadBatchDto) => o.operation === 'addTags' || o.operation === 'removeTags')
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'assign: an active member, or null to unassign' })
  @ValidateIf((o: RequestLeadBatchDto) => o.operation === 'assign' && o.ownerId !== null)
  @IsUUID()
  ownerId?: string | null;

  @ApiPropertyOptional({ type: EditLeadRequestDto, description: 'edit: the changes applied to every lead' })
  @ValidateIf((o: RequestLeadBatchDto) => o.operation === 'edit')
  @IsObject()
  @ValidateNested()
  @Type(() => EditLeadRequestDto)
  changes?: EditLeadRequestDto;

  @ApiPropertyOptional({ type: [String], description: `The leads, by id (at most ${MAX_BATCH_IDS}); or give filter` })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_IDS)
  @IsUUID('all', { each: true })
  leadIds?: string[];

  @ApiPropertyOptional({ type: LeadBatchFilterDto, description: 'The leads the list filter selects (at most 100,000); or give leadIds' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LeadBatchFilterDto)
  filter?: LeadBatchFilterDto;
}

export class LeadBatchAcceptedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['running'] }) status: 'running';
  @ApiProperty({ description: 'Leads the batch acts on' }) total: number;
  @ApiProperty({ example: '/v1/lead-batches/…' }) location: string;
}
