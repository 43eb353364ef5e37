import { Inject, Injectable } from '@nestjs/common';
import { DomainError, loadState, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import type { Principal } from '@leadstream/platform';
import { LEADS_EVENT_STORE } from '../leads.tokens';
import { isVisibleTo, leadViewDecider, type LeadViewState } from './domain/lead-view.decider';
import { LEAD_VIEW_CATEGORY, type LeadViewCondition, type LeadViewEvent, type LeadViewSort } from './domain/lead-view.events';

/** What a saved view contributes to a lead search. */
export interface SavedLeadView {
  readonly filter: { readonly conditions: readonly LeadViewCondition[]; readonly match: 'all' | 'any'; readonly q?: string };
  readonly sort?: LeadViewSort;
  readonly columns?: readonly string[];
}

/** A view visible to the caller, as its stream has it now. */
export type VisibleLeadView = LeadViewState & { readonly viewId: string; readonly ownerId: string; readonly definition: NonNullable<LeadViewState['definition']> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function viewNotFound(viewId: string): DomainError {
  return new DomainError('not_found', 'leads.view-not-found', `Lead view ${viewId} was not found.`);
}

/**
 * Saved lead views read from their streams (always current, also right after a write). A view that
 * does not exist, was deleted, belongs to another enterprise, or is someone else's private view is
 * not found (404) for this principal.
 */
@Injectable()
export class LeadViewReader {
  constructor(@Inject(LEADS_EVENT_STORE) private readonly store: EventStore) {}

  /** The stream's state of the view, whoever may see it (for the write side). */
  async load(viewId: string): Promise<LeadViewState> {
    if (!UUID.test(viewId)) return leadViewDecider.initialState();
    const { state } = await loadState<LeadViewEvent, LeadViewState>(this.store, streamIdOf(LEAD_VIEW_CATEGORY, viewId), leadViewDecider);
    return state;
  }

  /** The whole view, when the principal may see it; otherwise a 404 DomainError. */
  async find(principal: Principal, viewId: string): Promise<VisibleLeadView> {
    const state = await this.load(viewId);
    if (!isVisibleTo(state, { enterpriseId: principal.tenantId, memberId: principal.memberId })) throw viewNotFound(viewId);
    return state as VisibleLeadView;
  }

  /** The view's filter, sort and columns, for POST /v1/leads/search `viewId`; a 404 DomainError when not visible. */
  async get(principal: Principal, viewId: string): Promise<SavedLeadView> {
    const { definition } = await this.find(principal, viewId);
    const { conditions, match, q } = definition.filter;
    return {
      filter: { conditions: conditions.map((c) => ({ ...c })), match, ...(q !== undefined ? { q } : {}) },
      ...(definition.sort ? { sort: { ...definition.sort } } : {}),
      ...(definition.columns ? { columns: [...definition.columns] } : {}),
    };
  }
}
