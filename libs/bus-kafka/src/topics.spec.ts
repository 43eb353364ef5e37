import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ITopicConfig } from 'kafkajs';
import { defaultTopicOf, dlqTopicOf, ensureTopics } from './topics';

function fakeAdmin(existing: string[]) {
  const created: ITopicConfig[][] = [];
  return {
    created,
    listTopics: () => Promise.resolve([...existing]),
    createTopics: ({ topics }: { topics: ITopicConfig[]; waitForLeaders?: boolean }) => {
      created.push(topics);
      existing.push(...topics.map((t) => t.topic));
      return Promise.resolve(true);
    },
  };
}

describe('topic names', () => {
  it('one topic per service and major version, plus its dead-letter topic', () => {
    assert.equal(defaultTopicOf('leads'), 'leadstream.leads.v1');
    assert.equal(dlqTopicOf('leadstream.leads.v1'), 'leadstream.leads.v1.dlq');
  });
});

describe('ensureTopics', () => {
  it('creates only what is missing, with the given settings, and is idempotent', async () => {
    const admin = fakeAdmin(['leadstream.leads.v1']);
    const first = await ensureTopics(admin, ['leadstream.leads.v1', 'leadstream.leads.v1.dlq', 'leadstream.leads.v1.dlq'], {
      partitions: 6,
      replicationFactor: 3,
      configEntries: [{ name: 'min.insync.replicas', value: '2' }],
    });
    assert.deepEqual(first, { created: ['leadstream.leads.v1.dlq'], existing: ['leadstream.leads.v1'] });
    assert.deepEqual(admin.created, [
      [{ topic: 'leadstream.leads.v1.dlq', numPartitions: 6, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }],
    ]);
    const second = await ensureTopics(admin, ['leadstream.leads.v1', 'leadstream.leads.v1.dlq']);
    assert.deepEqual(second.created, []);
    assert.equal(admin.created.length, 1, 'nothing created the second time');
  });
});
