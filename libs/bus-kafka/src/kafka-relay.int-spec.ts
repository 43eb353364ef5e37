import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe } from 'node:test';
import { InMemoryEventStore } from '@leadstream/event-sourcing';
import { EmbeddedReadStore } from '@leadstream/read-store-embedded';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { logLevel } from 'kafkajs';
import { fromKafkaMessage } from './cloudevents';
import { KafkaBus } from './kafka-bus';
import { KafkaRelay } from './kafka-relay';
import { switchableNetwork } from './testing/kafka-environment';
import { headersOf, kafkaSuite, readTopic, waitFor } from './testing/kafka-suite';
import { ordersLog, ordersSchemas, placeOrders, type OrderPlacedV1 } from './testing/orders';
import { publishingServices } from './testing/workspace-contracts';

const test = kafkaSuite();
const root = resolve(__dirname, '..', '..', '..');
/** Outage length for the broker-down test; KAFKA_OUTAGE_MS=35000 runs the 30+ s version. */
const outageMs = Number(process.env['KAFKA_OUTAGE_MS'] ?? 6000);

/** Per order, the consumed seqs must be 1..n in order, duplicates aside. */
function assertPerKeyOrder(records: readonly OrderPlacedV1[], expected: ReadonlyMap<string, number>): void {
  const byOrder = new Map<string, number[]>();
  for (const r of records) byOrder.set(r.orderId, [...(byOrder.get(r.orderId) ?? []), r.seq]);
  assert.equal(byOrder.size, expected.size);
  for (const [orderId, n] of expected) {
    const seqs = byOrder.get(orderId) ?? [];
    // At least once: re-sends may repeat events, but in first-occurrence order every event of the
    // order is there (no gap) and in sequence (no reordering).
    const firstOccurrences = [...new Set(seqs)];
    assert.deepEqual(firstOccurrences, Array.from({ length: n }, (_, i) => i + 1), `order ${orderId}: ${seqs.join(',')}`);
  }
}

describe('KafkaRelay on a real broker', () => {
  test('publishes the services\u2019 real contracts as CloudEvents: headers, key, JSON Schema, AsyncAPI headers', async (k) => {
    const asyncapi = JSON.parse(readFileSync(join(root, 'docs', 'asyncapi.json'), 'utf8')) as {
      components: { messages: Record<string, { headers: object }> };
    };
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    for (const service of publishingServices()) {
      const topic = k.topic(`${service.service}.v1`);
      const eventStore = new InMemoryEventStore();
      const fixtures = service.fixtures();
      for (const f of fixtures) await eventStore.appendToStream(f.streamId, [f.event]);
      const relay = new KafkaRelay({
        brokers: k.brokers,
        clientId: `${k.prefix}-relay`,
        log: service.log,
        topic,
        eventStore,
        checkpoints: await EmbeddedReadStore.open({}),
        schemas: service.schemas,
      });
      relay.start();
      await relay.caughtUp;
      await relay.stop();
      const records = await readTopic(k.kafka, topic, fixtures.length);
      assert.equal(records.length, fixtures.length);
      for (const record of records) {
        const headers = headersOf(record);
        const event = fromKafkaMessage(record);
        assert.equal(record.key?.toString(), event.subject, 'key = subject');
        assert.equal(headers['ce_specversion'], '1.0');
        assert.equal(headers['content-type'], 'application/json');
        assert.equal(headers['ce_source'], service.log.source);
        const schema = service.schemas[event.type]!;
        assert.equal(event.dataschema, schema.$id);
        const validateData = ajv.getSchema(schema.$id) ?? ajv.compile(schema);
        assert.ok(validateData(JSON.parse(record.value!.toString())), `${event.type}: ${ajv.errorsText(validateData.errors)}`);
        const validateHeaders = ajv.compile(asyncapi.components.messages[event.type]!.headers);
        assert.ok(validateHeaders(headers), `${event.type} headers: ${ajv.errorsText(validateHeaders.errors)}`);
      }
    }
  });

  test('resumes from its checkpoint after a stop, without gaps', async (k) => {
    const topic = k.topic('orders.v1');
    const eventStore = new InMemoryEventStore();
    const checkpoints = await EmbeddedReadStore.open({});
    const orders = Array.from({ length: 5 }, () => randomUUID());
    const seqs = new Map<string, number>();
    const relay = () => new KafkaRelay({ brokers: k.brokers, clientId: `${k.prefix}-relay`, log: ordersLog(topic), topic, eventStore, checkpoints });
    await placeOrders(eventStore, 50, { orders, startSeq: seqs });
    const first = relay();
    first.start();
    await first.caughtUp;
    await first.stop();
    assert.equal(await checkpoints.getCheckpoint(`relay:${topic}`), await eventStore.headPosition());
    await placeOrders(eventStore, 50, { orders, startSeq: seqs });
    const second = relay();
    second.start();
    await second.caughtUp;
    await second.stop();
    const records = await readTopic(k.kafka, topic, 100);
    assertPerKeyOrder(records.map((r) => fromKafkaMessage(r).data as OrderPlacedV1), seqs);
  });

  test(
    `survives the broker being unreachable for ${outageMs / 1000} s: no checkpoint without ack, then catches up`,
    async (k) => {
      const topic = k.topic('outage.v1');
      const eventStore = new InMemoryEventStore();
      const checkpoints = await EmbeddedReadStore.open({});
      const network = switchableNetwork();
      const orders = Array.from({ length: 4 }, () => randomUUID());
      const seqs = new Map<string, number>();
      const relay = new KafkaRelay({
        brokers: k.brokers,
        clientId: `${k.prefix}-relay`,
        // Connection errors are the point here: keep kafkajs quiet about them.
        kafkaConfig: { socketFactory: network.socketFactory, logLevel: logLevel.NOTHING, connectionTimeout: 1000 },
        log: ordersLog(topic),
        topic,
        eventStore,
        checkpoints,
        backoff: { initialMs: 100, maxMs: 1000 },
      });
      await placeOrders(eventStore, 20, { orders, startSeq: seqs });
      relay.start();
      await relay.caughtUp;
      const before = await checkpoints.getCheckpoint(`relay:${topic}`);

      network.down();
      await placeOrders(eventStore, 200, { orders, startSeq: seqs });
      const downSince = Date.now();
      await waitFor(async () => (await relay.status()).state === 'retrying', 'the relay to notice', outageMs + 10_000);
      await new Promise((r) => setTimeout(r, Math.max(0, outageMs - (Date.now() - downSince))));
      const during = await relay.status();
      assert.equal(during.state, 'retrying');
      assert.ok(during.lastError, 'lastError is reported');
      assert.ok(during.lag > 0, `lag ${during.lag}`);
      assert.equal(during.position, before, 'nothing acknowledged, nothing checkpointed');
      assert.equal(await checkpoints.getCheckpoint(`relay:${topic}`), before);

      network.up();
      const upAt = Date.now();
      await waitFor(async () => (await relay.status()).lag === 0, 'catch-up after the outage', 30_000);
      const status = await relay.status();
      console.log(`# outage ${Math.round((upAt - downSince) / 100) / 10} s: ${status.failures} failed attempts, caught up ${Date.now() - upAt} ms after the broker came back; last error: ${during.lastError?.message}`);
      assert.equal(status.state, 'running');
      await relay.stop();
      const records = await readTopic(k.kafka, topic, 220);
      assertPerKeyOrder(records.map((r) => fromKafkaMessage(r).data as OrderPlacedV1), seqs);
    },
    outageMs + 60_000,
  );

  test('keeps per-aggregate order end to end (relay → KafkaBus) over 3,000 events on 3 partitions', async (k) => {
    const topic = k.topic('orders-many.v1');
    const eventStore = new InMemoryEventStore();
    const orders = Array.from({ length: 30 }, () => randomUUID());
    const seqs = new Map<string, number>();
    await placeOrders(eventStore, 3000, { orders, startSeq: seqs });
    const relay = new KafkaRelay({
      brokers: k.brokers,
      clientId: `${k.prefix}-relay`,
      log: ordersLog(topic),
      topic,
      eventStore,
      checkpoints: await EmbeddedReadStore.open({}),
      schemas: ordersSchemas,
      // small requests: many produce requests per partition, interleaved with the consumer
      batchSize: 500,
      maxRequestBytes: 20_000,
    });
    const bus = new KafkaBus({ brokers: k.brokers, clientId: `${k.prefix}-bus`, topicOf: () => topic, consumer: { partitionsConsumedConcurrently: 3 } });
    const received: OrderPlacedV1[] = [];
    // The consumer creates the topics first, then the relay publishes while it consumes.
    const handle = await bus.consume({
      name: k.group('orders-many'),
      from: 'orders',
      store: await EmbeddedReadStore.open({}),
      handle: (event) => {
        received.push(event.data as OrderPlacedV1);
        return Promise.resolve();
      },
    });
    relay.start();
    await relay.caughtUp;
    await waitFor(() => received.length >= 3000, `3000 events (have ${received.length})`);
    assertPerKeyOrder(received, seqs);
    assert.equal(received.length, 3000, 'the inbox passes each event once');
    await handle.stop();
    await bus.close();
    await relay.stop();
    const partitions = new Set((await readTopic(k.kafka, topic, 3000)).map((r) => r.partition));
    assert.equal(partitions.size, 3, 'the orders are spread over the partitions');
  });
});
