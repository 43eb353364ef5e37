import { Body, Controller, HttpCode, Param, Patch, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { correlationIdOf, CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { MAX_DEPARTMENT_NAME_LENGTH } from '../../domain/org-tree.decider';
import { DepartmentIdParams } from '../department-id.params';
import { ChangeOrgTreeCommand } from '../org-tree.command';

export class RenameDepartmentRequestDto {
  @ApiProperty({ example: 'Sales East China', maxLength: MAX_DEPARTMENT_NAME_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_DEPARTMENT_NAME_LENGTH)
  name: string;
}

@ApiTags('identity: departments')
@ApiBearerAuth()
@Controller('v1/departments')
export class RenameDepartmentHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Patch(':id')
  @HttpCode(204)
  @RequirePermissions('org:manage')
  @ApiOperation({ summary: 'Rename a department (ORG-4)' })
  @ApiNoContentResponse()
  async rename(@Param() { id }: DepartmentIdParams, @Body() body: RenameDepartmentRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.commandBus.execute(new ChangeOrgTreeCommand({ kind: 'RenameDepartment', departmentId: id, name: body.name }, principal, correlationIdOf(request)));
  }
}
