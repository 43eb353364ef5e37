import { Body, Controller, Delete, HttpCode, Param, Put, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { correlationIdOf, CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { DepartmentIdParams } from '../department-id.params';
import { ChangeOrgTreeCommand } from '../org-tree.command';

export class SetDepartmentSupervisorRequestDto {
  @ApiProperty({ format: 'uuid', description: 'A member id (only its format is checked until members are queryable here)' })
  @IsUUID()
  memberId: string;
}

@ApiTags('identity: departments')
@ApiBearerAuth()
@Controller('v1/departments')
export class SetDepartmentSupervisorHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put(':id/supervisor')
  @HttpCode(204)
  @RequirePermissions('org:manage')
  @ApiOperation({ summary: 'Set the supervisor (主管) of a department (ORG-4)' })
  @ApiNoContentResponse()
  async set(@Param() { id }: DepartmentIdParams, @Body() body: SetDepartmentSupervisorRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.commandBus.execute(
      new ChangeOrgTreeCommand({ kind: 'SetDepartmentSupervisor', departmentId: id, supervisorId: body.memberId }, principal, correlationIdOf(request)),
    );
  }

  @Delete(':id/supervisor')
  @HttpCode(204)
  @RequirePermissions('org:manage')
  @ApiOperation({ summary: 'Clear the supervisor of a department (ORG-4)' })
  @ApiNoContentResponse()
  async clear(@Param() { id }: DepartmentIdParams, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.commandBus.execute(new ChangeOrgTreeCommand({ kind: 'SetDepartmentSupervisor', departmentId: id, supervisorId: null }, principal, correlationIdOf(request)));
  }
}
