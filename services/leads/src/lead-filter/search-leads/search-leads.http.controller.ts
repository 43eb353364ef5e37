import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import type { LeadCondition } from '../query/lead-filter';
import { SearchLeadsPageDto, SearchLeadsRequestDto } from './search-leads.request.dto';
import { SearchLeadsQuery, type LeadSearch } from './search-leads.query';

@ApiTags('leads')
@ApiBearerAuth()
@Controller('v1/leads')
export class SearchLeadsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Post('search')
  @HttpCode(200)
  @RequirePermissions('leads:read')
  @ApiOperation({
    summary: 'The lead list with filters on every system and custom field, any sort, cursor pagination and chosen columns (LEAD-9)',
    description: 'A condition on an unknown or deleted field, or an operator or value its type does not take, is a 400 naming conditions[i].field, .op or .value.',
  })
  @ApiOkResponse({ type: SearchLeadsPageDto })
  search(@Body() body: SearchLeadsRequestDto, @CurrentPrincipal() principal: Principal): Promise<SearchLeadsPageDto> {
    const search: LeadSearch = {
      filters: [{ definition: { conditions: body.conditions as LeadCondition[] | undefined, match: body.match, q: body.q }, prefix: '' }],
      sort: body.sort,
      sortPrefix: '',
      columns: body.columns,
      columnsPrefix: '',
      limit: body.limit ?? 20,
      cursor: body.cursor,
    };
    return this.queryBus.execute(new SearchLeadsQuery(principal.tenantId, search));
  }
}
