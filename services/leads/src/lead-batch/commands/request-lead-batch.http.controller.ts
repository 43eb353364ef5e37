import { randomUUID } from 'node:crypto';
import { Body, Controller, ForbiddenException, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '@leadstream/event-sourcing';
import { correlationIdOf, CurrentPrincipal, hasPermission, Idempotent, RequirePermissions, type Principal } from '@leadstream/platform';
import { permissionFor, type LeadOperation } from '../../lead/domain/lead-operation';
import { LeadBatchRunner } from '../lead-batch.runner';
import { LEAD_BATCH_SELECTOR, type LeadBatchSelector } from '../lead-batch.selector';
import { LeadBatchAcceptedDto, RequestLeadBatchDto } from './request-lead-batch.request.dto';

function operationOf(body: RequestLeadBatchDto): LeadOperation {
  switch (body.operation) {
    case 'setStatus':
      return { kind: 'setStatus', statusId: body.statusId! };
    case 'addTags':
      return { kind: 'changeTags', add: body.tags!, remove: [] };
    case 'removeTags':
      return { kind: 'changeTags', add: [], remove: body.tags! };
    case 'assign':
      if (body.ownerId === undefined) throw new DomainError('invalid', 'leads.owner-required', 'assign needs ownerId.', { ownerId: 'is required for assign (null unassigns)' });
      return { kind: 'assign', ownerId: body.ownerId };
    case 'edit':
      return { kind: 'edit', changes: { ...body.changes! } };
    case 'delete':
      return { kind: 'delete' };
  }
}

@ApiTags('lead-batches')
@ApiBearerAuth()
@Controller('v1/lead-batches')
export class RequestLeadBatchHttpController {
  constructor(
    private readonly runner: LeadBatchRunner,
    @Inject(LEAD_BATCH_SELECTOR) private readonly selector: LeadBatchSelector,
  ) {}

  @Post()
  @HttpCode(202)
  @Idempotent()
  @RequirePermissions('leads:read')
  @ApiOperation({
    summary: 'Run one operation on many leads in the background (LEAD-6): by ids or by the list filter, up to 100,000 leads; progress and a result per lead at GET /v1/lead-batches/{id}',
  })
  @ApiAcceptedResponse({ type: LeadBatchAcceptedDto })
  async request(@Body() body: RequestLeadBatchDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<LeadBatchAcceptedDto> {
    const operation = operationOf(body);
    const needed = permissionFor(operation);
    if (!hasPermission(principal, needed)) throw new ForbiddenException(`This operation needs the ${needed} permission.`);
    if ((body.leadIds === undefined) === (body.filter === undefined)) {
      const reason = 'give exactly one of leadIds and filter';
      throw new DomainError('invalid', 'leads.batch-selection', 'Select the leads by ids or by filter.', { leadIds: reason, filter: reason });
    }
    const leadIds = body.leadIds ?? (await this.selector.select(principal.tenantId, body.filter!));
    const batchId = randomUUID();
    const { total } = await this.runner.request(
      batchId,
      principal.tenantId,
      { memberId: principal.memberId, permissions: [...principal.permissions], isAdmin: principal.isAdmin },
      operation,
      body.leadIds ? { kind: 'ids', count: body.leadIds.length } : { kind: 'filter', filter: { ...body.filter } },
      leadIds,
      correlationIdOf(request),
    );
    return { id: batchId, status: 'running', total, location: `/v1/lead-batches/${batchId}` };
  }
}
