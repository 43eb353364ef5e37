import { Body, Controller, HttpCode, Param, Patch, Post, Put, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { correlationIdOf, CurrentPrincipal, ProblemException, RequirePermissions, ValidationProblemException, type Principal } from '@leadstream/platform';
import { ManageMembersCommand, type MemberAction, type MemberActionInput, type MemberActionResult } from './manage-members.command';
import {
  BatchActionParams,
  BatchRequestDto,
  BatchResponseDto,
  EditMemberRequestDto,
  MemberIdParams,
  MoveMemberRequestDto,
  ResetPasswordRequestDto,
  SetManagementRequestDto,
} from './manage-members.request.dto';
import { ActiveMemberGuard } from '../../active-member.guard';

@ApiTags('identity: members')
@ApiBearerAuth()
@UseGuards(ActiveMemberGuard)
@Controller('v1/members')
@RequirePermissions('org:manage')
export class ManageMembersHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  private async single(action: MemberAction, id: string, input: MemberActionInput, principal: Principal, request: FastifyRequest): Promise<void> {
    const [result] = await this.commandBus.execute(new ManageMembersCommand(action, [id], input, principal, correlationIdOf(request)));
    if (result && !result.ok && result.error) {
      throw new ProblemException({ status: result.error.status, code: result.error.code, detail: result.error.detail });
    }
  }

  @Patch(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Edit a member’s profile: real name, nickname (ORG-5)' })
  @ApiNoContentResponse()
  edit(@Param() { id }: MemberIdParams, @Body() body: EditMemberRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    return this.single('edit', id, { realName: body.realName, nickname: body.nickname }, principal, request);
  }

  @Post(':id/disable')
  @HttpCode(204)
  @ApiOperation({ summary: 'Disable a member: it cannot sign in, keeps its permissions and its seat (ORG-6)' })
  @ApiNoContentResponse()
  disable(@Param() { id }: MemberIdParams, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    return this.single('disable', id, {}, principal, request);
  }

  @Post(':id/enable')
  @HttpCode(204)
  @ApiOperation({ summary: 'Enable a disabled member (ORG-6); refused beyond the seat quota (ORG-1)' })
  @ApiNoContentResponse()
  enable(@Param() { id }: MemberIdParams, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    return this.single('enable', id, {}, principal, request);
  }

  @Post(':id/reset-password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Reset a member’s password (ORG-7)' })
  @ApiNoContentResponse()
  resetPassword(@Param() { id }: MemberIdParams, @Body() body: ResetPasswordRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    return this.single('reset-password', id, { password: body.password }, principal, request);
  }

  @Put(':id/management')
  @HttpCode(204)
  @ApiOperation({ summary: 'Grant or revoke the management permission (administrator only, ORG-7)' })
  @ApiNoContentResponse()
  setManagement(@Param() { id }: MemberIdParams, @Body() body: SetManagementRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    return this.single('management', id, { manager: body.manager }, principal, request);
  }

  @Post(':id/move')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a member’s departments (ORG-5); unknown departments → 422 naming departmentIds' })
  @ApiNoContentResponse()
  move(@Param() { id }: MemberIdParams, @Body() body: MoveMemberRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    return this.single('move', id, { departmentIds: body.departmentIds }, principal, request);
  }

  @Post('batch/:action')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable, enable, reset-password, edit or move up to 1,000 members; one result per member' })
  @ApiOkResponse({ type: BatchResponseDto })
  async batch(@Param() { action }: BatchActionParams, @Body() body: BatchRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<BatchResponseDto> {
    if (action === 'reset-password' && body.password === undefined) {
      throw new ValidationProblemException([{ field: 'password', reason: 'password is required to reset passwords' }]);
    }
    if (action === 'move' && body.departmentIds === undefined) {
      throw new ValidationProblemException([{ field: 'departmentIds', reason: 'departmentIds is required to move' }]);
    }
    if (action === 'edit' && body.realName === undefined && body.nickname === undefined) {
      throw new ValidationProblemException([{ field: 'realName', reason: 'realName or nickname is required to edit' }]);
    }
    const results: MemberActionResult[] = await this.commandBus.execute(
      new ManageMembersCommand(
        action,
        body.ids,
        { password: body.password, realName: body.realName, nickname: body.nickname, departmentIds: body.departmentIds },
        principal,
        correlationIdOf(request),
      ),
    );
    const succeeded = results.filter((r) => r.ok).length;
    return { results, succeeded, failed: results.length - succeeded };
  }
}
