import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError, handleCommand, loadState, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import type { ReadStore } from '@leadstream/read-store';
import { LEADS_EVENT_STORE, LEADS_READ_STORE } from '../leads.tokens';
import { LEAD_CATEGORY } from '../lead/domain/lead.events';
import type { LeadOperation } from '../lead/domain/lead-operation';
import { LeadOperations } from '../lead/lead-operations';
import { leadBatchDecider, remainingTargets, type LeadBatchState } from './domain/lead-batch.decider';
import { LEAD_BATCH_CATEGORY, RESULT_CHUNK, type BatchActor, type LeadBatchEvent, type LeadBatchResult, type LeadBatchSelection } from './domain/lead-batch.events';
import { LEAD_BATCHES_COLLECTION, leadBatchesCollectionOptions, type LeadBatchDocument } from './projections/lead-batches.schema';

/** Leads worked on at once within a chunk. */
const CONCURRENCY = 16;

/**
 * Runs LEAD-6 batches in the background. A batch's stream is its journal: the request holds every
 * target, and each chunk's per-lead results are appended before the next chunk starts. After a
 * crash or restart, unfinished batches resume with the leads that have no result yet; a lead whose
 * operation had already been applied by this batch before the crash is recognised by the batch id
 * in its events' causation and reported as applied, so nothing is applied twice or lost.
 */
@Injectable()
export class LeadBatchRunner {
  private readonly logger = new Logger('LeadBatchRunner');
  private readonly running = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(
    @Inject(LEADS_EVENT_STORE) private readonly store: EventStore,
    @Inject(LEADS_READ_STORE) private readonly readStore: ReadStore,
    private readonly leads: LeadOperations,
  ) {}

  /** Records the batch (operation and every target in one append) and starts it. */
  async request(
    batchId: string,
    enterpriseId: string,
    actor: BatchActor,
    operation: LeadOperation,
    selection: LeadBatchSelection,
    leadIds: readonly string[],
    correlationId: string,
  ): Promise<{ total: number }> {
    const result = await handleCommand(
      this.store,
      streamIdOf(LEAD_BATCH_CATEGORY, batchId),
      leadBatchDecider,
      { kind: 'RequestLeadBatch', batchId, enterpriseId, operation, selection, leadIds, actor, now: new Date().toISOString() },
      { tenantId: enterpriseId, correlationId, causationId: null, actor: actor.memberId },
    );
    this.start(batchId, false);
    return { total: result.state.total };
  }

  /** Resumes every batch that has not completed (called once the projections caught up at boot). */
  async resumeUnfinished(): Promise<void> {
    const unfinished = await this.readStore.collection<LeadBatchDocument>(LEAD_BATCHES_COLLECTION, leadBatchesCollectionOptions).find({ status: 'running' });
    for (const batch of unfinished) this.start(batch._id, true);
  }

  /** Lets running chunks finish and record their results, then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.running.values()]);
  }

  /** Resolves when the batch has stopped running in this process (tests, benchmarks). */
  async settled(batchId: string): Promise<void> {
    await this.running.get(batchId);
  }

  private start(batchId: string, resumed: boolean): void {
    if (this.running.has(batchId) || this.stopping) return;
    const run = this.run(batchId, resumed)
      .catch((error: unknown) => this.logger.error(`batch ${batchId} stopped: ${error instanceof Error ? error.message : String(error)}; it resumes at the next start`))
      .finally(() => this.running.delete(batchId));
    this.running.set(batchId, run);
  }

  private async run(batchId: string, resumed: boolean): Promise<void> {
    const streamId = streamIdOf(LEAD_BATCH_CATEGORY, batchId);
    const loaded = await loadState(this.store, streamId, leadBatchDecider);
    let state: LeadBatchState = loaded.state;
    let revision = loaded.revision;
    if (!state.requested || state.completed || state.operation === null || state.actor === null || state.enterpriseId === null) return;
    const actor = { tenantId: state.enterpriseId, memberId: state.actor.memberId };
    const operation = state.operation;
    let checkEarlierAttempt = resumed;
    const remaining = remainingTargets(state);
    for (let offset = 0; offset < remaining.length; offset += RESULT_CHUNK) {
      if (this.stopping) return;
      const chunk = remaining.slice(offset, offset + RESULT_CHUNK);
      const results: LeadBatchResult[] = new Array<LeadBatchResult>(chunk.length);
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < chunk.length; i = next++) {
          results[i] = await this.applyOne(batchId, actor, chunk[i]!, operation, checkEarlierAttempt);
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, chunk.length) }, worker));
      checkEarlierAttempt = false;
      const events: readonly LeadBatchEvent[] = leadBatchDecider.decide({ kind: 'RecordLeadBatchResults', results, now: new Date().toISOString() }, state);
      if (events.length === 0) return;
      const appended = await this.store.appendToStream(
        streamId,
        events.map((e) => ({ type: e.type, data: e.data, metadata: { tenantId: actor.tenantId, correlationId: batchId, causationId: batchId, actor: actor.memberId } })),
        { expectedRevision: revision },
      );
      revision = appended.nextExpectedRevision;
      for (const e of events) state = leadBatchDecider.evolve(state, e);
      if (state.completed) return;
    }
  }

  private async applyOne(batchId: string, actor: { tenantId: string; memberId: string }, leadId: string, operation: LeadOperation, checkEarlierAttempt: boolean): Promise<LeadBatchResult> {
    try {
      const outcome = await this.leads.apply(actor, leadId, operation, { correlationId: batchId, causationId: batchId });
      if (outcome === 'unchanged' && checkEarlierAttempt && (await this.appliedByBatch(leadId, batchId))) return { leadId, outcome: 'applied' };
      return { leadId, outcome };
    } catch (error) {
      if (error instanceof DomainError) {
        if (error.kind === 'not_found' && checkEarlierAttempt && (await this.appliedByBatch(leadId, batchId))) return { leadId, outcome: 'applied' };
        const reason = error.kind === 'not_found' ? 'the lead does not exist or was deleted' : error.message;
        return { leadId, outcome: 'failed', code: error.code, reason, ...(Object.keys(error.fields).length > 0 ? { fields: { ...error.fields } } : {}) };
      }
      return { leadId, outcome: 'failed', code: 'leads.batch-lead-error', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Whether an earlier attempt of this batch already changed the lead (its events name the batch as their cause). */
  private async appliedByBatch(leadId: string, batchId: string): Promise<boolean> {
    const events = await this.store.readStream(streamIdOf(LEAD_CATEGORY, leadId));
    return events.some((e) => e.metadata.causationId === batchId);
  }
}
