import { Controller, Delete, HttpCode, Param, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { correlationIdOf, CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { DepartmentIdParams } from '../department-id.params';
import { ChangeOrgTreeCommand } from '../org-tree.command';

@ApiTags('identity: departments')
@ApiBearerAuth()
@Controller('v1/departments')
export class DeleteDepartmentHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions('org:manage')
  @ApiOperation({ summary: 'Delete a department: its children and members move up to its parent (ORG-4)' })
  @ApiNoContentResponse()
  async remove(@Param() { id }: DepartmentIdParams, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.commandBus.execute(new ChangeOrgTreeCommand({ kind: 'DeleteDepartment', departmentId: id }, principal, correlationIdOf(request)));
  }
}
