import { Body, Controller, Delete, Headers, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@leadstream/event-sourcing';
import { correlationIdOf, CurrentPrincipal, Idempotent, ProblemException, RequirePermissions, ValidationProblemException, type Principal } from '@leadstream/platform';
import { VIEW_VERSION_MISMATCH } from '../domain/lead-view.decider';
import type { LeadViewDefinition } from '../domain/lead-view.events';
import { LeadViewReader } from '../lead-view.reader';
import { LeadViewDto, viewFromState } from '../queries/lead-view.view';
import { ChangeLeadViewCommand, type LeadViewChange } from './lead-view.command';
import { LeadViewIdParams, SaveLeadViewRequestDto } from './lead-view.request.dto';

function definitionOf(body: SaveLeadViewRequestDto): LeadViewDefinition {
  const conditions = (body.filter.conditions ?? []).map((c) => ({ field: c['field'] as string, op: c['op'] as string, ...('value' in c ? { value: c['value'] } : {}) }));
  return {
    name: body.name,
    visibility: body.visibility ?? 'private',
    filter: { conditions, match: body.filter.match ?? 'all', ...(body.filter.q !== undefined ? { q: body.filter.q } : {}) },
    sort: body.sort ? { field: body.sort.field, direction: body.sort.direction ?? 'asc' } : null,
    columns: body.columns ? [...body.columns] : null,
  };
}

/** `If-Match: "3"` (or `W/"3"`, `3`) → 3; `*` or absent → no expectation; anything else is a 400 naming If-Match. */
export function expectedVersionOf(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(ifMatch);
  if (!m) throw new ValidationProblemException([{ field: 'If-Match', reason: 'must be the ETag of the view ("<version>")' }], 'The If-Match header is invalid.');
  return Number(m[1]);
}

const etagOf = (version: number) => `"${version}"`;

/** LEAD-9: saved lead views (filter, sort and columns under a name), private or shared. */
@ApiTags('lead-views')
@ApiBearerAuth()
@Controller('v1/lead-views')
export class LeadViewHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly views: LeadViewReader,
  ) {}

  private async run(change: LeadViewChange, principal: Principal, request: FastifyRequest): Promise<{ id: string; version: number }> {
    try {
      return await this.commandBus.execute(new ChangeLeadViewCommand(change, principal, correlationIdOf(request)));
    } catch (error) {
      if (error instanceof DomainError && error.code === VIEW_VERSION_MISMATCH) {
        throw new ProblemException({ status: 412, code: error.code, detail: error.message, errors: Object.entries(error.fields).map(([field, reason]) => ({ field, reason })) });
      }
      throw error;
    }
  }

  @Post()
  @HttpCode(201)
  @Idempotent()
  @RequirePermissions('leads:read')
  @ApiOperation({
    summary: 'Save a lead list view: a name, a filter, an optional sort and columns; private (default) or shared with the enterprise (LEAD-9)',
    description: 'The filter, sort and columns are checked against the lead schema as it stands: an unknown or deleted field is a 400 naming filter.conditions[i].field, sort.field or columns[i].',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: LeadViewDto })
  async create(@Body() body: SaveLeadViewRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<LeadViewDto> {
    const { id } = await this.run({ kind: 'create', definition: definitionOf(body) }, principal, request);
    const view = viewFromState(await this.views.find(principal, id));
    void reply.header('ETag', etagOf(view.version)).header('Location', `/v1/lead-views/${id}`);
    return view;
  }

  @Put(':id')
  @HttpCode(200)
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: 'Replace a saved view as a whole; only its owner or an administrator may (LEAD-9)' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag (version) the change is based on; 412 if the view changed since' })
  @ApiOkResponse({ type: LeadViewDto })
  async replace(
    @Param() { id }: LeadViewIdParams,
    @Body() body: SaveLeadViewRequestDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadViewDto> {
    await this.run({ kind: 'replace', viewId: id, definition: definitionOf(body), expectedVersion: expectedVersionOf(ifMatch) }, principal, request);
    const view = viewFromState(await this.views.find(principal, id));
    void reply.header('ETag', etagOf(view.version));
    return view;
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: 'Delete a saved view; only its owner or an administrator may (LEAD-9)' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag (version) the deletion is based on; 412 if the view changed since' })
  @ApiNoContentResponse()
  async delete(@Param() { id }: LeadViewIdParams, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.run({ kind: 'delete', viewId: id, expectedVersion: expectedVersionOf(ifMatch) }, principal, request);
  }
}
