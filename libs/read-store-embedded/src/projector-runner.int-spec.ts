import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InMemoryEventStore, type ReadAllOptions, type RecordedEvent } from '@leadstream/event-sourcing';
import {
  DuplicateKeyError,
  ProjectorRunner,
  type Collection,
  type CollectionOptions,
  type Document,
  type Projection,
  type ReadStore,
} from '@leadstream/read-store';
import { EmbeddedReadStore } from './embedded-read-store';

// ---- a lead-list projection written the idempotent way (delivery is at-least-once) ----

interface LeadDoc extends Document {
  tenantId: string;
  name: string;
  email: string;
  tags: string[];
  score: number;
  revision: number;
}

type LeadEvent =
  | { type: 'leads.LeadCreated'; data: { name: string; email: string } }
  | { type: 'leads.LeadRenamed'; data: { name: string } }
  | { type: 'leads.LeadTagged'; data: { tag: string } }
  | { type: 'leads.LeadScored'; data: { points: number } }
  | { type: 'leads.LeadDeleted'; data: Record<string, never> };

const LEADS = 'test_leads';
const STATS = 'test_lead_stats';

function leadsOf(store: ReadStore): Collection<LeadDoc> {
  return store.collection<LeadDoc>(LEADS, { indexes: [{ keys: { tenantId: 1, name: 1 } }, { keys: { email: 1 }, unique: true }] });
}

/** Counter per tenant, guarded by the position of the last event applied to it. */
async function bumpTenant(store: ReadStore, tenantId: string, delta: number, position: number): Promise<void> {
  try {
    await store
      .collection(STATS)
      .updateOne({ _id: tenantId, position: { $lt: position } }, { $inc: { leads: delta }, $set: { position } }, { upsert: true });
  } catch (error) {
    if (!(error instanceof DuplicateKeyError)) throw error; // already applied: the guard did not match
  }
}

async function applyLeadEvent(store: ReadStore, e: RecordedEvent): Promise<void> {
  const leads = leadsOf(store);
  const _id = e.streamId.slice('leads-'.length);
  const event = e as unknown as LeadEvent;
  const newer = { _id, revision: { $lt: e.revision } };
  switch (event.type) {
    case 'leads.LeadCreated':
      await leads.updateOne(
        { _id },
        { $setOnInsert: { tenantId: e.metadata.tenantId, name: event.data.name, email: event.data.email, tags: [], score: 0, revision: e.revision } },
        { upsert: true },
      );
      await bumpTenant(store, e.metadata.tenantId, 1, e.position);
      break;
    case 'leads.LeadRenamed':
      await leads.updateOne(newer, { $set: { name: event.data.name, revision: e.revision } });
      break;
    case 'leads.LeadTagged':
      await leads.updateOne(newer, { $addToSet: { tags: event.data.tag }, $set: { revision: e.revision } });
      break;
    case 'leads.LeadScored':
      await leads.updateOne(newer, { $inc: { score: event.data.points }, $set: { revision: e.revision } });
      break;
    case 'leads.LeadDeleted':
      await leads.deleteOne({ _id });
      await bumpTenant(store, e.metadata.tenantId, -1, e.position);
      break;
  }
}

interface LeadProjection extends Projection {
  calls: number;
  delivered: number;
  /** Set to make `handle` throw (after applying part of the batch) on events of this type. */
  failOn: string | null;
}

function leadProjection(name = 'test.leads.v1'): LeadProjection {
  const projection: LeadProjection = {
    name,
    categories: ['leads'],
    collections: [LEADS, STATS],
    calls: 0,
    delivered: 0,
    failOn: null,
    async handle(events, store) {
      projection.calls++;
      projection.delivered += events.length;
      for (const e of events) {
        if (projection.failOn !== null && e.type === projection.failOn) throw new Error(`cannot project ${e.type}`);
        await applyLeadEvent(store, e);
      }
    },
  };
  return projection;
}

/** The read model a correct projection must produce: a plain fold over the log. */
function expectedModel(events: readonly RecordedEvent[]): { leads: LeadDoc[]; stats: Document[] } {
  const leads = new Map<string, LeadDoc>();
  const stats = new Map<string, { _id: string; leads: number; position: number }>();
  for (const e of events) {
    if (!e.streamId.startsWith('leads-')) continue;
    const _id = e.streamId.slice('leads-'.length);
    const event = e as unknown as LeadEvent;
    const lead = leads.get(_id);
    const bump = (delta: number): void => {
      const s = stats.get(e.metadata.tenantId) ?? { _id: e.metadata.tenantId, leads: 0, position: 0 };
      stats.set(e.metadata.tenantId, { ...s, leads: s.leads + delta, position: e.position });
    };
    switch (event.type) {
      case 'leads.LeadCreated':
        leads.set(_id, { _id, tenantId: e.metadata.tenantId, name: event.data.name, email: event.data.email, tags: [], score: 0, revision: e.revision });
        bump(1);
        break;
      case 'leads.LeadRenamed':
        if (lead) Object.assign(lead, { name: event.data.name, revision: e.revision });
        break;
      case 'leads.LeadTagged':
        if (lead) {
          if (!lead.tags.includes(event.data.tag)) lead.tags.push(event.data.tag);
          lead.revision = e.revision;
        }
        break;
      case 'leads.LeadScored':
        if (lead) Object.assign(lead, { score: lead.score + event.data.points, revision: e.revision });
        break;
      case 'leads.LeadDeleted':
        leads.delete(_id);
        bump(-1);
        break;
    }
  }
  const byId = (a: Document, b: Document): number => (a._id < b._id ? -1 : 1);
  return { leads: [...leads.values()].sort(byId), stats: [...stats.values()].sort(byId) };
}

async function snapshot(store: ReadStore): Promise<{ leads: Document[]; stats: Document[] }> {
  return {
    leads: await store.collection(LEADS).find({}, { sort: { _id: 1 } }),
    stats: await store.collection(STATS).find({}, { sort: { _id: 1 } }),
  };
}

/** Deterministic mixed workload: creates, renames, tags, scores, deletes over a few tenants, plus noise. */
class Workload {
  private seed = 42;
  private readonly alive: string[] = [];
  private next = 0;
  constructor(private readonly es: InMemoryEventStore) {}

  private random(): number {
    this.seed = (this.seed * 1103515245 + 12345) % 2147483648;
    return this.seed / 2147483648;
  }

  /** Appends `count` events; returns the position of the last one. */
  async append(count: number): Promise<number> {
    let position = 0;
    for (let i = 0; i < count; i++) {
      const r = this.random();
      if (r < 0.05) {
        position = (await this.es.appendToStream(`other-${i}`, [{ type: 'other.Noise', data: {}, metadata: { tenantId: 't0', correlationId: 'c' } }])).position;
        continue;
      }
      if (this.alive.length < 5 || r < 0.25) {
        const id = `lead${this.next++}`;
        this.alive.push(id);
        position = await this.emit(id, { type: 'leads.LeadCreated', data: { name: `Lead ${id}`, email: `${id}@example.com` } });
        continue;
      }
      const pick = Math.floor(this.random() * this.alive.length);
      // random() is in [0, 1) and alive is not empty here, so pick is in range
      const id = this.alive[pick]!;
      if (r < 0.4) position = await this.emit(id, { type: 'leads.LeadRenamed', data: { name: `Renamed ${id} ${i}` } });
      else if (r < 0.6) position = await this.emit(id, { type: 'leads.LeadTagged', data: { tag: `tag${Math.floor(this.random() * 4)}` } });
      else if (r < 0.9) position = await this.emit(id, { type: 'leads.LeadScored', data: { points: 1 + Math.floor(this.random() * 10) } });
      else {
        this.alive.splice(pick, 1);
        position = await this.emit(id, { type: 'leads.LeadDeleted', data: {} });
      }
    }
    return position;
  }

  async emit(id: string, event: LeadEvent): Promise<number> {
    const tenantId = `t${Number(id.slice(4)) % 3}`;
    const result = await this.es.appendToStream(`leads-${id}`, [{ ...event, metadata: { tenantId, correlationId: 'c' } }]);
    return result.position;
  }

  anyAlive(): string {
    const [id] = this.alive;
    if (id === undefined) throw new Error('the workload has no live lead');
    return id;
  }
}

class CapturingLogger {
  readonly infos: { obj: object; msg?: string }[] = [];
  readonly errors: { obj: object; msg?: string }[] = [];
  info(obj: object, msg?: string): void {
    this.infos.push({ obj, msg });
  }
  error(obj: object, msg?: string): void {
    this.errors.push({ obj, msg });
  }
}

/** A ReadStore that forwards to another one; tests override pieces of it to inject failures. */
class ForwardingStore implements ReadStore {
  constructor(protected readonly inner: ReadStore) {}
  collection<T extends Document = Document>(name: string, options?: CollectionOptions): Collection<T> {
    return this.inner.collection<T>(name, options);
  }
  getCheckpoint(name: string): Promise<number | null> {
    return this.inner.getCheckpoint(name);
  }
  setCheckpoint(name: string, position: number): Promise<void> {
    return this.inner.setCheckpoint(name, position);
  }
  deleteCheckpoint(name: string): Promise<void> {
    return this.inner.deleteCheckpoint(name);
  }
  batch<R>(work: () => Promise<R>): Promise<R> {
    return this.inner.batch(work);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** setCheckpoint fails the first `failures` times: a crash between handling a batch and checkpointing it. */
class CheckpointFailsStore extends ForwardingStore {
  attempts = 0;
  constructor(
    inner: ReadStore,
    private failures: number,
    /** false: like an adapter without transactions, `batch()` just runs the work. */
    private readonly transactional: boolean,
  ) {
    super(inner);
  }
  override setCheckpoint(name: string, position: number): Promise<void> {
    this.attempts++;
    if (this.failures > 0) {
      this.failures--;
      return Promise.reject(new Error('crashed before the checkpoint was written'));
    }
    return super.setCheckpoint(name, position);
  }
  override batch<R>(work: () => Promise<R>): Promise<R> {
    return this.transactional ? super.batch(work) : work();
  }
}

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const fastRetry = { minDelayMs: 1, maxDelayMs: 20 };

describe('ProjectorRunner (embedded read store, in-memory event store)', () => {
  it('catches up on start, then follows live appends', async () => {
    const es = new InMemoryEventStore();
    const store = await EmbeddedReadStore.open();
    const work = new Workload(es);
    await work.append(120);
    const projection = leadProjection();
    const runner = new ProjectorRunner(es, store, [projection], { batchSize: 25, retry: fastRetry });
    await runner.start();
    assert.deepEqual(await snapshot(store), expectedModel(await es.readAll()));
    const caughtUpAt = await es.headPosition(['leads']);
    assert.deepEqual(runner.status(), [{ name: 'test.leads.v1', position: caughtUpAt, lagging: false }]);
    assert.equal(await store.getCheckpoint('test.leads.v1'), caughtUpAt);

    const last = await work.append(60);
    await runner.waitForPosition(last);
    assert.deepEqual(await snapshot(store), expectedModel(await es.readAll()));
    assert.equal(await store.getCheckpoint('test.leads.v1'), await es.headPosition(['leads']));
    await runner.stop();
    await store.close();
  });

  it('persists its checkpoint: a restart resumes where it stopped, without re-applying', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'projector-runner-'));
    try {
      const path = join(dir, 'read.db');
      const es = new InMemoryEventStore();
      const work = new Workload(es);
      await work.append(80);

      let store = await EmbeddedReadStore.open({ path });
      const first = leadProjection();
      let runner = new ProjectorRunner(es, store, [first], { batchSize: 30, retry: fastRetry });
      await runner.start();
      const leadsEvents = (await es.readAll({ categories: ['leads'] })).length;
      assert.equal(first.delivered, leadsEvents);
      await runner.stop();
      await store.close();

      store = await EmbeddedReadStore.open({ path });
      const second = leadProjection();
      runner = new ProjectorRunner(es, store, [second], { batchSize: 30, retry: fastRetry });
      await runner.start();
      assert.equal(second.calls, 0, 'nothing is handled again after a restart');
      assert.equal(second.delivered, 0);
      const id = work.anyAlive();
      await work.emit(id, { type: 'leads.LeadScored', data: { points: 5 } });
      const last = await work.emit(id, { type: 'leads.LeadRenamed', data: { name: 'After restart' } });
      await runner.waitForPosition(last);
      assert.equal(second.delivered, 2, 'only the new events are delivered');
      assert.deepEqual(await snapshot(store), expectedModel(await es.readAll()));
      assert.equal((await store.collection(LEADS).findOne({ _id: id }))?.['name'], 'After restart');
      await runner.stop();
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  for (const transactional of [true, false]) {
    it(`retries a batch whose checkpoint failed and still builds the right model (${transactional ? 'transactional batch' : 'no transactions: writes of the failed attempt stay'})`, async () => {
      const es = new InMemoryEventStore();
      const work = new Workload(es);
      await work.append(150);
      const inner = await EmbeddedReadStore.open();
      const store = new CheckpointFailsStore(inner, 2, transactional);
      const projection = leadProjection();
      const logger = new CapturingLogger();
      const runner = new ProjectorRunner(es, store, [projection], { batchSize: 40, logger, retry: fastRetry });
      await runner.start();
      const batches = Math.ceil((await es.readAll({ categories: ['leads'] })).length / 40);
      assert.equal(projection.calls, batches + 2, 'the failed batch was handled again, twice');
      assert.equal(store.attempts, batches + 2);
      assert.equal(logger.errors.length, 2);
      assert.match(logger.errors[0]?.msg ?? '', /retrying/);
      assert.deepEqual(await snapshot(inner), expectedModel(await es.readAll()));
      assert.equal(await inner.getCheckpoint('test.leads.v1'), await es.headPosition(['leads']));
      const [status] = runner.status();
      assert.equal(status?.lagging, false);
      assert.equal(status?.lastError, undefined);
      await runner.stop();
      await inner.close();
    });
  }

  it('rebuilds a read model to exactly what live projection built', async () => {
    const es = new InMemoryEventStore();
    const store = await EmbeddedReadStore.open();
    const work = new Workload(es);
    const projection = leadProjection();
    const runner = new ProjectorRunner(es, store, [projection], { batchSize: 17, retry: fastRetry });
    await runner.start();
    // built live, in chunks that interleave with the projector
    let last = 0;
    for (let chunk = 0; chunk < 8; chunk++) {
      last = await work.append(50);
      if (chunk % 3 === 0) await runner.waitForPosition(last);
    }
    await runner.waitForPosition(last);
    const live = await snapshot(store);
    assert.ok(live.leads.length > 20, `a real model: ${live.leads.length} leads`);
    assert.deepEqual(live, expectedModel(await es.readAll()));
    const types = new Set((await es.readAll()).map((e) => e.type));
    for (const type of ['leads.LeadCreated', 'leads.LeadRenamed', 'leads.LeadTagged', 'leads.LeadScored', 'leads.LeadDeleted', 'other.Noise']) {
      assert.ok(types.has(type), `workload has ${type}`);
    }
    const positionBefore = runner.status()[0]?.position;

    // leftovers that do not come from events must be gone after a rebuild
    await store.collection(LEADS).insertOne({ _id: 'stray', tenantId: 'tx', email: 'stray@x' });
    const delivered = projection.delivered;
    await runner.rebuild('test.leads.v1');
    assert.equal(projection.delivered - delivered, (await es.readAll({ categories: ['leads'] })).length, 'replayed from the start');
    assert.deepEqual(await snapshot(store), live);
    assert.deepEqual(runner.status(), [{ name: 'test.leads.v1', position: positionBefore, lagging: false }]);

    // and it goes on live after the rebuild
    const after = await work.append(30);
    await runner.waitForPosition(after);
    assert.deepEqual(await snapshot(store), expectedModel(await es.readAll()));
    await assert.rejects(runner.rebuild('nope'), /unknown projection/);
    await runner.stop();
    await store.close();
  });

  it('waitForPosition: counts projections as caught up past events of other categories, and times out', async () => {
    const es = new InMemoryEventStore();
    const store = await EmbeddedReadStore.open();
    const work = new Workload(es);
    const leads = leadProjection();
    let gate: Promise<void> = Promise.resolve();
    const audit: Projection = {
      name: 'test.audit.v1',
      categories: ['audit'],
      collections: ['test_audit'],
      async handle(events, s) {
        await gate;
        for (const e of events) await s.collection('test_audit').insertOne({ _id: e.id, type: e.type });
      },
    };
    const runner = new ProjectorRunner(es, store, [leads, audit], { retry: fastRetry });
    await runner.start();
    assert.deepEqual(
      runner.status().map((s) => [s.name, s.position, s.lagging]),
      [
        ['test.leads.v1', 0, false],
        ['test.audit.v1', 0, false],
      ],
    );

    // events only of `leads`, then noise: the audit projection has nothing to do
    await work.append(20);
    const noise = await es.appendToStream('other-x', [{ type: 'other.Noise', data: {}, metadata: { tenantId: 't0', correlationId: 'c' } }]);
    await runner.waitForPosition(noise.position);
    assert.equal(runner.status()[0]?.position, await es.headPosition(['leads']));
    assert.equal(runner.status()[1]?.position, 0);

    // a position before later events of the categories: waits for that prefix only
    const auditAt = (
      await es.appendToStream('audit-1', [{ type: 'audit.Seen', data: {}, metadata: { tenantId: 't0', correlationId: 'c' } }])
    ).position;
    const middle = (await es.appendToStream('other-y', [{ type: 'other.Noise', data: {}, metadata: { tenantId: 't0', correlationId: 'c' } }])).position;
    const later = await work.append(10);
    await runner.waitForPosition(middle);
    assert.ok(await store.collection('test_audit').findOne({ type: 'audit.Seen' }));
    await runner.waitForPosition(later);
    assert.deepEqual(await snapshot(store), expectedModel(await es.readAll()));

    // a blocked projection makes waitForPosition time out, naming who is behind
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    const blocked = (await es.appendToStream('audit-2', [{ type: 'audit.Seen', data: {}, metadata: { tenantId: 't0', correlationId: 'c' } }])).position;
    await assert.rejects(runner.waitForPosition(blocked, 100), /timed out after 100 ms; behind: test\.audit\.v1@\d+$/);
    open();
    await runner.waitForPosition(blocked);
    assert.equal(runner.status()[1]?.position, blocked);
    assert.ok(auditAt < blocked);
    await runner.stop();
    await store.close();
  });

  it('retries a failing handler with back-off, reports it in status(), and never skips the batch', async () => {
    const es = new InMemoryEventStore();
    const store = await EmbeddedReadStore.open();
    const work = new Workload(es);
    await work.append(30);
    const projection = leadProjection();
    const logger = new CapturingLogger();
    const runner = new ProjectorRunner(es, store, [projection], { logger, retry: { minDelayMs: 2, maxDelayMs: 10 } });
    await runner.start();
    const before = runner.status()[0]?.position;

    projection.failOn = 'leads.LeadScored';
    const id = work.anyAlive();
    const poison = await work.emit(id, { type: 'leads.LeadScored', data: { points: 3 } });
    await eventually(() => logger.errors.length >= 4);
    const [failing] = runner.status();
    assert.equal(failing?.lagging, true);
    assert.equal(failing?.position, before, 'the failing batch is not checkpointed');
    assert.match(failing?.lastError ?? '', /cannot project leads\.LeadScored/);
    assert.equal(await store.getCheckpoint('test.leads.v1'), before);
    const delays = logger.errors.map((e) => (e.obj as { retryInMs: number }).retryInMs);
    assert.deepEqual(delays.slice(0, 4), [2, 4, 8, 10], 'bounded exponential back-off');
    await assert.rejects(runner.waitForPosition(poison, 50), /timed out/);

    projection.failOn = null;
    await runner.waitForPosition(poison);
    assert.deepEqual(runner.status(), [{ name: 'test.leads.v1', position: poison, lagging: false }]);
    assert.deepEqual(await snapshot(store), expectedModel(await es.readAll()));
    assert.ok(logger.infos.some((i) => i.msg === 'projection recovered'));

    // stop() does not wait out a back-off
    projection.failOn = 'leads.LeadRenamed';
    await work.emit(id, { type: 'leads.LeadRenamed', data: { name: 'x' } });
    await eventually(() => runner.status()[0]?.lastError !== undefined);
    const stopping = performance.now();
    await runner.stop();
    assert.ok(performance.now() - stopping < 1_000);
    await store.close();
  });

  it('resubscribes from its checkpoint when the subscription itself fails', async () => {
    class FlakyEventStore extends InMemoryEventStore {
      failures = 0;
      override readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
        if (this.failures > 0) {
          this.failures--;
          return Promise.reject(new Error('event store unavailable'));
        }
        return super.readAll(options);
      }
    }
    const es = new FlakyEventStore();
    const work = new Workload(es);
    await work.append(40);
    const store = await EmbeddedReadStore.open();
    const projection = leadProjection();
    const logger = new CapturingLogger();
    const runner = new ProjectorRunner(es, store, [projection], { batchSize: 10, logger, retry: fastRetry });
    es.failures = 2;
    await runner.start();
    assert.equal(logger.errors.length, 2);
    assert.match(logger.errors[0]?.msg ?? '', /resubscribing/);
    assert.deepEqual(await snapshot(store), expectedModel(await es.readAll()));
    assert.equal(projection.delivered, (await es.readAll({ categories: ['leads'] })).length, 'no event handled twice');
    assert.deepEqual(runner.status(), [{ name: 'test.leads.v1', position: await es.headPosition(['leads']), lagging: false }]);

    // failing while live, when woken by an append
    es.failures = 1;
    const id = work.anyAlive();
    const last = await work.emit(id, { type: 'leads.LeadScored', data: { points: 2 } });
    await runner.waitForPosition(last);
    assert.equal(logger.errors.length, 3);
    assert.deepEqual(await snapshot(store), expectedModel(await es.readAll()));
    assert.deepEqual(runner.status(), [{ name: 'test.leads.v1', position: last, lagging: false }]);
    await runner.stop();
    await store.close();
  });

  it('start() resolves with no events, and a stopped runner refuses to restart', async () => {
    const es = new InMemoryEventStore();
    const store = await EmbeddedReadStore.open();
    const runner = new ProjectorRunner(es, store, [leadProjection()]);
    await runner.start();
    await runner.waitForPosition(0);
    await assert.rejects(runner.start(), /already started/);
    await runner.stop();
    await assert.rejects(runner.start(), /stopped/);
    assert.throws(() => new ProjectorRunner(es, store, [leadProjection(), leadProjection()]), /duplicate projection name/);
    await store.close();
  });
});
