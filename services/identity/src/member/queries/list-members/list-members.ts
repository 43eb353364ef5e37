import { Controller, Get, Inject, Query as QueryParams, UseGuards } from '@nestjs/common';
import { Query, QueryHandler, QueryBus, type IQueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import type { Filter, ReadStore } from '@leadstream/read-store';
import { CurrentPrincipal, findKeysetPage, RequirePermissions, type Principal } from '@leadstream/platform';
import { IDENTITY_READ_STORE } from '../../../identity.tokens';
import { MEMBER_LIST_COLLECTION, memberListCollectionOptions, type MemberListDocument } from '../../projections/member-list/member-list.schema';
import { MemberView, toMemberView } from '../member.view';
import { ActiveMemberGuard } from '../../active-member.guard';
import type { Viewer } from '../../../department/domain/visibility';
import { loadMemberVisibility, memberVisibilityFilter } from '../member-visibility';

export interface MemberListPage {
  readonly items: MemberView[];
  readonly total: number;
  readonly nextCursor: string | null;
}

export class ListMembersQuery extends Query<MemberListPage> {
  constructor(
    readonly tenantId: string,
    readonly viewer: Viewer,
    readonly filter: { readonly q?: string; readonly status?: 'enabled' | 'disabled'; readonly departmentId?: string },
    readonly limit: number,
    readonly cursor: string | undefined,
  ) {
    super();
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Oldest first; keyset pagination on (createdAt, id), stable while members are added. ORG-4: members
 * whose departments are all hidden from the viewer are left out and not counted.
 */
@QueryHandler(ListMembersQuery)
export class ListMembersHandler implements IQueryHandler<ListMembersQuery> {
  constructor(@Inject(IDENTITY_READ_STORE) private readonly store: ReadStore) {}

  async execute(query: ListMembersQuery): Promise<MemberListPage> {
    const conditions: Filter[] = [{ tenantId: query.tenantId }];
    if (query.filter.status !== undefined) conditions.push({ status: query.filter.status });
    if (query.filter.departmentId !== undefined) conditions.push({ departmentIds: query.filter.departmentId });
    const q = query.filter.q?.normalize('NFKC').trim().toLowerCase();
    if (q) conditions.push({ searchText: { $regex: escapeRegex(q) } });
    const visible = memberVisibilityFilter(await loadMemberVisibility(this.store, query.tenantId, query.viewer));
    if (visible) conditions.push(visible);
    const base: Filter = conditions.length === 1 ? conditions[0]! : { $and: conditions };
    const members = this.store.collection<MemberListDocument>(MEMBER_LIST_COLLECTION, memberListCollectionOptions);
    const { docs, total, nextCursor } = await findKeysetPage(members, { filter: base, limit: query.limit, cursor: query.cursor, direction: 1 });
    return { items: docs.map(toMemberView), total, nextCursor };
  }
}

export class ListMembersRequestDto {
  @ApiPropertyOptional({ description: 'Case-insensitive text in account name, account number, real name or nickname' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: ['enabled', 'disabled'] })
  @IsOptional()
  @IsIn(['enabled', 'disabled'])
  status?: 'enabled' | 'disabled';

  @ApiPropertyOptional({ format: 'uuid', description: 'Only members of this department (ORG-5)' })
  @IsOptional()
  @IsUUID()
  departmentId?: string;

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

export class MemberListPageDto {
  @ApiProperty({ type: [MemberView] }) items: MemberView[];
  @ApiProperty() total: number;
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

@ApiTags('identity: members')
@ApiBearerAuth()
@UseGuards(ActiveMemberGuard)
@Controller('v1/members')
export class ListMembersHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequirePermissions('org:read')
  @ApiOperation({ summary: 'List the enterprise’s members with filters and cursor pagination (ORG-5)' })
  @ApiOkResponse({ type: MemberListPageDto })
  list(@QueryParams() params: ListMembersRequestDto, @CurrentPrincipal() principal: Principal): Promise<MemberListPageDto> {
    const { limit, cursor, ...filter } = params;
    return this.queryBus.execute(new ListMembersQuery(principal.tenantId, { memberId: principal.memberId, isAdmin: principal.isAdmin }, filter, limit ?? 50, cursor));
  }
}
