import { Kafka, logLevel, type KafkaConfig, type logCreator } from 'kafkajs';

/**
 * How to reach Kafka: either brokers and a client id (plus any other kafkajs client setting:
 * ssl, sasl, logLevel, socketFactory, …), or a ready `Kafka` client to share.
 */
export type KafkaConnection =
  | {
      readonly brokers: readonly string[];
      readonly clientId: string;
      readonly kafkaConfig?: Omit<KafkaConfig, 'brokers' | 'clientId'>;
    }
  | { readonly kafka: Kafka };

/**
 * kafkajs's own console output (one JSON line per entry), less one warning the relay triggers on
 * purpose: it limits the idempotent producer's internal retries and then re-sends the identical
 * request on the same producer (same producer id, sequence numbers rolled back by kafkajs), so the
 * "may invalidate EoS guarantees" case of that warning does not arise.
 */
export const busLogCreator: logCreator = () => ({ namespace, level, label, log }) => {
  if (log.message.startsWith('Limiting retries for the idempotent producer')) return;
  const line = JSON.stringify({ level: label, ...log, message: namespace ? `[${namespace}] ${log.message}` : log.message });
  if (level === logLevel.ERROR) console.error(line);
  else if (level === logLevel.WARN) console.warn(line);
  else if (level === logLevel.INFO) console.info(line);
  else console.log(line);
};

/** The kafkajs client of a connection. kafkajs logs at WARN unless told otherwise. */
export function kafkaOf(connection: KafkaConnection): Kafka {
  if ('kafka' in connection) return connection.kafka;
  return new Kafka({
    logLevel: logLevel.WARN,
    logCreator: busLogCreator,
    // Short, bounded attempts inside kafkajs (its default backs off up to 30 s per reconnect): the
    // relay and the bus retry on their own, forever, and report each failure.
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 },
    ...connection.kafkaConfig,
    brokers: [...connection.brokers],
    clientId: connection.clientId,
  });
}

/** `KAFKA_BROKERS=host:port,host:port` → `['host:port', 'host:port']`. */
export function parseBrokers(value: string): string[] {
  return value
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
}

export interface BusLogger {
  info?(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface BackoffOptions {
  /** First delay. Default 100 ms. */
  readonly initialMs?: number;
  /** Largest delay. Default 5000 ms. */
  readonly maxMs?: number;
}

/** Exponential back-off with ±20 % jitter: attempt 1 → ~initialMs, doubling up to maxMs. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? 100;
  const max = options.maxMs ?? 5000;
  const base = Math.min(max, initial * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Resolves after `ms`, or early (with `false`) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Thrown inside retry loops once the owner is stopping. */
export class StoppedError extends Error {
  override readonly name = 'StoppedError';
  constructor() {
    super('stopped');
  }
}
