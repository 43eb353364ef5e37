import type { RecordedEvent } from '@leadstream/event-sourcing';
import type { Projection, ReadStore } from '@leadstream/read-store';
import { LEAD_CATEGORY, type LeadEvent } from '../../domain/lead.events';
import { LEAD_LIST_COLLECTION, leadListCollectionOptions, type LeadListDocument } from './lead-list.schema';

/** The lead library list (LEAD-1, LEAD-9): one document per lead, replaced idempotently. */
export const leadListProjection: Projection = {
  name: 'leads.lead-list.v1',
  categories: [LEAD_CATEGORY],
  collections: [LEAD_LIST_COLLECTION],
  async handle(events: readonly RecordedEvent[], store: ReadStore): Promise<void> {
    const leads = store.collection<LeadListDocument>(LEAD_LIST_COLLECTION, leadListCollectionOptions);
    const ops = [];
    for (const recorded of events) {
      const event = recorded as unknown as LeadEvent & RecordedEvent;
      switch (event.type) {
        case 'leads.LeadCreated': {
          const d = event.data;
          const doc: LeadListDocument = {
            _id: d.leadId,
            tenantId: d.enterpriseId,
            name: d.name,
            phone: d.phone,
            qq: d.qq,
            email: d.email,
            company: d.company,
            title: null,
            source: d.source,
            activityId: d.activityId,
            ownerId: null,
            statusId: '00000000-0000-4000-8000-000000000001',
            tags: [...d.tags],
            score: null,
            fields: {},
            createdBy: d.createdBy,
            createdAt: d.createdAt,
            updatedAt: d.createdAt,
            searchText: [d.name, d.phone, d.qq, d.email, d.company].filter((v) => v !== null).join(' ').toLowerCase(),
            position: recorded.position,
          };
          ops.push({ replaceOne: { filter: { _id: d.leadId }, replacement: doc, upsert: true } });
          break;
        }
        default:
          break;
      }
    }
    if (ops.length > 0) await leads.bulkWrite(ops);
  },
};
