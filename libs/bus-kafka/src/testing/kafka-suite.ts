import { after, before, it, type TestContext } from 'node:test';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { hideKafkajsTimeoutWarning, kafkaTestEnvironment, uniquePrefix, type KafkaTestEnvironment } from './kafka-environment';

export interface KafkaTestContext {
  readonly brokers: string[];
  /** Unique per file run: `test.<hex>`; topics and groups start with it and are deleted after. */
  readonly prefix: string;
  /** Name of a topic of this run; remembered for clean-up. */
  topic(name: string): string;
  /** Name of a consumer group of this run; remembered for clean-up. */
  group(name: string): string;
  readonly kafka: Kafka;
}

/**
 * Registers `before`/`after` hooks for a file of Kafka integration tests and returns `test`, an
 * `it` that skips (with the reason) when no Kafka is available.
 */
export function kafkaSuite(): (name: string, fn: (k: KafkaTestContext, t: TestContext) => Promise<void>, timeoutMs?: number) => void {
  hideKafkajsTimeoutWarning();
  let env: KafkaTestEnvironment | null = null;
  let context: KafkaTestContext | null = null;
  const topics = new Set<string>();
  const groups = new Set<string>();

  before(async () => {
    env = await kafkaTestEnvironment();
    if ('skip' in env) {
      console.log(`# Kafka integration tests skipped: ${env.skip}`);
      return;
    }
    const prefix = uniquePrefix();
    const kafka = new Kafka({ brokers: env.brokers, clientId: `${prefix}-test`, logLevel: logLevel.WARN });
    context = {
      brokers: env.brokers,
      prefix,
      kafka,
      topic: (name) => {
        const t = `${prefix}.${name}`;
        topics.add(t);
        topics.add(`${t}.dlq`);
        return t;
      },
      group: (name) => {
        const g = `${prefix}.${name}`;
        groups.add(g);
        return g;
      },
    };
    console.log(`# Kafka: ${env.source}, prefix ${prefix}`);
  });

  after(async () => {
    if (context) {
      const admin = context.kafka.admin();
      await admin.connect();
      try {
        const existing = new Set(await admin.listTopics());
        const mine = [...topics].filter((t) => existing.has(t));
        if (mine.length > 0) await admin.deleteTopics({ topics: mine });
        if (groups.size > 0) await admin.deleteGroups([...groups]).catch(() => undefined);
      } finally {
        await admin.disconnect();
      }
    }
    if (env && 'stop' in env) await env.stop();
  });

  return (name, fn, timeoutMs = 40_000) => {
    it(name, { timeout: timeoutMs }, async (t) => {
      if (!env || 'skip' in env || !context) {
        t.skip(env && 'skip' in env ? env.skip : 'no Kafka');
        return;
      }
      await fn(context, t);
    });
  };
}

/** Reads a topic from the beginning until `count` records arrived (or throws after the timeout). */
export async function readTopic(kafka: Kafka, topic: string, count: number, timeoutMs = 20_000): Promise<Array<KafkaMessage & { partition: number }>> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  const groupId = `${topic}.reader-${Math.random().toString(36).slice(2, 8)}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  const records: Array<KafkaMessage & { partition: number }> = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    await consumer.run({
      autoCommit: false,
      eachMessage: ({ message, partition }) => {
        records.push({ ...message, partition });
        if (records.length >= count) done();
        return Promise.resolve();
      },
    });
    if (count === 0) done();
    const timer = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`read ${records.length} of ${count} records from ${topic} (offsets ${JSON.stringify(offsets)})`)), timeoutMs).unref(),
    );
    await Promise.race([finished, timer]);
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  return records;
}

export function headersOf(message: KafkaMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(message.headers ?? {})) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.map(String).join(',') : v.toString();
  }
  return out;
}

export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
