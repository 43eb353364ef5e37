import type { EventStore } from '@leadstream/event-sourcing';
import { toIntegrationEvent, type PublishedLog } from './integration-event';
import { deliverOnce, type InboxLogger } from './inbox';
import type { ConsumerHandle, ConsumerOptions, MessageBus } from './message-bus.port';

export interface EmbeddedProducer {
  readonly log: PublishedLog;
  readonly eventStore: EventStore;
}

/**
 * The embedded bus: the producing service's event log *is* the bus. A consumer follows the
 * producer's log from its durable checkpoint, maps each domain event through the producer's
 * relay mapping, and hands the contract to the handler, de-duplicated through its inbox.
 * The checkpoint is stored in the consumer's own read store.
 */
export class EmbeddedBus implements MessageBus {
  private readonly producers = new Map<string, EmbeddedProducer>();
  private readonly handles = new Set<ConsumerHandle>();

  constructor(producers: readonly EmbeddedProducer[], private readonly logger?: InboxLogger) {
    for (const p of producers) this.producers.set(p.log.service, p);
  }

  consume(options: ConsumerOptions): Promise<ConsumerHandle> {
    const producer = this.producers.get(options.from);
    if (!producer) return Promise.reject(new Error(`no producer named ${options.from} on the embedded bus`));
    const checkpointName = `bus:${options.name}`;
    const types = options.types ? new Set(options.types) : null;
    const maxAttempts = options.maxAttempts ?? 5;
    const start = async (): Promise<ConsumerHandle> => {
      const after = (await options.store.getCheckpoint(checkpointName)) ?? 0;
      const subscription = producer.eventStore.subscribeToAll(
        { after, categories: producer.log.categories },
        async (events) => {
          await options.store.batch(async () => {
            for (const event of events) {
              const integration = toIntegrationEvent(producer.log, event);
              if (!integration || (types && !types.has(integration.type))) continue;
              await deliverOnce(options.store, options.name, integration, (e) => options.handle(e), maxAttempts, this.logger);
            }
            await options.store.setCheckpoint(checkpointName, events[events.length - 1]!.position);
          });
        },
      );
      subscription.done.catch((error: unknown) =>
        this.logger?.error({ consumer: options.name, err: error instanceof Error ? error.message : String(error) }, 'consumer stopped'),
      );
      const handle: ConsumerHandle = {
        caughtUp: subscription.caughtUp,
        stop: async () => {
          this.handles.delete(handle);
          await subscription.stop();
        },
      };
      this.handles.add(handle);
      return handle;
    };
    return start();
  }

  async close(): Promise<void> {
    await Promise.all([...this.handles].map((h) => h.stop()));
  }
}
