// End-to-end lag over Kafka at a steady rate: leads.LeadCreated events appended to an SQLite event
// store at BENCH_LAG_RATE per second → KafkaRelay → topic → KafkaBus consumer (inbox in an
// EmbeddedReadStore file) → handler. Lag = handler call − append acknowledged, p50/p99/max.
// Raw baseline in the same run: a bare kafkajs producer sending the same kind of messages at the
// same rate and tick (one sendBatch per tick, same producer settings) to a bare kafkajs consumer;
// lag = eachMessage − the moment the tick's send was called.
//
//   npm run build && KAFKA_BROKERS=127.0.0.1:9092 node tools/bench/kafka-lag.bench.mjs
//
// Env: BENCH_LAG_RATE (1000 events/s), BENCH_LAG_SECONDS (10), BENCH_DIR (os.tmpdir()).
// Goal: p99 <= 1000 ms. Skips (exit 0) when KAFKA_BROKERS is unset.
// Prints human-readable lines, then {"bench":"kafka-lag","p50Ms","p99Ms",…,"rawP50Ms","rawP99Ms"}.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompressionTypes, Kafka, logLevel, Partitioners } from 'kafkajs';
import busKafka from '@leadstream/bus-kafka';
import leadsContracts from '@leadstream/contracts-leads';
import { SqliteEventStore } from '@leadstream/event-store-sqlite';
import { EmbeddedReadStore } from '@leadstream/read-store-embedded';
import leads from '@leadstream/leads';
import { percentile, round } from './lib.mjs';

const { KafkaBus, KafkaRelay, busLogCreator, ensureTopics, parseBrokers, toKafkaMessage } = busKafka;
const { leadsContractSchemas, LeadCreatedV2Type, LEADS_SOURCE } = leadsContracts;
const { leadsPublishedLog, LEAD_CATEGORY, sealPersonalData } = leads;

if (!process.env.KAFKA_BROKERS) {
  console.log('kafka-lag: skipped (KAFKA_BROKERS is not set: npm run infra:up, then KAFKA_BROKERS=127.0.0.1:9092)');
  process.exit(0);
}
// kafkajs 2.2.4 computes a negative timeout that Node 24 reports once (TimeoutNegativeWarning): harmless, hidden.
const warningListeners = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (w) => w.name !== 'TimeoutNegativeWarning' && warningListeners.forEach((l) => l(w)));

const RATE = Number(process.env.BENCH_LAG_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 10);
const TOTAL = Math.round(RATE * SECONDS);
const TICK_MS = 10;
const brokers = parseBrokers(process.env.KAFKA_BROKERS);
const prefix = `bench.${randomBytes(4).toString('hex')}`;
const baseDir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'leadstream-bench-lag-'));
const kafka = new Kafka({ brokers, clientId: `${prefix}-bench`, logLevel: logLevel.WARN, logCreator: busLogCreator });
const topics = [];

async function freshTopic(name) {
  const topic = `${prefix}.${name}`;
  topics.push(topic, `${topic}.dlq`);
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [topic, `${topic}.dlq`], { partitions: 3, replicationFactor: 1 });
  await admin.disconnect();
  return topic;
}

const enterpriseId = randomUUID();
function leadCreated(i) {
  const leadId = randomUUID();
  return {
    leadId,
    enterpriseId,
    // as the leads service stores it: personal data sealed under the lead's own key
    personal: sealPersonalData(
      { name: `张伟 ${i}`, phone: `138${String(i).padStart(8, '0')}`, qq: null, email: `lead.${i}@example.com`, company: 'Ångström Trading Co., Ltd.', title: null, fields: {} },
      randomBytes(32),
      leadId,
    ),
    source: 'webinar-2025-q3',
    activityId: randomUUID(),
    statusId: '00000000-0000-4000-8000-000000000001',
    ownerId: null,
    tags: ['b2b', 'saas'],
    createdBy: enterpriseId,
    createdAt: new Date().toISOString(),
  };
}

/** Calls `emit(count)` every TICK_MS with how many are due to keep RATE; resolves when TOTAL were emitted. */
async function paced(emit) {
  const start = performance.now();
  let sent = 0;
  const pending = [];
  while (sent < TOTAL) {
    const due = Math.min(TOTAL, Math.floor(((performance.now() - start) / 1000) * RATE));
    if (due > sent) {
      pending.push(emit(sent, due - sent));
      sent = due;
    }
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  await Promise.all(pending);
  return (performance.now() - start) / 1000;
}

function waitUntil(check, what, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const poll = () => {
      if (check()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

async function benchRelayPath() {
  const topic = await freshTopic('lag.leads.v1');
  const eventStore = new SqliteEventStore({ path: join(baseDir, 'events.db') });
  const relayStore = await EmbeddedReadStore.open({ path: join(baseDir, 'leads-read.db') });
  const consumerStore = await EmbeddedReadStore.open({ path: join(baseDir, 'consumer-read.db') });
  const relay = new KafkaRelay({ kafka, log: leadsPublishedLog, topic, eventStore, checkpoints: relayStore, schemas: leadsContractSchemas, topics: false });
  const bus = new KafkaBus({ kafka, topicOf: () => topic, topics: false });
  const appendedAt = new Map();
  const lags = [];
  const handle = await bus.consume({
    name: `${prefix}.lag-consumer`,
    from: 'leads',
    store: consumerStore,
    handle: (event) => {
      const at = appendedAt.get(event.id);
      if (at !== undefined) lags.push(performance.now() - at);
      return Promise.resolve();
    },
  });
  relay.start();
  await Promise.all([handle.caughtUp, relay.caughtUp]);
  const seconds = await paced((from, count) =>
    Promise.all(
      Array.from({ length: count }, async (_, k) => {
        const data = leadCreated(from + k);
        const id = randomUUID();
        await eventStore.appendToStream(`${LEAD_CATEGORY}-${data.leadId}`, [{ id, type: 'leads.LeadCreated', data, metadata: { tenantId: enterpriseId, correlationId: randomUUID() } }], {
          expectedRevision: 'no_stream',
        });
        appendedAt.set(id, performance.now());
      }),
    ),
  );
  await waitUntil(() => lags.length >= TOTAL, `${TOTAL} events at the consumer (have ${lags.length})`);
  const status = await relay.status();
  await handle.stop();
  await bus.close();
  await relay.stop();
  await Promise.all([eventStore.close(), relayStore.close(), consumerStore.close()]);
  return { lags, seconds, relayFailures: status.failures };
}

async function benchRaw() {
  const topic = await freshTopic('lag-raw.leads.v1');
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  const consumer = kafka.consumer({ groupId: `${prefix}.lag-raw`, maxWaitTimeInMs: 1000 });
  const sentAt = new Map();
  const lags = [];
  let joined;
  const ready = new Promise((r) => (joined = r));
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      const at = sentAt.get(message.headers.ce_id.toString());
      if (at !== undefined) lags.push(performance.now() - at);
      return Promise.resolve();
    },
  });
  await ready;
  // One sendBatch per tick, one after the other (as the relay does with maxInFlightRequests 1).
  let chain = Promise.resolve();
  const seconds = await paced((from, count) => {
    const at = performance.now();
    const messages = Array.from({ length: count }, (_, k) => {
      const data = leadCreated(from + k);
      const id = randomUUID();
      sentAt.set(id, at);
      return toKafkaMessage({
        id,
        type: LeadCreatedV2Type,
        source: LEADS_SOURCE,
        subject: data.leadId,
        time: new Date().toISOString(),
        tenantId: enterpriseId,
        correlationId: randomUUID(),
        data,
        dataschema: leadsContractSchemas[LeadCreatedV2Type].$id,
      });
    });
    chain = chain.then(() => producer.sendBatch({ acks: -1, compression: CompressionTypes.None, topicMessages: [{ topic, messages }] }));
    return chain;
  });
  await waitUntil(() => lags.length >= TOTAL, `${TOTAL} raw records at the consumer (have ${lags.length})`);
  await consumer.disconnect();
  await producer.disconnect();
  return { lags, seconds };
}

try {
  console.log(`kafka-lag: ${TOTAL} events at ${RATE}/s (ticks of ${TICK_MS} ms), Kafka ${brokers.join(',')}`);
  const relayPath = await benchRelayPath();
  const raw = await benchRaw();
  const sorted = relayPath.lags.sort((a, b) => a - b);
  const rawSorted = raw.lags.sort((a, b) => a - b);
  const out = {
    bench: 'kafka-lag',
    rate: RATE,
    events: TOTAL,
    achievedRate: Math.round(TOTAL / relayPath.seconds),
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1)),
    rawP50Ms: round(percentile(rawSorted, 50)),
    rawP99Ms: round(percentile(rawSorted, 99)),
    rawMaxMs: round(rawSorted.at(-1)),
    goalP99Ms: 1000,
    relayFailures: relayPath.relayFailures,
  };
  console.log(
    `kafka-lag append → relay → Kafka → KafkaBus handler: p50 ${out.p50Ms} ms, p99 ${out.p99Ms} ms, max ${out.maxMs} ms at ${out.achievedRate} events/s (goal p99 <= 1000 ms)`,
  );
  console.log(`kafka-lag raw kafkajs producer → consumer, same rate and ticks: p50 ${out.rawP50Ms} ms, p99 ${out.rawP99Ms} ms, max ${out.rawMaxMs} ms`);
  console.log(JSON.stringify(out));
} finally {
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const mine = topics.filter((t) => existing.has(t));
  if (mine.length > 0) await admin.deleteTopics({ topics: mine }).catch(() => undefined);
  await admin.deleteGroups([`${prefix}.lag-consumer`, `${prefix}.lag-raw`]).catch(() => undefined);
  await admin.disconnect();
  rmSync(baseDir, { recursive: true, force: true });
}
