import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import type { LeadCondition } from '../query/lead-filter';
import { LeadViewReader } from '../../lead-view/lead-view.reader';
import { SearchLeadsPageDto, SearchLeadsRequestDto } from './search-leads.request.dto';
import { SearchLeadsQuery, type LeadSearch } from './search-leads.query';

@ApiTags('leads')
@ApiBearerAuth()
@Controller('v1/leads')
export class SearchLeadsHttpController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly views: LeadViewReader,
  ) {}

  @Post('search')
  @HttpCode(200)
  @RequirePermissions('leads:read')
  @ApiOperation({
    summary: 'The lead list with filters on every system and custom field, any sort, cursor pagination and chosen columns (LEAD-9)',
    description: 'A condition on an unknown or deleted field, or an operator or value its type does not take, is a 400 naming conditions[i].field, .op or .value.',
  })
  @ApiOkResponse({ type: SearchLeadsPageDto })
  async search(@Body() body: SearchLeadsRequestDto, @CurrentPrincipal() principal: Principal): Promise<SearchLeadsPageDto> {
    // A saved view (visible to the caller, else 404) adds its filter; its sort and columns apply
    // unless the request gives its own. A view gone stale (a field deleted since) names view.*.
    const view = body.viewId !== undefined ? await this.views.get(principal, body.viewId) : undefined;
    const filters: LeadSearch['filters'] = [
      ...(view ? [{ definition: { conditions: view.filter.conditions as LeadCondition[], match: view.filter.match, q: view.filter.q }, prefix: 'view.filter.' }] : []),
      { definition: { conditions: body.conditions as LeadCondition[] | undefined, match: body.match, q: body.q }, prefix: '' },
    ];
    const search: LeadSearch = {
      filters,
      sort: body.sort ?? view?.sort,
      sortPrefix: body.sort === undefined && view?.sort ? 'view.' : '',
      columns: body.columns ?? view?.columns,
      columnsPrefix: body.columns === undefined && view?.columns ? 'view.' : '',
      limit: body.limit ?? 20,
      cursor: body.cursor,
    };
    return this.queryBus.execute(new SearchLeadsQuery(principal.tenantId, search));
  }
}
