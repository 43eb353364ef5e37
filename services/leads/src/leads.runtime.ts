import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { ConsumerHandle } from '@leadstream/bus';
import { ProjectorRunner } from '@leadstream/read-store';
import { HealthRegistry } from '@leadstream/platform';
import type { EventStore } from '@leadstream/event-sourcing';
import { LEADS_EVENT_STORE, LEADS_OPTIONS, type LeadsOptions } from './leads.tokens';
import { keyShredderProjection } from './lead-crypto/key-shredder.projection';
import { leadBatchesProjection } from './lead-batch/projections/lead-batches.projection';
import { LeadBatchRunner } from './lead-batch/lead-batch.runner';
import { leadViewsProjection } from './lead-view/projections/lead-views.projection';
import { leadListProjection } from './lead/projections/lead-list/lead-list.projection';
import { newLeadCountsProjection } from './lead-overview/projections/new-lead-counts/new-lead-counts.projection';
import { leadImportMappingsProjection } from './lead-import/projections/lead-import-mappings.projection';
import { leadImportsProjection } from './lead-import/projections/lead-imports.projection';
import { leadOverviewProjection } from './lead-overview/projections/lead-overview/lead-overview.projection';
import { contactsProjection } from './contact/projections/contacts/contacts.projection';
import { identityEventsConsumer } from './tenant/integration/identity-events.consumer';

/** The read models (rebuildable from the log). */
export const leadsProjections = [leadListProjection, newLeadCountsProjection, leadBatchesProjection, leadViewsProjection, leadOverviewProjection, leadImportMappingsProjection, leadImportsProjection, contactsProjection];

/**
 * The leads service's background work: its projections (checkpointed, catch-up then live) and
 * its consumer of identity's integration events. Started before the HTTP server listens.
 */
@Injectable()
export class LeadsRuntime implements OnModuleInit, OnApplicationShutdown {
  readonly projector: ProjectorRunner;
  private consumer: ConsumerHandle | null = null;

  constructor(
    @Inject(LEADS_OPTIONS) private readonly options: LeadsOptions,
    @Inject(LEADS_EVENT_STORE) eventStore: EventStore,
    private readonly health: HealthRegistry,
    private readonly batches: LeadBatchRunner,
  ) {
    this.projector = new ProjectorRunner(eventStore, options.readStore, [...leadsProjections, keyShredderProjection(options.keyStore)]);
  }

  async onModuleInit(): Promise<void> {
    this.consumer = await this.options.bus.consume(identityEventsConsumer(this.options.readStore));
    await Promise.all([this.projector.start(), this.consumer.caughtUp]);
    // batches interrupted by a stop or a crash go on where they were
    await this.batches.resumeUnfinished();
    this.health.register('leads.projections', () => {
      const status = this.projector.status();
      const failing = status.filter((s) => s.lastError !== undefined);
      return Promise.resolve({ ok: failing.length === 0, detail: status });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.batches.stop();
    await this.consumer?.stop();
    await this.projector.stop();
  }
}
