import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { ISocketFactory } from 'kafkajs';
import { parseBrokers } from '../connection';

/** Where the integration tests find Kafka, or why they skip. */
export type KafkaTestEnvironment =
  | { readonly brokers: string[]; readonly source: string; stop(): Promise<void> }
  | { readonly skip: string };

/**
 * `KAFKA_BROKERS` when set (e.g. `npm run infra:up`, then `KAFKA_BROKERS=127.0.0.1:9092`);
 * otherwise a throw-away broker through Docker (`@testcontainers/kafka`) when Docker answers;
 * otherwise a reason to skip.
 */
export async function kafkaTestEnvironment(): Promise<KafkaTestEnvironment> {
  const fromEnv = process.env['KAFKA_BROKERS'];
  if (fromEnv && parseBrokers(fromEnv).length > 0) {
    return { brokers: parseBrokers(fromEnv), source: `KAFKA_BROKERS=${fromEnv}`, stop: () => Promise.resolve() };
  }
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
  } catch (error) {
    return {
      skip:
        'KAFKA_BROKERS is not set and Docker is not reachable for @testcontainers/kafka ' +
        `(${error instanceof Error ? error.message.split('\n')[0] : String(error)}); ` +
        'run `npm run infra:up` and set KAFKA_BROKERS=127.0.0.1:9092',
    };
  }
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const container = await new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start();
  return {
    brokers: [`${container.getHost()}:${container.getMappedPort(9093)}`],
    source: 'testcontainers (confluentinc/cp-kafka:7.9.0)',
    stop: async () => {
      await container.stop();
    },
  };
}

/** A unique, valid topic/group prefix per test run: `test.<hex>`. */
export function uniquePrefix(): string {
  return `test.${randomBytes(5).toString('hex')}`;
}

/**
 * A kafkajs socket factory with a switch: `down()` resets every open connection and refuses new
 * ones (a broker that crashed), `up()` lets connections through again. Lets a test take "the
 * broker" away from one client without touching the shared broker.
 */
export function switchableNetwork(): { socketFactory: ISocketFactory; down(): void; up(): void; readonly isDown: boolean } {
  let isDown = false;
  const open = new Set<Socket>();
  const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    // Port 1 on the loopback refuses at once: the same error as a broker that is not running.
    const socket = isDown ? connect({ host: '127.0.0.1', port: 1 }) : connect({ host, port }, onConnect);
    socket.setKeepAlive(true, 60_000);
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    return socket;
  };
  return {
    socketFactory,
    down() {
      isDown = true;
      for (const s of open) s.destroy(new Error('simulated broker outage'));
    },
    up() {
      isDown = false;
    },
    get isDown() {
      return isDown;
    },
  };
}

/**
 * kafkajs 2.2.4 computes a negative timeout in its request queue, which Node 24 reports once per
 * process as a TimeoutNegativeWarning (and clamps to 1 ms, the old behaviour). Harmless; hidden
 * from the test output. Every other warning still prints.
 */
export function hideKafkajsTimeoutWarning(): void {
  const listeners = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'TimeoutNegativeWarning') return;
    for (const l of listeners) l(warning);
  });
}
