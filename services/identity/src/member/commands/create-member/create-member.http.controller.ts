import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { correlationIdOf, CurrentPrincipal, Idempotent, RequirePermissions, type Principal } from '@leadstream/platform';
import { CreateMemberCommand } from './create-member.command';
import { CreateMemberRequestDto, CreateMemberResponseDto } from './create-member.request.dto';
import { ActiveMemberGuard } from '../../active-member.guard';

@ApiTags('identity: members')
@ApiBearerAuth()
@UseGuards(ActiveMemberGuard)
@Controller('v1/members')
export class CreateMemberHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Idempotent()
  @RequirePermissions('org:manage')
  @ApiOperation({ summary: 'Create a member (ORG-5); needs a free seat (ORG-1) and the management permission (ORG-7)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: CreateMemberResponseDto })
  create(@Body() body: CreateMemberRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<CreateMemberResponseDto> {
    return this.commandBus.execute(new CreateMemberCommand(body, principal, correlationIdOf(request)));
  }
}
