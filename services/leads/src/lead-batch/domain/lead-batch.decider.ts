import { assertNever, DomainError, type Decider } from '@leadstream/event-sourcing';
import type { LeadOperation } from '../../lead/domain/lead-operation';
import {
  MAX_BATCH_LEADS,
  TARGET_CHUNK,
  type BatchActor,
  type LeadBatchEvent,
  type LeadBatchResult,
  type LeadBatchSelection,
} from './lead-batch.events';

export interface LeadBatchState {
  readonly requested: boolean;
  readonly batchId: string | null;
  readonly enterpriseId: string | null;
  readonly operation: LeadOperation | null;
  readonly actor: BatchActor | null;
  readonly total: number;
  readonly targets: readonly string[];
  /** Leads with a recorded result. */
  readonly done: ReadonlySet<string>;
  readonly applied: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly completed: boolean;
}

export type LeadBatchCommand =
  | {
      readonly kind: 'RequestLeadBatch';
      readonly batchId: string;
      readonly enterpriseId: string;
      readonly operation: LeadOperation;
      readonly selection: LeadBatchSelection;
      readonly leadIds: readonly string[];
      readonly actor: BatchActor;
      readonly now: string;
    }
  | { readonly kind: 'RecordLeadBatchResults'; readonly results: readonly LeadBatchResult[]; readonly now: string };

/** The targets not yet done, in request order. */
export function remainingTargets(state: LeadBatchState): string[] {
  return state.targets.filter((id) => !state.done.has(id));
}

/**
 * LEAD-6 batches: the request records the operation and every target at once (one append, so a
 * batch is never half-requested); results are recorded per lead exactly once; the batch completes
 * when every target has a result. Counts of applied / unchanged / failed make a partial outcome
 * visible: a batch never half-applies silently.
 */
export const leadBatchDecider: Decider<LeadBatchCommand, LeadBatchEvent, LeadBatchState> = {
  initialState: () => ({
    requested: false,
    batchId: null,
    enterpriseId: null,
    operation: null,
    actor: null,
    total: 0,
    targets: [],
    done: new Set<string>(),
    applied: 0,
    unchanged: 0,
    failed: 0,
    completed: false,
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'leads.LeadBatchRequested':
        return { ...state, requested: true, batchId: event.data.batchId, enterpriseId: event.data.enterpriseId, operation: event.data.operation, actor: event.data.actor, total: event.data.total };
      case 'leads.LeadBatchTargetsAdded':
        return { ...state, targets: [...state.targets, ...event.data.leadIds] };
      case 'leads.LeadBatchProgressed': {
        const done = new Set(state.done);
        let { applied, unchanged, failed } = state;
        for (const r of event.data.results) {
          if (done.has(r.leadId)) continue;
          done.add(r.leadId);
          if (r.outcome === 'applied') applied++;
          else if (r.outcome === 'unchanged') unchanged++;
          else failed++;
        }
        return { ...state, done, applied, unchanged, failed };
      }
      case 'leads.LeadBatchCompleted':
        return { ...state, completed: true };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.kind) {
      case 'RequestLeadBatch': {
        if (state.requested) throw new DomainError('conflict', 'leads.batch-exists', 'The batch already exists.');
        const leadIds = [...new Set(command.leadIds)];
        if (leadIds.length === 0) throw new DomainError('invalid', 'leads.batch-empty', 'The batch selects no leads.', { [command.selection.kind === 'ids' ? 'leadIds' : 'filter']: 'selects no leads' });
        if (leadIds.length > MAX_BATCH_LEADS) {
          throw new DomainError('invalid', 'leads.batch-too-large', `A batch acts on at most ${MAX_BATCH_LEADS} leads.`, {
            [command.selection.kind === 'ids' ? 'leadIds' : 'filter']: `selects ${leadIds.length} leads; at most ${MAX_BATCH_LEADS} are allowed`,
          });
        }
        const events: LeadBatchEvent[] = [
          {
            type: 'leads.LeadBatchRequested',
            data: { batchId: command.batchId, enterpriseId: command.enterpriseId, operation: command.operation, selection: command.selection, total: leadIds.length, actor: command.actor, requestedAt: command.now },
          },
        ];
        for (let i = 0; i < leadIds.length; i += TARGET_CHUNK) {
          events.push({ type: 'leads.LeadBatchTargetsAdded', data: { batchId: command.batchId, leadIds: leadIds.slice(i, i + TARGET_CHUNK) } });
        }
        return events;
      }
      case 'RecordLeadBatchResults': {
        if (!state.requested || state.batchId === null) throw new DomainError('not_found', 'leads.batch-not-found', 'The batch was not found.');
        if (state.completed) return [];
        const targets = new Set(state.targets);
        const seen = new Set<string>();
        const fresh = command.results.filter((r) => targets.has(r.leadId) && !state.done.has(r.leadId) && !seen.has(r.leadId) && seen.add(r.leadId));
        const events: LeadBatchEvent[] = fresh.length > 0 ? [{ type: 'leads.LeadBatchProgressed', data: { batchId: state.batchId, results: fresh } }] : [];
        const after = events.reduce((s, e) => leadBatchDecider.evolve(s, e), state);
        if (after.done.size === after.targets.length) {
          events.push({ type: 'leads.LeadBatchCompleted', data: { batchId: state.batchId, applied: after.applied, unchanged: after.unchanged, failed: after.failed, completedAt: command.now } });
        }
        return events;
      }
      default:
        return assertNever(command);
    }
  },
};
