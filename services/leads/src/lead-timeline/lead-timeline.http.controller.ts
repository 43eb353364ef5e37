import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DomainError, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { CurrentPrincipal, CursorPageQuery, decodeCursor, encodeCursor, RequirePermissions, ValidationProblemException, type Principal } from '@leadstream/platform';
import { LEADS_EVENT_STORE } from '../leads.tokens';
import { LeadSchemaReader } from '../lead-schema/lead-schema.reader';
import { LEAD_CATEGORY } from '../lead/domain/lead.events';
import { LeadIdParams } from '../lead/queries/get-lead/get-lead.http.controller';
import { behaviourEntryOf, compareNewestFirst, timelineEntryOf, type TimelineEntry } from './lead-timeline';
import { LEAD_BEHAVIOUR_CATEGORY } from '../lead-behaviour/domain/behaviour.events';

export class TimelineEntryDto {
  @ApiProperty({ enum: ['lead', 'behaviour'] }) source: TimelineEntry['source'];
  @ApiProperty() revision: number;
  @ApiProperty({ enum: ['created', 'updated', 'statusChanged', 'tagsChanged', 'assigned', 'behaviour'] }) kind: TimelineEntry['kind'];
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ format: 'uuid' }) by: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'created: the lead as created; updated: the fields given (null: cleared; custom fields by key); statusChanged/assigned: from, to; tagsChanged: added, removed; behaviour: behaviourId, type, properties, recordedAt (at: when it happened)' })
  changes: Record<string, unknown>;
}

export class TimelinePageDto {
  @ApiProperty({ type: [TimelineEntryDto] }) items: TimelineEntryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

/** LEAD-12: every change of a lead, newest first, from its own event stream (always current). */
@ApiTags('leads')
@ApiBearerAuth()
@Controller('v1/leads')
export class LeadTimelineHttpController {
  constructor(
    @Inject(LEADS_EVENT_STORE) private readonly events: EventStore,
    private readonly schemas: LeadSchemaReader,
  ) {}

  @Get(':id/timeline')
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: 'The lead profile timeline: every change and every behaviour, newest first, cursor-paginated' })
  @ApiOkResponse({ type: TimelinePageDto })
  async timeline(@Param() { id }: LeadIdParams, @Query() page: CursorPageQuery, @CurrentPrincipal() principal: Principal): Promise<TimelinePageDto> {
    const limit = page.limit ?? 50;
    let after: Pick<TimelineEntry, 'at' | 'source' | 'revision'> | null = null;
    if (page.cursor !== undefined) {
      const { a, s, r } = decodeCursor<{ a?: unknown; s?: unknown; r?: unknown }>(page.cursor);
      if (typeof a !== 'string' || (s !== 'lead' && s !== 'behaviour') || typeof r !== 'number' || !Number.isSafeInteger(r) || r < 0) {
        throw new ValidationProblemException([{ field: 'cursor', reason: 'is not a cursor of this timeline' }], 'The pagination cursor is invalid.');
      }
      after = { at: a, source: s, revision: r };
    }
    const stream = await this.events.readStream(streamIdOf(LEAD_CATEGORY, id));
    const first = stream[0]?.data as { enterpriseId?: string } | undefined;
    // another enterprise's lead, an unknown one and a deleted (erased) one are all not found
    if (!first || first.enterpriseId !== principal.tenantId || stream.at(-1)?.type === 'leads.LeadDeleted') {
      throw new DomainError('not_found', 'leads.lead-not-found', `Lead ${id} was not found.`);
    }
    const schema = await this.schemas.get(principal.tenantId);
    const behaviours = await this.events.readStream(streamIdOf(LEAD_BEHAVIOUR_CATEGORY, id));
    const entries: TimelineEntry[] = [];
    for (const event of stream) {
      const entry = timelineEntryOf(event, schema);
      if (entry) entries.push(entry);
    }
    for (const event of behaviours) {
      const entry = behaviourEntryOf(event);
      if (entry) entries.push(entry);
    }
    entries.sort(compareNewestFirst);
    const rest = after ? entries.filter((e) => compareNewestFirst(e, after) > 0) : entries;
    const items = rest.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rest.length > limit && last ? encodeCursor({ a: last.at, s: last.source, r: last.revision }) : null };
  }
}
