import { Inject, Injectable } from '@nestjs/common';
import { streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { LEADS_EVENT_STORE } from '../leads.tokens';
import { statusCatalogueDecider, type StatusCatalogueState } from './domain/status-catalogue.decider';
import { STATUS_CATALOGUE_CATEGORY, type StatusCatalogueEvent } from './domain/status.events';

/**
 * The enterprise's status catalogue for lead writes: cached per enterprise, and brought up to date
 * on every call by reading only the stream's tail, so it is always current and cheap.
 */
@Injectable()
export class StatusCatalogueReader {
  private readonly cache = new Map<string, { state: StatusCatalogueState; revision: number }>();

  constructor(@Inject(LEADS_EVENT_STORE) private readonly store: EventStore) {}

  async get(enterpriseId: string): Promise<StatusCatalogueState> {
    const cached = this.cache.get(enterpriseId) ?? { state: statusCatalogueDecider.initialState(), revision: -1 };
    const tail = await this.store.readStream(streamIdOf(STATUS_CATALOGUE_CATEGORY, enterpriseId), { fromRevision: cached.revision + 1 });
    if (tail.length === 0) return cached.state;
    let state = cached.state;
    for (const e of tail) state = statusCatalogueDecider.evolve(state, e as unknown as StatusCatalogueEvent);
    this.cache.set(enterpriseId, { state, revision: tail[tail.length - 1]!.revision });
    return state;
  }
}
