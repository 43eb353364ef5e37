import { Body, Controller, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { correlationIdOf, CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { ChangeStatusCatalogueCommand } from './status-catalogue.command';
import { ReorderStatusesRequestDto, StatusIdParams, StatusIdResponseDto, StatusNameRequestDto } from './status-catalogue.request.dto';

@ApiTags('lead-statuses')
@ApiBearerAuth()
@Controller('v1/lead-statuses')
export class StatusCatalogueHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @RequirePermissions('leads:write')
  @ApiOperation({ summary: 'Add a lead status to the enterprise catalogue (LEAD-5)' })
  @ApiCreatedResponse({ type: StatusIdResponseDto })
  async create(@Body() body: StatusNameRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<StatusIdResponseDto> {
    const { id } = await this.commandBus.execute(new ChangeStatusCatalogueCommand({ kind: 'CreateStatus', name: body.name }, principal, correlationIdOf(request)));
    return { id: id! };
  }

  @Post('reorder')
  @HttpCode(204)
  @RequirePermissions('leads:write')
  @ApiOperation({ summary: 'Put the lead statuses in a new order: every id, exactly once (LEAD-5)' })
  @ApiNoContentResponse()
  async reorder(@Body() body: ReorderStatusesRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.commandBus.execute(new ChangeStatusCatalogueCommand({ kind: 'ReorderStatuses', statusIds: body.statusIds }, principal, correlationIdOf(request)));
  }

  @Patch(':id')
  @HttpCode(204)
  @RequirePermissions('leads:write')
  @ApiOperation({ summary: 'Rename a lead status (LEAD-5)' })
  @ApiNoContentResponse()
  async rename(@Param() { id }: StatusIdParams, @Body() body: StatusNameRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.commandBus.execute(new ChangeStatusCatalogueCommand({ kind: 'RenameStatus', statusId: id, name: body.name }, principal, correlationIdOf(request)));
  }

  @Post(':id/retire')
  @HttpCode(204)
  @RequirePermissions('leads:write')
  @ApiOperation({ summary: 'Retire a lead status: it stays listed but can no longer be assigned (LEAD-5)' })
  @ApiNoContentResponse()
  async retire(@Param() { id }: StatusIdParams, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.commandBus.execute(new ChangeStatusCatalogueCommand({ kind: 'RetireStatus', statusId: id }, principal, correlationIdOf(request)));
  }
}
