import { Body, Controller, Delete, HttpCode, Param, Patch, Post, Put, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { correlationIdOf, CurrentPrincipal, Idempotent, RequirePermissions, type Principal } from '@leadstream/platform';
import { ChangeLeadSchemaCommand, type LeadSchemaChange } from './lead-schema.command';
import {
  CreateCustomFieldRequestDto,
  FieldIdParams,
  FieldOptionLabelRequestDto,
  FieldOptionParams,
  IdResponseDto,
  ReorderCustomFieldsRequestDto,
  ReorderFieldOptionsRequestDto,
  SystemFieldKeyParams,
  SystemFieldVisibilityRequestDto,
  UpdateCustomFieldRequestDto,
} from './lead-schema.request.dto';

/** LEAD-4: changes to the enterprise's lead object schema. */
@ApiTags('lead-schema')
@ApiBearerAuth()
@Controller('v1/lead-schema')
export class LeadSchemaHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  private run(change: LeadSchemaChange, principal: Principal, request: FastifyRequest): Promise<{ id: string | null }> {
    return this.commandBus.execute(new ChangeLeadSchemaCommand(change, principal, correlationIdOf(request)));
  }

  @Post('fields')
  @HttpCode(201)
  @Idempotent()
  @RequirePermissions('leads:write')
  @ApiOperation({ summary: 'Create a custom field of one of the nine types with its attributes (LEAD-4)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: IdResponseDto })
  async createField(@Body() body: CreateCustomFieldRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<IdResponseDto> {
    const { id } = await this.run(
      { kind: 'CreateCustomField', key: body.key, label: body.label, type: body.type, required: body.required ?? false, hidden: body.hidden ?? false, attributes: body.attributes ?? {} },
      principal,
      request,
    );
    return { id: id! };
  }

  @Post('fields/reorder')
  @HttpCode(204)
  @RequirePermissions('leads:write')
  @ApiOperation({ summary: 'Put the custom fields in a new order: every live field id exactly once (LEAD-4)' })
  @ApiNoContentResponse()
  async reorderFields(@Body() body: ReorderCustomFieldsRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.run({ kind: 'ReorderCustomFields', fieldIds: body.fieldIds }, principal, request);
  }

  @Patch('fields/:id')
  @HttpCode(204)
  @RequirePermissions('leads:write')
  @ApiOperation({ summary: "Change a custom field's label, required, hidden or attributes; its key and type never change (LEAD-4)" })
  @ApiNoContentResponse()
  async updateField(@Param() { id }: FieldIdParams, @Body() body: UpdateCustomFieldRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.run({ kind: 'UpdateCustomField', fieldId: id, ...body }, principal, request);
  }

  @Delete('fields/:id')
  @HttpCode(204)
  @RequirePermissions('leads:write')
  @ApiOperation({ summary: 'Delete a custom field: its values are hidden everywhere and its key becomes free (LEAD-4)' })
  @ApiNoContentResponse()
  async deleteField(@Param() { id }: FieldIdParams, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.run({ kind: 'DeleteCustomField', fieldId: id }, principal, request);
  }

  @Put('system-fields/:key')
  @HttpCode(204)
  @RequirePermissions('leads:write')
  @ApiOperation({ summary: 'Show or hide a system field in the lead list; system fields cannot be changed otherwise (LEAD-4)' })
  @ApiNoContentResponse()
  async setSystemFieldVisibility(@Param() { key }: SystemFieldKeyParams, @Body() body: SystemFieldVisibilityRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.run({ kind: 'SetSystemFieldVisibility', key, hidden: body.hidden }, principal, request);
  }

  @Post('fields/:id/options')
  @HttpCode(201)
  @Idempotent()
  @RequirePermissions('leads:write')
  @ApiOperation({ summary: 'Add an option to a single- or multi-choice field (LEAD-4)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: IdResponseDto })
  async addOption(@Param() { id }: FieldIdParams, @Body() body: FieldOptionLabelRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<IdResponseDto> {
    const created = await this.run({ kind: 'AddFieldOption', fieldId: id, label: body.label }, principal, request);
    return { id: created.id! };
  }

  @Post('fields/:id/options/reorder')
  @HttpCode(204)
  @RequirePermissions('leads:write')
  @ApiOperation({ summary: "Put a choice field's options in a new order: every option id exactly once, retired ones included (LEAD-4)" })
  @ApiNoContentResponse()
  async reorderOptions(@Param() { id }: FieldIdParams, @Body() body: ReorderFieldOptionsRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.run({ kind: 'ReorderFieldOptions', fieldId: id, optionIds: body.optionIds }, principal, request);
  }

  @Patch('fields/:id/options/:optionId')
  @HttpCode(204)
  @RequirePermissions('leads:write')
  @ApiOperation({ summary: 'Rename an option; its id, and so every value holding it, stays (LEAD-4)' })
  @ApiNoContentResponse()
  async renameOption(@Param() { id, optionId }: FieldOptionParams, @Body() body: FieldOptionLabelRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.run({ kind: 'RenameFieldOption', fieldId: id, optionId, label: body.label }, principal, request);
  }

  @Post('fields/:id/options/:optionId/retire')
  @HttpCode(204)
  @RequirePermissions('leads:write')
  @ApiOperation({ summary: 'Retire an option: it can no longer be chosen; leads holding it keep it (LEAD-4)' })
  @ApiNoContentResponse()
  async retireOption(@Param() { id, optionId }: FieldOptionParams, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.run({ kind: 'RetireFieldOption', fieldId: id, optionId }, principal, request);
  }
}
