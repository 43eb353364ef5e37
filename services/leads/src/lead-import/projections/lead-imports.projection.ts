import type { RecordedEvent } from '@leadstream/event-sourcing';
import type { BulkOperation, CollectionOptions, Document, Projection, ReadStore } from '@leadstream/read-store';
import { leadImportDecider, type LeadImportState } from '../domain/lead-import.decider';
import { LEAD_IMPORT_CATEGORY, type LeadImportEvent } from '../domain/lead-import.events';

export const LEAD_IMPORTS_COLLECTION = 'leads_lead_imports';

/** One import job as its stream has it (state, counts), for GET /v1/lead-imports; `createdAt` is the upload time. */
export interface LeadImportDocument extends Document {
  _id: string;
  tenantId: string;
  createdAt: string;
  state: LeadImportState['state'];
  job: LeadImportState;
  position: number;
}

export const leadImportsCollectionOptions: CollectionOptions = {
  indexes: [
    { keys: { tenantId: 1, createdAt: -1, _id: -1 }, name: 'tenant_uploaded' },
    { keys: { tenantId: 1, state: 1, createdAt: -1 }, name: 'tenant_state' },
  ],
};

/** Import jobs (LEAD-7) by upload time, each folded from its stream with the job's decider. */
export const leadImportsProjection: Projection = {
  name: 'leads.lead-imports.v1',
  categories: [LEAD_IMPORT_CATEGORY],
  collections: [LEAD_IMPORTS_COLLECTION],
  async handle(events: readonly RecordedEvent[], store: ReadStore): Promise<void> {
    const jobs = store.collection<LeadImportDocument>(LEAD_IMPORTS_COLLECTION, leadImportsCollectionOptions);
    const ids = [...new Set(events.map((e) => (e.data as { importId: string }).importId))];
    const docs = new Map<string, LeadImportDocument>((await jobs.find({ _id: { $in: ids } })).map((d) => [d._id, d]));
    const changed = new Set<string>();
    for (const recorded of events) {
      const event = recorded as unknown as LeadImportEvent & RecordedEvent;
      const id = event.data.importId;
      const doc = docs.get(id);
      if (doc && doc.position >= recorded.position) continue;
      if (!doc && event.type !== 'leads.LeadImportUploaded') continue;
      const job = leadImportDecider.evolve(doc?.job ?? leadImportDecider.initialState(), event);
      docs.set(id, { _id: id, tenantId: job.enterpriseId!, createdAt: job.uploadedAt!, state: job.state, job, position: recorded.position });
      changed.add(id);
    }
    const ops: BulkOperation<LeadImportDocument>[] = [...changed].map((id) => ({ replaceOne: { filter: { _id: id }, replacement: docs.get(id)!, upsert: true } }));
    if (ops.length > 0) await jobs.bulkWrite(ops);
  },
};
