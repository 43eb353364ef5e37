import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { ListLeadsQuery } from './list-leads.query';
import { LeadListPageDto, ListLeadsRequestDto } from './list-leads.request.dto';

@ApiTags('leads')
@ApiBearerAuth()
@Controller('v1/leads')
export class ListLeadsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: 'List the lead library, newest first, with filters and cursor pagination' })
  @ApiOkResponse({ type: LeadListPageDto })
  list(@QueryParams() params: ListLeadsRequestDto, @CurrentPrincipal() principal: Principal): Promise<LeadListPageDto> {
    const { limit, cursor, ...filter } = params;
    return this.queryBus.execute(new ListLeadsQuery(principal.tenantId, filter, limit ?? 20, cursor));
  }
}
