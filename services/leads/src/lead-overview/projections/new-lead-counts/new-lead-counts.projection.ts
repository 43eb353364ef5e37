import type { RecordedEvent } from '@leadstream/event-sourcing';
import type { BulkOperation, Projection, ReadStore } from '@leadstream/read-store';
import { LEAD_CATEGORY, type LeadEvent } from '../../../lead/domain/lead.events';
import { slotOf } from '../../domain/time-zone-days';
import { NEW_LEAD_COUNTS_COLLECTION, newLeadCountsCollectionOptions, type NewLeadCountDocument } from './new-lead-counts.schema';

interface SlotDelta {
  readonly tenantId: string;
  readonly slot: string;
  readonly positions: number[];
}

/**
 * The new-leads trend (LEAD-11). A batch is folded into one write per touched slot. Counting is
 * idempotent under at-least-once delivery: a slot only counts events after its `lastPosition`,
 * so a batch delivered again (whole or in part) adds nothing it already counted. The projector
 * runs one writer per projection; each write is also conditioned on the `lastPosition` it read,
 * so an unexpected concurrent writer makes the batch fail and be retried instead of miscounting.
 */
export const newLeadCountsProjection: Projection = {
  name: 'leads.new-lead-counts.v1',
  categories: [LEAD_CATEGORY],
  collections: [NEW_LEAD_COUNTS_COLLECTION],
  async handle(events: readonly RecordedEvent[], store: ReadStore): Promise<void> {
    const deltas = new Map<string, SlotDelta>();
    for (const recorded of events) {
      const event = recorded as unknown as LeadEvent & RecordedEvent;
      if (event.type !== 'leads.LeadCreated') continue;
      const tenantId = event.data.enterpriseId;
      const slot = slotOf(event.data.createdAt);
      const key = `${tenantId}|${slot}`;
      let delta = deltas.get(key);
      if (!delta) {
        delta = { tenantId, slot, positions: [] };
        deltas.set(key, delta);
      }
      delta.positions.push(recorded.position);
    }
    if (deltas.size === 0) return;

    const counts = store.collection<NewLeadCountDocument>(NEW_LEAD_COUNTS_COLLECTION, newLeadCountsCollectionOptions);
    const existing = new Map((await counts.find({ _id: { $in: [...deltas.keys()] } }, { projection: { lastPosition: 1 } })).map((d) => [d._id, d.lastPosition]));
    const ops: BulkOperation<NewLeadCountDocument>[] = [];
    for (const [key, delta] of deltas) {
      const seen = existing.get(key);
      const fresh = seen === undefined ? delta.positions : delta.positions.filter((p) => p > seen);
      if (fresh.length === 0) continue;
      const lastPosition = Math.max(...fresh);
      if (seen === undefined) {
        ops.push({
          insertOne: { document: { _id: key, tenantId: delta.tenantId, slot: delta.slot, count: fresh.length, lastPosition } },
        });
      } else {
        ops.push({ updateOne: { filter: { _id: key, lastPosition: seen }, update: { $inc: { count: fresh.length }, $set: { lastPosition } } } });
      }
    }
    if (ops.length === 0) return;
    const result = await counts.bulkWrite(ops);
    const applied = result.insertedCount + result.modifiedCount;
    if (applied !== ops.length) {
      throw new Error(`new-lead counts: ${ops.length - applied} slot(s) changed under the projection; the batch will be retried`);
    }
  },
};
