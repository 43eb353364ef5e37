import type { DomainEvent } from '@leadstream/event-sourcing';
import type { CustomFieldValue } from '../../lead-schema/domain/lead-schema.types';

export const LEAD_CATEGORY = 'leads.lead';

/**
 * A lead's personal data: the contact fields and every custom-field value (by field id). In the
 * event log it is sealed with the lead's own key (see lead-crypto); `null` once the lead has been
 * erased and its key destroyed.
 */
export interface LeadPersonalData {
  readonly name: string | null;
  readonly phone: string | null;
  readonly qq: string | null;
  readonly email: string | null;
  readonly company: string | null;
  readonly title: string | null;
  readonly fields: Readonly<Record<string, CustomFieldValue>>;
}

/** The personal fields a `LeadUpdated` changed: only the given keys; `null` in `fields` clears a value. */
export interface LeadPersonalChanges {
  readonly name?: string | null;
  readonly phone?: string | null;
  readonly qq?: string | null;
  readonly email?: string | null;
  readonly company?: string | null;
  readonly title?: string | null;
  readonly fields?: Readonly<Record<string, CustomFieldValue | null>>;
}

export const PERSONAL_CONTACT_KEYS = ['name', 'phone', 'qq', 'email', 'company', 'title'] as const;
export type PersonalContactKey = (typeof PERSONAL_CONTACT_KEYS)[number];

export type LeadCreated = DomainEvent<
  'leads.LeadCreated',
  {
    readonly leadId: string;
    readonly enterpriseId: string;
    readonly personal: LeadPersonalData | null;
    readonly source: string | null;
    readonly activityId: string | null;
    readonly statusId: string;
    readonly ownerId: string | null;
    readonly tags: readonly string[];
    readonly createdBy: string;
    readonly createdAt: string;
  }
>;

export type LeadUpdated = DomainEvent<
  'leads.LeadUpdated',
  {
    readonly leadId: string;
    readonly enterpriseId: string;
    readonly personal: LeadPersonalChanges | null;
    /** Non-personal fields changed with the same edit (absent: unchanged). */
    readonly source?: string | null;
    readonly updatedBy: string;
    readonly updatedAt: string;
  }
>;

export type LeadStatusChanged = DomainEvent<
  'leads.LeadStatusChanged',
  { readonly leadId: string; readonly enterpriseId: string; readonly previousStatusId: string; readonly statusId: string; readonly changedBy: string; readonly changedAt: string }
>;

export type LeadTagsChanged = DomainEvent<
  'leads.LeadTagsChanged',
  {
    readonly leadId: string;
    readonly enterpriseId: string;
    readonly added: readonly string[];
    readonly removed: readonly string[];
    readonly tags: readonly string[];
    readonly changedBy: string;
    readonly changedAt: string;
  }
>;

export type LeadAssigned = DomainEvent<
  'leads.LeadAssigned',
  { readonly leadId: string; readonly enterpriseId: string; readonly previousOwnerId: string | null; readonly ownerId: string | null; readonly assignedBy: string; readonly assignedAt: string }
>;

/** The lead was deleted and its personal data erased (its key is destroyed). Carries no personal data. */
export type LeadDeleted = DomainEvent<'leads.LeadDeleted', { readonly leadId: string; readonly enterpriseId: string; readonly deletedBy: string; readonly deletedAt: string }>;

export type LeadEvent = LeadCreated | LeadUpdated | LeadStatusChanged | LeadTagsChanged | LeadAssigned | LeadDeleted;

/** Event types whose `data.personal` is sealed in the log. */
export const SEALED_LEAD_EVENT_TYPES: ReadonlySet<string> = new Set(['leads.LeadCreated', 'leads.LeadUpdated']);
