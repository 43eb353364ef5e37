import { deliverOnce, type ConsumerHandle, type ConsumerOptions, type IntegrationEvent, type MessageBus } from '@leadstream/bus';
import { CompressionTypes, Partitioners, type Admin, type Consumer, type ConsumerConfig, type IHeaders, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { CE_ERROR_HEADER, fromKafkaMessage } from './cloudevents';
import { backoffDelay, errorMessage, kafkaOf, sleep, type BackoffOptions, type BusLogger, type KafkaConnection } from './connection';
import { DEFAULT_TOPIC_SETTINGS, defaultTopicOf, dlqTopicOf, ensureTopics, type TopicSettings } from './topics';

/** Headers (besides the original ones and `ce_leadstreamerror`) on a dead-lettered record. */
export const DLQ_ORIGIN_HEADER = 'leadstream-dlq-origin';
export const DLQ_CONSUMER_HEADER = 'leadstream-dlq-consumer';

export type KafkaBusOptions = KafkaConnection & {
  /** Topic of a producing service. Default `leadstream.<service>.v1`; tests pass unique names. */
  readonly topicOf?: (service: string) => string;
  /** Creates the topic and its `.dlq` at `consume()` when missing. `false`: managed elsewhere. */
  readonly topics?: TopicSettings | false;
  /** Back-off between dead-letter publishing attempts and read-store retries. */
  readonly backoff?: BackoffOptions;
  readonly consumer?: Partial<Pick<ConsumerConfig, 'sessionTimeout' | 'heartbeatInterval' | 'rebalanceTimeout' | 'maxWaitTimeInMs' | 'maxBytesPerPartition'>> & {
    /** Partitions handled at once (order is kept within each). Default 1. */
    readonly partitionsConsumedConcurrently?: number;
  };
  readonly logger?: BusLogger;
  /** How long `consume()` keeps retrying while the broker is not ready (starting, electing a coordinator). Default 120 s. */
  readonly startupTimeoutMs?: number;
};

interface Consuming {
  readonly topic: string;
  readonly dlq: string;
  readonly options: ConsumerOptions;
  readonly types: ReadonlySet<string> | null;
  readonly maxAttempts: number;
  readonly signal: AbortSignal;
}

/**
 * The Kafka integration bus, consume side. Each `consume()` is one consumer group
 * (`groupId` = the consumer's durable name) on the producing service's topic. A record is
 * decoded from its CloudEvent, filtered by type, and handed to the handler at most once per event
 * id through the consumer's inbox (`deliverOnce`), with retries and back-off; after
 * `maxAttempts` failures, or when it is not a valid CloudEvent, it is copied to `<topic>.dlq`
 * (original key, value and headers plus `ce_leadstreamerror`) and passed, so one poison record
 * never blocks its partition. Offsets are committed only for handled records.
 */
export class KafkaBus implements MessageBus {
  private readonly kafka: Kafka;
  private readonly topicOf: (service: string) => string;
  private readonly handles = new Set<ConsumerHandle>();
  private dlqProducer: Promise<Producer> | null = null;

  constructor(private readonly options: KafkaBusOptions) {
    this.kafka = kafkaOf(options);
    this.topicOf = options.topicOf ?? defaultTopicOf;
  }

  async consume(options: ConsumerOptions): Promise<ConsumerHandle> {
    const topic = this.topicOf(options.from);
    const dlq = dlqTopicOf(topic);
    // A broker that is starting (or a fresh cluster still creating __consumer_offsets) answers
    // "coordinator not available" for a while: keep trying instead of failing the service's boot.
    const targets = await this.untilReady(`consumer ${options.name}`, async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      try {
        if (this.options.topics !== false) await ensureTopics(admin, [topic, dlq], this.options.topics ?? DEFAULT_TOPIC_SETTINGS);
        return await catchUpTargets(admin, options.name, topic);
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    });

    const controller = new AbortController();
    const consuming: Consuming = {
      topic,
      dlq,
      options,
      types: options.types ? new Set(options.types) : null,
      maxAttempts: options.maxAttempts ?? 5,
      signal: controller.signal,
    };
    const settings = this.options.consumer ?? {};
    const consumer = this.kafka.consumer({
      groupId: options.name,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: settings.maxWaitTimeInMs ?? 1000,
      ...(settings.sessionTimeout !== undefined ? { sessionTimeout: settings.sessionTimeout } : {}),
      ...(settings.heartbeatInterval !== undefined ? { heartbeatInterval: settings.heartbeatInterval } : {}),
      ...(settings.rebalanceTimeout !== undefined ? { rebalanceTimeout: settings.rebalanceTimeout } : {}),
      ...(settings.maxBytesPerPartition !== undefined ? { maxBytesPerPartition: settings.maxBytesPerPartition } : {}),
    });
    const caughtUp = this.trackCatchUp(consumer, options.name, topic, targets, controller.signal);

    consumer.on(consumer.events.CRASH, (event) => {
      this.options.logger?.error({ consumer: options.name, topic, restart: event.payload.restart, err: errorMessage(event.payload.error) }, 'kafka consumer crashed');
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        autoCommit: true,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: Math.max(1, settings.partitionsConsumedConcurrently ?? 1),
        eachBatch: async (payload) => {
          const heartbeat = (): Promise<void> => payload.heartbeat();
          for (const message of payload.batch.messages) {
            if (!payload.isRunning() || payload.isStale() || controller.signal.aborted) return;
            if (!(await this.handleRecord(consuming, payload.batch.partition, message, heartbeat))) return;
            payload.resolveOffset(message.offset);
            await heartbeat();
          }
        },
      });
    } catch (error) {
      controller.abort();
      caughtUp.release();
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }

    const handle: ConsumerHandle = {
      caughtUp: caughtUp.promise,
      stop: async () => {
        if (!this.handles.delete(handle)) return;
        controller.abort();
        await consumer.disconnect();
        caughtUp.release();
      },
    };
    this.handles.add(handle);
    return handle;
  }

  /** Retries `work` with back-off until it succeeds or `startupTimeoutMs` (default 120 s) has passed. */
  private async untilReady<T>(what: string, work: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + (this.options.startupTimeoutMs ?? 120_000);
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (Date.now() >= deadline) throw error;
        const delay = backoffDelay(attempt, this.options.backoff);
        this.options.logger?.warn({ what, attempt, retryInMs: delay, err: errorMessage(error) }, 'kafka not ready yet; retrying');
        await sleep(delay);
      }
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.handles].map((h) => h.stop()));
    const producer = this.dlqProducer;
    this.dlqProducer = null;
    if (producer) await (await producer.catch(() => null))?.disconnect();
  }

  /**
   * Handles one record to the end: delivered, filtered out, or dead-lettered. Read-store failures
   * (not the handler's) are retried with back-off, holding the partition: nothing is skipped.
   * Returns false only when the consumer is stopping (the record is then not resolved).
   */
  private async handleRecord(c: Consuming, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>): Promise<boolean> {
    let event: IntegrationEvent;
    try {
      event = fromKafkaMessage(message);
    } catch (error) {
      this.options.logger?.error({ consumer: c.options.name, topic: c.topic, partition, offset: message.offset, err: errorMessage(error) }, 'undecodable record dead-lettered');
      return this.deadLetter(c, partition, message, `undecodable: ${errorMessage(error)}`);
    }
    if (c.types && !c.types.has(event.type)) return true;

    for (let attempt = 1; ; attempt++) {
      let reason = '';
      try {
        const store = c.options.store;
        const outcome = await store.batch(() =>
          deliverOnce(
            store,
            c.options.name,
            event,
            async (e) => {
              try {
                await c.options.handle(e);
              } catch (error) {
                reason = errorMessage(error);
                throw error;
              }
            },
            c.maxAttempts,
            this.options.logger,
          ),
        );
        if (outcome !== 'dead-lettered') return true;
        return this.deadLetter(c, partition, message, `handler failed ${c.maxAttempts} times: ${reason}`);
      } catch (error) {
        // The read store (inbox) failed, not the handler: wait and try the same record again.
        this.options.logger?.warn({ consumer: c.options.name, eventId: event.id, attempt, err: errorMessage(error) }, 'inbox unavailable; retrying');
        if (!(await sleep(backoffDelay(attempt, this.options.backoff), c.signal))) return false;
        await heartbeat().catch(() => undefined);
      }
    }
  }

  /** Copies the record to `<topic>.dlq` and waits for the broker's ack, retrying until stopped. */
  private async deadLetter(c: Consuming, partition: number, message: KafkaMessage, reason: string): Promise<boolean> {
    const headers: IHeaders = {
      ...(message.headers ?? {}),
      [CE_ERROR_HEADER]: reason.slice(0, 2000),
      [DLQ_ORIGIN_HEADER]: `${c.topic}/${partition}/${message.offset}`,
      [DLQ_CONSUMER_HEADER]: c.options.name,
    };
    for (let attempt = 1; ; attempt++) {
      if (c.signal.aborted) return false;
      try {
        const producer = await this.deadLetterProducer();
        await producer.send({
          topic: c.dlq,
          acks: -1,
          compression: CompressionTypes.None,
          messages: [{ key: message.key, value: message.value, headers }],
        });
        return true;
      } catch (error) {
        this.options.logger?.warn({ consumer: c.options.name, dlq: c.dlq, attempt, err: errorMessage(error) }, 'dead-letter publish failed; retrying');
        if (!(await sleep(backoffDelay(attempt, this.options.backoff), c.signal))) return false;
      }
    }
  }

  private deadLetterProducer(): Promise<Producer> {
    this.dlqProducer ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
      });
      await producer.connect();
      return producer;
    })();
    const pending = this.dlqProducer;
    pending.catch(() => {
      if (this.dlqProducer === pending) this.dlqProducer = null;
    });
    return pending;
  }

  /**
   * `caughtUp`: resolves once the group's committed offsets reach, on every partition, the high
   * watermark seen before the consumer started (at once, after joining, when nothing was
   * pending). Own commits are seen through kafkajs's commit event; partitions another member of
   * the group owns are checked by asking the broker, every second, until caught up.
   */
  private trackCatchUp(consumer: Consumer, groupId: string, topic: string, targets: Map<number, bigint>, signal: AbortSignal) {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    let joined = false;
    let done = false;
    let admin: Admin | null = null;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearInterval(timer);
      removeJoin();
      removeCommit();
      void admin?.disconnect().catch(() => undefined);
      resolve();
    };
    const check = (): void => {
      if (joined && targets.size === 0) finish();
    };
    const reached = (partition: number, offset: string): void => {
      const target = targets.get(partition);
      if (target !== undefined && BigInt(offset) >= target) targets.delete(partition);
    };
    const removeJoin = consumer.on(consumer.events.GROUP_JOIN, () => {
      joined = true;
      check();
    });
    const removeCommit = consumer.on(consumer.events.COMMIT_OFFSETS, (event) => {
      for (const t of event.payload.topics) if (t.topic === topic) for (const p of t.partitions) reached(p.partition, p.offset);
      check();
    });
    let polling = false;
    const timer = setInterval(() => {
      if (polling || !joined || done || signal.aborted) return;
      polling = true;
      void (async () => {
        try {
          if (!admin) {
            admin = this.kafka.admin();
            await admin.connect();
          }
          const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
          for (const p of committed?.partitions ?? []) reached(p.partition, p.offset);
          check();
        } catch {
          // the next tick asks again, on a new connection
          const failed = admin;
          admin = null;
          void failed?.disconnect().catch(() => undefined);
        } finally {
          polling = false;
          if (done) void admin?.disconnect().catch(() => undefined);
        }
      })();
    }, 1000);
    timer.unref();
    return { promise, release: finish };
  }
}

/** Per partition, the high watermark to reach; partitions already caught up are left out. */
async function catchUpTargets(
  admin: Pick<Admin, 'fetchTopicOffsets' | 'fetchOffsets'>,
  groupId: string,
  topic: string,
): Promise<Map<number, bigint>> {
  const [watermarks, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  const committedBy = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  const targets = new Map<number, bigint>();
  for (const w of watermarks) {
    const high = BigInt(w.high);
    const from = [BigInt(w.low), committedBy.get(w.partition) ?? -1n].reduce((a, b) => (a > b ? a : b));
    if (high > from) targets.set(w.partition, high);
  }
  return targets;
}
