import type { DomainEvent } from '@leadstream/event-sourcing';

export const LEAD_CATEGORY = 'leads.lead';

export interface LeadContactFields {
  readonly name: string | null;
  readonly phone: string | null;
  readonly qq: string | null;
  readonly email: string | null;
  readonly company: string | null;
}

export type LeadCreated = DomainEvent<
  'leads.LeadCreated',
  LeadContactFields & {
    readonly leadId: string;
    readonly enterpriseId: string;
    readonly source: string | null;
    readonly activityId: string | null;
    readonly tags: readonly string[];
    readonly createdBy: string;
    readonly createdAt: string;
  }
>;

export type LeadEvent = LeadCreated;
