import type { DomainEvent } from '@leadstream/event-sourcing';

export const LEAD_VIEW_CATEGORY = 'leads.leadview';

export const LEAD_VIEW_VISIBILITIES = ['private', 'shared'] as const;
export type LeadViewVisibility = (typeof LEAD_VIEW_VISIBILITIES)[number];

export const MAX_VIEW_NAME_LENGTH = 100;

export interface LeadViewCondition {
  readonly field: string;
  readonly op: string;
  readonly value?: unknown;
}

/** A saved lead list filter, in the filter language of POST /v1/leads/search. */
export interface LeadViewFilter {
  readonly conditions: readonly LeadViewCondition[];
  readonly match: 'all' | 'any';
  readonly q?: string;
}

export interface LeadViewSort {
  readonly field: string;
  readonly direction: 'asc' | 'desc';
}

/** What a view holds; checked against the enterprise's lead schema when saved. */
export interface LeadViewDefinition {
  readonly name: string;
  readonly visibility: LeadViewVisibility;
  readonly filter: LeadViewFilter;
  readonly sort: LeadViewSort | null;
  readonly columns: readonly string[] | null;
}

/** The view was created (first event of its stream) or replaced as a whole. */
export type LeadViewSaved = DomainEvent<
  'leads.LeadViewSaved',
  LeadViewDefinition & {
    readonly viewId: string;
    readonly enterpriseId: string;
    /** The member who created it; never changes. */
    readonly ownerId: string;
    /** Who saved this version (the owner or an administrator). */
    readonly savedBy: string;
    readonly savedAt: string;
  }
>;

export type LeadViewDeleted = DomainEvent<
  'leads.LeadViewDeleted',
  { readonly viewId: string; readonly enterpriseId: string; readonly deletedBy: string; readonly deletedAt: string }
>;

export type LeadViewEvent = LeadViewSaved | LeadViewDeleted;
