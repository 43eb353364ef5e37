import { Body, Controller, Delete, HttpCode, Param, Patch, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { correlationIdOf, CurrentPrincipal, Idempotent, RequirePermissions, type Principal } from '@leadstream/platform';
import { ActiveMemberGuard } from '../../member/active-member.guard';
import { PACKAGE_IDS } from '../domain/permission-catalogue';
import { MAX_ROLE_NAME_LENGTH } from '../domain/role.decider';
import { RoleIdParams } from '../queries/role.queries';
import { MAX_ROLE_BATCH, RoleCommand, type RoleMemberResult, type RoleOperation, type RoleOperationResult } from './role.command';

const PACKAGES_LIMIT = 100;

export class CreateRoleRequestDto {
  @ApiProperty({ example: 'Sales', maxLength: MAX_ROLE_NAME_LENGTH, description: 'Unique in the enterprise (case-insensitive)' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_ROLE_NAME_LENGTH)
  name: string;

  @ApiProperty({ type: [String], enum: PACKAGE_IDS, description: 'Permission package ids (GET /v1/permission-packages)' })
  @IsArray()
  @ArrayMaxSize(PACKAGES_LIMIT)
  @IsString({ each: true })
  packages: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: MAX_ROLE_BATCH, description: '"Reverse selection": members to assign the new role to at once' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ROLE_BATCH)
  @IsUUID('all', { each: true })
  memberIds?: string[];
}

export class ChangeRoleRequestDto {
  @ApiPropertyOptional({ maxLength: MAX_ROLE_NAME_LENGTH })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_ROLE_NAME_LENGTH)
  name?: string;

  @ApiPropertyOptional({ type: [String], enum: PACKAGE_IDS, description: 'The new full set of packages' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PACKAGES_LIMIT)
  @IsString({ each: true })
  packages?: string[];
}

export class CopyRoleRequestDto {
  @ApiProperty({ maxLength: MAX_ROLE_NAME_LENGTH, description: 'Name of the copy' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_ROLE_NAME_LENGTH)
  name: string;
}

export class RoleMembersRequestDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_ROLE_BATCH })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ROLE_BATCH)
  @IsUUID('all', { each: true })
  memberIds: string[];
}

class RoleMemberErrorDto {
  @ApiProperty() status: number;
  @ApiProperty() code: string;
  @ApiProperty() detail: string;
}

class RoleMemberResultDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() ok: boolean;
  @ApiPropertyOptional({ description: 'false: the member already had (assign) or did not have (unassign) the role' }) changed?: boolean;
  @ApiPropertyOptional({ type: RoleMemberErrorDto }) error?: RoleMemberErrorDto;
}

export class RoleMembersResponseDto {
  @ApiProperty({ type: [RoleMemberResultDto] }) results: RoleMemberResult[];
  @ApiProperty() succeeded: number;
  @ApiProperty() failed: number;
}

export class CreateRoleResponseDto extends RoleMembersResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
}

function summary(result: RoleOperationResult): RoleMembersResponseDto {
  const succeeded = result.results.filter((r) => r.ok).length;
  return { results: result.results, succeeded, failed: result.results.length - succeeded };
}

/** ORG-8 role management: all of it needs `org:manage` (and roles granting org:manage, the administrator). */
@ApiTags('identity: roles')
@ApiBearerAuth()
@UseGuards(ActiveMemberGuard)
@Controller('v1/roles')
export class RoleCommandsHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  private run(operation: RoleOperation, principal: Principal, request: FastifyRequest): Promise<RoleOperationResult> {
    return this.commandBus.execute(new RoleCommand(operation, principal, correlationIdOf(request)));
  }

  @Post()
  @HttpCode(201)
  @Idempotent()
  @RequirePermissions('org:manage')
  @ApiOperation({ summary: 'Create a role from permission packages, optionally assigning it to members at once ("reverse selection", ORG-8)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: CreateRoleResponseDto })
  async create(@Body() body: CreateRoleRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<CreateRoleResponseDto> {
    const result = await this.run({ kind: 'create', name: body.name, packages: body.packages, memberIds: body.memberIds ?? [] }, principal, request);
    return { id: result.roleId, ...summary(result) };
  }

  @Post(':id/copy')
  @HttpCode(201)
  @Idempotent()
  @RequirePermissions('org:manage')
  @ApiOperation({ summary: 'Copy a role (its packages, not its members) under a new name (ORG-8)' })
  @ApiCreatedResponse({ type: CreateRoleResponseDto })
  async copy(@Param() { id }: RoleIdParams, @Body() body: CopyRoleRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<CreateRoleResponseDto> {
    const result = await this.run({ kind: 'copy', sourceId: id, name: body.name }, principal, request);
    return { id: result.roleId, ...summary(result) };
  }

  @Patch(':id')
  @HttpCode(204)
  @RequirePermissions('org:manage')
  @ApiOperation({ summary: 'Rename a role and/or replace its packages (ORG-8)' })
  @ApiNoContentResponse()
  async change(@Param() { id }: RoleIdParams, @Body() body: ChangeRoleRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.run({ kind: 'change', roleId: id, name: body.name, packages: body.packages }, principal, request);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions('org:manage')
  @ApiOperation({ summary: 'Delete a role: its members lose its permissions at their next sign-in (ORG-8)' })
  @ApiNoContentResponse()
  async remove(@Param() { id }: RoleIdParams, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.run({ kind: 'delete', roleId: id }, principal, request);
  }

  @Post(':id/members')
  @HttpCode(200)
  @RequirePermissions('org:manage')
  @ApiOperation({ summary: 'Assign the role to many members at once, with a result per member (ORG-8)' })
  @ApiOkResponse({ type: RoleMembersResponseDto })
  async assign(@Param() { id }: RoleIdParams, @Body() body: RoleMembersRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<RoleMembersResponseDto> {
    return summary(await this.run({ kind: 'assign', roleId: id, memberIds: body.memberIds }, principal, request));
  }

  @Post(':id/members/unassign')
  @HttpCode(200)
  @RequirePermissions('org:manage')
  @ApiOperation({ summary: 'Take the role from many members at once, with a result per member (ORG-8)' })
  @ApiOkResponse({ type: RoleMembersResponseDto })
  async unassign(@Param() { id }: RoleIdParams, @Body() body: RoleMembersRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<RoleMembersResponseDto> {
    return summary(await this.run({ kind: 'unassign', roleId: id, memberIds: body.memberIds }, principal, request));
  }
}
