// Relay catch-up throughput to Kafka: KafkaRelay publishing BENCH_EVENTS pre-appended events
// (leads.LeadCreated, mapped by the real leads PublishedLog to leads.LeadCreated.v2 CloudEvents)
// from an SQLite event store on a temp file, against a raw kafkajs producer sending the very same
// messages in the same run.
//
//   npm run build && KAFKA_BROKERS=127.0.0.1:9092 node tools/bench/relay-kafka.bench.mjs
//
// Relay: from start() until caughtUp (every event acknowledged with acks=-1 and checkpointed in an
// EmbeddedReadStore on a temp file); includes reading the log, mapping, encoding and checkpoints.
// Raw baseline: the same messages (keys, values, headers: pre-computed from the same events), in
// requests of exactly the sizes the relay sent (recorded from its producer), one sendBatch after
// the other on a producer with the same settings (idempotent, maxInFlightRequests 1, acks=-1, no
// compression). Each side gets a fresh 3-partition topic per round; best of ROUNDS for each side,
// alternating. Skips (exit 0) when KAFKA_BROKERS is unset.
//
// Env: BENCH_EVENTS (50000), BENCH_RELAY_BATCH (5000), BENCH_MAX_REQUEST_BYTES (800000),
// BENCH_ROUNDS (3), BENCH_DIR (os.tmpdir()).
// Prints human-readable lines, then {"bench":"relay-kafka","relayPerSec","rawPerSec","ratio",…}.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompressionTypes, Kafka, logLevel, Partitioners } from 'kafkajs';
import busKafka from '@leadstream/bus-kafka';
import bus from '@leadstream/bus';
import leadsContracts from '@leadstream/contracts-leads';
import { SqliteEventStore } from '@leadstream/event-store-sqlite';
import { EmbeddedReadStore } from '@leadstream/read-store-embedded';
import leads from '@leadstream/leads';

const { KafkaRelay, ensureTopics, parseBrokers, toKafkaMessage, busLogCreator } = busKafka;
const { toIntegrationEvent } = bus;
const { leadsContractSchemas } = leadsContracts;
const { leadsPublishedLog, LEAD_CATEGORY, sealPersonalData } = leads;

if (!process.env.KAFKA_BROKERS) {
  console.log('relay-kafka: skipped (KAFKA_BROKERS is not set: npm run infra:up, then KAFKA_BROKERS=127.0.0.1:9092)');
  process.exit(0);
}
// kafkajs 2.2.4 computes a negative timeout that Node 24 reports once (TimeoutNegativeWarning): harmless, hidden.
const warningListeners = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (w) => w.name !== 'TimeoutNegativeWarning' && warningListeners.forEach((l) => l(w)));

const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const BATCH = Number(process.env.BENCH_RELAY_BATCH ?? 5000);
const MAX_REQUEST_BYTES = Number(process.env.BENCH_MAX_REQUEST_BYTES ?? 800_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const brokers = parseBrokers(process.env.KAFKA_BROKERS);
const prefix = `bench.${randomBytes(4).toString('hex')}`;
const baseDir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'leadstream-bench-relay-'));
const kafka = new Kafka({ brokers, clientId: `${prefix}-bench`, logLevel: logLevel.WARN, logCreator: busLogCreator });
const topics = [];
const producerSettings = { idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false };

async function freshTopic(name) {
  const topic = `${prefix}.${name}`;
  topics.push(topic, `${topic}.dlq`);
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [topic, `${topic}.dlq`], { partitions: 3, replicationFactor: 1 });
  await admin.disconnect();
  return topic;
}

/** 50,000 leads, one stream each, like a busy day's imports: ~600 bytes of JSON per message. */
async function fillEventStore(path) {
  const store = new SqliteEventStore({ path, synchronous: 'normal' });
  const enterpriseId = randomUUID();
  const metadata = { tenantId: enterpriseId, correlationId: randomUUID(), causationId: null, actor: randomUUID() };
  const key = randomBytes(32);
  const appenders = 64;
  await Promise.all(
    Array.from({ length: appenders }, async (_, w) => {
      for (let i = w; i < EVENTS; i += appenders) {
        const leadId = randomUUID();
        await store.appendToStream(
          `${LEAD_CATEGORY}-${leadId}`,
          [
            {
              type: 'leads.LeadCreated',
              data: {
                leadId,
                enterpriseId,
                // as the leads service stores it: personal data sealed under the lead's own key
                personal: sealPersonalData(
                  { name: `张伟 ${i}`, phone: `138${String(i).padStart(8, '0')}`, qq: null, email: `lead.${i}@example.com`, company: 'Ångström Trading Co., Ltd.', title: null, fields: {} },
                  key,
                  leadId,
                ),
                source: 'webinar-2025-q3',
                activityId: randomUUID(),
                statusId: '00000000-0000-4000-8000-000000000001',
                ownerId: null,
                tags: ['b2b', 'saas'],
                createdBy: metadata.actor,
                createdAt: new Date().toISOString(),
              },
              metadata,
            },
          ],
          { expectedRevision: 'no_stream' },
        );
      }
    }),
  );
  return store;
}

/** A Kafka client whose producers record how many messages each request carried. */
function recordingKafka(requestSizes) {
  return new Proxy(kafka, {
    get(target, prop) {
      if (prop !== 'producer') return Reflect.get(target, prop);
      return (config) => {
        const producer = target.producer(config);
        const sendBatch = producer.sendBatch.bind(producer);
        producer.sendBatch = async (batch) => {
          const result = await sendBatch(batch);
          requestSizes.push(batch.topicMessages[0].messages.length);
          return result;
        };
        return producer;
      };
    },
  });
}

async function runRelay(eventStore, round) {
  const topic = await freshTopic(`relay.${round}.leads.v1`);
  const checkpoints = await EmbeddedReadStore.open({ path: join(baseDir, `checkpoints-${round}.db`) });
  const requestSizes = [];
  const relay = new KafkaRelay({
    kafka: recordingKafka(requestSizes),
    log: leadsPublishedLog,
    topic,
    eventStore,
    checkpoints,
    schemas: leadsContractSchemas,
    batchSize: BATCH,
    maxRequestBytes: MAX_REQUEST_BYTES,
    topics: false,
  });
  const start = process.hrtime.bigint();
  relay.start();
  await relay.caughtUp;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const status = await relay.status();
  await relay.stop();
  await checkpoints.close();
  const published = requestSizes.reduce((a, b) => a + b, 0);
  if (published < EVENTS || status.lag !== 0) throw new Error(`relay published ${published} of ${EVENTS} (lag ${status.lag})`);
  return { perSec: published / seconds, seconds, requestSizes, published };
}

/** The relay's exact messages: same events, same mapping and encoding, computed beforehand. */
async function relayMessages(eventStore) {
  const messages = [];
  for (let after = 0; ; ) {
    const events = await eventStore.readAll({ after, maxCount: 10_000, categories: leadsPublishedLog.categories });
    if (events.length === 0) break;
    for (const e of events) {
      const integration = toIntegrationEvent(leadsPublishedLog, e);
      if (integration) messages.push(toKafkaMessage({ ...integration, dataschema: leadsContractSchemas[integration.type].$id }));
    }
    after = events.at(-1).position;
  }
  return messages;
}

async function runRaw(messages, requestSizes, round) {
  const topic = await freshTopic(`raw.${round}.leads.v1`);
  const producer = kafka.producer(producerSettings);
  await producer.connect();
  const start = process.hrtime.bigint();
  let i = 0;
  for (const size of requestSizes) {
    await producer.sendBatch({ acks: -1, timeout: 30_000, compression: CompressionTypes.None, topicMessages: [{ topic, messages: messages.slice(i, i + size) }] });
    i += size;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await producer.disconnect();
  return { perSec: i / seconds, seconds };
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
let eventStore;
try {
  const t0 = Date.now();
  eventStore = await fillEventStore(join(baseDir, 'events.db'));
  console.log(`relay-kafka: ${fmt(EVENTS)} leads.LeadCreated events appended to SQLite in ${((Date.now() - t0) / 1000).toFixed(1)} s; Kafka ${brokers.join(',')}`);
  const messages = await relayMessages(eventStore);
  const avgBytes = messages.reduce((n, m) => n + m.value.length + m.key.length + Object.entries(m.headers).reduce((h, [k, v]) => h + k.length + v.length, 0), 0) / messages.length;

  // Warm-up (JIT, connections, broker): one full round each way, discarded.
  const warm = await runRelay(eventStore, 'warmup');
  await runRaw(messages, warm.requestSizes, 'warmup');

  let bestRelay = null;
  let bestRaw = null;
  for (let round = 0; round < ROUNDS; round++) {
    const relay = await runRelay(eventStore, round);
    const raw = await runRaw(messages, relay.requestSizes, round);
    console.log(`  round ${round + 1}: relay ${fmt(relay.perSec)} events/s (${relay.seconds.toFixed(2)} s, ${relay.requestSizes.length} requests), raw ${fmt(raw.perSec)} msgs/s (${raw.seconds.toFixed(2)} s)`);
    if (!bestRelay || relay.perSec > bestRelay.perSec) bestRelay = relay;
    if (!bestRaw || raw.perSec > bestRaw.perSec) bestRaw = raw;
  }
  const requests = bestRelay.requestSizes.length;
  const ratio = bestRelay.perSec / bestRaw.perSec;
  console.log(`relay-kafka relay ${fmt(bestRelay.perSec)} events/s: SQLite log → map → CloudEvents → idempotent producer (acks=-1) → checkpoint, ${requests} requests of ~${Math.round(EVENTS / requests)} messages (~${Math.round(avgBytes)} B each)`);
  console.log(`relay-kafka raw   ${fmt(bestRaw.perSec)} msgs/s: the same pre-computed messages and request sizes, bare kafkajs sendBatch`);
  console.log(`relay-kafka ratio relay/raw ${ratio.toFixed(3)} (goals: ratio >= 0.7, relay >= 20,000 events/s)`);
  console.log(
    JSON.stringify({
      bench: 'relay-kafka',
      relayPerSec: Math.round(bestRelay.perSec),
      rawPerSec: Math.round(bestRaw.perSec),
      ratio: Number(ratio.toFixed(3)),
      events: EVENTS,
      requests,
      avgMessagesPerRequest: Math.round(EVENTS / requests),
      avgMessageBytes: Math.round(avgBytes),
      batchSize: BATCH,
      maxRequestBytes: MAX_REQUEST_BYTES,
      rounds: ROUNDS,
      acks: -1,
      idempotent: true,
      compression: 'none',
      partitions: 3,
    }),
  );
} finally {
  await eventStore?.close();
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const mine = topics.filter((t) => existing.has(t));
  if (mine.length > 0) await admin.deleteTopics({ topics: mine }).catch(() => undefined);
  await admin.disconnect();
  rmSync(baseDir, { recursive: true, force: true });
}
