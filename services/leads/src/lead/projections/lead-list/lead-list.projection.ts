import type { RecordedEvent } from '@leadstream/event-sourcing';
import type { BulkOperation, Projection, ReadStore } from '@leadstream/read-store';
import { LEAD_CATEGORY, type LeadEvent, type LeadPersonalData } from '../../domain/lead.events';
import { LEAD_LIST_COLLECTION, leadListCollectionOptions, type LeadListDocument } from './lead-list.schema';

function searchTextOf(doc: Pick<LeadListDocument, 'name' | 'phone' | 'qq' | 'email' | 'company' | 'title'>): string {
  return [doc.name, doc.phone, doc.qq, doc.email, doc.company, doc.title]
    .filter((v) => v !== null)
    .join(' ')
    .toLowerCase();
}

const ERASED: LeadPersonalData = { name: null, phone: null, qq: null, email: null, company: null, title: null, fields: {} };

/**
 * The lead library list (LEAD-1, LEAD-6, LEAD-9): one document per live lead. A batch loads the
 * documents it touches once, applies its events in order in memory and writes each document
 * once; events at or below a document's `position` were applied before (idempotent replays).
 */
export const leadListProjection: Projection = {
  name: 'leads.lead-list.v2',
  categories: [LEAD_CATEGORY],
  collections: [LEAD_LIST_COLLECTION],
  async handle(events: readonly RecordedEvent[], store: ReadStore): Promise<void> {
    const leads = store.collection<LeadListDocument>(LEAD_LIST_COLLECTION, leadListCollectionOptions);
    const touched = [...new Set(events.filter((e) => e.type !== 'leads.LeadCreated').map((e) => (e.data as { leadId: string }).leadId))];
    const docs = new Map<string, LeadListDocument>();
    if (touched.length > 0) for (const doc of await leads.find({ _id: { $in: touched } })) docs.set(doc._id, doc);
    const deleted = new Set<string>();
    const changed = new Set<string>();

    for (const recorded of events) {
      const event = recorded as unknown as LeadEvent & RecordedEvent;
      const leadId = event.data.leadId;
      if (event.type === 'leads.LeadCreated') {
        if (deleted.has(leadId)) continue;
        const existing = docs.get(leadId);
        if (existing && existing.position >= recorded.position) continue;
        const d = event.data;
        const p = d.personal ?? ERASED;
        const doc: LeadListDocument = {
          _id: leadId,
          tenantId: d.enterpriseId,
          name: p.name,
          phone: p.phone,
          qq: p.qq,
          email: p.email,
          company: p.company,
          title: p.title ?? null,
          source: d.source,
          activityId: d.activityId,
          ownerId: d.ownerId ?? null,
          statusId: d.statusId,
          tags: [...d.tags],
          score: null,
          fields: { ...p.fields },
          createdBy: d.createdBy,
          createdAt: d.createdAt,
          updatedAt: d.createdAt,
          searchText: '',
          position: recorded.position,
        };
        doc.searchText = searchTextOf(doc);
        docs.set(leadId, doc);
        changed.add(leadId);
        continue;
      }
      const doc = docs.get(leadId);
      if (!doc || doc.position >= recorded.position) continue;
      doc.position = recorded.position;
      changed.add(leadId);
      switch (event.type) {
        case 'leads.LeadUpdated': {
          const { fields, ...contact } = event.data.personal ?? {};
          Object.assign(doc, contact);
          if (fields) {
            doc.fields = { ...doc.fields };
            for (const [id, value] of Object.entries(fields)) {
              if (value === null) delete doc.fields[id];
              else doc.fields[id] = value;
            }
          }
          if (event.data.source !== undefined) doc.source = event.data.source;
          doc.searchText = searchTextOf(doc);
          doc.updatedAt = event.data.updatedAt;
          break;
        }
        case 'leads.LeadStatusChanged':
          doc.statusId = event.data.statusId;
          doc.updatedAt = event.data.changedAt;
          break;
        case 'leads.LeadTagsChanged':
          doc.tags = [...event.data.tags];
          doc.updatedAt = event.data.changedAt;
          break;
        case 'leads.LeadAssigned':
          doc.ownerId = event.data.ownerId;
          doc.updatedAt = event.data.assignedAt;
          break;
        case 'leads.LeadDeleted':
          docs.delete(leadId);
          deleted.add(leadId);
          break;
        default:
          break;
      }
    }

    const ops: BulkOperation<LeadListDocument>[] = [];
    for (const id of deleted) ops.push({ deleteOne: { filter: { _id: id } } });
    for (const id of changed) {
      const doc = docs.get(id);
      if (doc) ops.push({ replaceOne: { filter: { _id: id }, replacement: doc, upsert: true } });
    }
    if (ops.length > 0) await leads.bulkWrite(ops);
  },
};
