import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { ListContactsQuery } from './list-contacts.query';
import { ContactListPageDto, ListContactsRequestDto } from './list-contacts.request.dto';

@ApiTags('contacts')
@ApiBearerAuth()
@Controller('v1/contacts')
export class ListContactsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: 'List contacts (leads sharing a phone, e-mail or QQ, transitively), newest first, by identifier or lead' })
  @ApiOkResponse({ type: ContactListPageDto })
  list(@QueryParams() params: ListContactsRequestDto, @CurrentPrincipal() principal: Principal): Promise<ContactListPageDto> {
    const { limit, cursor, ...filter } = params;
    return this.queryBus.execute(new ListContactsQuery(principal.tenantId, filter, limit ?? 20, cursor));
  }
}
