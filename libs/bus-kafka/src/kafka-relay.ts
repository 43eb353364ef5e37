import { toIntegrationEvent, type PublishedLog } from '@leadstream/bus';
import type { EventStore, RecordedEvent, Subscription } from '@leadstream/event-sourcing';
import type { ReadStore } from '@leadstream/read-store';
import { CompressionTypes, Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import { toKafkaMessage } from './cloudevents';
import {
  backoffDelay,
  errorMessage,
  kafkaOf,
  sleep,
  StoppedError,
  type BackoffOptions,
  type BusLogger,
  type KafkaConnection,
} from './connection';
import { DEFAULT_TOPIC_SETTINGS, dlqTopicOf, ensureTopics, type TopicSettings } from './topics';

export type KafkaRelayOptions = KafkaConnection & {
  /** What the service publishes: categories of its log and the mapping to contracts. */
  readonly log: PublishedLog;
  readonly eventStore: EventStore;
  /** Holds the relay's checkpoint (`relay:<topic>`): the producing service's read store. */
  readonly checkpoints: Pick<ReadStore, 'getCheckpoint' | 'setCheckpoint'>;
  /** Topic to publish to. Default `log.topic`; tests pass a unique one. */
  readonly topic?: string;
  /** The contracts' JSON Schemas by type (`leadsContractSchemas`…): `$id` becomes `ce_dataschema`. */
  readonly schemas?: Readonly<Record<string, { readonly $id?: string }>>;
  /** Events read from the log per subscription batch. Default 5000. */
  readonly batchSize?: number;
  /**
   * Upper bound of one produce request (sum of keys, values and headers). A subscription batch is
   * split into requests of at most this size, so no partition's record batch can exceed the
   * broker's `message.max.bytes` (1 MiB by default). Default 800,000.
   */
  readonly maxRequestBytes?: number;
  /** How long the broker may take to replicate to all in-sync replicas (acks=-1). Default 30 s. */
  readonly ackTimeoutMs?: number;
  /** Back-off between failed sends and restarts. Default 100 ms doubling to 5 s. */
  readonly backoff?: BackoffOptions;
  /** Creates `topic` and `topic.dlq` at start when missing. `false`: the topics are managed elsewhere. */
  readonly topics?: TopicSettings | false;
  readonly logger?: BusLogger;
};

export type RelayState = 'idle' | 'connecting' | 'running' | 'retrying' | 'stopped';

export interface RelayStatus {
  readonly topic: string;
  readonly state: RelayState;
  /** Global position of the last event the broker acknowledged: the stored checkpoint. */
  readonly position: number;
  /** Position of the last event of the published categories in the log. */
  readonly head: number;
  /** `head - position`, in log positions (0: everything is on Kafka). */
  readonly lag: number;
  /** Messages the broker acknowledged since `start()` (re-sends included). */
  readonly published: number;
  /** Failed attempts (sends, connects, restarts) since `start()`. */
  readonly failures: number;
  readonly lastError: { readonly message: string; readonly at: string } | null;
  readonly lastAckAt: string | null;
}

/** Producer errors after which the producer id / sequence state is unusable: start a new producer. */
const PRODUCER_STATE_ERRORS = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'DUPLICATE_SEQUENCE_NUMBER',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
  'UNKNOWN_PRODUCER_ID',
  'PRODUCER_FENCED',
]);

/** Per-record overhead in a v2 record batch (attributes, deltas, varint lengths), rounded up. */
const RECORD_OVERHEAD_BYTES = 32;

interface Chunk {
  readonly messages: Message[];
  /** Checkpoint once this chunk is acknowledged: the position of its last event. */
  readonly upTo: number;
}

/**
 * The transactional-outbox relay of one service: follows the service's event log from its
 * checkpoint, maps each event through the service's `PublishedLog` to a contract, and produces
 * it as a CloudEvent to `leadstream.<service>.v1`, keyed by aggregate id.
 *
 * Guarantees: at least once, no gaps, per-aggregate order. The checkpoint is stored only after
 * the broker acknowledged (acks=-1) every message up to it; a failed send is retried with
 * back-off, forever, and nothing is ever skipped. Re-sending the identical request on the same
 * idempotent producer lets the broker drop the copy it already has; a restart from the
 * checkpoint may still re-publish a few events, which consumers drop through their inbox.
 */
export class KafkaRelay {
  readonly topic: string;
  readonly checkpointName: string;
  private readonly kafka: Kafka;
  private readonly batchSize: number;
  private readonly maxRequestBytes: number;
  private readonly ackTimeoutMs: number;
  private producer: Producer | null = null;
  private producerConnected = false;
  private controller: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private subscription: Subscription | null = null;
  /** The one request in flight (send until acknowledged, then checkpoint), if any. */
  private inFlight: Promise<void> | null = null;
  /** Rejects the running subscription's round when an in-flight request fails. */
  private failRound: (error: unknown) => void = () => undefined;
  private state: RelayState = 'idle';
  private position = 0;
  private published = 0;
  private failures = 0;
  private lastError: RelayStatus['lastError'] = null;
  private lastAckAt: string | null = null;
  private markCaughtUp: () => void = () => undefined;
  /** Resolves the first time every event that existed at `start()` is on Kafka (or on `stop()`). */
  caughtUp: Promise<void> = Promise.resolve();

  constructor(private readonly options: KafkaRelayOptions) {
    this.kafka = kafkaOf(options);
    this.topic = options.topic ?? options.log.topic;
    this.checkpointName = `relay:${this.topic}`;
    this.batchSize = Math.max(1, options.batchSize ?? 5000);
    this.maxRequestBytes = Math.max(1, options.maxRequestBytes ?? 800_000);
    this.ackTimeoutMs = options.ackTimeoutMs ?? 30_000;
  }

  /** Starts following the log in the background. Kafka being down is not an error: it retries. */
  start(): void {
    if (this.loop) return;
    const controller = new AbortController();
    this.controller = controller;
    this.caughtUp = new Promise<void>((resolve) => (this.markCaughtUp = resolve));
    this.loop = this.supervise(controller.signal);
  }

  /**
   * Stops: abandons retries, lets an in-flight request settle (or, after `graceMs`, cuts it off by
   * disconnecting the producer) and keeps the checkpoint of what was acknowledged.
   */
  async stop(graceMs = 2000): Promise<void> {
    const loop = this.loop;
    if (!loop) return;
    this.controller?.abort();
    const stopping = (async () => {
      await this.subscription?.stop();
      await loop;
    })();
    const settled = await Promise.race([stopping.then(() => true), sleep(graceMs).then(() => false)]);
    if (!settled) await this.resetProducer();
    await stopping;
    this.loop = null;
    this.markCaughtUp();
    await this.resetProducer();
    this.state = 'stopped';
  }

  async status(): Promise<RelayStatus> {
    const head = Math.max(this.position, await this.options.eventStore.headPosition(this.options.log.categories));
    return {
      topic: this.topic,
      state: this.state,
      position: this.position,
      head,
      lag: head - this.position,
      published: this.published,
      failures: this.failures,
      lastError: this.lastError,
      lastAckAt: this.lastAckAt,
    };
  }

  /** Runs subscriptions until stopped; a failed one (store error, …) restarts from the checkpoint. */
  private async supervise(signal: AbortSignal): Promise<void> {
    for (let attempt = 1; !signal.aborted; ) {
      try {
        this.state = 'connecting';
        await this.prepare();
        const after = (await this.options.checkpoints.getCheckpoint(this.checkpointName)) ?? 0;
        this.position = after;
        if (signal.aborted) break;
        this.state = 'running';
        const failed = new Promise<never>((_, reject) => (this.failRound = reject));
        const subscription = this.options.eventStore.subscribeToAll(
          { after, categories: this.options.log.categories, batchSize: this.batchSize },
          (events) => this.publish(events, signal),
        );
        this.subscription = subscription;
        // Caught up once the last request dispatched for the initial backlog is acknowledged.
        subscription.caughtUp.then(() => this.inFlight).then(() => this.markCaughtUp(), () => undefined);
        attempt = 1;
        await Promise.race([subscription.done, failed]);
      } catch (error) {
        if (signal.aborted || error instanceof StoppedError) break;
        this.fail(error, 'relay interrupted; restarting from the checkpoint');
        this.state = 'retrying';
        await this.subscription?.stop();
        // The failed request is settled: the next round starts clean from the stored checkpoint.
        await this.inFlight?.catch(() => undefined);
        this.inFlight = null;
        await sleep(backoffDelay(attempt++, this.options.backoff), signal);
      } finally {
        this.subscription = null;
      }
    }
    // Let the last request finish (acknowledged and checkpointed) or give up (stopped).
    await this.inFlight?.catch(() => undefined);
    this.inFlight = null;
  }

  /** Topics (once) and a connected idempotent producer. */
  private async prepare(): Promise<void> {
    if (this.producerConnected) return;
    if (this.options.topics !== false) {
      const admin = this.kafka.admin();
      await admin.connect();
      try {
        await ensureTopics(admin, [this.topic, dlqTopicOf(this.topic)], this.options.topics ?? DEFAULT_TOPIC_SETTINGS);
      } finally {
        await admin.disconnect();
      }
    }
    this.producer ??= this.kafka.producer({
      // Idempotence: the broker drops a re-sent copy of a request it already wrote (same producer
      // id and sequence numbers), so retries add neither duplicates nor reordering.
      idempotent: true,
      // One produce request in flight per connection. kafkajs does not cap this for idempotence,
      // but on a failed request it rolls its sequence numbers back and re-sends: with a second
      // request in flight behind it, that one could land first (reordered) or be rejected out
      // of sequence. The relay sends request after request anyway, so 1 costs nothing.
      maxInFlightRequests: 1,
      // A few quick retries inside kafkajs (leader moves); beyond that the relay's own loop
      // retries forever with back-off and reports the error in status().
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
      // Murmur2 on the key, like the Java client: the same key lands on the same partition.
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    await this.producer.connect();
    this.producerConnected = true;
  }

  /**
   * The subscription handler: produce the batch request by request, each checkpointed after its
   * ack. Pipelined: the next request is encoded (and, once the batch's last request is
   * dispatched, the next batch is read from the log) while the previous one waits for its ack;
   * still only one request is in flight, and checkpoints advance in order.
   */
  private async publish(events: readonly RecordedEvent[], signal: AbortSignal): Promise<void> {
    for (const chunk of this.chunks(events)) {
      if (this.inFlight) await this.inFlight; // rethrows its failure: the round restarts
      const request = this.dispatch(chunk, signal);
      this.inFlight = request;
      request.catch((error: unknown) => this.failRound(error));
    }
  }

  private async dispatch(chunk: Chunk, signal: AbortSignal): Promise<void> {
    if (chunk.messages.length > 0) await this.sendUntilAcknowledged(chunk.messages, signal);
    await this.options.checkpoints.setCheckpoint(this.checkpointName, chunk.upTo);
    this.position = chunk.upTo;
  }

  /** Requests of at most maxRequestBytes, encoded lazily (while the previous one is in flight). */
  private *chunks(events: readonly RecordedEvent[]): Generator<Chunk> {
    const schemas = this.options.schemas;
    let messages: Message[] = [];
    let bytes = 0;
    let previous = this.position;
    for (const event of events) {
      const integration = toIntegrationEvent(this.options.log, event);
      if (integration) {
        const dataschema = schemas?.[integration.type]?.$id;
        const message = toKafkaMessage(dataschema === undefined ? integration : { ...integration, dataschema });
        const size = messageBytes(message);
        if (messages.length > 0 && bytes + size > this.maxRequestBytes) {
          yield { messages, upTo: previous };
          messages = [];
          bytes = 0;
        }
        messages.push(message);
        bytes += size;
      }
      previous = event.position;
    }
    yield { messages, upTo: previous };
  }

  private async sendUntilAcknowledged(messages: Message[], signal: AbortSignal): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw new StoppedError();
      try {
        await this.prepare();
        await this.producer!.sendBatch({
          acks: -1,
          timeout: this.ackTimeoutMs,
          compression: CompressionTypes.None,
          topicMessages: [{ topic: this.topic, messages }],
        });
        this.published += messages.length;
        this.lastAckAt = new Date().toISOString();
        if (attempt > 1) this.options.logger?.info?.({ topic: this.topic, attempts: attempt }, 'relay: send recovered');
        this.state = 'running';
        return;
      } catch (error) {
        if (signal.aborted) throw new StoppedError();
        this.fail(error, 'relay: send failed; retrying the same request');
        this.state = 'retrying';
        // Connection errors keep the producer (same id and sequence numbers, so the broker can drop
        // a copy it already wrote); a lost producer state needs a new producer id.
        if (producerStateLost(error)) await this.resetProducer();
        if (!(await sleep(backoffDelay(attempt, this.options.backoff), signal))) throw new StoppedError();
      }
    }
  }

  private fail(error: unknown, msg: string): void {
    this.failures++;
    const message = errorMessage(error);
    this.lastError = { message, at: new Date().toISOString() };
    this.options.logger?.warn({ topic: this.topic, position: this.position, failures: this.failures, err: message }, msg);
  }

  private async resetProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    this.producerConnected = false;
    if (producer) await producer.disconnect().catch(() => undefined);
  }
}

function messageBytes(message: Message): number {
  let size = RECORD_OVERHEAD_BYTES + byteLength(message.key) + byteLength(message.value);
  const headers = message.headers;
  if (headers) {
    for (const name in headers) {
      const v = headers[name];
      size += name.length + (Array.isArray(v) ? v.reduce<number>((n, x) => n + byteLength(x), 0) : byteLength(v)) + 2;
    }
  }
  return size;
}

function byteLength(value: Buffer | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

/** Walks the `cause` chain (kafkajs wraps the broker's error in retry errors). */
function producerStateLost(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && PRODUCER_STATE_ERRORS.has(type)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
