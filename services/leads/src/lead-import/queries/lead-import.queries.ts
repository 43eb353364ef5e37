import { Inject, Injectable } from '@nestjs/common';
import { DomainError, StreamStateCache, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import type { Principal } from '@leadstream/platform';
import { LEADS_EVENT_STORE } from '../../leads.tokens';
import { importNotFound, leadImportDecider, type LeadImportState } from '../domain/lead-import.decider';
import { LEAD_IMPORT_CATEGORY, type LeadImportEvent } from '../domain/lead-import.events';
import { LeadImportMappingReader } from '../lead-import-mapping.reader';
import { importView, mappingView, type LeadImportDto, type LeadImportMappingDto } from '../lead-import.dto';

/** An import job and a saved mapping as their streams have them now (progress is current at every checkpoint). */
@Injectable()
export class LeadImportQueries {
  /**
   * Jobs folded to their last event read: a client polling a large job's progress costs the
   * checkpoints appended since its last poll, not the job's whole stream.
   */
  private readonly jobs: StreamStateCache<LeadImportEvent, LeadImportState>;

  constructor(
    @Inject(LEADS_EVENT_STORE) store: EventStore,
    private readonly mappings: LeadImportMappingReader,
  ) {
    this.jobs = new StreamStateCache(store, leadImportDecider, 1_000);
  }

  async state(principal: Principal, importId: string): Promise<LeadImportState> {
    const { state } = await this.jobs.get(streamIdOf(LEAD_IMPORT_CATEGORY, importId));
    if (!state.exists || state.enterpriseId !== principal.tenantId) throw importNotFound();
    return state;
  }

  async get(principal: Principal, importId: string): Promise<LeadImportDto> {
    return importView(importId, await this.state(principal, importId));
  }

  async mapping(principal: Principal, mappingId: string): Promise<LeadImportMappingDto> {
    const found = await this.mappings.find(principal.tenantId, mappingId);
    if (!found) throw new DomainError('not_found', 'leads.import-mapping-not-found', 'The import mapping was not found.');
    return mappingView(found);
  }
}
