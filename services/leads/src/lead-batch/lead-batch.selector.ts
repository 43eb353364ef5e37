/** Turns a list filter into the ids of the leads it selects (bound to the list's filter language). */
export interface LeadBatchSelector {
  /** At most MAX_BATCH_LEADS + 1 ids, so that the request can say how far over the limit it is. */
  select(tenantId: string, filter: LeadBatchFilter): Promise<string[]>;
}

/** The list filter a batch selects by (see POST /v1/leads/search); errors name `filter.<part>`. */
export interface LeadBatchFilter {
  readonly conditions?: readonly Record<string, unknown>[];
  readonly match?: 'all' | 'any';
  readonly q?: string;
}
export const LEAD_BATCH_SELECTOR = Symbol('LEAD_BATCH_SELECTOR');
