import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { NewLeadsTrendQuery } from './new-leads-trend.query';
import { NewLeadsTrendDto, NewLeadsTrendRequestDto } from './new-leads-trend.request.dto';

@ApiTags('leads: overview')
@ApiBearerAuth()
@Controller('v1/lead-overview')
export class NewLeadsTrendHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('new-leads')
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: 'New leads per day in the enterprise time zone (LEAD-11)' })
  @ApiOkResponse({ type: NewLeadsTrendDto })
  trend(@QueryParams() params: NewLeadsTrendRequestDto, @CurrentPrincipal() principal: Principal): Promise<NewLeadsTrendDto> {
    return this.queryBus.execute(new NewLeadsTrendQuery(principal.tenantId, params.from, params.to));
  }
}
