/**
 * The distributed mode's drivers (KurrentDB over gRPC, MongoDB, Kafka), loaded on first use: a
 * process on the embedded default never loads them (measured: requiring all three adds about
 * 75 MB of resident memory and 40 MB of heap before any of them is used).
 */
type KurrentDbDriver = typeof import('@leadstream/event-store-kurrentdb');
type MongoDriver = typeof import('@leadstream/read-store-mongo');
type KafkaDriver = typeof import('@leadstream/bus-kafka');

/* eslint-disable @typescript-eslint/no-require-imports -- deferred on purpose, see above */
export const drivers = {
  kurrentDb: (): KurrentDbDriver => require('@leadstream/event-store-kurrentdb') as KurrentDbDriver,
  mongo: (): MongoDriver => require('@leadstream/read-store-mongo') as MongoDriver,
  kafka: (): KafkaDriver => require('@leadstream/bus-kafka') as KafkaDriver,
};
/* eslint-enable @typescript-eslint/no-require-imports */
