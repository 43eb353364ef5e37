import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { ContactView } from '../contact.view';
import { GetContactQuery } from './get-contact.query';

export class ContactIdParams {
  @IsUUID()
  id: string;
}

@ApiTags('contacts')
@ApiBearerAuth()
@Controller('v1/contacts')
export class GetContactHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: 'Read one contact with its leads and identifiers' })
  @ApiOkResponse({ type: ContactView })
  get(@Param() { id }: ContactIdParams, @CurrentPrincipal() principal: Principal): Promise<ContactView> {
    return this.queryBus.execute(new GetContactQuery(principal.tenantId, id));
  }
}
