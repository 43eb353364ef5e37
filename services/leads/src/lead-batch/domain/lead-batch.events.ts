import type { DomainEvent } from '@leadstream/event-sourcing';
import type { LeadOperation } from '../../lead/domain/lead-operation';

export const LEAD_BATCH_CATEGORY = 'leads.leadbatch';

/** Largest number of leads one batch may act on. */
export const MAX_BATCH_LEADS = 100_000;
/** Target ids are recorded this many per event (keeps every event far below 1 MiB). */
export const TARGET_CHUNK = 5_000;
/** Per-lead results are recorded this many per event. */
export const RESULT_CHUNK = 500;

export interface BatchActor {
  readonly memberId: string;
  readonly permissions: readonly string[];
  readonly isAdmin: boolean;
}

export type LeadBatchSelection =
  | { readonly kind: 'ids'; readonly count: number }
  | { readonly kind: 'filter'; readonly filter: Readonly<Record<string, unknown>> };

export interface LeadBatchResult {
  readonly leadId: string;
  readonly outcome: 'applied' | 'unchanged' | 'failed';
  /** For failures: the problem code and reason (e.g. `leads.lead-not-found`). */
  readonly code?: string;
  readonly reason?: string;
  /** For failures naming fields: field → reason. */
  readonly fields?: Readonly<Record<string, string>>;
}

/** The batch was accepted with its operation and its complete target list (in the same append). */
export type LeadBatchRequested = DomainEvent<
  'leads.LeadBatchRequested',
  {
    readonly batchId: string;
    readonly enterpriseId: string;
    readonly operation: LeadOperation;
    readonly selection: LeadBatchSelection;
    readonly total: number;
    /** The requester as authorised at request time: the batch runs with exactly these rights. */
    readonly actor: BatchActor;
    readonly requestedAt: string;
  }
>;

export type LeadBatchTargetsAdded = DomainEvent<'leads.LeadBatchTargetsAdded', { readonly batchId: string; readonly leadIds: readonly string[] }>;

export type LeadBatchProgressed = DomainEvent<'leads.LeadBatchProgressed', { readonly batchId: string; readonly results: readonly LeadBatchResult[] }>;

export type LeadBatchCompleted = DomainEvent<
  'leads.LeadBatchCompleted',
  { readonly batchId: string; readonly applied: number; readonly unchanged: number; readonly failed: number; readonly completedAt: string }
>;

export type LeadBatchEvent = LeadBatchRequested | LeadBatchTargetsAdded | LeadBatchProgressed | LeadBatchCompleted;
