import { Controller, Get, Inject, Param, Query as QueryParams, UseGuards } from '@nestjs/common';
import { Query, QueryHandler, QueryBus, type IQueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import type { Filter, ReadStore } from '@leadstream/read-store';
import { CurrentPrincipal, findKeysetPage, RequirePermissions, type Principal } from '@leadstream/platform';
import { IDENTITY_READ_STORE } from '../../identity.tokens';
import { ActiveMemberGuard } from '../../member/active-member.guard';
import { PERMISSION_CATALOGUE, permissionsOf } from '../domain/permission-catalogue';
import { roleNotFound } from '../domain/role.decider';
import { ROLE_LIST_COLLECTION, roleListCollectionOptions, type RoleListDocument } from '../projections/role-list.schema';

export class RoleView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String], description: 'Permission package ids (GET /v1/permission-packages)' }) packages: string[];
  @ApiProperty({ type: [String], description: 'The permissions the packages grant' }) permissions: string[];
  @ApiProperty({ type: [String] }) memberIds: string[];
  @ApiProperty() memberCount: number;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) copiedFrom: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export function toRoleView(doc: RoleListDocument): RoleView {
  return {
    id: doc._id,
    name: doc.name,
    packages: [...doc.packages],
    permissions: permissionsOf(doc.packages),
    memberIds: [...doc.memberIds],
    memberCount: doc.memberIds.length,
    copiedFrom: doc.copiedFrom,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

export interface RoleListPage {
  readonly items: RoleView[];
  readonly total: number;
  readonly nextCursor: string | null;
}

export class ListRolesQuery extends Query<RoleListPage> {
  constructor(
    readonly tenantId: string,
    readonly memberId: string | undefined,
    readonly limit: number,
    readonly cursor: string | undefined,
  ) {
    super();
  }
}

/** Oldest first; keyset pagination on (createdAt, id). */
@QueryHandler(ListRolesQuery)
export class ListRolesHandler implements IQueryHandler<ListRolesQuery> {
  constructor(@Inject(IDENTITY_READ_STORE) private readonly store: ReadStore) {}

  async execute(query: ListRolesQuery): Promise<RoleListPage> {
    const conditions: Filter[] = [{ tenantId: query.tenantId }];
    if (query.memberId !== undefined) conditions.push({ memberIds: query.memberId });
    const base: Filter = conditions.length === 1 ? conditions[0]! : { $and: conditions };
    const roles = this.store.collection<RoleListDocument>(ROLE_LIST_COLLECTION, roleListCollectionOptions);
    const { docs, total, nextCursor } = await findKeysetPage(roles, { filter: base, limit: query.limit, cursor: query.cursor, direction: 1 });
    return { items: docs.map(toRoleView), total, nextCursor };
  }
}

export class GetRoleQuery extends Query<RoleView> {
  constructor(
    readonly tenantId: string,
    readonly roleId: string,
  ) {
    super();
  }
}

@QueryHandler(GetRoleQuery)
export class GetRoleHandler implements IQueryHandler<GetRoleQuery> {
  constructor(@Inject(IDENTITY_READ_STORE) private readonly store: ReadStore) {}

  async execute(query: GetRoleQuery): Promise<RoleView> {
    // the tenant is part of the filter: another enterprise's role is simply not found
    const doc = await this.store.collection<RoleListDocument>(ROLE_LIST_COLLECTION, roleListCollectionOptions).findOne({ _id: query.roleId, tenantId: query.tenantId });
    if (!doc) throw roleNotFound();
    return toRoleView(doc);
  }
}

export class ListRolesRequestDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the roles this member holds' })
  @IsOptional()
  @IsUUID()
  memberId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export class RoleListPageDto {
  @ApiProperty({ type: [RoleView] }) items: RoleView[];
  @ApiProperty() total: number;
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class RoleIdParams {
  @IsUUID()
  id: string;
}

class PermissionPackageDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [String] }) permissions: string[];
  @ApiProperty({ description: 'false: not grantable by a role (org:manage is set with PUT /v1/members/{id}/management)' }) grantableByRole: boolean;
}

class PermissionServiceDto {
  @ApiProperty() service: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [PermissionPackageDto] }) packages: PermissionPackageDto[];
}

class PermissionCatalogueDto {
  @ApiProperty({ type: [PermissionServiceDto] }) services: PermissionServiceDto[];
}

@ApiTags('identity: roles')
@ApiBearerAuth()
@UseGuards(ActiveMemberGuard)
@Controller('v1/permission-packages')
export class PermissionPackagesHttpController {
  @Get()
  @RequirePermissions('org:read')
  @ApiOperation({ summary: 'The permission catalogue: every service’s permission packages (ORG-8)' })
  @ApiOkResponse({ type: PermissionCatalogueDto })
  list(): PermissionCatalogueDto {
    return { services: PERMISSION_CATALOGUE.map((s) => ({ ...s, packages: s.packages.map((p) => ({ ...p, permissions: [...p.permissions] })) })) };
  }
}

@ApiTags('identity: roles')
@ApiBearerAuth()
@UseGuards(ActiveMemberGuard)
@Controller('v1/roles')
export class RoleQueriesHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequirePermissions('org:read')
  @ApiOperation({ summary: 'List the enterprise’s roles with cursor pagination (ORG-8)' })
  @ApiOkResponse({ type: RoleListPageDto })
  list(@QueryParams() params: ListRolesRequestDto, @CurrentPrincipal() principal: Principal): Promise<RoleListPageDto> {
    return this.queryBus.execute(new ListRolesQuery(principal.tenantId, params.memberId, params.limit ?? 50, params.cursor));
  }

  @Get(':id')
  @RequirePermissions('org:read')
  @ApiOperation({ summary: 'Read one role with its packages and members (ORG-8)' })
  @ApiOkResponse({ type: RoleView })
  get(@Param() { id }: RoleIdParams, @CurrentPrincipal() principal: Principal): Promise<RoleView> {
    return this.queryBus.execute(new GetRoleQuery(principal.tenantId, id));
  }
}
