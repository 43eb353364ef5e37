import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { LeadView } from '../lead.view';
import { GetLeadQuery } from './get-lead.query';

export class LeadIdParams {
  @IsUUID()
  id: string;
}

@ApiTags('leads')
@ApiBearerAuth()
@Controller('v1/leads')
export class GetLeadHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: 'Read one lead' })
  @ApiOkResponse({ type: LeadView })
  get(@Param() { id }: LeadIdParams, @CurrentPrincipal() principal: Principal): Promise<LeadView> {
    return this.queryBus.execute(new GetLeadQuery(principal.tenantId, id));
  }
}
