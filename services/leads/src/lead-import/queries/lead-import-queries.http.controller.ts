import { createReadStream } from 'node:fs';
import { Controller, Get, Inject, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Filter, ReadStore } from '@leadstream/read-store';
import { CurrentPrincipal, CursorPageQuery, decodeCursor, encodeCursor, findKeysetPage, RequirePermissions, ValidationProblemException, type Principal } from '@leadstream/platform';
import { LEADS_READ_STORE } from '../../leads.tokens';
import { IMPORT_FILE_STORE, type ImportFileStore } from '../import-file-store';
import { importView, LeadImportDto, LeadImportIdParams, LeadImportMappingDto, LeadImportMappingPageDto, LeadImportPageDto, ListLeadImportsQuery } from '../lead-import.dto';
import { LEAD_IMPORTS_COLLECTION, leadImportsCollectionOptions, type LeadImportDocument } from '../projections/lead-imports.projection';
import { LEAD_IMPORT_MAPPINGS_COLLECTION, leadImportMappingsCollectionOptions, type LeadImportMappingDocument } from '../projections/lead-import-mappings.projection';
import { LeadImportQueries } from './lead-import.queries';

/** LEAD-7: an import's progress and its error file. */
@ApiTags('lead-imports')
@ApiBearerAuth()
@Controller('v1/lead-imports')
export class LeadImportQueriesHttpController {
  constructor(
    private readonly queries: LeadImportQueries,
    @Inject(IMPORT_FILE_STORE) private readonly files: ImportFileStore,
    @Inject(LEADS_READ_STORE) private readonly store: ReadStore,
  ) {}

  @Get()
  @RequirePermissions('leads:import')
  @ApiOperation({ summary: "The enterprise's imports, newest upload first, optionally of one state (LEAD-7)", description: 'Progress here follows the jobs through a projection; GET /v1/lead-imports/{id} is current at every checkpoint.' })
  @ApiOkResponse({ type: LeadImportPageDto })
  async list(@Query() query: ListLeadImportsQuery, @CurrentPrincipal() principal: Principal): Promise<LeadImportPageDto> {
    const collection = this.store.collection<LeadImportDocument>(LEAD_IMPORTS_COLLECTION, leadImportsCollectionOptions);
    const filter: Filter = { tenantId: principal.tenantId, ...(query.state !== undefined ? { state: query.state } : {}) };
    const page = await findKeysetPage(collection, { filter, limit: query.limit ?? 50, cursor: query.cursor, direction: -1 });
    return { items: page.docs.map((d) => importView(d._id, d.job)), total: page.total, nextCursor: page.nextCursor };
  }

  @Get(':id')
  @RequirePermissions('leads:import')
  @ApiOperation({ summary: 'An import: its state and progress (rows read, imported, failed, skipped) (LEAD-7)' })
  @ApiOkResponse({ type: LeadImportDto })
  async get(@Param() { id }: LeadImportIdParams, @CurrentPrincipal() principal: Principal): Promise<LeadImportDto> {
    return this.queries.get(principal, id);
  }

  @Get(':id/errors')
  @RequirePermissions('leads:import')
  @ApiOperation({
    summary: 'The error file: one CSV line per refused row — row number, column(s), reason(s), then the row as it was (LEAD-7)',
    description: 'UTF-8 with BOM. While the job runs, it holds the rows up to its last checkpoint.',
  })
  @ApiProduces('text/csv')
  async errors(@Param() { id }: LeadImportIdParams, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const state = await this.queries.state(principal, id);
    const path = this.files.errorsPath(principal.tenantId, id);
    const size = (await this.files.size(path)) ?? 0;
    // only what a checkpoint vouches for (a running job may be writing past it)
    const length = state.state === 'running' ? Math.min(state.errorBytes, size) : size;
    void reply.header('Content-Type', 'text/csv; charset=utf-8');
    void reply.header('Content-Disposition', `attachment; filename="lead-import-${id}-errors.csv"`);
    void reply.header('X-Content-Type-Options', 'nosniff');
    if (length === 0) return new StreamableFile(Buffer.from('\uFEFFrow,column,reason\r\n', 'utf8'));
    return new StreamableFile(createReadStream(path, { start: 0, end: length - 1 }));
  }
}

/** LEAD-7: saved import mappings, by name. */
@ApiTags('lead-imports')
@ApiBearerAuth()
@Controller('v1/lead-import-mappings')
export class LeadImportMappingQueriesHttpController {
  constructor(
    @Inject(LEADS_READ_STORE) private readonly store: ReadStore,
    private readonly queries: LeadImportQueries,
  ) {}

  @Get()
  @RequirePermissions('leads:import')
  @ApiOperation({ summary: "The enterprise's saved import mappings, by name (LEAD-7)" })
  @ApiOkResponse({ type: LeadImportMappingPageDto })
  async list(@Query() query: CursorPageQuery, @CurrentPrincipal() principal: Principal): Promise<LeadImportMappingPageDto> {
    const collection = this.store.collection<LeadImportMappingDocument>(LEAD_IMPORT_MAPPINGS_COLLECTION, leadImportMappingsCollectionOptions);
    const mine: Filter = { tenantId: principal.tenantId };
    let page = mine;
    if (query.cursor !== undefined) {
      const cursor = decodeCursor<{ n?: unknown; i?: unknown }>(query.cursor);
      if (typeof cursor.n !== 'string' || typeof cursor.i !== 'string') {
        throw new ValidationProblemException([{ field: 'cursor', reason: 'is not a cursor returned by this list' }], 'The pagination cursor is invalid.');
      }
      page = { $and: [mine, { $or: [{ name: { $gt: cursor.n } }, { name: cursor.n, _id: { $gt: cursor.i } }] }] };
    }
    const limit = query.limit ?? 50;
    const [docs, total] = await Promise.all([collection.find(page, { sort: { name: 1, _id: 1 }, limit: limit + 1 }), collection.count(mine)]);
    const shown = docs.slice(0, limit);
    const last = shown[shown.length - 1];
    return {
      items: shown.map((d) => ({ id: d._id, name: d.name, mapping: { ...d.mapping }, savedBy: d.savedBy, updatedAt: d.updatedAt })),
      total,
      nextCursor: docs.length > limit && last ? encodeCursor({ n: last.name, i: last._id }) : null,
    };
  }

  @Get(':id')
  @RequirePermissions('leads:import')
  @ApiOperation({ summary: 'A saved import mapping (LEAD-7)' })
  @ApiOkResponse({ type: LeadImportMappingDto })
  async get(@Param() { id }: LeadImportIdParams, @CurrentPrincipal() principal: Principal): Promise<LeadImportMappingDto> {
    return this.queries.mapping(principal, id);
  }
}
