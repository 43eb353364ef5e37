import { Controller, Get, Headers, Query as QueryParams, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { csvHeaders, trendCsv, wantsCsv } from '../trend-range';
import { StatusTrendDto, TrendRequestDto } from '../trend-request.dto';
import { LeadStatusTrendQuery } from './lead-status-trend.query';

@ApiTags('leads: overview')
@ApiBearerAuth()
@Controller('v1/lead-overview')
export class LeadStatusTrendHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('statuses')
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: 'Leads in each status at the end of each period (LEAD-11), deleted leads removed; JSON or CSV' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: StatusTrendDto })
  async trend(
    @QueryParams() params: TrendRequestDto,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StatusTrendDto | string> {
    const granularity = params.granularity ?? 'day';
    const trend = await this.queryBus.execute(new LeadStatusTrendQuery(principal.tenantId, params.from, params.to, granularity));
    if (!wantsCsv(params.format, accept)) return trend;
    void reply.headers(csvHeaders('statuses', params.from, params.to, granularity));
    return trendCsv(trend.periods, trend.series.map((s) => ({ header: s.label, counts: s.counts })));
  }
}
