import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { EventStore } from '@leadstream/event-sourcing';
import type { MongoReadStore } from '@leadstream/read-store-mongo';
import { drivers } from './drivers';
import { openEventStore, parseEventStoreUrl } from './event-store-url';
import { mongoDatabaseOf, type ServiceConfig } from './service-config';

export interface ServiceStores {
  readonly eventStore: EventStore;
  readonly readStore: MongoReadStore;
  close(): Promise<void>;
}

/** The distributed mode's stores of one service: its event log and its MongoDB read models. */
export async function openServiceStores(config: ServiceConfig, service: string): Promise<ServiceStores> {
  const location = parseEventStoreUrl(config.EVENTSTORE_URL);
  if (!location) throw new Error(`EVENTSTORE_URL is not valid: ${config.EVENTSTORE_URL}`);
  if (location.kind === 'sqlite') await mkdir(dirname(resolve(location.path)), { recursive: true });
  const readStore = await drivers.mongo().MongoReadStore.connect({ url: config.MONGODB_URL, dbName: mongoDatabaseOf(config.MONGODB_URL, service) });
  const eventStore = openEventStore(location, { synchronous: config.EVENTSTORE_SYNC });
  return {
    eventStore,
    readStore,
    async close() {
      await eventStore.close();
      await readStore.close();
    },
  };
}
