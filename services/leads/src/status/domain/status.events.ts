import type { DomainEvent } from '@leadstream/event-sourcing';

/** One stream per enterprise: `leads.statuses-<enterpriseId>`. */
export const STATUS_CATALOGUE_CATEGORY = 'leads.statuses';

export interface StatusEntry {
  readonly id: string;
  readonly name: string;
}

export type StatusCatalogueInitialised = DomainEvent<'leads.StatusCatalogueInitialised', { readonly enterpriseId: string; readonly statuses: readonly StatusEntry[] }>;
export type StatusCreated = DomainEvent<'leads.StatusCreated', { readonly statusId: string; readonly name: string }>;
export type StatusRenamed = DomainEvent<'leads.StatusRenamed', { readonly statusId: string; readonly name: string }>;
export type StatusesReordered = DomainEvent<'leads.StatusesReordered', { readonly statusIds: readonly string[] }>;
export type StatusRetired = DomainEvent<'leads.StatusRetired', { readonly statusId: string }>;

export type StatusCatalogueEvent = StatusCatalogueInitialised | StatusCreated | StatusRenamed | StatusesReordered | StatusRetired;
