import type { DomainEvent } from '@leadstream/event-sourcing';

/** One stream per lead holds its behaviours (kept apart from the lead's own, which they would swamp). */
export const LEAD_BEHAVIOUR_CATEGORY = 'leads.leadbehaviours';

export const BEHAVIOUR_TYPE = /^[a-z][a-z0-9_.-]{0,63}$/;
export const MAX_BEHAVIOUR_PROPERTIES = 50;

/** A behaviour of a lead (LEAD-12). Carries no personal data: properties describe the behaviour. */
export type BehaviourRecorded = DomainEvent<
  'leads.BehaviourRecorded',
  {
    readonly enterpriseId: string;
    readonly leadId: string;
    readonly behaviourId: string;
    readonly type: string;
    readonly occurredAt: string;
    readonly properties: Readonly<Record<string, string | number | boolean>>;
    readonly recordedBy: string;
    readonly recordedAt: string;
  }
>;
