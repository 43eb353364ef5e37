import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';
import type { PublishedLog } from '@leadstream/bus';
import type { KafkaRelay, TopicSettings } from '@leadstream/bus-kafka';
import { drivers } from './drivers';
import { HealthRegistry } from '@leadstream/platform';
import type { ServiceConfig } from './service-config';
import type { ServiceStores } from './service-stores';

export function topicSettingsOf(config: ServiceConfig): TopicSettings {
  return { partitions: config.KAFKA_TOPIC_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR };
}

/**
 * The relay of a service run on its own: follows the service's event log and publishes its
 * integration events to `leadstream.<service>.v1`, checkpointing in the service's read store.
 */
export function createServiceRelay(
  config: ServiceConfig,
  stores: ServiceStores,
  log: PublishedLog,
  schemas: Readonly<Record<string, { readonly $id?: string }>>,
  logger: Logger,
): KafkaRelay {
  const { KafkaRelay } = drivers.kafka();
  return new KafkaRelay({
    brokers: config.kafkaBrokers,
    clientId: `leadstream-${log.service}-relay`,
    log,
    eventStore: stores.eventStore,
    checkpoints: stores.readStore,
    schemas,
    topics: topicSettingsOf(config),
    logger: logger.child({ component: 'relay' }),
  });
}

/** Starts the relay and reports it in `/health/ready`. */
export function startRelayWithHealth(app: INestApplication, relay: KafkaRelay): void {
  relay.start();
  app.get(HealthRegistry).register('relay', async () => {
    const status = await relay.status();
    return { ok: status.state !== 'stopped', detail: status };
  });
}
