import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { correlationIdOf, CurrentPrincipal, Idempotent, RequirePermissions, type Principal } from '@leadstream/platform';
import { CreateLeadCommand } from './create-lead.command';
import { CreateLeadRequestDto, CreateLeadResponseDto } from './create-lead.request.dto';

@ApiTags('leads')
@ApiBearerAuth()
@Controller('v1/leads')
export class CreateLeadHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Idempotent()
  @RequirePermissions('leads:write')
  @ApiOperation({ summary: 'Capture a lead into the lead library (LEAD-1)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: CreateLeadResponseDto })
  create(@Body() body: CreateLeadRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<CreateLeadResponseDto> {
    return this.commandBus.execute(new CreateLeadCommand(body, principal, correlationIdOf(request)));
  }
}
