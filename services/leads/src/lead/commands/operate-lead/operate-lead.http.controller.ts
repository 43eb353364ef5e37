import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '@leadstream/event-sourcing';
import { correlationIdOf, CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import type { LeadOperation } from '../../domain/lead-operation';
import { LeadOperations } from '../../lead-operations';
import { OperateLeadCommand } from './operate-lead.command';
import {
  AssignLeadRequestDto,
  ChangeLeadTagsRequestDto,
  EditLeadRequestDto,
  LeadDataKeyResponseDto,
  LeadIdParams,
  LeadOperationResponseDto,
  SetLeadStatusRequestDto,
} from './operate-lead.request.dto';

/** LEAD-6 on one lead: edit, status, tags, owner, delete (erasure). Batches: /v1/lead-batches. */
@ApiTags('leads')
@ApiBearerAuth()
@Controller('v1/leads')
export class OperateLeadHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(LeadOperations) private readonly leads: LeadOperations,
  ) {}

  private run(id: string, operation: LeadOperation, principal: Principal, request: FastifyRequest): Promise<LeadOperationResponseDto> {
    return this.commandBus.execute(new OperateLeadCommand(id, operation, principal, correlationIdOf(request)));
  }

  @Patch(':id')
  @RequirePermissions('leads:write')
  @ApiOperation({ summary: 'Edit a lead: contact fields, source and custom fields; only what is given changes, null clears (LEAD-6)' })
  @ApiOkResponse({ type: LeadOperationResponseDto })
  edit(@Param() { id }: LeadIdParams, @Body() body: EditLeadRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<LeadOperationResponseDto> {
    return this.run(id, { kind: 'edit', changes: body }, principal, request);
  }

  @Put(':id/status')
  @RequirePermissions('leads:write')
  @ApiOperation({ summary: 'Set the lead status; a retired status cannot be assigned (LEAD-5, LEAD-6)' })
  @ApiOkResponse({ type: LeadOperationResponseDto })
  setStatus(@Param() { id }: LeadIdParams, @Body() body: SetLeadStatusRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<LeadOperationResponseDto> {
    return this.run(id, { kind: 'setStatus', statusId: body.statusId }, principal, request);
  }

  @Post(':id/tags')
  @HttpCode(200)
  @RequirePermissions('leads:write')
  @ApiOperation({ summary: 'Add and/or remove tags (LEAD-6)' })
  @ApiOkResponse({ type: LeadOperationResponseDto })
  changeTags(@Param() { id }: LeadIdParams, @Body() body: ChangeLeadTagsRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<LeadOperationResponseDto> {
    if ((body.add?.length ?? 0) === 0 && (body.remove?.length ?? 0) === 0) {
      throw new DomainError('invalid', 'leads.no-tags', 'Give tags to add or to remove.', { add: 'add or remove must hold at least one tag', remove: 'add or remove must hold at least one tag' });
    }
    return this.run(id, { kind: 'changeTags', add: body.add ?? [], remove: body.remove ?? [] }, principal, request);
  }

  @Put(':id/owner')
  @RequirePermissions('leads:assign')
  @ApiOperation({ summary: 'Assign the lead to an active member, or unassign it with null (LEAD-6)' })
  @ApiOkResponse({ type: LeadOperationResponseDto })
  assign(@Param() { id }: LeadIdParams, @Body() body: AssignLeadRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<LeadOperationResponseDto> {
    return this.run(id, { kind: 'assign', ownerId: body.ownerId }, principal, request);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions('leads:write')
  @ApiOperation({ summary: "Delete a lead and erase its personal data: its key is destroyed, so the sealed data in the event log and on Kafka can never be read again" })
  @ApiNoContentResponse()
  async delete(@Param() { id }: LeadIdParams, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.run(id, { kind: 'delete' }, principal, request);
  }

  @Get(':id/data-key')
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: "The lead's data key, to open the sealed personal data of its Kafka events (leads.LeadCreated.v2, leads.LeadUpdated.v1); 404 once the lead is deleted" })
  @ApiOkResponse({ type: LeadDataKeyResponseDto })
  async dataKey(@Param() { id }: LeadIdParams, @CurrentPrincipal() principal: Principal): Promise<LeadDataKeyResponseDto> {
    const key = await this.leads.dataKey(principal.tenantId, id);
    if (key === null) throw new DomainError('not_found', 'leads.lead-not-found', `Lead ${id} was not found.`);
    return { leadId: id, alg: 'A256GCM', key: key.toString('base64') };
  }
}
