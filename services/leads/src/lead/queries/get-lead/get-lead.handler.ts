import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@leadstream/event-sourcing';
import type { ReadStore } from '@leadstream/read-store';
import { LEADS_READ_STORE } from '../../../leads.tokens';
import { LEAD_LIST_COLLECTION, leadListCollectionOptions, type LeadListDocument } from '../../projections/lead-list/lead-list.schema';
import { toLeadView, type LeadView } from '../lead.view';
import { GetLeadQuery } from './get-lead.query';
import { LeadSchemaReader } from '../../../lead-schema/lead-schema.reader';

@QueryHandler(GetLeadQuery)
export class GetLeadHandler implements IQueryHandler<GetLeadQuery> {
  constructor(
    @Inject(LEADS_READ_STORE) private readonly store: ReadStore,
    private readonly schemas: LeadSchemaReader,
  ) {}

  async execute(query: GetLeadQuery): Promise<LeadView> {
    // The tenant is part of the filter: another enterprise's lead is simply not found.
    const doc = await this.store
      .collection<LeadListDocument>(LEAD_LIST_COLLECTION, leadListCollectionOptions)
      .findOne({ _id: query.leadId, tenantId: query.tenantId });
    if (!doc) throw new DomainError('not_found', 'leads.lead-not-found', `Lead ${query.leadId} was not found.`);
    return toLeadView(doc, await this.schemas.get(query.tenantId));
  }
}
