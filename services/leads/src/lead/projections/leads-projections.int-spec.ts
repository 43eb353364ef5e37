import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleCommand, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { SqliteEventStore } from '@leadstream/event-store-sqlite';
import { ProjectorRunner, type Document, type ReadStore } from '@leadstream/read-store';
import { EmbeddedReadStore } from '@leadstream/read-store-embedded';
import { leadDecider, type LeadCommand } from '../domain/lead.decider';
import { leadBatchDecider } from '../../lead-batch/domain/lead-batch.decider';
import { LEAD_BATCH_CATEGORY } from '../../lead-batch/domain/lead-batch.events';
import { leadViewDecider, type LeadViewCommand } from '../../lead-view/domain/lead-view.decider';
import { LEAD_VIEW_CATEGORY } from '../../lead-view/domain/lead-view.events';
import { leadImportMappingDecider, type LeadImportMappingCommand } from '../../lead-import/domain/lead-import-mapping.decider';
import { LEAD_IMPORT_CATEGORY, LEAD_IMPORT_MAPPING_CATEGORY } from '../../lead-import/domain/lead-import.events';
import { SealingEventStore } from '../../lead-crypto/sealing-event-store';
import { SqliteLeadKeyStore } from '../../lead-crypto/sqlite-lead-key-store';
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
    // every fifth lead is worked on afterwards: status, tags, owner, an edit; every 50th deleted
    const later = { leadId, enterpriseId: tenant, actor: 'member-2', now: new Date(Date.UTC(2026, 10, 25) + i * 1000).toISOString() };
    const ops: LeadCommand[] =
      i % 5 === 0
        ? [
            { kind: 'SetLeadStatus', ...later, statusId: '00000000-0000-4000-8000-000000000003' },
            { kind: 'ChangeLeadTags', ...later, add: ['hot'], remove: ['vip'] },
            { kind: 'AssignLead', ...later, ownerId: 'member-3' },
            { kind: 'UpdateLead', ...later, contact: { name: `Lead ${i}`, email: `lead${i}@example.com` }, fields: { f1: i } },
            ...(i % 50 === 0 ? [{ kind: 'DeleteLead' as const, ...later }] : []),
          ]
        : [];
    for (const op of ops) {
      const r = await handleCommand(store, streamIdOf(LEAD_CATEGORY, leadId), leadDecider, op, { tenantId: tenant, correlationId: `c-${i}`, causationId: 'batch-1' });
      position = r.position ?? position;
    }
  }
  const batchId = '00000000-0000-4000-8000-00000000b001';
  const targets = Array.from({ length: 20 }, (_v, i) => `00000000-0000-4000-8000-${String(i * 5).padStart(12, '0')}`);
  const meta = { tenantId: tenants[0]!, correlationId: 'batch' };
  await handleCommand(store, streamIdOf(LEAD_BATCH_CATEGORY, batchId), leadBatchDecider, {
    kind: 'RequestLeadBatch', batchId, enterpriseId: tenants[0]!, operation: { kind: 'setStatus', statusId: '00000000-0000-4000-8000-000000000003' },
    selection: { kind: 'ids', count: targets.length }, leadIds: targets, actor: { memberId: 'member-2', permissions: ['leads:write'], isAdmin: false }, now: '2026-11-26T00:00:00.000Z',
  }, meta);
  const recorded = await handleCommand(store, streamIdOf(LEAD_BATCH_CATEGORY, batchId), leadBatchDecider, {
    kind: 'RecordLeadBatchResults', results: targets.map((leadId, k) => (k === 0 ? { leadId, outcome: 'failed' as const, code: 'leads.lead-not-found', reason: 'gone' } : { leadId, outcome: 'applied' as const })), now: '2026-11-26T00:00:01.000Z',
  }, meta);
  // saved views (LEAD-9): created, replaced, one deleted
  let last = recorded.position ?? position;
  const view = (n: number) => `00000000-0000-4000-8000-0000000000c${n}`;
  const actor = { enterpriseId: tenants[0]!, memberId: 'member-1', isAdmin: false };
  const definition = (name: string) => ({ name, visibility: 'shared' as const, filter: { conditions: [{ field: 'score', op: 'gte', value: 50 }], match: 'all' as const }, sort: null, columns: ['name'] });
  const views: [number, LeadViewCommand][] = [
    [1, { kind: 'CreateLeadView', viewId: view(1), actor, definition: definition('One'), now: '2026-11-26T00:00:02.000Z' }],
    [2, { kind: 'CreateLeadView', viewId: view(2), actor, definition: definition('Two'), now: '2026-11-26T00:00:02.000Z' }],
    [1, { kind: 'ReplaceLeadView', actor, definition: definition('One again'), now: '2026-11-26T00:00:03.000Z' }],
    [2, { kind: 'DeleteLeadView', actor, now: '2026-11-26T00:00:03.000Z' }],
  ];
  for (const [n, command] of views) {
    last = (await handleCommand(store, streamIdOf(LEAD_VIEW_CATEGORY, view(n)), leadViewDecider, command, meta)).position ?? last;
  }
  // saved import mappings (LEAD-7): saved, replaced, one deleted
  const mappingId = (n: number) => `00000000-0000-4000-8000-0000000000d${n}`;
  const save = (n: number, name: string, create: boolean): LeadImportMappingCommand => ({
    kind: 'SaveMapping', create, mappingId: mappingId(n), enterpriseId: tenants[0]!, name, mapping: { Name: 'name', Mobile: 'phone' }, memberId: 'member-1', now: '2026-11-26T00:00:04.000Z',
  });
  const mappings: [number, LeadImportMappingCommand][] = [
    [1, save(1, 'Fair', true)],
    [2, save(2, 'Web', true)],
    [1, save(1, 'Fair 2', false)],
    [2, { kind: 'DeleteMapping', enterpriseId: tenants[0]!, memberId: 'member-1', now: '2026-11-26T00:00:05.000Z' }],
  ];
  for (const [n, command] of mappings) {
    last = (await handleCommand(store, streamIdOf(LEAD_IMPORT_MAPPING_CATEGORY, mappingId(n)), leadImportMappingDecider, command, meta)).position ?? last;
  }
  // import jobs (LEAD-7): one run to its end with a checkpoint, one cancelled before it started
  const job = (n: number) => `00000000-0000-4000-8000-0000000000e${n}`;
  const uploaded = (n: number) => ({
    type: 'leads.LeadImportUploaded',
    data: { importId: job(n), enterpriseId: tenants[0]!, fileName: `f${n}.csv`, format: 'csv', encoding: 'utf-8', size: 100, sha256: 'x', headers: ['Name', 'Mobile'], rows: 3000, uploadedBy: 'member-1', uploadedAt: `2026-11-26T00:00:0${n}.000Z` },
    metadata: meta,
  });
  const counts = { rowsRead: 3000, imported: 2990, failed: 10, skipped: 0 };
  await store.appendToStream(streamIdOf(LEAD_IMPORT_CATEGORY, job(1)), [
    uploaded(1),
    { type: 'leads.LeadImportStarted', data: { importId: job(1), mapping: { Name: 'name', Mobile: 'phone' }, mappingId: null, actor: { memberId: 'member-1' }, startedAt: '2026-11-26T00:00:06.000Z' }, metadata: meta },
    { type: 'leads.LeadImportProgressed', data: { importId: job(1), lastRow: 2001, errorBytes: 90, rowsRead: 2000, imported: 1995, failed: 5, skipped: 0 }, metadata: meta },
    { type: 'leads.LeadImportFinished', data: { importId: job(1), outcome: 'completed', reason: null, finishedAt: '2026-11-26T00:00:07.000Z', ...counts }, metadata: meta },
  ]);
  const cancelled = await store.appendToStream(streamIdOf(LEAD_IMPORT_CATEGORY, job(2)), [
    uploaded(2),
    { type: 'leads.LeadImportFinished', data: { importId: job(2), outcome: 'cancelled', reason: null, finishedAt: '2026-11-26T00:00:08.000Z', rowsRead: 0, imported: 0, failed: 0, skipped: 0 }, metadata: meta },
  ]);
  return cancelled.position;
}

describe('leads projections on real adapters (SQLite log, embedded read store)', () => {
  let dir: string;
  let raw: SqliteEventStore;
  let keys: SqliteLeadKeyStore;
  let events: SealingEventStore;
  let reads: EmbeddedReadStore;
  let runner: ProjectorRunner;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'leadstream-leads-proj-'));
    // as the service runs it: the log read and written through the sealing view
    keys = new SqliteLeadKeyStore(join(dir, 'keys.db'));
    raw = new SqliteEventStore({ path: join(dir, 'events.db') });
    events = new SealingEventStore(raw, keys);
    reads = await EmbeddedReadStore.open({ path: join(dir, 'read.db') });
    runner = new ProjectorRunner(events, reads, leadsProjections);
    await runner.start();
  });

  after(async () => {
    await runner.stop();
    await raw.close();
    await keys.close();
    await reads.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('follows live appends into the list and the trend counts', async () => {
    const head = await createLeads(events, ['tenant-a', 'tenant-b'], 600);
    await runner.waitForPosition(head);
    assert.equal(await reads.collection(LEAD_LIST_COLLECTION).count({ tenantId: 'tenant-a' }), 288, '300 created, 12 deleted (every 50th lead, all of tenant a)');
    const edited = await reads.collection(LEAD_LIST_COLLECTION).findOne({ _id: '00000000-0000-4000-8000-000000000005' });
    assert.deepEqual([edited?.['statusId'], edited?.['tags'], edited?.['ownerId'], edited?.['email'], edited?.['fields']], ['00000000-0000-4000-8000-000000000003', ['hot'], 'member-3', 'lead5@example.com', { f1: 5 }]);
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
    const list = leadsProjections.find((p) => p.name === 'leads.lead-list.v2')!;
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
    assert.equal(await reads.collection(LEAD_LIST_COLLECTION).count({}), 588);
  });
});
