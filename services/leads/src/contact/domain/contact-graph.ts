/**
 * Contacts as connected components of the bipartite graph lead ↔ identifier, kept incrementally.
 * `setLead` (create or change) and `removeLead` (delete or erase) touch only the components
 * involved: the lead's old and new identifiers' components are recomputed locally by BFS, which
 * merges when the lead links two contacts and splits when a change disconnects one.
 *
 * A contact's id is the id of its earliest lead by log position (`seq`), so a rebuild from the log
 * gives the same ids. On a merge the merged contact keeps the id of the earliest lead of both; on a
 * split the part holding the earliest lead keeps the id, the other parts take their own earliest lead's.
 */
export interface ContactComponent {
  readonly contactId: string;
  readonly leadIds: readonly string[];
  readonly identifiers: readonly string[];
}

export interface ContactChange {
  /** Contacts now existing (created or changed) among those touched. */
  readonly upserted: readonly ContactComponent[];
  /** Contact ids that no longer exist. */
  readonly removed: readonly string[];
}

export class ContactGraph {
  private readonly leadIds = new Map<string, Set<string>>();
  private readonly identifierLeads = new Map<string, Set<string>>();
  private readonly leadSeq = new Map<string, number>();
  private readonly leadContact = new Map<string, string>();

  /** Creates or changes a lead with its identifiers; `seq` is its creation's log position. */
  setLead(leadId: string, seq: number, identifiers: readonly string[]): ContactChange {
    const before = this.leadIds.get(leadId) ?? new Set<string>();
    const seeds = new Set<string>([leadId]);
    for (const id of before) for (const l of this.identifierLeads.get(id) ?? []) seeds.add(l);
    for (const id of before) this.unlink(leadId, id);
    if (!this.leadSeq.has(leadId)) this.leadSeq.set(leadId, seq);
    const after = new Set(identifiers);
    this.leadIds.set(leadId, after);
    for (const id of after) {
      let set = this.identifierLeads.get(id);
      if (!set) this.identifierLeads.set(id, (set = new Set()));
      set.add(leadId);
    }
    return this.recompute(seeds);
  }

  /**
   * Adds a lead as it already stands (a neighbourhood read back from a store), without recomputing
   * anything: call `setLead` / `removeLead` afterwards for the changes, `contacts()` for the result.
   */
  load(leadId: string, seq: number, identifiers: readonly string[]): void {
    for (const id of this.leadIds.get(leadId) ?? []) this.unlink(leadId, id);
    this.leadSeq.set(leadId, seq);
    const ids = new Set(identifiers);
    this.leadIds.set(leadId, ids);
    for (const id of ids) {
      let set = this.identifierLeads.get(id);
      if (!set) this.identifierLeads.set(id, (set = new Set()));
      set.add(leadId);
    }
  }

  removeLead(leadId: string): ContactChange {
    const before = this.leadIds.get(leadId);
    if (!before) return { upserted: [], removed: [] };
    const seeds = new Set<string>();
    for (const id of before) for (const l of this.identifierLeads.get(id) ?? []) if (l !== leadId) seeds.add(l);
    for (const id of before) this.unlink(leadId, id);
    this.leadIds.delete(leadId);
    this.leadSeq.delete(leadId);
    const old = this.leadContact.get(leadId);
    this.leadContact.delete(leadId);
    const change = this.recompute(seeds);
    const removed = new Set(change.removed);
    if (old && !change.upserted.some((c) => c.contactId === old)) removed.add(old);
    return { upserted: change.upserted, removed: [...removed] };
  }

  contactOf(leadId: string): string | undefined {
    return this.leadContact.get(leadId);
  }

  component(leadId: string): ContactComponent | undefined {
    return this.leadIds.has(leadId) ? this.bfs(leadId) : undefined;
  }

  /** All contacts, sorted by id (for comparisons). */
  contacts(): ContactComponent[] {
    const seen = new Set<string>();
    const out: ContactComponent[] = [];
    for (const leadId of this.leadIds.keys()) {
      if (seen.has(leadId)) continue;
      const c = this.bfs(leadId);
      c.leadIds.forEach((l) => seen.add(l));
      out.push(c);
    }
    return out.sort((a, b) => (a.contactId < b.contactId ? -1 : a.contactId > b.contactId ? 1 : 0));
  }

  private unlink(leadId: string, identifier: string): void {
    const set = this.identifierLeads.get(identifier);
    set?.delete(leadId);
    if (set && set.size === 0) this.identifierLeads.delete(identifier);
  }

  private recompute(seeds: Set<string>): ContactChange {
    const previous = new Set<string>();
    const upserted: ContactComponent[] = [];
    const done = new Set<string>();
    for (const seed of seeds) {
      if (done.has(seed) || !this.leadIds.has(seed)) continue;
      const c = this.bfs(seed);
      for (const l of c.leadIds) {
        done.add(l);
        const old = this.leadContact.get(l);
        if (old) previous.add(old);
        this.leadContact.set(l, c.contactId);
      }
      upserted.push(c);
    }
    const now = new Set(upserted.map((c) => c.contactId));
    return { upserted, removed: [...previous].filter((id) => !now.has(id)) };
  }

  private bfs(start: string): ContactComponent {
    const leads = new Set<string>([start]);
    const identifiers = new Set<string>();
    const queue = [start];
    while (queue.length > 0) {
      const lead = queue.pop()!;
      for (const id of this.leadIds.get(lead) ?? []) {
        if (identifiers.has(id)) continue;
        identifiers.add(id);
        for (const other of this.identifierLeads.get(id) ?? []) {
          if (leads.has(other)) continue;
          leads.add(other);
          queue.push(other);
        }
      }
    }
    let first = start;
    for (const l of leads) if (this.leadSeq.get(l)! < this.leadSeq.get(first)!) first = l;
    return { contactId: first, leadIds: [...leads].sort(), identifiers: [...identifiers].sort() };
  }
}
