import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { IsISO8601, IsObject, IsOptional, IsUUID, Matches } from 'class-validator';
import { DomainError, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { CurrentPrincipal, RequirePermissions, ValidationProblemException, type Principal } from '@leadstream/platform';
import { LEADS_EVENT_STORE } from '../leads.tokens';
import { LEAD_CATEGORY } from '../lead/domain/lead.events';
import { LeadIdParams } from '../lead/queries/get-lead/get-lead.http.controller';
import { BEHAVIOUR_TYPE, LEAD_BEHAVIOUR_CATEGORY, MAX_BEHAVIOUR_PROPERTIES, type BehaviourRecorded } from './domain/behaviour.events';

const PROPERTY_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const WITH_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;
/** Clocks differ: a behaviour may be stamped this far ahead of ours. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export class RecordBehaviourDto {
  @ApiProperty({ example: 'click', description: 'visit, open, click, signup, or another lower-case name' })
  @Matches(BEHAVIOUR_TYPE, { message: 'type must be a lower-case name such as visit, open, click or signup' })
  type: string;

  @ApiProperty({ format: 'date-time', description: 'When it happened, with a UTC offset' })
  @IsISO8601({ strict: true }, { message: 'occurredAt must be an ISO-8601 date-time with offset' })
  @Matches(WITH_OFFSET, { message: 'occurredAt must carry a UTC offset (Z or ±hh:mm)' })
  occurredAt: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] }, description: `At most ${MAX_BEHAVIOUR_PROPERTIES} attributes of the behaviour (page, campaign, link…); no personal data` })
  @IsOptional()
  @IsObject()
  properties?: Record<string, unknown>;

  @ApiPropertyOptional({ format: 'uuid', description: 'The sender’s id of the behaviour: sending it again records it once' })
  @IsOptional()
  @IsUUID()
  behaviourId?: string;
}

export class BehaviourDto {
  @ApiProperty({ format: 'uuid' }) behaviourId: string;
  @ApiProperty() leadId: string;
  @ApiProperty() type: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) properties: Record<string, string | number | boolean>;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}

function checkedProperties(raw: Record<string, unknown> | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  const errors: { field: string; reason: string }[] = [];
  const entries = Object.entries(raw ?? {});
  if (entries.length > MAX_BEHAVIOUR_PROPERTIES) errors.push({ field: 'properties', reason: `must hold at most ${MAX_BEHAVIOUR_PROPERTIES} attributes` });
  for (const [key, value] of entries.slice(0, MAX_BEHAVIOUR_PROPERTIES)) {
    if (!PROPERTY_KEY.test(key)) errors.push({ field: `properties.${key}`, reason: 'names must start with a letter and use letters, digits, _ . - (at most 64)' });
    else if (typeof value === 'string' && value.length <= 1000) out[key] = value;
    else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') out[key] = value;
    else errors.push({ field: `properties.${key}`, reason: 'must be a string of at most 1000 characters, a finite number or a boolean' });
  }
  if (errors.length > 0) throw new ValidationProblemException(errors, 'The behaviour’s properties are invalid.');
  return out;
}

@ApiTags('leads')
@ApiBearerAuth()
@Controller('v1/leads')
export class RecordBehaviourHttpController {
  constructor(@Inject(LEADS_EVENT_STORE) private readonly events: EventStore) {}

  @Post(':id/behaviours')
  @HttpCode(201)
  @RequirePermissions('leads:write')
  @ApiOperation({ summary: 'Record a behaviour of the lead (visit, open, click, sign-up…); published as leads.BehaviourRecorded.v1' })
  @ApiCreatedResponse({ type: BehaviourDto })
  async record(@Param() { id }: LeadIdParams, @Body() body: RecordBehaviourDto, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<BehaviourDto> {
    const occurred = Date.parse(body.occurredAt);
    if (Number.isNaN(occurred)) throw new ValidationProblemException([{ field: 'occurredAt', reason: 'is not a valid date-time' }], 'occurredAt is invalid.');
    if (occurred > Date.now() + FUTURE_TOLERANCE_MS) throw new ValidationProblemException([{ field: 'occurredAt', reason: 'lies in the future' }], 'occurredAt lies in the future.');
    const properties = checkedProperties(body.properties);
    const lead = await this.events.readStream(streamIdOf(LEAD_CATEGORY, id));
    const first = lead[0]?.data as { enterpriseId?: string } | undefined;
    if (!first || first.enterpriseId !== principal.tenantId || lead.at(-1)?.type === 'leads.LeadDeleted') {
      throw new DomainError('not_found', 'leads.lead-not-found', `Lead ${id} was not found.`);
    }
    const streamId = streamIdOf(LEAD_BEHAVIOUR_CATEGORY, id);
    // with the sender's id, the append expects the stream as read: a concurrent duplicate conflicts (409) instead of landing twice
    let expectedRevision: number | 'no_stream' | 'any' = 'any';
    if (body.behaviourId !== undefined) {
      const recorded = await this.events.readStream(streamId);
      const known = recorded.find((e) => (e.data as BehaviourRecorded['data']).behaviourId === body.behaviourId);
      if (known) {
        void reply.status(200);
        return viewOf(known.data as BehaviourRecorded['data']);
      }
      expectedRevision = recorded.length === 0 ? 'no_stream' : recorded[recorded.length - 1]!.revision;
    }
    const data: BehaviourRecorded['data'] = {
      enterpriseId: principal.tenantId,
      leadId: id,
      behaviourId: body.behaviourId ?? randomUUID(),
      type: body.type,
      occurredAt: new Date(occurred).toISOString(),
      properties,
      recordedBy: principal.memberId,
      recordedAt: new Date().toISOString(),
    };
    await this.events.appendToStream(streamId, [{ type: 'leads.BehaviourRecorded', data, metadata: { tenantId: principal.tenantId, correlationId: data.behaviourId, actor: principal.memberId } }], { expectedRevision });
    return viewOf(data);
  }
}

function viewOf(d: BehaviourRecorded['data']): BehaviourDto {
  return { behaviourId: d.behaviourId, leadId: d.leadId, type: d.type, occurredAt: d.occurredAt, properties: { ...d.properties }, recordedAt: d.recordedAt };
}
