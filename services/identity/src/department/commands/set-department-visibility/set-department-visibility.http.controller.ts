import { Body, Controller, HttpCode, Param, Put, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsUUID } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { correlationIdOf, CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { MAX_VISIBILITY_ENTRIES } from '../../domain/org-tree.decider';
import { DepartmentIdParams } from '../department-id.params';
import { ChangeOrgTreeCommand } from '../org-tree.command';

export class SetDepartmentVisibilityRequestDto {
  @ApiProperty({ description: 'Hidden departments (and their subtrees) are seen only by the admin, the supervisor and the visibility list' })
  @IsBoolean()
  hidden: boolean;

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: MAX_VISIBILITY_ENTRIES })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_VISIBILITY_ENTRIES)
  @IsUUID('all', { each: true })
  visibleToMemberIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: MAX_VISIBILITY_ENTRIES, description: 'Departments of this enterprise' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_VISIBILITY_ENTRIES)
  @IsUUID('all', { each: true })
  visibleToDepartmentIds?: string[];
}

@ApiTags('identity: departments')
@ApiBearerAuth()
@Controller('v1/departments')
export class SetDepartmentVisibilityHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put(':id/visibility')
  @HttpCode(204)
  @RequirePermissions('org:manage')
  @ApiOperation({ summary: 'Hide or show a department and set who may see it while hidden (ORG-4); replaces the whole list' })
  @ApiNoContentResponse()
  async set(@Param() { id }: DepartmentIdParams, @Body() body: SetDepartmentVisibilityRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.commandBus.execute(
      new ChangeOrgTreeCommand(
        {
          kind: 'SetDepartmentVisibility',
          departmentId: id,
          hidden: body.hidden,
          visibleToMemberIds: body.visibleToMemberIds ?? [],
          visibleToDepartmentIds: body.visibleToDepartmentIds ?? [],
        },
        principal,
        correlationIdOf(request),
      ),
    );
  }
}
