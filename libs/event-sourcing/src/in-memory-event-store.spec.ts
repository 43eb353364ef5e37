import { InMemoryEventStore } from './in-memory-event-store';
import { eventStoreContract } from './testing/event-store.contract';

eventStoreContract('in-memory', () => {
  const store = new InMemoryEventStore();
  return Promise.resolve({ store, cleanup: () => store.close() });
});
