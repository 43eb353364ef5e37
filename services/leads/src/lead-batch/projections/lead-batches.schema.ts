import type { CollectionOptions, Document } from '@leadstream/read-store';
import type { LeadOperationKind } from '../../lead/domain/lead-operation';

export const LEAD_BATCHES_COLLECTION = 'leads_lead_batches';
export const LEAD_BATCH_RESULTS_COLLECTION = 'leads_lead_batch_results';

export type LeadBatchStatus = 'running' | 'completed' | 'completed_with_failures';

export interface LeadBatchDocument extends Document {
  _id: string;
  tenantId: string;
  operation: LeadOperationKind;
  selection: 'ids' | 'filter';
  status: LeadBatchStatus;
  total: number;
  processed: number;
  applied: number;
  unchanged: number;
  failed: number;
  requestedBy: string;
  requestedAt: string;
  completedAt: string | null;
  /** Last event applied (idempotent replays). */
  position: number;
}

export interface LeadBatchResultDocument extends Document {
  /** `<batchId>:<seq>` */
  _id: string;
  batchId: string;
  tenantId: string;
  /** 0-based order in which results were recorded. */
  seq: number;
  leadId: string;
  outcome: 'applied' | 'unchanged' | 'failed';
  code: string | null;
  reason: string | null;
  fields: Record<string, string> | null;
}

export const leadBatchesCollectionOptions: CollectionOptions = { indexes: [{ keys: { tenantId: 1, status: 1 }, name: 'tenant_status' }] };
export const leadBatchResultsCollectionOptions: CollectionOptions = {
  indexes: [
    { keys: { batchId: 1, seq: 1 }, name: 'batch_seq' },
    { keys: { batchId: 1, outcome: 1, seq: 1 }, name: 'batch_outcome_seq' },
  ],
};
