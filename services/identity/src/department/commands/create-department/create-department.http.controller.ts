import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { correlationIdOf, CurrentPrincipal, Idempotent, RequirePermissions, type Principal } from '@leadstream/platform';
import { MAX_DEPARTMENT_NAME_LENGTH } from '../../domain/org-tree.decider';
import { ChangeOrgTreeCommand } from '../org-tree.command';

export class CreateDepartmentRequestDto {
  @ApiProperty({ example: 'Sales East', maxLength: MAX_DEPARTMENT_NAME_LENGTH, description: 'Unique among its siblings (case-insensitive)' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_DEPARTMENT_NAME_LENGTH)
  name: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Parent department; absent or null: a root department' })
  @IsOptional()
  @ValidateIf((o: CreateDepartmentRequestDto) => o.parentId !== null)
  @IsUUID()
  parentId?: string | null;
}

export class CreateDepartmentResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
}

@ApiTags('identity: departments')
@ApiBearerAuth()
@Controller('v1/departments')
export class CreateDepartmentHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Idempotent()
  @RequirePermissions('org:manage')
  @ApiOperation({ summary: 'Create a department, under a parent or as a root (ORG-4)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: CreateDepartmentResponseDto })
  async create(@Body() body: CreateDepartmentRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<CreateDepartmentResponseDto> {
    const departmentId = randomUUID();
    await this.commandBus.execute(
      new ChangeOrgTreeCommand({ kind: 'CreateDepartment', departmentId, name: body.name, parentId: body.parentId ?? null }, principal, correlationIdOf(request)),
    );
    return { id: departmentId };
  }
}
