import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { correlationIdOf, CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { ActiveMemberGuard } from '../../../member/active-member.guard';
import { ChangeAdministratorCommand } from './change-administrator.command';
import { ChangeAdministratorRequestDto, ChangeAdministratorResponseDto } from './change-administrator.request.dto';

@ApiTags('identity: enterprises')
@ApiBearerAuth()
@UseGuards(ActiveMemberGuard)
@Controller('v1/enterprises/current')
export class ChangeAdministratorHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('admin')
  @HttpCode(200)
  // only the administrator holds every permission; a manager gets past this and is refused by the handler
  @RequirePermissions('org:manage')
  @ApiOperation({
    summary: 'Change the administrator (ORG-2): the current admin’s password and the new admin’s credentials, checked in one command',
  })
  @ApiOkResponse({ type: ChangeAdministratorResponseDto })
  change(@Body() body: ChangeAdministratorRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<ChangeAdministratorResponseDto> {
    return this.commandBus.execute(
      new ChangeAdministratorCommand(principal, body.currentPassword, { accountName: body.newAdmin.accountName, password: body.newAdmin.password }, correlationIdOf(request)),
    );
  }
}
