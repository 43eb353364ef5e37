import type { RecordedEvent } from '@leadstream/event-sourcing';
import type { BulkOperation, Collection, Projection, ReadStore } from '@leadstream/read-store';
import { LEAD_CATEGORY, type LeadEvent } from '../../../lead/domain/lead.events';
import { ContactGraph } from '../../domain/contact-graph';
import { identifierKey, leadIdentifiers } from '../../domain/contact-identifiers';
import {
  CONTACTS_COLLECTION,
  CONTACT_LEADS_COLLECTION,
  contactLeadsCollectionOptions,
  contactsCollectionOptions,
  type ContactDocument,
  type ContactLeadDocument,
} from './contacts.schema';

const LEAD_EVENT_TYPES: ReadonlySet<string> = new Set([
  'leads.LeadCreated',
  'leads.LeadUpdated',
  'leads.LeadStatusChanged',
  'leads.LeadTagsChanged',
  'leads.LeadAssigned',
  'leads.LeadDeleted',
]);

/** The contact fields that are identifiers (LeadPersonalData / LeadPersonalChanges keys). */
const IDENTIFIER_FIELDS = ['phone', 'email', 'qq'] as const;

function later(a: string, b: string): string {
  return a >= b ? a : b;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * `$in` lists are cut into chunks: an embedded store checks each candidate against the whole list,
 * so one query over a contact of thousands of leads would cost their square; MongoDB pays a round
 * trip per chunk instead.
 */
const IN_CHUNK = 128;

function chunks<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += IN_CHUNK) out.push(values.slice(i, i + IN_CHUNK));
  return out;
}

async function findIn<T extends ContactLeadDocument>(collection: Collection<T>, field: string, values: readonly string[], rest: Record<string, unknown> = {}): Promise<T[]> {
  const out: T[] = [];
  for (const part of chunks(values)) out.push(...(await collection.find({ [field]: part.length === 1 ? part[0] : { $in: part }, ...rest })));
  return out;
}

export interface AppliedLeadEvent {
  readonly record: ContactLeadDocument;
  /** The lead appeared, disappeared, or its identifiers changed: its contacts must be recomputed. */
  readonly structural: boolean;
}

/**
 * One lead event applied to the lead's record (pure): `null` when it changes nothing — already
 * applied (position at or below the record's), a lead never created, or one already deleted.
 */
export function applyLeadEvent(record: ContactLeadDocument | undefined, event: LeadEvent, position: number): AppliedLeadEvent | null {
  if (record && position <= record.position) return null;
  switch (event.type) {
    case 'leads.LeadCreated': {
      if (record) return null;
      const d = event.data;
      const p = d.personal;
      return {
        structural: true,
        record: {
          _id: d.leadId,
          tenantId: d.enterpriseId,
          contactId: null,
          identifiers: leadIdentifiers(p),
          seq: position,
          name: p?.name ?? null,
          company: p?.company ?? null,
          createdAt: d.createdAt,
          lastActivityAt: d.createdAt,
          deleted: false,
          position,
        },
      };
    }
    case 'leads.LeadUpdated': {
      if (!record || record.deleted) return null;
      const changes = event.data.personal ?? {};
      const next: ContactLeadDocument = { ...record, position, lastActivityAt: later(record.lastActivityAt, event.data.updatedAt) };
      if (changes.name !== undefined) next.name = changes.name;
      if (changes.company !== undefined) next.company = changes.company;
      let identifiers = record.identifiers;
      for (const kind of IDENTIFIER_FIELDS) {
        const value = changes[kind];
        if (value === undefined) continue;
        identifiers = identifiers.filter((k) => !k.startsWith(`${kind}:`));
        const key = identifierKey(kind, value);
        if (key !== null) identifiers.push(key);
      }
      next.identifiers = [...new Set(identifiers)].sort();
      return { record: next, structural: !sameList(next.identifiers, record.identifiers) };
    }
    case 'leads.LeadStatusChanged':
    case 'leads.LeadTagsChanged':
    case 'leads.LeadAssigned': {
      if (!record || record.deleted) return null;
      const at = event.type === 'leads.LeadAssigned' ? event.data.assignedAt : event.data.changedAt;
      return { structural: false, record: { ...record, position, lastActivityAt: later(record.lastActivityAt, at) } };
    }
    case 'leads.LeadDeleted': {
      if (!record || record.deleted) return null;
      // erased: nothing personal stays, not even in the tombstone
      return {
        structural: true,
        record: { ...record, contactId: null, identifiers: [], name: null, company: null, deleted: true, position, lastActivityAt: later(record.lastActivityAt, event.data.deletedAt) },
      };
    }
    default:
      return null;
  }
}

/**
 * The stored records of every lead whose contact a change of `seeds` can affect, read from the
 * store a round at a time: leads sharing an identifier (old or new) with what is known, and every
 * lead labelled with a contact id met on the way, until nothing new turns up. In a consistent
 * store that is the seeds' old and new contacts, and it stays right after a half-written batch on a
 * store without transactions (labels disagreeing inside a component are followed both ways).
 */
async function neighbourhood(
  leads: Collection<ContactLeadDocument>,
  tenantId: string,
  seeds: readonly string[],
  stored: ReadonlyMap<string, ContactLeadDocument>,
  working: ReadonlyMap<string, ContactLeadDocument>,
): Promise<Map<string, ContactLeadDocument>> {
  const hood = new Map<string, ContactLeadDocument>();
  const visited = new Set<string>();
  const askedIdentifiers = new Set<string>();
  const askedContacts = new Set<string>();
  let identifiers = new Set<string>();
  let contacts = new Set<string>();
  const visit = (leadId: string, doc: ContactLeadDocument | undefined) => {
    visited.add(leadId);
    if (doc) hood.set(leadId, doc);
    const now = working.get(leadId) ?? doc;
    for (const k of [...(now?.identifiers ?? []), ...(doc?.identifiers ?? [])]) if (!askedIdentifiers.has(k)) identifiers.add(k);
    if (doc?.contactId && !askedContacts.has(doc.contactId)) contacts.add(doc.contactId);
  };
  for (const seed of seeds) visit(seed, stored.get(seed));
  while (identifiers.size > 0 || contacts.size > 0) {
    const ids = [...identifiers];
    const cs = [...contacts];
    identifiers = new Set();
    contacts = new Set();
    ids.forEach((k) => askedIdentifiers.add(k));
    cs.forEach((c) => askedContacts.add(c));
    // two queries rather than one `$or`: each one is an index lookup on both adapters
    const [byIdentifier, byContact] = await Promise.all([findIn(leads, 'identifiers', ids, { tenantId }), findIn(leads, 'contactId', cs, { tenantId })]);
    for (const doc of [...byIdentifier, ...byContact]) if (!visited.has(doc._id)) visit(doc._id, doc);
  }
  return hood;
}

/**
 * Contacts (LEAD-3): leads sharing a normalised phone, e-mail or QQ are one contact, transitively.
 *
 * State lives in the read store, not in memory: a record per lead (identifiers, contact id, a few
 * summary fields) whose multikey index is the identifier → leads index, and a document per contact
 * (leads, identifiers, counts, times). A batch applies its events to the records of its leads
 * (positions make redeliveries no-ops), then, for the leads whose identifiers changed (created,
 * edited, deleted), reads only their neighbourhood — the contacts they belonged to and the ones their
 * new identifiers touch — into a ContactGraph, takes its connected components (a merge or a split)
 * and writes the contacts and labels that changed. A change that leaves identifiers alone (status,
 * tags, owner, name) only moves the contact's `lastActivityAt` forward.
 *
 * Personal data comes opened through the sealing event store, as for the lead list: once a lead is
 * erased a rebuild sees `personal: null`, and the live projection, on `LeadDeleted`, drops the lead's
 * identifiers from its record and recomputes its contact, so they leave every document.
 *
 * Write order on stores without transactions: contacts first, then relabelled neighbours, then the
 * batch's own leads (whose positions say "applied"), so a batch that fails half-way is recomputed in
 * full when it is retried.
 */
export const contactsProjection: Projection = {
  name: 'leads.contacts.v1',
  categories: [LEAD_CATEGORY],
  collections: [CONTACTS_COLLECTION, CONTACT_LEADS_COLLECTION],
  async handle(events: readonly RecordedEvent[], store: ReadStore): Promise<void> {
    const relevant = events.filter((e) => LEAD_EVENT_TYPES.has(e.type));
    if (relevant.length === 0) return;
    const leads = store.collection<ContactLeadDocument>(CONTACT_LEADS_COLLECTION, contactLeadsCollectionOptions);
    const contacts = store.collection<ContactDocument>(CONTACTS_COLLECTION, contactsCollectionOptions);

    const batchLeadIds = [...new Set(relevant.map((e) => (e.data as { leadId: string }).leadId))];
    const stored = new Map<string, ContactLeadDocument>();
    for (const doc of await findIn(leads, '_id', batchLeadIds)) stored.set(doc._id, doc);

    const working = new Map(stored);
    const changed = new Set<string>();
    const structural = new Set<string>();
    for (const recorded of relevant) {
      const event = recorded as unknown as LeadEvent;
      const leadId = event.data.leadId;
      const applied = applyLeadEvent(working.get(leadId), event, recorded.position);
      if (!applied) continue;
      working.set(leadId, applied.record);
      changed.add(leadId);
      if (applied.structural) structural.add(leadId);
    }
    if (changed.size === 0) return;

    const contactOps: BulkOperation<ContactDocument>[] = [];
    /** Neighbours (not leads of this batch) to relabel, by their new contact id: one write per contact. */
    const relabels = new Map<string, string[]>();
    const recomputed = new Set<string>();
    const seedsByTenant = new Map<string, string[]>();
    for (const leadId of structural) {
      const tenantId = working.get(leadId)!.tenantId;
      const list = seedsByTenant.get(tenantId);
      if (list) list.push(leadId);
      else seedsByTenant.set(tenantId, [leadId]);
    }
    for (const [tenantId, seeds] of seedsByTenant) {
      const hood = await neighbourhood(leads, tenantId, seeds, stored, working);
      const current = (leadId: string) => (working.get(leadId) ?? hood.get(leadId))!;
      const members = new Set([...hood.keys(), ...seeds]);
      const graph = new ContactGraph();
      for (const leadId of members) {
        const record = current(leadId);
        if (!record.deleted) graph.load(leadId, record.seq, record.identifiers);
      }
      const components = graph.contacts();
      const now = new Set(components.map((c) => c.contactId));
      for (const component of components) {
        let lastActivityAt = '';
        for (const leadId of component.leadIds) {
          recomputed.add(leadId);
          const record = current(leadId);
          lastActivityAt = later(lastActivityAt, record.lastActivityAt);
          if (record.contactId === component.contactId) continue;
          const mine = working.get(leadId);
          if (mine) {
            working.set(leadId, { ...mine, contactId: component.contactId });
            changed.add(leadId);
          } else {
            const list = relabels.get(component.contactId);
            if (list) list.push(leadId);
            else relabels.set(component.contactId, [leadId]);
          }
        }
        const doc: ContactDocument = {
          _id: component.contactId,
          tenantId,
          leadIds: [...component.leadIds],
          identifiers: [...component.identifiers],
          leadCount: component.leadIds.length,
          identifierCount: component.identifiers.length,
          createdAt: current(component.contactId).createdAt,
          lastActivityAt,
        };
        contactOps.push({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } });
      }
      const gone = new Set<string>();
      for (const leadId of members) {
        const label = hood.get(leadId)?.contactId;
        if (label && !now.has(label)) gone.add(label);
      }
      for (const contactId of gone) contactOps.push({ deleteOne: { filter: { _id: contactId, tenantId } } });
    }
    // leads whose identifiers stayed: their contact's last activity moves forward
    const activity = new Map<string, string>();
    for (const leadId of changed) {
      const record = working.get(leadId)!;
      if (recomputed.has(leadId) || record.deleted || record.contactId === null) continue;
      activity.set(record.contactId, later(activity.get(record.contactId) ?? '', record.lastActivityAt));
    }
    for (const [contactId, at] of activity) contactOps.push({ updateOne: { filter: { _id: contactId }, update: { $max: { lastActivityAt: at } } } });

    if (contactOps.length > 0) await contacts.bulkWrite(contactOps);
    if (relabels.size > 0) {
      const ops: BulkOperation<ContactLeadDocument>[] = [];
      for (const [contactId, ids] of relabels) for (const part of chunks(ids)) ops.push({ updateMany: { filter: { _id: { $in: part } }, update: { $set: { contactId } } } });
      await leads.bulkWrite(ops);
    }
    const own: BulkOperation<ContactLeadDocument>[] = [...changed].map((leadId) => ({
      replaceOne: { filter: { _id: leadId }, replacement: working.get(leadId)!, upsert: true },
    }));
    await leads.bulkWrite(own);
  },
};
