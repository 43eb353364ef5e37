import type { RecordedEvent } from '@leadstream/event-sourcing';
import type { BulkOperation, Projection, ReadStore } from '@leadstream/read-store';
import { LEAD_BATCH_CATEGORY, type LeadBatchEvent } from '../domain/lead-batch.events';
import {
  LEAD_BATCH_RESULTS_COLLECTION,
  LEAD_BATCHES_COLLECTION,
  leadBatchesCollectionOptions,
  leadBatchResultsCollectionOptions,
  type LeadBatchDocument,
  type LeadBatchResultDocument,
} from './lead-batches.schema';

/** Batch progress and per-lead results (LEAD-6), for GET /v1/lead-batches/{id}[/results]. */
export const leadBatchesProjection: Projection = {
  name: 'leads.lead-batches.v1',
  categories: [LEAD_BATCH_CATEGORY],
  collections: [LEAD_BATCHES_COLLECTION, LEAD_BATCH_RESULTS_COLLECTION],
  async handle(events: readonly RecordedEvent[], store: ReadStore): Promise<void> {
    const batches = store.collection<LeadBatchDocument>(LEAD_BATCHES_COLLECTION, leadBatchesCollectionOptions);
    const results = store.collection<LeadBatchResultDocument>(LEAD_BATCH_RESULTS_COLLECTION, leadBatchResultsCollectionOptions);
    const ids = [...new Set(events.map((e) => (e.data as { batchId: string }).batchId))];
    const docs = new Map((await batches.find({ _id: { $in: ids } })).map((d) => [d._id, d]));
    const changed = new Set<string>();
    const resultOps: BulkOperation<LeadBatchResultDocument>[] = [];
    for (const recorded of events) {
      const event = recorded as unknown as LeadBatchEvent & RecordedEvent;
      const batchId = event.data.batchId;
      const doc = docs.get(batchId);
      if (event.type === 'leads.LeadBatchRequested') {
        if (doc) continue;
        const d = event.data;
        docs.set(batchId, {
          _id: batchId,
          tenantId: d.enterpriseId,
          operation: d.operation.kind,
          selection: d.selection.kind,
          status: 'running',
          total: d.total,
          processed: 0,
          applied: 0,
          unchanged: 0,
          failed: 0,
          requestedBy: d.actor.memberId,
          requestedAt: d.requestedAt,
          completedAt: null,
          position: recorded.position,
        });
        changed.add(batchId);
        continue;
      }
      if (!doc || doc.position >= recorded.position) continue;
      doc.position = recorded.position;
      changed.add(batchId);
      switch (event.type) {
        case 'leads.LeadBatchTargetsAdded':
          break;
        case 'leads.LeadBatchProgressed':
          for (const r of event.data.results) {
            const seq = doc.processed++;
            if (r.outcome === 'applied') doc.applied++;
            else if (r.outcome === 'unchanged') doc.unchanged++;
            else doc.failed++;
            const result: LeadBatchResultDocument = {
              _id: `${batchId}:${seq}`,
              batchId,
              tenantId: doc.tenantId,
              seq,
              leadId: r.leadId,
              outcome: r.outcome,
              code: r.code ?? null,
              reason: r.reason ?? null,
              fields: r.fields ? { ...r.fields } : null,
            };
            resultOps.push({ replaceOne: { filter: { _id: result._id }, replacement: result, upsert: true } });
          }
          break;
        case 'leads.LeadBatchCompleted':
          doc.status = event.data.failed > 0 ? 'completed_with_failures' : 'completed';
          doc.completedAt = event.data.completedAt;
          break;
        default:
          break;
      }
    }
    if (resultOps.length > 0) await results.bulkWrite(resultOps);
    const batchOps: BulkOperation<LeadBatchDocument>[] = [...changed].map((id) => ({ replaceOne: { filter: { _id: id }, replacement: docs.get(id)!, upsert: true } }));
    if (batchOps.length > 0) await batches.bulkWrite(batchOps);
  },
};
