import type { RecordedEvent } from '@leadstream/event-sourcing';
import { DuplicateKeyError, type Projection, type ReadStore } from '@leadstream/read-store';
import { LEAD_CATEGORY, type LeadEvent } from '../../../lead/domain/lead.events';
import { slotOf } from '../../domain/time-zone-days';
import { NEW_LEAD_COUNTS_COLLECTION, newLeadCountsCollectionOptions, type NewLeadCountDocument } from './new-lead-counts.schema';

/**
 * The new-leads trend (LEAD-11). Counting is idempotent under at-least-once delivery: a slot's
 * count only moves for an event after the slot's `lastPosition`. A replayed event finds no match,
 * the upsert then collides with the existing slot (duplicate key) and is ignored.
 */
export const newLeadCountsProjection: Projection = {
  name: 'leads.new-lead-counts.v1',
  categories: [LEAD_CATEGORY],
  collections: [NEW_LEAD_COUNTS_COLLECTION],
  async handle(events: readonly RecordedEvent[], store: ReadStore): Promise<void> {
    const counts = store.collection<NewLeadCountDocument>(NEW_LEAD_COUNTS_COLLECTION, newLeadCountsCollectionOptions);
    for (const recorded of events) {
      const event = recorded as unknown as LeadEvent & RecordedEvent;
      if (event.type !== 'leads.LeadCreated') continue;
      const slot = slotOf(event.data.createdAt);
      const tenantId = event.data.enterpriseId;
      try {
        await counts.updateOne(
          { _id: `${tenantId}|${slot}`, lastPosition: { $lt: recorded.position } },
          { $inc: { count: 1 }, $set: { lastPosition: recorded.position }, $setOnInsert: { tenantId, slot } },
          { upsert: true },
        );
      } catch (error) {
        if (!(error instanceof DuplicateKeyError)) throw error;
      }
    }
  },
};
