import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe } from 'node:test';
import { DEAD_LETTER_COLLECTION, INBOX_COLLECTION, type IntegrationEvent } from '@leadstream/bus';
import { EmbeddedReadStore } from '@leadstream/read-store-embedded';
import { logLevel, Partitioners, type Kafka, type Message } from 'kafkajs';
import { CE_ERROR_HEADER, fromKafkaMessage, toKafkaMessage } from './cloudevents';
import { DLQ_CONSUMER_HEADER, DLQ_ORIGIN_HEADER, KafkaBus } from './kafka-bus';
import { ensureTopics } from './topics';
import { headersOf, kafkaSuite, readTopic, type KafkaTestContext } from './testing/kafka-suite';
import { ORDER_PLACED_V1, tenantId, type OrderPlacedV1 } from './testing/orders';

const test = kafkaSuite();

function orderEvent(orderId: string, seq: number, type = ORDER_PLACED_V1): IntegrationEvent<OrderPlacedV1> {
  return {
    id: randomUUID(),
    type,
    source: 'leadstream/orders',
    subject: orderId,
    time: new Date().toISOString(),
    tenantId,
    correlationId: `corr-${seq}`,
    data: { orderId, seq },
  };
}

async function produce(kafka: Kafka, topic: string, messages: Message[]): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();
}

/** A bus whose `orders` topic is a fresh one of this run (created, 3 partitions). */
async function setup(k: KafkaTestContext, name: string, kafkaConfig?: { logLevel: logLevel }) {
  const topic = k.topic(`${name}.v1`);
  const admin = k.kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [topic, `${topic}.dlq`]);
  await admin.disconnect();
  const bus = new KafkaBus({
    brokers: k.brokers,
    clientId: `${k.prefix}-bus`,
    ...(kafkaConfig ? { kafkaConfig } : {}),
    topicOf: (service) => (service === 'orders' ? topic : `${k.prefix}.${service}.v1`),
    backoff: { initialMs: 20, maxMs: 200 },
  });
  return { topic, bus };
}

describe('KafkaBus on a real broker', () => {
  test('hands an event delivered twice to the handler once (inbox), and resolves caughtUp after the backlog', async (k) => {
    const { topic, bus } = await setup(k, 'dedup');
    const order = randomUUID();
    const first = orderEvent(order, 1);
    const second = orderEvent(order, 2);
    // the same record twice: what a relay re-send after a lost ack looks like
    await produce(k.kafka, topic, [toKafkaMessage(first), toKafkaMessage(first), toKafkaMessage(second)]);
    const handled: string[] = [];
    const store = await EmbeddedReadStore.open({});
    const name = k.group('dedup');
    const handle = await bus.consume({
      name,
      from: 'orders',
      store,
      handle: (e) => {
        handled.push(e.id);
        return Promise.resolve();
      },
    });
    await handle.caughtUp;
    assert.deepEqual(handled, [first.id, second.id], 'caughtUp means the backlog is handled, once each');
    assert.equal(await store.collection(INBOX_COLLECTION).count({ consumer: name }), 2);
    await bus.close();
  });

  test('sets a poison record aside on <topic>.dlq after maxAttempts and goes on with its partition', async (k) => {
    const { topic, bus } = await setup(k, 'poison');
    const order = randomUUID(); // one key: poison, undecodable and good records share a partition
    const poison = orderEvent(order, 1);
    const good = orderEvent(order, 2);
    const garbage: Message = { key: order, value: '{"not": "a cloudevent"}', headers: { 'content-type': 'application/json' } };
    const last = orderEvent(order, 3);
    await produce(k.kafka, topic, [toKafkaMessage(poison), garbage, toKafkaMessage(good), toKafkaMessage(last)]);
    const attempts = new Map<string, number>();
    const handled: number[] = [];
    const store = await EmbeddedReadStore.open({});
    const name = k.group('poison');
    const handle = await bus.consume({
      name,
      from: 'orders',
      store,
      maxAttempts: 3,
      handle: (e) => {
        attempts.set(e.id, (attempts.get(e.id) ?? 0) + 1);
        if (e.id === poison.id) return Promise.reject(new Error('cannot handle order 1'));
        handled.push((e.data as OrderPlacedV1).seq);
        return Promise.resolve();
      },
    });
    await handle.caughtUp;
    assert.deepEqual(handled, [2, 3], 'the partition went on past both bad records, in order');
    assert.equal(attempts.get(poison.id), 3);

    const dead = await readTopic(k.kafka, `${topic}.dlq`, 2);
    const byError = dead.map((r) => ({ r, headers: headersOf(r) }));
    const handlerFailure = byError.find((d) => d.headers['ce_id'] === poison.id)!;
    assert.ok(handlerFailure, 'the poison record is on the DLQ');
    assert.match(handlerFailure.headers[CE_ERROR_HEADER]!, /handler failed 3 times: cannot handle order 1/);
    assert.equal(handlerFailure.headers[DLQ_CONSUMER_HEADER], name);
    assert.match(handlerFailure.headers[DLQ_ORIGIN_HEADER]!, new RegExp(`^${topic.replace(/\./g, '\\.')}/\\d+/0$`));
    assert.equal(handlerFailure.r.key?.toString(), order);
    // original headers and value are kept, so the record still decodes as the same event
    const { dataschema: _none, ...decoded } = fromKafkaMessage(handlerFailure.r);
    assert.deepEqual(decoded, poison);
    const undecodable = byError.find((d) => d.headers['ce_id'] === undefined)!;
    assert.match(undecodable.headers[CE_ERROR_HEADER]!, /^undecodable: missing CloudEvents attribute specversion/);
    assert.equal(undecodable.r.value?.toString(), garbage.value);
    // the consumer's own read store keeps a dead-letter record too (deliverOnce)
    assert.equal(await store.collection(DEAD_LETTER_COLLECTION).count({ consumer: name }), 1);
    await bus.close();
  });

  test('a restarted consumer group resumes from its committed offsets', async (k) => {
    const { topic, bus } = await setup(k, 'restart');
    const orders = [randomUUID(), randomUUID(), randomUUID()];
    const firstBatch = Array.from({ length: 30 }, (_, i) => orderEvent(orders[i % 3]!, i + 1));
    await produce(k.kafka, topic, firstBatch.map(toKafkaMessage));
    const name = k.group('restart');
    const seen: string[] = [];
    const options = (store: EmbeddedReadStore) => ({
      name,
      from: 'orders',
      store,
      handle: (e: IntegrationEvent) => {
        seen.push(e.id);
        return Promise.resolve();
      },
    });
    const first = await bus.consume(options(await EmbeddedReadStore.open({})));
    await first.caughtUp;
    await first.stop();
    assert.equal(seen.length, 30);

    const secondBatch = Array.from({ length: 12 }, (_, i) => orderEvent(orders[i % 3]!, 31 + i));
    await produce(k.kafka, topic, secondBatch.map(toKafkaMessage));
    // A fresh read store: no inbox to hide a re-delivery, so only the committed offsets count.
    seen.length = 0;
    const second = await bus.consume(options(await EmbeddedReadStore.open({})));
    await second.caughtUp;
    assert.deepEqual(seen.sort(), secondBatch.map((e) => e.id).sort(), 'only what was published after the stop');
    await bus.close();
  });

  test('two members of one group share the partitions; caughtUp resolves for both; each event handled once', async (k) => {
    // A second member joining rebalances the group on purpose; kafkajs logs each rejoin at ERROR.
    const { topic, bus } = await setup(k, 'members', { logLevel: logLevel.NOTHING });
    const events = Array.from({ length: 60 }, (_, i) => orderEvent(randomUUID(), i + 1));
    await produce(k.kafka, topic, events.map(toKafkaMessage));
    const store = await EmbeddedReadStore.open({}); // one service, two instances, one read store
    const name = k.group('members');
    const handledBy = new Map<string, string[]>();
    const member = (id: string) =>
      bus.consume({
        name,
        from: 'orders',
        store,
        handle: (e) => {
          handledBy.set(e.id, [...(handledBy.get(e.id) ?? []), id]);
          return Promise.resolve();
        },
      });
    const [a, b] = await Promise.all([member('a'), member('b')]);
    await Promise.all([a.caughtUp, b.caughtUp]);
    assert.equal(handledBy.size, 60, 'every event handled');
    assert.ok([...handledBy.values()].every((by) => by.length === 1), 'and only once, across a rebalance');
    await bus.close();
  });

  test('receives only the requested types, acknowledges the rest, and caughtUp resolves on an empty topic', async (k) => {
    const { topic, bus } = await setup(k, 'types');
    const emptyStore = await EmbeddedReadStore.open({});
    const idle = await bus.consume({ name: k.group('types-empty'), from: 'orders', store: emptyStore, handle: () => Promise.resolve() });
    await idle.caughtUp; // nothing published yet
    await idle.stop();

    const order = randomUUID();
    const wanted = orderEvent(order, 1);
    const other = orderEvent(order, 2, 'orders.OrderShipped.v1');
    await produce(k.kafka, topic, [toKafkaMessage(other), toKafkaMessage(wanted)]);
    const handled: string[] = [];
    const handle = await bus.consume({
      name: k.group('types'),
      from: 'orders',
      store: await EmbeddedReadStore.open({}),
      types: [ORDER_PLACED_V1],
      handle: (e) => {
        handled.push(e.type);
        return Promise.resolve();
      },
    });
    await handle.caughtUp; // reaches the high watermark, so the skipped record was committed too
    assert.deepEqual(handled, [ORDER_PLACED_V1]);
    await bus.close();
  });
});
