import { Controller, Get, Headers, Query as QueryParams, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { csvHeaders, trendCsv, wantsCsv } from '../trend-range';
import { AttributionTrendDto, AttributionTrendRequestDto, DEFAULT_TOP } from '../trend-request.dto';
import { LeadAttributionTrendQuery, type AttributionDimension } from './lead-attribution-trend.query';

@ApiTags('leads: overview')
@ApiBearerAuth()
@Controller('v1/lead-overview')
export class LeadAttributionTrendHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('sources')
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: 'New leads per period by source (LEAD-11): the top sources, (none) and (other); JSON or CSV' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: AttributionTrendDto })
  sources(
    @QueryParams() params: AttributionTrendRequestDto,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AttributionTrendDto | string> {
    return this.run('source', params, accept, principal, reply);
  }

  @Get('activities')
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: 'New leads per period by the activity that brought them (LEAD-11): the top activity ids, (none) and (other); JSON or CSV' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: AttributionTrendDto })
  activities(
    @QueryParams() params: AttributionTrendRequestDto,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AttributionTrendDto | string> {
    return this.run('activity', params, accept, principal, reply);
  }

  private async run(dimension: AttributionDimension, params: AttributionTrendRequestDto, accept: string | undefined, principal: Principal, reply: FastifyReply): Promise<AttributionTrendDto | string> {
    const granularity = params.granularity ?? 'day';
    const trend = await this.queryBus.execute(new LeadAttributionTrendQuery(principal.tenantId, dimension, params.from, params.to, granularity, params.top ?? DEFAULT_TOP));
    if (!wantsCsv(params.format, accept)) return trend;
    void reply.headers(csvHeaders(dimension === 'source' ? 'sources' : 'activities', params.from, params.to, granularity));
    return trendCsv(trend.periods, trend.series.map((s) => ({ header: s.label, counts: s.counts })));
  }
}
