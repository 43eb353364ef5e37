import { Body, Controller, Get, HttpCode, Inject, Param, Put, Req } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, Query, QueryBus, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsUUID } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { DomainError, handleCommand, loadState, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { correlationIdOf, CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { IDENTITY_EVENT_STORE } from '../../identity.tokens';
import { assertCanManage, loadActor } from '../../member/member-access';
import { roleDecider } from '../../role/domain/role.decider';
import { roleStreamId } from '../../role/commands/role.command';
import { orgTreeDecider } from '../domain/org-tree.decider';
import { isVisibleTo } from '../domain/visibility';
import { DepartmentIdParams } from '../commands/department-id.params';
import { orgTreeStreamId } from '../commands/org-tree.command';
import { MAX_TEMPLATE_ROLES, ROLE_TEMPLATE_CATEGORY, roleTemplateDecider } from './role-template.decider';

export const roleTemplateStreamId = (departmentId: string) => streamIdOf(ROLE_TEMPLATE_CATEGORY, departmentId);

/** The department, if it exists in the tenant and the caller may see it; otherwise 404. */
async function assertDepartment(store: EventStore, principal: Principal, departmentId: string): Promise<void> {
  const { state } = await loadState(store, orgTreeStreamId(principal.tenantId), orgTreeDecider);
  const viewer = { memberId: principal.memberId, isAdmin: principal.isAdmin };
  if (!state.departments.has(departmentId) || !isVisibleTo((d) => state.departments.get(d), departmentId, viewer)) {
    throw new DomainError('not_found', 'identity.department-not-found', `Department ${departmentId} was not found.`);
  }
}

export class SetRoleTemplateCommand extends Command<void> {
  constructor(
    readonly departmentId: string,
    readonly roleIds: readonly string[],
    readonly principal: Principal,
    readonly correlationId: string,
  ) {
    super();
  }
}

@CommandHandler(SetRoleTemplateCommand)
export class SetRoleTemplateHandler implements ICommandHandler<SetRoleTemplateCommand> {
  constructor(@Inject(IDENTITY_EVENT_STORE) private readonly store: EventStore) {}

  async execute(command: SetRoleTemplateCommand): Promise<void> {
    const actor = await loadActor(this.store, command.principal);
    assertCanManage(actor);
    await assertDepartment(this.store, command.principal, command.departmentId);
    const roles = await Promise.all([...new Set(command.roleIds)].map(async (id) => ({ id, role: (await loadState(this.store, roleStreamId(id), roleDecider)).state })));
    const knownRoleIds = new Set(roles.filter(({ role }) => role.exists && !role.deleted && role.enterpriseId === actor.enterpriseId).map(({ id }) => id));
    await handleCommand(
      this.store,
      roleTemplateStreamId(command.departmentId),
      roleTemplateDecider,
      {
        kind: 'SetRoleTemplate',
        enterpriseId: actor.enterpriseId,
        departmentId: command.departmentId,
        roleIds: command.roleIds,
        knownRoleIds,
        by: actor.memberId,
        now: new Date().toISOString(),
      },
      { tenantId: actor.enterpriseId, correlationId: command.correlationId, causationId: null, actor: actor.memberId },
    );
  }
}

export class RoleTemplateView {
  @ApiProperty({ format: 'uuid' }) departmentId: string;
  @ApiProperty({ type: [String], format: 'uuid' }) roleIds: string[];
}

export class GetRoleTemplateQuery extends Query<RoleTemplateView> {
  constructor(
    readonly departmentId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

@QueryHandler(GetRoleTemplateQuery)
export class GetRoleTemplateHandler implements IQueryHandler<GetRoleTemplateQuery> {
  constructor(@Inject(IDENTITY_EVENT_STORE) private readonly store: EventStore) {}

  async execute(query: GetRoleTemplateQuery): Promise<RoleTemplateView> {
    await assertDepartment(this.store, query.principal, query.departmentId);
    const { state } = await loadState(this.store, roleTemplateStreamId(query.departmentId), roleTemplateDecider);
    return { departmentId: query.departmentId, roleIds: state.enterpriseId === query.principal.tenantId ? [...state.roleIds] : [] };
  }
}

export class SetRoleTemplateRequestDto {
  @ApiProperty({ type: [String], format: 'uuid', maxItems: MAX_TEMPLATE_ROLES, description: 'The roles members of this department get ([] for none)' })
  @IsArray()
  @ArrayMaxSize(MAX_TEMPLATE_ROLES)
  @IsUUID('all', { each: true })
  roleIds: string[];
}

@ApiTags('identity: departments')
@ApiBearerAuth()
@Controller('v1/departments')
export class RoleTemplateHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Put(':id/role-template')
  @HttpCode(204)
  @RequirePermissions('org:manage')
  @ApiOperation({ summary: 'Set the department’s role template (ORG-9): its members get these roles while they belong to it' })
  @ApiNoContentResponse()
  async set(@Param() { id }: DepartmentIdParams, @Body() body: SetRoleTemplateRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.commandBus.execute(new SetRoleTemplateCommand(id, body.roleIds, principal, correlationIdOf(request)));
  }

  @Get(':id/role-template')
  @RequirePermissions('org:read')
  @ApiOperation({ summary: 'The department’s role template (ORG-9)' })
  @ApiOkResponse({ type: RoleTemplateView })
  get(@Param() { id }: DepartmentIdParams, @CurrentPrincipal() principal: Principal): Promise<RoleTemplateView> {
    return this.queryBus.execute(new GetRoleTemplateQuery(id, principal));
  }
}
