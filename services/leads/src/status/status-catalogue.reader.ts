import { Inject, Injectable } from '@nestjs/common';
import { StreamStateCache, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { LEADS_EVENT_STORE } from '../leads.tokens';
import { statusCatalogueDecider, type StatusCatalogueState } from './domain/status-catalogue.decider';
import { STATUS_CATALOGUE_CATEGORY, type StatusCatalogueEvent } from './domain/status.events';

/**
 * The enterprise's status catalogue for lead writes: cached per enterprise (the 10,000 read last),
 * and brought up to date on every call by reading only the stream's tail, so it is always current
 * and cheap.
 */
@Injectable()
export class StatusCatalogueReader {
  private readonly catalogues: StreamStateCache<StatusCatalogueEvent, StatusCatalogueState>;

  constructor(@Inject(LEADS_EVENT_STORE) store: EventStore) {
    this.catalogues = new StreamStateCache(store, statusCatalogueDecider);
  }

  async get(enterpriseId: string): Promise<StatusCatalogueState> {
    return (await this.catalogues.get(streamIdOf(STATUS_CATALOGUE_CATEGORY, enterpriseId))).state;
  }
}
