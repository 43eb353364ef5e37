import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleCommand, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { SqliteEventStore } from '@leadstream/event-store-sqlite';
import { ProjectorRunner, type Document, type ReadStore } from '@leadstream/read-store';
import { EmbeddedReadStore } from '@leadstream/read-store-embedded';
import { leadDecider } from '../domain/lead.decider';
import { LEAD_CATEGORY } from '../domain/lead.events';
import { leadsProjections } from '../../leads.runtime';
import { LEAD_LIST_COLLECTION } from './lead-list/lead-list.schema';
import { NEW_LEAD_COUNTS_COLLECTION } from '../../lead-overview/projections/new-lead-counts/new-lead-counts.schema';

async function snapshot(store: ReadStore, collection: string): Promise<Document[]> {
  return store.collection(collection).find({}, { sort: { _id: 1 } });
}

async function createLeads(store: EventStore, tenants: string[], count: number): Promise<number> {
  let position = 0;
  for (let i = 0; i < count; i++) {
    const leadId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const tenant = tenants[i % tenants.length]!;
    const result = await handleCommand(
      store,
      streamIdOf(LEAD_CATEGORY, leadId),
      leadDecider,
      {
        kind: 'CreateLead',
        leadId,
        enterpriseId: tenant,
        phone: `1380013${String(i).padStart(4, '0')}`,
        source: i % 3 === 0 ? 'expo' : 'web',
        tags: i % 5 === 0 ? ['vip'] : [],
        statusId: '00000000-0000-4000-8000-000000000001',
        actor: 'member-1',
        // spread over several days and 15-minute slots
        now: new Date(Date.UTC(2026, 10, 20) + i * 7 * 60 * 1000).toISOString(),
      },
      { tenantId: tenant, correlationId: `c-${i}` },
    );
    position = result.position ?? position;
  }
  return position;
}

describe('leads projections on real adapters (SQLite log, embedded read store)', () => {
  let dir: string;
  let events: SqliteEventStore;
  let reads: EmbeddedReadStore;
  let runner: ProjectorRunner;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'leadstream-leads-proj-'));
    events = new SqliteEventStore({ path: join(dir, 'events.db') });
    reads = await EmbeddedReadStore.open({ path: join(dir, 'read.db') });
    runner = new ProjectorRunner(events, reads, leadsProjections);
    await runner.start();
  });

  after(async () => {
    await runner.stop();
    await events.close();
    await reads.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('follows live appends into the list and the trend counts', async () => {
    const head = await createLeads(events, ['tenant-a', 'tenant-b'], 600);
    await runner.waitForPosition(head);
    assert.equal(await reads.collection(LEAD_LIST_COLLECTION).count({ tenantId: 'tenant-a' }), 300);
    const counts = await reads.collection<Document & { count: number }>(NEW_LEAD_COUNTS_COLLECTION).find({ tenantId: 'tenant-b' });
    assert.equal(
      counts.reduce((sum, c) => sum + c.count, 0),
      300,
      'every lead is counted exactly once',
    );
  });

  it('rebuilds each projection (drop + replay) into exactly the live read model', async () => {
    for (const projection of leadsProjections) {
      const live = await Promise.all(projection.collections.map((c) => snapshot(reads, c)));
      assert.ok(live.every((docs) => docs.length > 0), `${projection.name} has documents to compare`);
      await runner.rebuild(projection.name);
      const rebuilt = await Promise.all(projection.collections.map((c) => snapshot(reads, c)));
      assert.deepStrictEqual(rebuilt, live, `${projection.name} rebuilt equals live`);
    }
  });

  it('counts each lead once even when a batch is delivered again (at-least-once)', async () => {
    const projection = leadsProjections.find((p) => p.name === 'leads.new-lead-counts.v1')!;
    const before = await snapshot(reads, NEW_LEAD_COUNTS_COLLECTION);
    const replay = await events.readAll({ categories: [LEAD_CATEGORY], maxCount: 250 });
    await projection.handle(replay, reads);
    await projection.handle(replay, reads);
    assert.deepStrictEqual(await snapshot(reads, NEW_LEAD_COUNTS_COLLECTION), before);
    const list = leadsProjections.find((p) => p.name === 'leads.lead-list.v1')!;
    const listBefore = await snapshot(reads, LEAD_LIST_COLLECTION);
    await list.handle(replay, reads);
    assert.deepStrictEqual(await snapshot(reads, LEAD_LIST_COLLECTION), listBefore);
  });

  it('resumes from its checkpoint after a restart without replaying', async () => {
    await runner.stop();
    await reads.close();
    reads = await EmbeddedReadStore.open({ path: join(dir, 'read.db') });
    let handled = 0;
    const counting = leadsProjections.map((p) => ({ ...p, handle: async (batch: Parameters<typeof p.handle>[0], store: ReadStore) => ((handled += batch.length), p.handle(batch, store)) }));
    runner = new ProjectorRunner(events, reads, counting);
    await runner.start();
    assert.equal(handled, 0, 'nothing is replayed after a restart');
    assert.equal(await reads.collection(LEAD_LIST_COLLECTION).count({}), 600);
  });
});
