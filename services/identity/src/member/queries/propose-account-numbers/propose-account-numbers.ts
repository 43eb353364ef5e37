import { randomInt } from 'node:crypto';
import { Controller, Get, Inject, Query as QueryParams, UseGuards } from '@nestjs/common';
import { Query, QueryHandler, QueryBus, type IQueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { loadState, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { RequirePermissions } from '@leadstream/platform';
import { IDENTITY_EVENT_STORE } from '../../../identity.tokens';
import { ACCOUNT_NUMBER_CATEGORY } from '../../domain/member.events';
import { reservationDecider } from '../../domain/reservation.decider';
import { ActiveMemberGuard } from '../../active-member.guard';

export class ProposeAccountNumbersQuery extends Query<{ accountNumbers: string[] }> {
  constructor(readonly count: number) {
    super();
  }
}

/**
 * Free account numbers to offer when creating a member (ORG-5). A proposal reserves nothing: the
 * number is reserved only by the create, which answers 409 if someone took it in between.
 */
@QueryHandler(ProposeAccountNumbersQuery)
export class ProposeAccountNumbersHandler implements IQueryHandler<ProposeAccountNumbersQuery> {
  constructor(@Inject(IDENTITY_EVENT_STORE) private readonly store: EventStore) {}

  async execute(query: ProposeAccountNumbersQuery): Promise<{ accountNumbers: string[] }> {
    const found = new Set<string>();
    for (let attempt = 0; found.size < query.count && attempt < query.count * 10; attempt++) {
      const candidate = String(randomInt(10_000_000, 100_000_000));
      if (found.has(candidate)) continue;
      const { state } = await loadState(this.store, streamIdOf(ACCOUNT_NUMBER_CATEGORY, candidate), reservationDecider);
      if (state.memberId === null) found.add(candidate);
    }
    return { accountNumbers: [...found] };
  }
}

export class ProposeAccountNumbersRequestDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 20, default: 5 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  count?: number;
}

export class AccountNumberProposalDto {
  @ApiProperty({ type: [String], example: ['80012345'] }) accountNumbers: string[];
}

@ApiTags('identity: members')
@ApiBearerAuth()
@UseGuards(ActiveMemberGuard)
@Controller('v1/members/account-numbers')
export class ProposeAccountNumbersHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('free')
  @RequirePermissions('org:manage')
  @ApiOperation({ summary: 'Propose free account numbers to choose from when creating a member (ORG-5)' })
  @ApiOkResponse({ type: AccountNumberProposalDto })
  propose(@QueryParams() params: ProposeAccountNumbersRequestDto): Promise<AccountNumberProposalDto> {
    return this.queryBus.execute(new ProposeAccountNumbersQuery(params.count ?? 5));
  }
}
