import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { InMemoryEventStore } from '@leadstream/event-sourcing';
import { EmbeddedReadStore } from '@leadstream/read-store-embedded';
import type { Kafka, Message, ProducerBatch } from 'kafkajs';
import { fromKafkaMessage } from './cloudevents';
import { KafkaRelay } from './kafka-relay';
import { noteOrder, ordersLog, ordersSchemas, placeOrders, type OrderPlacedV1 } from './testing/orders';

/** A stand-in for kafkajs: records requests, fails or holds them on demand. */
class FakeKafka {
  readonly producers: FakeProducer[] = [];
  readonly createdTopics: string[][] = [];
  /** Every request, attempt by attempt (the same array object on a re-send). */
  readonly attempts: Message[][] = [];
  /** Requests the "broker" acknowledged. */
  readonly acked: Message[][] = [];
  failures: Array<Error & { type?: string }> = [];
  hold: Promise<void> | null = null;
  /** Admin connects that fail before one succeeds (the broker is down at boot). */
  adminFailures = 0;
  /** Requests being sent right now: the relay must never have more than one. */
  concurrent = 0;

  asKafka(): Kafka {
    return this as unknown as Kafka;
  }
  producer(): FakeProducer {
    const p = new FakeProducer(this);
    this.producers.push(p);
    return p;
  }
  admin() {
    return {
      connect: () => (this.adminFailures-- > 0 ? Promise.reject(new Error('KafkaJSConnectionError: ECONNREFUSED')) : Promise.resolve()),
      disconnect: () => Promise.resolve(),
      listTopics: () => Promise.resolve([] as string[]),
      createTopics: ({ topics }: { topics: { topic: string }[] }) => {
        this.createdTopics.push(topics.map((t) => t.topic));
        return Promise.resolve(true);
      },
    };
  }
  published(): OrderPlacedV1[] {
    return this.acked.flat().map((m) => fromKafkaMessage(m as Parameters<typeof fromKafkaMessage>[0]).data as OrderPlacedV1);
  }
}

class FakeProducer {
  connected = false;
  constructor(private readonly kafka: FakeKafka) {}
  connect(): Promise<void> {
    this.connected = true;
    return Promise.resolve();
  }
  disconnect(): Promise<void> {
    this.connected = false;
    return Promise.resolve();
  }
  async sendBatch(batch: ProducerBatch): Promise<unknown[]> {
    const messages = batch.topicMessages![0]!.messages;
    this.kafka.attempts.push(messages);
    assert.equal(batch.acks, -1);
    assert.equal(++this.kafka.concurrent, 1, 'one request in flight at a time');
    try {
      await new Promise((r) => setImmediate(r)); // an ack is never synchronous
      if (this.kafka.hold) await this.kafka.hold;
      const failure = this.kafka.failures.shift();
      if (failure) throw failure;
      this.kafka.acked.push(messages);
      return [];
    } finally {
      this.kafka.concurrent--;
    }
  }
}

const fastBackoff = { initialMs: 5, maxMs: 20 };

async function setup(options: { maxRequestBytes?: number; batchSize?: number } = {}) {
  const kafka = new FakeKafka();
  const eventStore = new InMemoryEventStore();
  const checkpoints = await EmbeddedReadStore.open({});
  const topic = 'test.orders.v1';
  const relay = (): KafkaRelay =>
    new KafkaRelay({ kafka: kafka.asKafka(), log: ordersLog(topic), eventStore, checkpoints, schemas: ordersSchemas, backoff: fastBackoff, ...options });
  return { kafka, eventStore, checkpoints, topic, relay };
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('KafkaRelay (fake broker)', () => {
  it('publishes mapped events in log order as CloudEvents and checkpoints past unpublished ones', async () => {
    const { kafka, eventStore, checkpoints, relay: make } = await setup();
    const order = randomUUID();
    await placeOrders(eventStore, 3, { orders: [order] });
    await noteOrder(eventStore, order); // not published, still checkpointed
    const relay = make();
    relay.start();
    await relay.caughtUp;
    assert.deepEqual(kafka.createdTopics, [['test.orders.v1', 'test.orders.v1.dlq']]);
    assert.deepEqual(kafka.published().map((d) => d.seq), [1, 2, 3]);
    const first = kafka.acked[0]![0]!;
    assert.equal(first.key, order);
    assert.equal((first.headers as Record<string, string>)['ce_dataschema'], 'urn:leadstream:orders:OrderPlaced:v1');
    assert.equal(await checkpoints.getCheckpoint('relay:test.orders.v1'), await eventStore.headPosition());
    const status = await relay.status();
    assert.equal(status.state, 'running');
    assert.equal(status.lag, 0);
    assert.equal(status.published, 3);
    await relay.stop();
    assert.equal(kafka.producers[0]!.connected, false);
  });

  it('stores the checkpoint only after the broker acknowledged', async () => {
    const { kafka, eventStore, checkpoints, relay: make } = await setup();
    await placeOrders(eventStore, 5);
    let release!: () => void;
    kafka.hold = new Promise<void>((r) => (release = r));
    const relay = make();
    relay.start();
    await until(() => kafka.attempts.length === 1, 'the first request');
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(await checkpoints.getCheckpoint('relay:test.orders.v1'), null, 'no checkpoint before the ack');
    assert.equal((await relay.status()).position, 0);
    release();
    await relay.caughtUp;
    assert.equal(await checkpoints.getCheckpoint('relay:test.orders.v1'), 5);
    await relay.stop();
  });

  it('retries a failed request forever with the identical messages, never skipping, and reports it', async () => {
    const { kafka, eventStore, checkpoints, relay: make } = await setup();
    await placeOrders(eventStore, 4);
    kafka.failures = Array.from({ length: 6 }, () => Object.assign(new Error('Connection error: connect ECONNREFUSED'), { type: undefined }));
    const relay = make();
    relay.start();
    await until(() => kafka.attempts.length >= 3, 'a few attempts');
    const during = await relay.status();
    assert.equal(during.state, 'retrying');
    assert.match(during.lastError?.message ?? '', /ECONNREFUSED/);
    assert.equal(during.position, 0);
    assert.equal(await checkpoints.getCheckpoint('relay:test.orders.v1'), null);
    await relay.caughtUp;
    assert.equal(kafka.attempts.length, 7);
    for (const attempt of kafka.attempts) assert.equal(attempt, kafka.attempts[0], 'every retry re-sends the same request');
    assert.equal(kafka.producers.length, 1, 'connection errors keep the producer (and its sequence numbers)');
    assert.deepEqual(kafka.published().map((d) => d.seq), [1, 2, 3, 4]);
    const after = await relay.status();
    assert.equal(after.state, 'running');
    assert.equal(after.failures, 6);
    assert.equal(after.position, 4);
    await relay.stop();
  });

  it('keeps trying when Kafka is down at boot, reporting it, then publishes', async () => {
    const { kafka, eventStore, relay: make } = await setup();
    await placeOrders(eventStore, 2);
    kafka.adminFailures = 3;
    const relay = make();
    relay.start();
    await until(async () => (await relay.status()).failures >= 2, 'failed boots');
    assert.match((await relay.status()).lastError?.message ?? '', /ECONNREFUSED/);
    await relay.caughtUp;
    assert.deepEqual(kafka.published().map((d) => d.seq), [1, 2]);
    assert.equal((await relay.status()).failures, 3);
    await relay.stop();
  });

  it('starts a new idempotent producer when the broker says the producer state is lost', async () => {
    const { kafka, eventStore, relay: make } = await setup();
    await placeOrders(eventStore, 2);
    kafka.failures = [Object.assign(new Error('wrapped'), { cause: Object.assign(new Error('out of order'), { type: 'OUT_OF_ORDER_SEQUENCE_NUMBER' }) })];
    const relay = make();
    relay.start();
    await relay.caughtUp;
    assert.equal(kafka.producers.length, 2);
    assert.equal(kafka.producers[0]!.connected, false);
    assert.deepEqual(kafka.published().map((d) => d.seq), [1, 2]);
    await relay.stop();
  });

  it('splits a batch into requests under maxRequestBytes, checkpointing after each', async () => {
    const { kafka, eventStore, checkpoints, relay: make } = await setup({ maxRequestBytes: 2000 });
    await placeOrders(eventStore, 40, { note: 'x'.repeat(200) });
    const seen: number[] = [];
    const set = checkpoints.setCheckpoint.bind(checkpoints);
    checkpoints.setCheckpoint = async (name, position) => {
      seen.push(position);
      // every checkpointed event is already acknowledged
      assert.equal(kafka.acked.flat().length, position);
      await set(name, position);
    };
    const relay = make();
    relay.start();
    await relay.caughtUp;
    assert.ok(kafka.acked.length > 5, `${kafka.acked.length} requests`);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
    assert.equal(seen.at(-1), 40);
    assert.deepEqual(kafka.published().map((d) => d.seq), Array.from({ length: 40 }, (_, i) => i + 1));
    await relay.stop();
  });

  it('resumes from its checkpoint after a restart, without gaps', async () => {
    const { kafka, eventStore, relay: make } = await setup();
    const order = randomUUID();
    const seqs = new Map<string, number>();
    await placeOrders(eventStore, 3, { orders: [order], startSeq: seqs });
    const first = make();
    first.start();
    await first.caughtUp;
    await first.stop();
    await placeOrders(eventStore, 3, { orders: [order], startSeq: seqs });
    const second = make();
    second.start();
    await second.caughtUp;
    assert.deepEqual(kafka.published().map((d) => d.seq), [1, 2, 3, 4, 5, 6]);
    await second.stop();
  });

  it('follows live appends after catching up', async () => {
    const { kafka, eventStore, relay: make } = await setup();
    const relay = make();
    relay.start();
    await relay.caughtUp;
    await placeOrders(eventStore, 3);
    await until(() => kafka.published().length === 3, 'live events');
    await relay.stop();
  });

  it('restarts from the checkpoint when storing the checkpoint fails (duplicates, no gaps)', async () => {
    const { kafka, eventStore, checkpoints, relay: make } = await setup({ batchSize: 2 });
    const order = randomUUID();
    await placeOrders(eventStore, 4, { orders: [order] });
    const set = checkpoints.setCheckpoint.bind(checkpoints);
    let calls = 0;
    checkpoints.setCheckpoint = (name, position) => (++calls === 2 ? Promise.reject(new Error('disk full')) : set(name, position));
    const relay = make();
    relay.start();
    await until(() => kafka.published().length >= 6, 'the re-sent batch');
    await relay.caughtUp;
    // 1,2 acked+checkpointed; 3,4 acked, checkpoint failed; restart from 2 re-sends 3,4.
    assert.deepEqual(kafka.published().map((d) => d.seq), [1, 2, 3, 4, 3, 4]);
    assert.match((await relay.status()).lastError?.message ?? '', /disk full/);
    assert.equal(await checkpoints.getCheckpoint('relay:test.orders.v1'), 4);
    await relay.stop();
  });

  it('stops promptly while retrying and keeps the last good checkpoint', async () => {
    const { kafka, eventStore, checkpoints, relay: make } = await setup();
    await placeOrders(eventStore, 2);
    kafka.failures = Array.from({ length: 1000 }, () => new Error('broker down'));
    const relay = make();
    relay.start();
    await until(() => kafka.attempts.length >= 2, 'retries');
    const t0 = Date.now();
    await relay.stop();
    assert.ok(Date.now() - t0 < 1000, `stop took ${Date.now() - t0} ms`);
    assert.equal(await checkpoints.getCheckpoint('relay:test.orders.v1'), null);
    assert.equal((await relay.status()).state, 'stopped');
  });
});
