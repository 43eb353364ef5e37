import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { DomainError } from '@leadstream/event-sourcing';
import type { ReadStore } from '@leadstream/read-store';
import { CurrentPrincipal, decodeCursor, encodeCursor, RequirePermissions, ValidationProblemException, type Principal } from '@leadstream/platform';
import { LEADS_READ_STORE } from '../../leads.tokens';
import {
  LEAD_BATCH_RESULTS_COLLECTION,
  LEAD_BATCHES_COLLECTION,
  leadBatchesCollectionOptions,
  leadBatchResultsCollectionOptions,
  type LeadBatchDocument,
  type LeadBatchResultDocument,
} from '../projections/lead-batches.schema';

export class LeadBatchIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class LeadBatchView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['setStatus', 'changeTags', 'assign', 'edit', 'delete'] }) operation: string;
  @ApiProperty({ enum: ['ids', 'filter'] }) selection: string;
  @ApiProperty({ enum: ['running', 'completed', 'completed_with_failures'] }) status: string;
  @ApiProperty() total: number;
  @ApiProperty({ description: 'Leads with a result so far' }) processed: number;
  @ApiProperty() applied: number;
  @ApiProperty({ description: 'Leads that already were that way (nothing recorded)' }) unchanged: number;
  @ApiProperty({ description: 'Leads the operation could not be applied to: see /results?outcome=failed' }) failed: number;
  @ApiProperty({ format: 'uuid' }) requestedBy: string;
  @ApiProperty({ format: 'date-time' }) requestedAt: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) completedAt: string | null;
}

export class LeadBatchResultView {
  @ApiProperty({ format: 'uuid' }) leadId: string;
  @ApiProperty({ enum: ['applied', 'unchanged', 'failed'] }) outcome: string;
  @ApiPropertyOptional({ type: String, nullable: true }) code: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) reason: string | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, nullable: true }) fields: Record<string, string> | null;
}

export class LeadBatchResultPage {
  @ApiProperty({ type: [LeadBatchResultView] }) items: LeadBatchResultView[];
  @ApiProperty() total: number;
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class LeadBatchResultsQuery {
  @ApiPropertyOptional({ enum: ['applied', 'unchanged', 'failed'] })
  @IsOptional()
  @IsIn(['applied', 'unchanged', 'failed'])
  outcome?: 'applied' | 'unchanged' | 'failed';

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

@ApiTags('lead-batches')
@ApiBearerAuth()
@Controller('v1/lead-batches')
export class LeadBatchHttpController {
  constructor(@Inject(LEADS_READ_STORE) private readonly store: ReadStore) {}

  private async batch(tenantId: string, id: string): Promise<LeadBatchDocument> {
    const doc = await this.store.collection<LeadBatchDocument>(LEAD_BATCHES_COLLECTION, leadBatchesCollectionOptions).findOne({ _id: id, tenantId });
    if (!doc) throw new DomainError('not_found', 'leads.batch-not-found', `Batch ${id} was not found.`);
    return doc;
  }

  @Get(':id')
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: 'Progress of a lead batch: counts of applied, unchanged and failed leads (LEAD-6)' })
  @ApiOkResponse({ type: LeadBatchView })
  async get(@Param() { id }: LeadBatchIdParams, @CurrentPrincipal() principal: Principal): Promise<LeadBatchView> {
    const { _id, tenantId: _t, position: _p, ...rest } = await this.batch(principal.tenantId, id);
    return { id: _id, ...rest };
  }

  @Get(':id/results')
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: "A lead batch's result per lead, in the order they were recorded; filter by outcome (LEAD-6)" })
  @ApiOkResponse({ type: LeadBatchResultPage })
  async results(@Param() { id }: LeadBatchIdParams, @Query() query: LeadBatchResultsQuery, @CurrentPrincipal() principal: Principal): Promise<LeadBatchResultPage> {
    await this.batch(principal.tenantId, id);
    const results = this.store.collection<LeadBatchResultDocument>(LEAD_BATCH_RESULTS_COLLECTION, leadBatchResultsCollectionOptions);
    const base: Record<string, unknown> = { batchId: id, tenantId: principal.tenantId, ...(query.outcome ? { outcome: query.outcome } : {}) };
    let after = -1;
    if (query.cursor !== undefined) {
      const cursor = decodeCursor<{ s?: unknown }>(query.cursor);
      if (typeof cursor.s !== 'number' || !Number.isInteger(cursor.s)) throw new ValidationProblemException([{ field: 'cursor', reason: 'is not a cursor returned by this list' }], 'The pagination cursor is invalid.');
      after = cursor.s;
    }
    const limit = query.limit ?? 100;
    const [docs, total] = await Promise.all([results.find({ ...base, seq: { $gt: after } }, { sort: { seq: 1 }, limit: limit + 1 }), results.count(base)]);
    const page = docs.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((d) => ({ leadId: d.leadId, outcome: d.outcome, code: d.code, reason: d.reason, fields: d.fields })),
      total,
      nextCursor: docs.length > limit && last ? encodeCursor({ s: last.seq }) : null,
    };
  }
}
