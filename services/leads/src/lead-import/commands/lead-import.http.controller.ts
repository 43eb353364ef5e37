import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Body, Controller, Delete, Headers, HttpCode, Inject, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { correlationIdOf, CurrentPrincipal, ProblemException, RequirePermissions, ValidationProblemException, type Principal } from '@leadstream/platform';
import { MAX_IMPORT_BYTES } from '../domain/lead-import.events';
import { detectFormat, ImportFileError, summariseFile } from '../import-file';
import { summariseFileInWorker } from '../import-check-worker';
import { IMPORT_FILE_STORE, UploadTooLargeError, type ImportFileStore } from '../import-file-store';
import { IMPORT_MEDIA_TYPES } from '../lead-import-body-parser';
import { LeadImportIdParams, LeadImportDto, LeadImportMappingDto, LeadImportUploadedDto, mappingOf, SaveLeadImportMappingRequestDto, StartLeadImportRequestDto, UploadLeadImportQuery } from '../lead-import.dto';
import { LeadImportQueries } from '../queries/lead-import.queries';
import { ChangeLeadImportCommand, ChangeLeadImportMappingCommand, type LeadImportChange } from './lead-import.command';

/** Uploads from this size on are summarised in a worker thread (about 20,000 rows of a typical CSV). */
export const SUMMARY_IN_WORKER_BYTES = 4 * 1024 * 1024;

const bodyProblem = (reason: string) => new ValidationProblemException([{ field: 'body', reason }], `The file is refused: ${reason}.`);
const tooLarge = () =>
  new ProblemException({ status: 413, code: 'body-too-large', detail: `An import file is at most ${MAX_IMPORT_BYTES} bytes.`, errors: [{ field: 'body', reason: `is larger than ${MAX_IMPORT_BYTES} bytes` }] });

/** LEAD-7: import leads from a CSV or XLSX file, as a background job. */
@ApiTags('lead-imports')
@ApiBearerAuth()
@Controller('v1/lead-imports')
export class LeadImportHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queries: LeadImportQueries,
    @Inject(IMPORT_FILE_STORE) private readonly files: ImportFileStore,
  ) {}

  @Post()
  @HttpCode(201)
  @RequirePermissions('leads:import')
  @ApiOperation({
    summary: 'Upload a CSV or XLSX file to import (at most 512 MiB and 1,048,576 data rows) (LEAD-7)',
    description:
      'The body is the file itself (Content-Type text/csv or the XLSX type), streamed to disk. The format is decided from the bytes (XLSX = zip), the encoding of a CSV from its bytes too (BOM, else valid UTF-8, else GB18030) unless `encoding` is given. A CSV is read through once here: a malformed one (unclosed quote, stray quote, no header, too many columns or rows) is a 400 naming `body`; over 512 MiB a 413. Answers the header row and the first rows, for building a mapping; then POST /v1/lead-imports/{id}/start.',
  })
  @ApiConsumes(...IMPORT_MEDIA_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: LeadImportUploadedDto })
  async upload(
    @Body() body: unknown,
    @Query() query: UploadLeadImportQuery,
    @Headers('content-length') contentLength: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadImportUploadedDto> {
    if (!(body instanceof Readable)) throw bodyProblem(`send the file as the body, with Content-Type ${IMPORT_MEDIA_TYPES.join(' or ')}`);
    if (contentLength !== undefined && Number(contentLength) > MAX_IMPORT_BYTES) {
      body.resume();
      throw tooLarge();
    }
    const importId = randomUUID();
    let stored: Awaited<ReturnType<ImportFileStore['store']>>;
    try {
      stored = await this.files.store(principal.tenantId, importId, body, MAX_IMPORT_BYTES);
    } catch (error) {
      if (error instanceof UploadTooLargeError) {
        body.resume();
        throw tooLarge();
      }
      throw error;
    }
    try {
      if (stored.size === 0) throw new ImportFileError('is empty');
      const format = detectFormat(stored.head);
      const encoding = format === 'csv' ? (query.encoding ?? stored.encoding) : null;
      // a large file is read to its end in a worker thread; a small one here (a worker costs ~0.2 s to start)
      const summary = stored.size >= SUMMARY_IN_WORKER_BYTES ? await summariseFileInWorker(stored.path, format, encoding) : await summariseFile(stored.path, format, encoding);
      const uploaded = {
        importId,
        enterpriseId: principal.tenantId,
        fileName: query.fileName ?? null,
        format,
        encoding,
        size: stored.size,
        sha256: stored.sha256,
        headers: summary.headers,
        rows: summary.rows,
        uploadedBy: principal.memberId,
        uploadedAt: new Date().toISOString(),
      };
      await this.commandBus.execute(new ChangeLeadImportCommand({ kind: 'register', uploaded }, principal, correlationIdOf(request)));
      void reply.header('Location', `/v1/lead-imports/${importId}`);
      return { id: importId, format, encoding, size: stored.size, headers: [...summary.headers], preview: summary.preview.map((r) => [...r]), rows: summary.rows };
    } catch (error) {
      await this.files.remove(stored.path);
      if (error instanceof ImportFileError) throw bodyProblem(error.message);
      throw error;
    }
  }

  @Post(':id/start')
  @HttpCode(202)
  @RequirePermissions('leads:import')
  @ApiOperation({
    summary: 'Start the import with a mapping (column → field) or a saved mapping; it runs in the background (LEAD-7)',
    description:
      'The mapping is checked against the file and the lead schema first: a column that is not in the file, a field that does not exist or cannot be imported, a field mapped twice, no contact column (phone, qq or email) or an unmapped required field is a 400 naming `mapping.<column>` or `mapping`. Every row is then checked as a lead creation would be; good rows are imported, every bad one is reported in GET /v1/lead-imports/{id}/errors.',
  })
  @ApiOkResponse({ type: LeadImportDto })
  async start(@Param() { id }: LeadImportIdParams, @Body() body: StartLeadImportRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<LeadImportDto> {
    if ((body.mapping === undefined) === (body.mappingId === undefined)) throw new ValidationProblemException([{ field: 'mapping', reason: 'give either mapping or mappingId' }]);
    const change: LeadImportChange = { kind: 'start', importId: id, mapping: body.mapping !== undefined ? mappingOf(body.mapping) : null, mappingId: body.mappingId ?? null };
    await this.commandBus.execute(new ChangeLeadImportCommand(change, principal, correlationIdOf(request)));
    return this.queries.get(principal, id);
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @RequirePermissions('leads:import')
  @ApiOperation({ summary: 'Cancel the import: it stops after the rows in progress; rows already imported stay (LEAD-7)' })
  @ApiOkResponse({ type: LeadImportDto })
  async cancel(@Param() { id }: LeadImportIdParams, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<LeadImportDto> {
    await this.commandBus.execute(new ChangeLeadImportCommand({ kind: 'cancel', importId: id }, principal, correlationIdOf(request)));
    return this.queries.get(principal, id);
  }
}

/** LEAD-7: saved import mappings (a name and column → field), for files of the same shape. */
@ApiTags('lead-imports')
@ApiBearerAuth()
@Controller('v1/lead-import-mappings')
export class LeadImportMappingHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queries: LeadImportQueries,
  ) {}

  @Post()
  @HttpCode(201)
  @RequirePermissions('leads:import')
  @ApiOperation({ summary: 'Save an import mapping under a name; checked against the lead schema (400 naming mapping.<column>) (LEAD-7)' })
  @ApiCreatedResponse({ type: LeadImportMappingDto })
  async create(@Body() body: SaveLeadImportMappingRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<LeadImportMappingDto> {
    const { id } = await this.commandBus.execute(new ChangeLeadImportMappingCommand({ kind: 'create', name: body.name, mapping: mappingOf(body.mapping) }, principal, correlationIdOf(request)));
    void reply.header('Location', `/v1/lead-import-mappings/${id}`);
    return this.queries.mapping(principal, id);
  }

  @Put(':id')
  @RequirePermissions('leads:import')
  @ApiOperation({ summary: 'Replace a saved import mapping (LEAD-7)' })
  @ApiOkResponse({ type: LeadImportMappingDto })
  async replace(@Param() { id }: LeadImportIdParams, @Body() body: SaveLeadImportMappingRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<LeadImportMappingDto> {
    await this.commandBus.execute(new ChangeLeadImportMappingCommand({ kind: 'replace', mappingId: id, name: body.name, mapping: mappingOf(body.mapping) }, principal, correlationIdOf(request)));
    return this.queries.mapping(principal, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions('leads:import')
  @ApiOperation({ summary: 'Delete a saved import mapping; jobs started with it keep their copy (LEAD-7)' })
  @ApiNoContentResponse()
  async remove(@Param() { id }: LeadImportIdParams, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.commandBus.execute(new ChangeLeadImportMappingCommand({ kind: 'delete', mappingId: id }, principal, correlationIdOf(request)));
  }
}
