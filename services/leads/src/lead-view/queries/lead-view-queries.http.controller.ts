import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Filter, ReadStore } from '@leadstream/read-store';
import { CurrentPrincipal, CursorPageQuery, decodeCursor, encodeCursor, RequirePermissions, ValidationProblemException, type Principal } from '@leadstream/platform';
import { LEADS_READ_STORE } from '../../leads.tokens';
import { LeadViewIdParams } from '../commands/lead-view.request.dto';
import { LeadViewReader } from '../lead-view.reader';
import { LEAD_VIEWS_COLLECTION, leadViewsCollectionOptions, type LeadViewDocument } from '../projections/lead-views.schema';
import { LeadViewDto, LeadViewPageDto, viewFromDocument, viewFromState } from './lead-view.view';

@ApiTags('lead-views')
@ApiBearerAuth()
@Controller('v1/lead-views')
export class LeadViewQueriesHttpController {
  constructor(
    @Inject(LEADS_READ_STORE) private readonly store: ReadStore,
    private readonly views: LeadViewReader,
  ) {}

  @Get()
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: "The caller's private views and every shared view of the enterprise, by name (LEAD-9)" })
  @ApiOkResponse({ type: LeadViewPageDto })
  async list(@Query() query: CursorPageQuery, @CurrentPrincipal() principal: Principal): Promise<LeadViewPageDto> {
    const collection = this.store.collection<LeadViewDocument>(LEAD_VIEWS_COLLECTION, leadViewsCollectionOptions);
    const visible: Filter = { tenantId: principal.tenantId, $or: [{ visibility: 'shared' }, { ownerId: principal.memberId }] };
    let page = visible;
    if (query.cursor !== undefined) {
      const cursor = decodeCursor<{ n?: unknown; i?: unknown }>(query.cursor);
      if (typeof cursor.n !== 'string' || typeof cursor.i !== 'string') {
        throw new ValidationProblemException([{ field: 'cursor', reason: 'is not a cursor returned by this list' }], 'The pagination cursor is invalid.');
      }
      page = { $and: [visible, { $or: [{ name: { $gt: cursor.n } }, { name: cursor.n, _id: { $gt: cursor.i } }] }] };
    }
    const limit = query.limit ?? 50;
    const [docs, total] = await Promise.all([collection.find(page, { sort: { name: 1, _id: 1 }, limit: limit + 1 }), collection.count(visible)]);
    const shown = docs.slice(0, limit);
    const last = shown[shown.length - 1];
    return { items: shown.map(viewFromDocument), total, nextCursor: docs.length > limit && last ? encodeCursor({ n: last.name, i: last._id }) : null };
  }

  @Get(':id')
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: "A saved view (its owner's private view, or a shared one); the ETag is its version (LEAD-9)" })
  @ApiOkResponse({ type: LeadViewDto })
  async get(@Param() { id }: LeadViewIdParams, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<LeadViewDto> {
    const view = viewFromState(await this.views.find(principal, id));
    void reply.header('ETag', `"${view.version}"`);
    return view;
  }
}
