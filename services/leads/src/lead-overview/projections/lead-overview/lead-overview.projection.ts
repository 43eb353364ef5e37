import type { RecordedEvent } from '@leadstream/event-sourcing';
import type { BulkOperation, Collection, Document, Projection, ReadStore } from '@leadstream/read-store';
import { LEAD_CATEGORY, type LeadEvent } from '../../../lead/domain/lead.events';
import { slotOf } from '../../domain/time-zone-days';
import {
  OVERVIEW_LEADS_COLLECTION,
  OVERVIEW_SLOTS_COLLECTION,
  OVERVIEW_STATUS_MONTHS_COLLECTION,
  monthDocumentId,
  overviewLeadsCollectionOptions,
  overviewSlotsCollectionOptions,
  slotDocumentId,
  statusMonthsCollectionOptions,
  type KeyCount,
  type OverviewLeadDocument,
  type OverviewSlotDocument,
  type StatusMonthDocument,
} from './lead-overview.schema';

/** A document as loaded (or -1 when new) and as the batch leaves it. */
interface Tracked<T extends Document & { lastPosition: number }> {
  readonly seen: number | null;
  doc: T;
}

/** Adds `by` to the count under `key`, keeping entries sorted by key (null first) and dropping zeros. */
export function addCount(entries: KeyCount[], key: string | null, by: number): KeyCount[] {
  const i = entries.findIndex((e) => e.k === key);
  if (i >= 0) {
    const n = entries[i]!.n + by;
    return n === 0 ? entries.filter((_, j) => j !== i) : entries.map((e, j) => (j === i ? { k: key, n } : e));
  }
  if (by === 0) return entries;
  const next = [...entries, { k: key, n: by }];
  next.sort((a, b) => (a.k === b.k ? 0 : a.k === null ? -1 : b.k === null ? 1 : a.k < b.k ? -1 : 1));
  return next;
}

async function load<T extends Document & { lastPosition: number }>(collection: Collection<T>, ids: Iterable<string>): Promise<Map<string, Tracked<T>>> {
  const list = [...new Set(ids)];
  const out = new Map<string, Tracked<T>>();
  if (list.length === 0) return out;
  for (const doc of await collection.find({ _id: { $in: list } })) out.set(doc._id, { seen: doc.lastPosition, doc });
  return out;
}

/** Writes the changed documents: inserts for new ones, replacements conditioned on the version read. */
async function save<T extends Document & { lastPosition: number }>(collection: Collection<T>, tracked: Map<string, Tracked<T>>): Promise<void> {
  const ops: BulkOperation<T>[] = [];
  for (const { seen, doc } of tracked.values()) {
    if (seen === null) ops.push({ insertOne: { document: doc } });
    else if (doc.lastPosition !== seen) ops.push({ replaceOne: { filter: { _id: doc._id, lastPosition: seen }, replacement: doc } });
  }
  if (ops.length === 0) return;
  const result = await collection.bulkWrite(ops);
  const applied = result.insertedCount + result.matchedCount;
  if (applied !== ops.length) {
    throw new Error(`lead overview: ${ops.length - applied} ${collection.name} document(s) changed under the projection; the batch will be retried`);
  }
}

/**
 * The lead overview trends (LEAD-11): new leads by source and by activity, and the status trend,
 * per tenant per 15-minute UTC slot, plus per-month status sums and a small per-lead memory.
 *
 * - A lead is counted as new in the slot it was created in, under its source and activity. An
 *   edit of its source moves it to the new source in that same slot (the trend follows the
 *   lead's current source); its activity never changes. A deleted lead stays a new lead of its day.
 * - The status counts change where the change happened: +1 in the creation slot for the initial
 *   status, -1/+1 at each status change, -1 for its last status when the lead is deleted (erased).
 *
 * Exactly once per document under at-least-once delivery: every document remembers the position
 * of the last event applied to it and takes only later ones; writes are conditioned on the
 * version read. Slots and months are written before the lead memory, so where a store has no
 * transactions a failed batch never leaves a lead ahead of the counts its next events touch.
 */
export const leadOverviewProjection: Projection = {
  name: 'leads.lead-overview.v1',
  categories: [LEAD_CATEGORY],
  collections: [OVERVIEW_SLOTS_COLLECTION, OVERVIEW_STATUS_MONTHS_COLLECTION, OVERVIEW_LEADS_COLLECTION],
  async handle(events: readonly RecordedEvent[], store: ReadStore): Promise<void> {
    const relevant: (LeadEvent & { position: number })[] = [];
    for (const recorded of events) {
      const event = recorded as unknown as LeadEvent & RecordedEvent;
      if (event.type === 'leads.LeadTagsChanged' || event.type === 'leads.LeadAssigned') continue;
      if (event.type === 'leads.LeadUpdated' && event.data.source === undefined) continue;
      relevant.push({ type: event.type, data: event.data, position: recorded.position } as unknown as LeadEvent & { position: number });
    }
    if (relevant.length === 0) return;

    const leadsCollection = store.collection<OverviewLeadDocument>(OVERVIEW_LEADS_COLLECTION, overviewLeadsCollectionOptions);
    const slotsCollection = store.collection<OverviewSlotDocument>(OVERVIEW_SLOTS_COLLECTION, overviewSlotsCollectionOptions);
    const monthsCollection = store.collection<StatusMonthDocument>(OVERVIEW_STATUS_MONTHS_COLLECTION, statusMonthsCollectionOptions);

    const leads = await load(leadsCollection, relevant.map((e) => e.data.leadId));
    const createdInBatch = new Map<string, string>();
    const slotIds: string[] = [];
    for (const e of relevant) {
      const tenantId = e.data.enterpriseId;
      if (e.type === 'leads.LeadCreated') {
        const slot = slotOf(e.data.createdAt);
        createdInBatch.set(e.data.leadId, slot);
        slotIds.push(slotDocumentId(tenantId, slot));
      } else if (e.type === 'leads.LeadStatusChanged') slotIds.push(slotDocumentId(tenantId, slotOf(e.data.changedAt)));
      else if (e.type === 'leads.LeadDeleted') slotIds.push(slotDocumentId(tenantId, slotOf(e.data.deletedAt)));
      else if (e.type === 'leads.LeadUpdated') {
        const slot = createdInBatch.get(e.data.leadId) ?? leads.get(e.data.leadId)?.doc.createdSlot;
        if (slot !== undefined) slotIds.push(slotDocumentId(tenantId, slot));
      }
    }
    const slots = await load(slotsCollection, slotIds);
    const months = await load(
      monthsCollection,
      slotIds.map((id) => {
        const bar = id.lastIndexOf('|');
        return monthDocumentId(id.slice(0, bar), id.slice(bar + 1, bar + 8));
      }),
    );

    /** The slot document, if the event at `position` is still to be applied to it. */
    const slotFor = (tenantId: string, slot: string, position: number): OverviewSlotDocument | null => {
      const id = slotDocumentId(tenantId, slot);
      let tracked = slots.get(id);
      if (!tracked) {
        tracked = { seen: null, doc: { _id: id, tenantId, slot, sources: [], activities: [], statuses: [], lastPosition: -1 } };
        slots.set(id, tracked);
      }
      if (position <= tracked.doc.lastPosition) return null;
      tracked.doc = { ...tracked.doc, lastPosition: position };
      return tracked.doc;
    };
    const monthFor = (tenantId: string, slot: string, position: number): StatusMonthDocument | null => {
      const month = slot.slice(0, 7);
      const id = monthDocumentId(tenantId, month);
      let tracked = months.get(id);
      if (!tracked) {
        tracked = { seen: null, doc: { _id: id, tenantId, month, statuses: [], lastPosition: -1 } };
        months.set(id, tracked);
      }
      if (position <= tracked.doc.lastPosition) return null;
      tracked.doc = { ...tracked.doc, lastPosition: position };
      return tracked.doc;
    };
    /** Applies status changes to a slot and its month. */
    const moveStatus = (tenantId: string, slot: string, position: number, changes: readonly [string, number][]) => {
      const s = slotFor(tenantId, slot, position);
      if (s) for (const [k, by] of changes) s.statuses = addCount(s.statuses, k, by);
      const m = monthFor(tenantId, slot, position);
      if (m) for (const [k, by] of changes) m.statuses = addCount(m.statuses, k, by);
    };
    /** The lead memory, if the event at `position` is still to be applied to it. */
    const leadFor = (leadId: string, position: number): OverviewLeadDocument | null => {
      const tracked = leads.get(leadId);
      if (!tracked || position <= tracked.doc.lastPosition) return null;
      tracked.doc = { ...tracked.doc, lastPosition: position };
      return tracked.doc;
    };

    for (const e of relevant) {
      const p = e.position;
      const tenantId = e.data.enterpriseId;
      switch (e.type) {
        case 'leads.LeadCreated': {
          const d = e.data;
          const slot = slotOf(d.createdAt);
          const s = slotFor(tenantId, slot, p);
          if (s) {
            s.sources = addCount(s.sources, d.source, 1);
            s.activities = addCount(s.activities, d.activityId, 1);
            s.statuses = addCount(s.statuses, d.statusId, 1);
          }
          const m = monthFor(tenantId, slot, p);
          if (m) m.statuses = addCount(m.statuses, d.statusId, 1);
          const known = leads.get(d.leadId);
          if (!known || p > known.doc.lastPosition) {
            leads.set(d.leadId, {
              seen: known?.seen ?? null,
              doc: { _id: d.leadId, tenantId, statusId: d.statusId, source: d.source, createdSlot: slot, deleted: false, lastPosition: p },
            });
          }
          break;
        }
        case 'leads.LeadStatusChanged': {
          const d = e.data;
          moveStatus(tenantId, slotOf(d.changedAt), p, [
            [d.previousStatusId, -1],
            [d.statusId, 1],
          ]);
          const lead = leadFor(d.leadId, p);
          if (lead) lead.statusId = d.statusId;
          break;
        }
        case 'leads.LeadDeleted': {
          const known = leads.get(e.data.leadId);
          if (!known) break; // never created in this log: nothing counted
          moveStatus(tenantId, slotOf(e.data.deletedAt), p, [[known.doc.statusId, -1]]);
          const lead = leadFor(e.data.leadId, p);
          if (lead) lead.deleted = true;
          break;
        }
        case 'leads.LeadUpdated': {
          const source = e.data.source;
          const lead = leadFor(e.data.leadId, p);
          if (!lead || source === undefined || lead.deleted) break;
          const s = slotFor(tenantId, lead.createdSlot, p);
          if (s) s.sources = addCount(addCount(s.sources, lead.source, -1), source, 1);
          lead.source = source;
          break;
        }
        default:
          break;
      }
    }

    await save(slotsCollection, slots);
    await save(monthsCollection, months);
    await save(leadsCollection, leads);
  },
};
