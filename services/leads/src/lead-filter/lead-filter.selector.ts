import { Inject, Injectable } from '@nestjs/common';
import type { ReadStore } from '@leadstream/read-store';
import { LEADS_READ_STORE } from '../leads.tokens';
import { LeadSchemaReader } from '../lead-schema/lead-schema.reader';
import { tenantTimeZone } from '../tenant/tenant-time-zone';
import { LEAD_LIST_COLLECTION, leadListCollectionOptions, type LeadListDocument } from '../lead/projections/lead-list/lead-list.schema';
import { MAX_BATCH_LEADS } from '../lead-batch/domain/lead-batch.events';
import type { LeadBatchSelector, LeadBatchFilter } from '../lead-batch/lead-batch.selector';
import { compileLeadFilter, type LeadCondition } from './query/lead-filter';

/** A batch's targets by the list's filter language: the ids it selects now, oldest first. */
@Injectable()
export class LeadFilterBatchSelector implements LeadBatchSelector {
  constructor(
    @Inject(LEADS_READ_STORE) private readonly store: ReadStore,
    private readonly schemas: LeadSchemaReader,
  ) {}

  async select(tenantId: string, filter: LeadBatchFilter): Promise<string[]> {
    const schema = await this.schemas.get(tenantId);
    const timeZone = await tenantTimeZone(this.store, tenantId);
    const compiled = compileLeadFilter(
      { conditions: filter.conditions as LeadCondition[] | undefined, match: filter.match, q: filter.q },
      schema,
      timeZone,
      'filter.',
    );
    const leads = this.store.collection<LeadListDocument>(LEAD_LIST_COLLECTION, leadListCollectionOptions);
    const where = Object.keys(compiled).length === 0 ? { tenantId } : { $and: [{ tenantId }, compiled] };
    const docs = await leads.find(where, { sort: { createdAt: 1, _id: 1 }, limit: MAX_BATCH_LEADS + 1, projection: { _id: 1 } });
    return docs.map((doc) => doc._id);
  }
}
