import type { RecordedEvent } from '@leadstream/event-sourcing';
import type { BulkOperation, Projection, ReadStore } from '@leadstream/read-store';
import { LEAD_VIEW_CATEGORY, type LeadViewEvent } from '../domain/lead-view.events';
import { LEAD_VIEWS_COLLECTION, leadViewsCollectionOptions, type LeadViewDocument } from './lead-views.schema';

/** Saved lead views (LEAD-9), for GET /v1/lead-views: the caller's private views and the enterprise's shared ones. */
export const leadViewsProjection: Projection = {
  name: 'leads.lead-views.v1',
  categories: [LEAD_VIEW_CATEGORY],
  collections: [LEAD_VIEWS_COLLECTION],
  async handle(events: readonly RecordedEvent[], store: ReadStore): Promise<void> {
    const views = store.collection<LeadViewDocument>(LEAD_VIEWS_COLLECTION, leadViewsCollectionOptions);
    const ids = [...new Set(events.map((e) => (e.data as { viewId: string }).viewId))];
    const docs = new Map<string, LeadViewDocument | null>((await views.find({ _id: { $in: ids } })).map((d) => [d._id, d]));
    const changed = new Set<string>();
    for (const recorded of events) {
      const event = recorded as unknown as LeadViewEvent & RecordedEvent;
      const viewId = event.data.viewId;
      const doc = docs.get(viewId);
      if (doc && doc.position >= recorded.position) continue;
      switch (event.type) {
        case 'leads.LeadViewSaved': {
          const d = event.data;
          docs.set(viewId, {
            _id: viewId,
            tenantId: d.enterpriseId,
            ownerId: doc?.ownerId ?? d.ownerId,
            name: d.name,
            visibility: d.visibility,
            filter: d.filter,
            sort: d.sort,
            columns: d.columns === null ? null : [...d.columns],
            version: recorded.revision,
            createdAt: doc?.createdAt ?? d.savedAt,
            updatedAt: d.savedAt,
            position: recorded.position,
          });
          break;
        }
        case 'leads.LeadViewDeleted':
          docs.set(viewId, null);
          break;
        default:
          continue;
      }
      changed.add(viewId);
    }
    const ops: BulkOperation<LeadViewDocument>[] = [...changed].map((id) => {
      const doc = docs.get(id);
      return doc ? { replaceOne: { filter: { _id: id }, replacement: doc, upsert: true } } : { deleteOne: { filter: { _id: id } } };
    });
    if (ops.length > 0) await views.bulkWrite(ops);
  },
};
