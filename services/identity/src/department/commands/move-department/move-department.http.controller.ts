import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsUUID, ValidateIf } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { correlationIdOf, CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { DepartmentIdParams } from '../department-id.params';
import { ChangeOrgTreeCommand } from '../org-tree.command';

export class MoveDepartmentRequestDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'New parent; null makes it a root. Not itself or a descendant.' })
  @ValidateIf((o: MoveDepartmentRequestDto) => o.parentId !== null)
  @IsUUID()
  parentId: string | null;
}

@ApiTags('identity: departments')
@ApiBearerAuth()
@Controller('v1/departments')
export class MoveDepartmentHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/move')
  @HttpCode(204)
  @RequirePermissions('org:manage')
  @ApiOperation({ summary: 'Move a department (with its subtree) under another parent; cycles are refused with 422 (ORG-4)' })
  @ApiNoContentResponse()
  async move(@Param() { id }: DepartmentIdParams, @Body() body: MoveDepartmentRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.commandBus.execute(new ChangeOrgTreeCommand({ kind: 'MoveDepartment', departmentId: id, parentId: body.parentId }, principal, correlationIdOf(request)));
  }
}
