import { Controller, Get, Inject, Param, UseGuards } from '@nestjs/common';
import { Query, QueryHandler, QueryBus, type IQueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { DomainError } from '@leadstream/event-sourcing';
import type { ReadStore } from '@leadstream/read-store';
import { CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { IDENTITY_READ_STORE } from '../../../identity.tokens';
import { MEMBER_LIST_COLLECTION, memberListCollectionOptions, type MemberListDocument } from '../../projections/member-list/member-list.schema';
import { MemberView, toMemberView } from '../member.view';
import { ActiveMemberGuard } from '../../active-member.guard';
import type { Viewer } from '../../../department/domain/visibility';
import { isMemberVisible, loadMemberVisibility } from '../member-visibility';

export class GetMemberQuery extends Query<MemberView> {
  constructor(
    readonly tenantId: string,
    readonly viewer: Viewer,
    readonly memberId: string,
  ) {
    super();
  }
}

@QueryHandler(GetMemberQuery)
export class GetMemberHandler implements IQueryHandler<GetMemberQuery> {
  constructor(@Inject(IDENTITY_READ_STORE) private readonly store: ReadStore) {}

  async execute(query: GetMemberQuery): Promise<MemberView> {
    // The tenant is part of the filter: another enterprise's member is simply not found, and so is
    // one whose departments are all hidden from the viewer (ORG-4).
    const doc = await this.store
      .collection<MemberListDocument>(MEMBER_LIST_COLLECTION, memberListCollectionOptions)
      .findOne({ _id: query.memberId, tenantId: query.tenantId });
    if (!doc || !isMemberVisible(doc, await loadMemberVisibility(this.store, query.tenantId, query.viewer))) throw new DomainError('not_found', 'identity.member-not-found', `Member ${query.memberId} was not found.`);
    return toMemberView(doc);
  }
}

class GetMemberParams {
  @IsUUID()
  id: string;
}

@ApiTags('identity: members')
@ApiBearerAuth()
@UseGuards(ActiveMemberGuard)
@Controller('v1/members')
export class GetMemberHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @RequirePermissions('org:read')
  @ApiOperation({ summary: 'Read one member (ORG-5)' })
  @ApiOkResponse({ type: MemberView })
  get(@Param() { id }: GetMemberParams, @CurrentPrincipal() principal: Principal): Promise<MemberView> {
    return this.queryBus.execute(new GetMemberQuery(principal.tenantId, { memberId: principal.memberId, isAdmin: principal.isAdmin }, id));
  }
}
