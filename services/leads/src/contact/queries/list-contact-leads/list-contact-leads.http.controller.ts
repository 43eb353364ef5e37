import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CursorPageQuery, RequirePermissions, type Principal } from '@leadstream/platform';
import { ContactLeadView } from '../contact.view';
import { ContactIdParams } from '../get-contact/get-contact.http.controller';
import { ListContactLeadsQuery } from './list-contact-leads.query';

export class ContactLeadsPageDto {
  @ApiProperty({ type: [ContactLeadView] }) items: ContactLeadView[];
  @ApiProperty({ description: 'The contact\'s leads, all of them' }) total: number;
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

@ApiTags('contacts')
@ApiBearerAuth()
@Controller('v1/contacts')
export class ListContactLeadsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id/leads')
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: 'Page through a contact\'s leads, earliest first (the detail shows the first 100)' })
  @ApiOkResponse({ type: ContactLeadsPageDto })
  list(@Param() { id }: ContactIdParams, @QueryParams() { limit, cursor }: CursorPageQuery, @CurrentPrincipal() principal: Principal): Promise<ContactLeadsPageDto> {
    return this.queryBus.execute(new ListContactLeadsQuery(principal.tenantId, id, limit ?? 50, cursor));
  }
}
