import type { Admin, IResourceConfigEntry } from 'kafkajs';

/** One topic per producing service and contract major version: `leadstream.<service>.v1`. */
export function defaultTopicOf(service: string): string {
  return `leadstream.${service}.v1`;
}

/** Where consumers set aside the records they could not handle: `<topic>.dlq`. */
export function dlqTopicOf(topic: string): string {
  return `${topic}.dlq`;
}

export interface TopicSettings {
  /** Partitions of a topic created here. Existing topics are left as they are. */
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic-level configs, e.g. `{ name: 'min.insync.replicas', value: '2' }`. */
  readonly configEntries?: readonly IResourceConfigEntry[];
}

/** Dev defaults (one broker). Production passes its own: replication 3, min ISR 2. */
export const DEFAULT_TOPIC_SETTINGS: TopicSettings = { partitions: 3, replicationFactor: 1 };

export interface EnsureTopicsResult {
  readonly created: readonly string[];
  readonly existing: readonly string[];
}

/**
 * Creates the topics that do not exist yet and waits for their leaders; idempotent, safe to run
 * at every boot and from several processes at once. Existing topics are not altered: changing the
 * partition count would move keys between partitions and break per-aggregate order.
 */
export async function ensureTopics(
  admin: Pick<Admin, 'listTopics' | 'createTopics'>,
  topics: readonly string[],
  settings: TopicSettings = DEFAULT_TOPIC_SETTINGS,
): Promise<EnsureTopicsResult> {
  const wanted = [...new Set(topics)];
  const present = new Set(await admin.listTopics());
  const missing = wanted.filter((t) => !present.has(t));
  if (missing.length > 0) {
    // Another process may create the same topics in between: createTopics then resolves false for
    // them (TOPIC_ALREADY_EXISTS is not an error for kafkajs), which is what we want.
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: settings.partitions,
        replicationFactor: settings.replicationFactor,
        ...(settings.configEntries ? { configEntries: [...settings.configEntries] } : {}),
      })),
    });
  }
  return { created: missing, existing: wanted.filter((t) => present.has(t)) };
}
