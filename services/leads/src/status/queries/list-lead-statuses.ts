import { Controller, Get, Inject } from '@nestjs/common';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { loadState, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { statusCatalogueDecider } from '../domain/status-catalogue.decider';
import { STATUS_CATALOGUE_CATEGORY } from '../domain/status.events';
import { LEADS_EVENT_STORE } from '../../leads.tokens';

export class LeadStatusView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: '0-based display position' }) order: number;
  @ApiProperty({ description: 'A retired status stays listed but cannot be assigned' }) retired: boolean;
}

export class LeadStatusListView {
  @ApiProperty({ type: [LeadStatusView] }) items: LeadStatusView[];
}

export class ListLeadStatusesQuery extends Query<LeadStatusListView> {
  constructor(readonly tenantId: string) {
    super();
  }
}

/**
 * Reads the catalogue straight from its event stream: it is one small stream per enterprise, so folding
 * it is cheap, and the answer is consistent with the write that just happened (no projection lag).
 */
@QueryHandler(ListLeadStatusesQuery)
export class ListLeadStatusesHandler implements IQueryHandler<ListLeadStatusesQuery> {
  constructor(@Inject(LEADS_EVENT_STORE) private readonly store: EventStore) {}

  async execute(query: ListLeadStatusesQuery): Promise<LeadStatusListView> {
    const { state } = await loadState(this.store, streamIdOf(STATUS_CATALOGUE_CATEGORY, query.tenantId), statusCatalogueDecider);
    return { items: state.statuses.map((s, order) => ({ id: s.id, name: s.name, order, retired: s.retired })) };
  }
}

@ApiTags('lead-statuses')
@ApiBearerAuth()
@Controller('v1/lead-statuses')
export class ListLeadStatusesHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: "The enterprise's lead statuses in display order, retired ones included (LEAD-5)" })
  @ApiOkResponse({ type: LeadStatusListView })
  list(@CurrentPrincipal() principal: Principal): Promise<LeadStatusListView> {
    return this.queryBus.execute(new ListLeadStatusesQuery(principal.tenantId));
  }
}
