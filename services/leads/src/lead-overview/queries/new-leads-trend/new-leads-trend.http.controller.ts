import { Controller, Get, Headers, Query as QueryParams, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { csvHeaders, trendCsv, wantsCsv } from '../trend-range';
import { NewLeadsTrendDto, TrendRequestDto } from '../trend-request.dto';
import { NewLeadsTrendQuery } from './new-leads-trend.query';

@ApiTags('leads: overview')
@ApiBearerAuth()
@Controller('v1/lead-overview')
export class NewLeadsTrendHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('new-leads')
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: 'New leads per day, week or month in the enterprise time zone (LEAD-11); JSON or CSV' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: NewLeadsTrendDto })
  async trend(
    @QueryParams() params: TrendRequestDto,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<NewLeadsTrendDto | string> {
    const granularity = params.granularity ?? 'day';
    const trend = await this.queryBus.execute(new NewLeadsTrendQuery(principal.tenantId, params.from, params.to, granularity));
    if (!wantsCsv(params.format, accept)) return trend;
    void reply.headers(csvHeaders('new-leads', params.from, params.to, granularity));
    return trendCsv(
      trend.buckets.map((b) => b.date),
      [{ header: 'new leads', counts: trend.buckets.map((b) => b.count) }],
    );
  }
}
