import { DuplicateKeyError, type ReadStore } from '@leadstream/read-store';
import type { IntegrationEvent } from './integration-event';
import { DEAD_LETTER_COLLECTION, INBOX_COLLECTION } from './message-bus.port';

export interface InboxLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * Delivers an event to a handler at most once per (consumer, event id): the inbox records the id
 * after the handler succeeded. Failures are retried with back-off; after `maxAttempts` the event
 * is set aside in the dead-letter collection so one poison message never blocks the rest.
 */
export async function deliverOnce(
  store: ReadStore,
  consumer: string,
  event: IntegrationEvent,
  handle: (event: IntegrationEvent) => Promise<void>,
  maxAttempts: number,
  logger?: InboxLogger,
): Promise<'handled' | 'duplicate' | 'dead-lettered'> {
  const inbox = store.collection(INBOX_COLLECTION);
  const key = `${consumer}:${event.id}`;
  if (await inbox.findOne({ _id: key })) return 'duplicate';
  for (let attempt = 1; ; attempt++) {
    try {
      await handle(event);
      break;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (attempt >= maxAttempts) {
        logger?.error({ consumer, eventId: event.id, type: event.type, err: reason }, 'integration event dead-lettered');
        await store.collection(DEAD_LETTER_COLLECTION).replaceOne(
          { _id: key },
          { _id: key, consumer, event: event, reason, attempts: attempt, at: new Date().toISOString() },
          { upsert: true },
        );
        return 'dead-lettered';
      }
      logger?.warn({ consumer, eventId: event.id, attempt, err: reason }, 'integration event handler failed; retrying');
      await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** attempt)));
    }
  }
  try {
    await inbox.insertOne({ _id: key, consumer, eventId: event.id, at: new Date().toISOString() });
  } catch (error) {
    if (!(error instanceof DuplicateKeyError)) throw error;
  }
  return 'handled';
}
