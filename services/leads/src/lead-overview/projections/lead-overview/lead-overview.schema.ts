import type { CollectionOptions, Document } from '@leadstream/read-store';

/** A count under a key (a source, an activity id, a status id); `k: null` is "no value". */
export interface KeyCount {
  k: string | null;
  n: number;
}

export const OVERVIEW_SLOTS_COLLECTION = 'leads_overview_slots';

/**
 * Per tenant per 15-minute UTC slot (see time-zone-days): the new leads by source and by
 * activity, and the net change of the number of leads in each status (+1 created or moved in, -1
 * moved out or deleted). Entries are sorted by key and never zero.
 */
export interface OverviewSlotDocument extends Document {
  _id: string;
  tenantId: string;
  slot: string;
  sources: KeyCount[];
  activities: KeyCount[];
  statuses: KeyCount[];
  /** Global position of the last event applied to this document (at-least-once delivery). */
  lastPosition: number;
}

export const OVERVIEW_STATUS_MONTHS_COLLECTION = 'leads_overview_status_months';

/**
 * Per tenant per UTC calendar month: the sum of its slots' status changes, so the number of leads
 * in each status before a range starts is a few dozen months plus at most one month of slots.
 */
export interface StatusMonthDocument extends Document {
  _id: string;
  tenantId: string;
  /** YYYY-MM (UTC). */
  month: string;
  statuses: KeyCount[];
  lastPosition: number;
}

export const OVERVIEW_LEADS_COLLECTION = 'leads_overview_leads';

/** What the projection must remember of each lead: its status (for a deletion) and source (for an edit). */
export interface OverviewLeadDocument extends Document {
  _id: string;
  tenantId: string;
  statusId: string;
  source: string | null;
  /** Slot of its creation: where its source is counted. */
  createdSlot: string;
  deleted: boolean;
  lastPosition: number;
}

export const overviewSlotsCollectionOptions: CollectionOptions = { indexes: [{ keys: { tenantId: 1, slot: 1 }, name: 'tenant_slot' }] };
export const statusMonthsCollectionOptions: CollectionOptions = { indexes: [{ keys: { tenantId: 1, month: 1 }, name: 'tenant_month' }] };
export const overviewLeadsCollectionOptions: CollectionOptions = {};

export function slotDocumentId(tenantId: string, slot: string): string {
  return `${tenantId}|${slot}`;
}

export function monthDocumentId(tenantId: string, month: string): string {
  return `${tenantId}|${month}`;
}
