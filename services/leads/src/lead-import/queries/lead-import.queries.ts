import { Inject, Injectable } from '@nestjs/common';
import { DomainError, loadState, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import type { Principal } from '@leadstream/platform';
import { LEADS_EVENT_STORE } from '../../leads.tokens';
import { importNotFound, leadImportDecider, type LeadImportState } from '../domain/lead-import.decider';
import { LEAD_IMPORT_CATEGORY } from '../domain/lead-import.events';
import { LeadImportMappingReader } from '../lead-import-mapping.reader';
import { importView, mappingView, type LeadImportDto, type LeadImportMappingDto } from '../lead-import.dto';

/** An import job and a saved mapping as their streams have them now (progress is current at every checkpoint). */
@Injectable()
export class LeadImportQueries {
  constructor(
    @Inject(LEADS_EVENT_STORE) private readonly store: EventStore,
    private readonly mappings: LeadImportMappingReader,
  ) {}

  async state(principal: Principal, importId: string): Promise<LeadImportState> {
    const { state } = await loadState(this.store, streamIdOf(LEAD_IMPORT_CATEGORY, importId), leadImportDecider);
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
