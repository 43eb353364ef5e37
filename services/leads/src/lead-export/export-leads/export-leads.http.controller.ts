import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Logger, Post, Res, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { LEADS_EVENT_STORE } from '../../leads.tokens';
import type { LeadCondition } from '../../lead-filter/query/lead-filter';
import { LeadViewReader } from '../../lead-view/lead-view.reader';
import { WallClock } from '../domain/export-cells';
import { LEAD_EXPORT_CATEGORY, type ExportOutcome, type LeadExportFinished, type LeadExportStarted } from '../domain/lead-export.events';
import { CSV_CONTENT_TYPE, csvExportStream, XLSX_CONTENT_TYPE, xlsxExportStream } from './export-writers';
import { ExportLeadsRequestDto } from './export-leads.request.dto';
import { ExportLeadsQuery, type LeadExportRequest, type PreparedLeadExport } from './export-leads.query';

/** `leads-20260131-093000.csv`: the moment of the export in the enterprise's time zone. */
export function exportFileName(now: Date, timeZone: string, format: 'csv' | 'xlsx'): string {
  const local = new WallClock(timeZone).format(now.toISOString()) ?? now.toISOString();
  return `leads-${local.replace(/-/g, '').replace(' ', '-').replace(/:/g, '')}.${format}`;
}

@ApiTags('leads')
@ApiBearerAuth()
@Controller('v1/leads')
export class ExportLeadsHttpController {
  private readonly logger = new Logger('LeadExport');

  constructor(
    private readonly queryBus: QueryBus,
    private readonly views: LeadViewReader,
    @Inject(LEADS_EVENT_STORE) private readonly events: EventStore,
  ) {}

  @Post('export')
  @HttpCode(200)
  @RequirePermissions('leads:export')
  @ApiOperation({
    summary: 'The filtered lead list with chosen columns as a CSV or XLSX file, streamed (LEAD-8)',
    description:
      'Same filter language as POST /v1/leads/search (conditions, match, q, sort, viewId). Headers are the fields’ labels; values as the list shows them; text starting with = + - @ TAB CR is prefixed with a single quote. ' +
      'An unknown or deleted column is a 400 naming columns[i]. Needs leads:export. The export is recorded in the log (who, when, filter, columns, rows).',
  })
  @ApiProduces(CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE)
  @ApiOkResponse({ description: 'The file (Content-Disposition: attachment)', schema: { type: 'string', format: 'binary' } })
  async export(@Body() body: ExportLeadsRequestDto, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    // A saved view (visible to the caller, else 404) adds its filter; its sort and columns apply
    // unless the request gives its own. A view gone stale (a field deleted since) names view.*.
    const view = body.viewId !== undefined ? await this.views.get(principal, body.viewId) : undefined;
    const viewFilter = view ? { conditions: view.filter.conditions as LeadCondition[], match: view.filter.match, ...(view.filter.q !== undefined ? { q: view.filter.q } : {}) } : undefined;
    const ownFilter = { conditions: (body.conditions ?? []) as unknown as LeadCondition[], match: body.match ?? 'all', ...(body.q !== undefined ? { q: body.q } : {}) };
    const request: LeadExportRequest = {
      filters: [...(viewFilter ? [{ definition: viewFilter, prefix: 'view.filter.' }] : []), { definition: ownFilter, prefix: '' }],
      sort: body.sort ?? view?.sort,
      sortPrefix: body.sort === undefined && view?.sort ? 'view.' : '',
      columns: body.columns ?? view?.columns,
      columnsPrefix: body.columns === undefined && view?.columns ? 'view.' : '',
      format: body.format,
    };
    const prepared = await this.queryBus.execute<ExportLeadsQuery, PreparedLeadExport>(new ExportLeadsQuery(principal.tenantId, request));

    // The audit record is written before any lead leaves the service.
    const exportId = randomUUID();
    const streamId = streamIdOf(LEAD_EXPORT_CATEGORY, exportId);
    const metadata = { tenantId: principal.tenantId, correlationId: exportId, actor: principal.memberId };
    const now = new Date();
    const started: Pick<LeadExportStarted, 'type' | 'data'> = {
      type: 'leads.LeadExportStarted',
      data: {
        exportId,
        enterpriseId: principal.tenantId,
        requestedBy: principal.memberId,
        format: body.format,
        filters: [...(viewFilter ? [viewFilter] : []), ownFilter],
        ...(body.viewId !== undefined ? { viewId: body.viewId } : {}),
        sort: prepared.sort,
        columns: prepared.columns.map((c) => c.key),
        startedAt: now.toISOString(),
      },
    };
    await this.events.appendToStream(streamId, [{ ...started, metadata }], { expectedRevision: 'no_stream' });

    let rows = 0;
    const header = prepared.columns.map((c) => c.label);
    const source = prepared.rows(() => rows++);
    const file = body.format === 'csv' ? csvExportStream(header, source) : xlsxExportStream(header, source);
    let failure: Error | null = null;
    file.on('error', (error: Error) => {
      failure = error;
    });
    reply.raw.once('close', () => {
      const outcome: ExportOutcome = failure !== null ? 'failed' : reply.raw.writableFinished ? 'completed' : 'aborted';
      if (failure !== null) this.logger.error(`export ${exportId} failed after ${rows} rows: ${failure.message}`);
      const finished: Pick<LeadExportFinished, 'type' | 'data'> = {
        type: 'leads.LeadExportFinished',
        data: { exportId, enterpriseId: principal.tenantId, outcome, rows, finishedAt: new Date().toISOString() },
      };
      this.events
        .appendToStream(streamId, [{ ...finished, metadata }], { expectedRevision: 0 })
        .catch((error: unknown) => this.logger.error(`export ${exportId}: the finish could not be recorded: ${error instanceof Error ? error.message : String(error)}`));
    });
    const filename = exportFileName(now, prepared.timeZone, body.format);
    void reply.headers({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'X-Export-Id': exportId });
    return new StreamableFile(file, { type: body.format === 'csv' ? CSV_CONTENT_TYPE : XLSX_CONTENT_TYPE, disposition: `attachment; filename="${filename}"` });
  }
}
