import { Inject, Injectable } from '@nestjs/common';
import { loadState, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { LEADS_EVENT_STORE } from '../leads.tokens';
import { isLiveMapping, leadImportMappingDecider, type LeadImportMappingState } from './domain/lead-import-mapping.decider';
import { LEAD_IMPORT_MAPPING_CATEGORY, type ColumnMapping } from './domain/lead-import.events';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type SavedImportMapping = LeadImportMappingState & { readonly mappingId: string; readonly name: string; readonly mapping: ColumnMapping };

/** Saved import mappings read from their streams (current right after a write); another enterprise's is not found. */
@Injectable()
export class LeadImportMappingReader {
  constructor(@Inject(LEADS_EVENT_STORE) private readonly store: EventStore) {}

  async find(enterpriseId: string, mappingId: string): Promise<SavedImportMapping | null> {
    if (!UUID.test(mappingId)) return null;
    const { state } = await loadState(this.store, streamIdOf(LEAD_IMPORT_MAPPING_CATEGORY, mappingId), leadImportMappingDecider);
    return isLiveMapping(state, enterpriseId) ? (state as SavedImportMapping) : null;
  }
}
