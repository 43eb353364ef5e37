import 'reflect-metadata';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { loadState, streamIdOf, type AppendOptions, type AppendResult, type EventStore, type NewEvent, type ReadAllOptions, type ReadStreamOptions, type RecordedEvent, type SubscribeOptions, type Subscription, type SubscriptionHandler } from '@leadstream/event-sourcing';
import { SqliteEventStore } from '@leadstream/event-store-sqlite';
import { isSealed, openPersonalData, type SealedPersonalData } from '../lead-crypto/personal-data-cipher';
import { SealingEventStore } from '../lead-crypto/sealing-event-store';
import { SqliteLeadKeyStore } from '../lead-crypto/sqlite-lead-key-store';
import { LeadSchemaReader } from '../lead-schema/lead-schema.reader';
import { StatusCatalogueReader } from '../status/status-catalogue.reader';
import { LEAD_CATEGORY } from '../lead/domain/lead.events';
import { leadImportDecider } from './domain/lead-import.decider';
import { LEAD_IMPORT_CATEGORY } from './domain/lead-import.events';
import { ImportFileStore } from './import-file-store';
import { importedLeadId } from './import-ids';
import { LeadImportRunner } from './lead-import.runner';

/** The real store, failing once at chosen appends (a full disk, a lost connection). */
class FailingOnce implements EventStore {
  leadAppends = 0;
  checkpoints = 0;
  readonly failures: string[] = [];
  constructor(
    private readonly inner: EventStore,
    private readonly failLeadAppend: number,
    private readonly failCheckpoint: number,
  ) {}

  async appendToStream(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    if (streamId.startsWith(`${LEAD_CATEGORY}-`) && ++this.leadAppends === this.failLeadAppend) {
      this.failures.push('lead');
      throw new Error('disk I/O error (injected)');
    }
    if (events.some((e) => e.type === 'leads.LeadImportProgressed') && ++this.checkpoints === this.failCheckpoint) {
      this.failures.push('checkpoint');
      throw new Error('connection lost (injected)');
    }
    return this.inner.appendToStream(streamId, events, options);
  }
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, options);
  }
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }
  subscribeToAll(options: SubscribeOptions, handler: SubscriptionHandler): Subscription {
    return this.inner.subscribeToAll(options, handler);
  }
  headPosition(categories?: readonly string[]): Promise<number> {
    return this.inner.headPosition(categories);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

const TENANT = '00000000-0000-4000-8000-00000000aaaa';
const ROWS = 5_000;
const isBad = (i: number) => i % 97 === 0;

describe('lead import runner on the real log: failures mid-job are resumed in-process, every row exactly once (LEAD-7)', () => {
  let dir: string;
  let raw: SqliteEventStore;
  let keys: SqliteLeadKeyStore;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'leadstream-import-runner-'));
    raw = new SqliteEventStore({ path: join(dir, 'events.db') });
    keys = new SqliteLeadKeyStore(join(dir, 'keys.db'));
  });

  after(async () => {
    await raw.close();
    await keys.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a failed lead append and a failed checkpoint each make the run resume from its last checkpoint; counts, leads and the error file are exact', async () => {
    // fails inside the second chunk, then at the third checkpoint (after its leads and errors were written)
    const store = new FailingOnce(new SealingEventStore(raw, keys), 2_500, 3);
    const files = new ImportFileStore(join(dir, 'imports'));
    const importId = '00000000-0000-4000-8000-00000000b001';
    const lines = ['Name,Mobile'];
    for (let i = 1; i <= ROWS; i++) lines.push(`Lead ${i},${isBad(i) ? 'not-a-phone' : `139${String(i).padStart(8, '0')}`}`);
    const upload = files.uploadPath(TENANT, importId);
    await mkdir(dirname(upload), { recursive: true });
    await writeFile(upload, lines.join('\r\n') + '\r\n');
    const meta = { tenantId: TENANT, correlationId: importId };
    await store.appendToStream(
      streamIdOf(LEAD_IMPORT_CATEGORY, importId),
      [
        {
          type: 'leads.LeadImportUploaded',
          data: { importId, enterpriseId: TENANT, fileName: 'a.csv', format: 'csv', encoding: 'utf-8', size: 1, sha256: 'x', headers: ['Name', 'Mobile'], rows: ROWS, uploadedBy: 'm1', uploadedAt: '2026-12-03T00:00:00.000Z' },
          metadata: meta,
        },
        { type: 'leads.LeadImportStarted', data: { importId, mapping: { Name: 'name', Mobile: 'phone' }, mappingId: null, actor: { memberId: 'm1' }, startedAt: '2026-12-03T00:00:01.000Z' }, metadata: meta },
      ],
      { expectedRevision: 'no_stream' },
    );

    const runner = new LeadImportRunner(store, files, { find: () => Promise.resolve(null) }, new LeadSchemaReader(store), new StatusCatalogueReader(store));
    runner.retryDelayMs = 10;
    runner.start(importId);
    await runner.settled(importId);

    assert.deepEqual(store.failures, ['lead', 'checkpoint'], 'both failures happened');
    const { state } = await loadState(store, streamIdOf(LEAD_IMPORT_CATEGORY, importId), leadImportDecider);
    const bad = Array.from({ length: ROWS }, (_, k) => k + 1).filter(isBad).length;
    assert.deepEqual(
      { state: state.state, rowsRead: state.rowsRead, imported: state.imported, failed: state.failed, skipped: state.skipped },
      { state: 'completed', rowsRead: ROWS, imported: ROWS - bad, failed: bad, skipped: 0 },
    );

    // every good row is one lead stream with one creation, none twice
    const created = new Map<string, number>();
    for (let after = 0; ; ) {
      const page = await raw.readAll({ after, categories: [LEAD_CATEGORY], maxCount: 2_000 });
      if (page.length === 0) break;
      for (const e of page) if (e.type === 'leads.LeadCreated') created.set(e.streamId, (created.get(e.streamId) ?? 0) + 1);
      after = page[page.length - 1]!.position;
    }
    assert.equal(created.size, ROWS - bad);
    assert.ok([...created.values()].every((n) => n === 1));

    // every bad row reported once, in order, with the header once
    const errors: string[][] = parse(await readFile(files.errorsPath(TENANT, importId)), { bom: true, relax_column_count: true });
    assert.deepEqual(errors[0], ['row', 'column', 'reason', 'Name', 'Mobile']);
    const rows = errors.slice(1).map((e) => Number(e[0]));
    assert.deepEqual(rows, Array.from({ length: ROWS }, (_, k) => k + 1).filter(isBad).map((i) => i + 1), 'file row = data row + 1 (the header is row 1)');
    assert.ok(errors.slice(1).every((e) => e[1] === 'Mobile'));
  });
  it("rows sealed by the checking thread: every lead's key is stored before its event, and a lead that already had a key (a crash between the two) is sealed under that one", async () => {
    const store = new SealingEventStore(raw, keys);
    const files = new ImportFileStore(join(dir, 'imports'));
    const importId = '00000000-0000-4000-8000-00000000b002';
    const startedAt = '2026-12-03T00:00:01.000Z';
    const rows = 300;
    const lines = ['Name,Mobile'];
    for (let i = 1; i <= rows; i++) lines.push(`Sealed ${i},137${String(i).padStart(8, '0')}`);
    const upload = files.uploadPath(TENANT, importId);
    await mkdir(dirname(upload), { recursive: true });
    await writeFile(upload, lines.join('\n') + '\n');
    // an earlier attempt stored the key of row 7's lead and died before appending its event
    const earlier = importedLeadId(importId, Date.parse(startedAt), 7);
    const earlierKey = (await keys.keyFor(earlier, TENANT, true))!;
    const meta = { tenantId: TENANT, correlationId: importId };
    await store.appendToStream(
      streamIdOf(LEAD_IMPORT_CATEGORY, importId),
      [
        {
          type: 'leads.LeadImportUploaded',
          data: { importId, enterpriseId: TENANT, fileName: 'b.csv', format: 'csv', encoding: 'utf-8', size: 1, sha256: 'x', headers: ['Name', 'Mobile'], rows, uploadedBy: 'm1', uploadedAt: '2026-12-03T00:00:00.000Z' },
          metadata: meta,
        },
        { type: 'leads.LeadImportStarted', data: { importId, mapping: { Name: 'name', Mobile: 'phone' }, mappingId: null, actor: { memberId: 'm1' }, startedAt }, metadata: meta },
      ],
      { expectedRevision: 'no_stream' },
    );
    const runner = new LeadImportRunner(store, files, { find: () => Promise.resolve(null) }, new LeadSchemaReader(store), new StatusCatalogueReader(store));
    assert.equal(runner.checkInWorker, true);
    runner.start(importId);
    await runner.settled(importId);
    const { state } = await loadState(store, streamIdOf(LEAD_IMPORT_CATEGORY, importId), leadImportDecider);
    assert.deepEqual({ state: state.state, imported: state.imported, failed: state.failed }, { state: 'completed', imported: rows, failed: 0 });

    // a fresh key store (empty cache) and a fresh view of the log: what a restarted process reads
    const reopened = new SqliteLeadKeyStore(join(dir, 'keys.db'));
    try {
      const fresh = new SealingEventStore(raw, reopened);
      for (let i = 1; i <= rows; i++) {
        const leadId = importedLeadId(importId, Date.parse(startedAt), i + 1);
        const [inLog] = await raw.readStream(streamIdOf(LEAD_CATEGORY, leadId));
        const sealed = (inLog!.data as { personal: SealedPersonalData }).personal;
        assert.ok(isSealed(sealed), `row ${i + 1} is sealed in the log`);
        const key = (await reopened.keyFor(leadId, TENANT, false))!;
        assert.equal(openPersonalData<{ name: string }>(sealed, key, leadId).name, `Sealed ${i}`);
        const [read] = await fresh.readStream(streamIdOf(LEAD_CATEGORY, leadId));
        assert.equal((read!.data as { personal: { name: string; phone: string } }).personal.phone, `137${String(i).padStart(8, '0')}`);
      }
      assert.ok((await reopened.keyFor(earlier, TENANT, false))!.equals(earlierKey), 'the key stored before is the lead\'s key still');
    } finally {
      await reopened.close();
    }
  });
});
