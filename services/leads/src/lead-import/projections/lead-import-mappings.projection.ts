import type { RecordedEvent } from '@leadstream/event-sourcing';
import type { BulkOperation, CollectionOptions, Document, Projection, ReadStore } from '@leadstream/read-store';
import { LEAD_IMPORT_MAPPING_CATEGORY, type LeadImportMappingEvent } from '../domain/lead-import.events';

export const LEAD_IMPORT_MAPPINGS_COLLECTION = 'leads_lead_import_mappings';

/** One live saved import mapping (deleted ones are removed). */
export interface LeadImportMappingDocument extends Document {
  _id: string;
  tenantId: string;
  name: string;
  mapping: Record<string, string>;
  savedBy: string;
  updatedAt: string;
  position: number;
}

export const leadImportMappingsCollectionOptions: CollectionOptions = { indexes: [{ keys: { tenantId: 1, name: 1, _id: 1 }, name: 'tenant_name' }] };

/** Saved import mappings (LEAD-7), for GET /v1/lead-import-mappings. */
export const leadImportMappingsProjection: Projection = {
  name: 'leads.lead-import-mappings.v1',
  categories: [LEAD_IMPORT_MAPPING_CATEGORY],
  collections: [LEAD_IMPORT_MAPPINGS_COLLECTION],
  async handle(events: readonly RecordedEvent[], store: ReadStore): Promise<void> {
    const mappings = store.collection<LeadImportMappingDocument>(LEAD_IMPORT_MAPPINGS_COLLECTION, leadImportMappingsCollectionOptions);
    const ids = [...new Set(events.map((e) => (e.data as { mappingId: string }).mappingId))];
    const docs = new Map<string, LeadImportMappingDocument | null>((await mappings.find({ _id: { $in: ids } })).map((d) => [d._id, d]));
    const changed = new Set<string>();
    for (const recorded of events) {
      const event = recorded as unknown as LeadImportMappingEvent & RecordedEvent;
      const id = event.data.mappingId;
      const doc = docs.get(id);
      if (doc && doc.position >= recorded.position) continue;
      if (event.type === 'leads.LeadImportMappingSaved') {
        const d = event.data;
        docs.set(id, { _id: id, tenantId: d.enterpriseId, name: d.name, mapping: { ...d.mapping }, savedBy: d.savedBy, updatedAt: d.savedAt, position: recorded.position });
      } else if (event.type === 'leads.LeadImportMappingDeleted') {
        docs.set(id, null);
      } else continue;
      changed.add(id);
    }
    const ops: BulkOperation<LeadImportMappingDocument>[] = [...changed].map((id) => {
      const doc = docs.get(id);
      return doc ? { replaceOne: { filter: { _id: id }, replacement: doc, upsert: true } } : { deleteOne: { filter: { _id: id } } };
    });
    if (ops.length > 0) await mappings.bulkWrite(ops);
  },
};
