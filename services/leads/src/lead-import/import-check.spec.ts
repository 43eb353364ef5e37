import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as iconv from 'iconv-lite';
import { defaultLeadSchema } from '../lead-schema/domain/lead-schema.decider';
import type { CustomFieldDefinition, LeadSchema } from '../lead-schema/domain/lead-schema.types';
import type { AssetInfoSource } from '../lead/lead-operations';
import { isSealed, openPersonalData } from '../lead-crypto/personal-data-cipher';
import { checkMapping } from './domain/import-mapping';
import { checkedChunks, type CheckedChunk, type ImportCheckOptions } from './import-check';
import { checkedChunksInWorker, summariseFileInWorker } from './import-check-worker';
import { ImportFileError, summariseFile } from './import-file';
import { importedEventId, importedLeadId } from './import-ids';

const TENANT = '00000000-0000-4000-8000-00000000cccc';
const IMPORT_ID = '00000000-0000-4000-8000-00000000dddd';
const STARTED = Date.parse('2026-12-01T00:00:00.000Z');
const STATUSES = [{ id: 'st-new', name: 'New', retired: false }];
const photo: CustomFieldDefinition = {
  id: '00000000-0000-4000-8000-0000000000f1',
  key: 'photo',
  label: 'Photo',
  type: 'image',
  required: false,
  hidden: false,
  attributes: { maxBytes: 1000 },
  deleted: false,
};
const schema: LeadSchema = { ...defaultLeadSchema(TENANT), customFields: [photo] };

/** Folders made by this file's tests, removed once they are done. */
const made: string[] = [];
after(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'import-check-'));
  made.push(dir);
  return dir;
}

async function csv(content: string): Promise<string> {
  const dir = await tempDir();
  const path = join(dir, 'upload.csv');
  await writeFile(path, content);
  return path;
}

function optionsFor(path: string, headers: string[], overrides: Partial<ImportCheckOptions> = {}): ImportCheckOptions {
  const mapped = checkMapping({ Name: 'name', Mobile: 'phone', Photo: 'fields.photo' }, schema, headers);
  assert.deepEqual(mapped.errors, {});
  return {
    path,
    format: 'csv',
    encoding: 'utf-8',
    importId: IMPORT_ID,
    startedAtMs: STARTED,
    enterpriseId: TENANT,
    actor: 'member-1',
    columns: mapped.columns,
    schema,
    statuses: STATUSES,
    resumeAfter: 1,
    countedBefore: 0,
    chunkRows: 3,
    seal: false,
    ...overrides,
  };
}

/** Images known to the asset store, answered after a turn of the event loop (as a store would); every lookup is recorded. */
function assetsWith(known: Record<string, number>): AssetInfoSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    find: async (tenantId, assetId) => {
      await new Promise((resolve) => setImmediate(resolve));
      asked.push(`${tenantId}/${assetId}`);
      return assetId in known ? { contentType: 'image/png', size: known[assetId]! } : null;
    },
  };
}

async function all(chunks: AsyncIterable<CheckedChunk>): Promise<CheckedChunk[]> {
  const out: CheckedChunk[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

/** A chunk as rows of `ok <n>` / `bad <n>: <reason>`, its skipped rows, last row, fullness and end. */
function shape(chunk: CheckedChunk): unknown {
  return {
    rows: chunk.rows.map((r) => ('errorLine' in r ? `bad ${r.rowNumber}: ${String(r.errorLine[2])}` : `ok ${r.rowNumber}`)),
    skipped: chunk.skipped,
    lastRow: chunk.lastRow,
    full: chunk.full,
    end: chunk.end ?? null,
  };
}

const HEADERS = ['Name', 'Mobile', 'Photo'];
const FILE = [
  'Name,Mobile,Photo',
  'Li Wei,13800000001,',
  'Wang Fang,not a phone,',
  ',,',
  'Zhang San,13800000003,00000000-0000-4000-8000-0000000000a1',
  'Zhao Si,13800000004,00000000-0000-4000-8000-0000000000a2',
  'Qian Wu,13800000005,00000000-0000-4000-8000-0000000000a3',
  'Sun Liu,13800000006,',
].join('\n');

describe('import rows checked in chunks (in this thread and in a worker thread)', () => {
  for (const [where, read] of [
    ['in this thread', checkedChunks],
    ['in a worker thread', checkedChunksInWorker],
  ] as const) {
    it(`${where}: chunks of good rows (events under ids derived from the job and the row), bad rows with their error lines, empty rows skipped`, async () => {
      const assets = assetsWith({ '00000000-0000-4000-8000-0000000000a1': 10, '00000000-0000-4000-8000-0000000000a2': 5000 });
      const chunks = await all(read(optionsFor(await csv(FILE), HEADERS), assets));
      assert.deepEqual(chunks.map(shape), [
        { rows: ['ok 2', 'bad 3: Mobile: must be 5-15 digits, optionally starting with +'], skipped: 1, lastRow: 4, full: true, end: null },
        {
          rows: ['ok 5', 'bad 6: Photo: the image is larger than 1000 bytes', 'bad 7: Photo: is not an image uploaded to this enterprise (POST /v1/assets)'],
          skipped: 0,
          lastRow: 7,
          full: true,
          end: null,
        },
        { rows: ['ok 8'], skipped: 0, lastRow: 8, full: false, end: null },
      ]);
      const good = chunks.flatMap((c) => c.rows).find((r) => r.rowNumber === 5);
      assert.ok(good && 'event' in good);
      assert.equal(good.eventId, importedEventId(IMPORT_ID, STARTED, 5));
      assert.equal(good.event.type, 'leads.LeadCreated');
      assert.equal(good.event.data.leadId, importedLeadId(IMPORT_ID, STARTED, 5));
      assert.equal(good.event.data.enterpriseId, TENANT);
      assert.equal(good.event.data.personal?.name, 'Zhang San');
      assert.equal(good.event.data.personal?.phone, '13800000003');
      const bad = chunks[0]!.rows[1]!;
      assert.ok('errorLine' in bad);
      assert.deepEqual(bad.errorLine.slice(3), ['Wang Fang', 'not a phone', '']);
      assert.deepEqual([...assets.asked].sort(), ['a1', 'a2', 'a3'].map((n) => `${TENANT}/00000000-0000-4000-8000-0000000000${n}`));
    });

    it(`${where}: sealing asked for, each good row's personal data comes sealed under a key drawn for its lead, with the text it sealed`, async () => {
      const chunks = await all(read(optionsFor(await csv(FILE), HEADERS, { seal: true, chunkRows: 10 }), assetsWith({ '00000000-0000-4000-8000-0000000000a1': 10 })));
      const good = chunks.flatMap((c) => c.rows).filter((r) => 'event' in r);
      assert.deepEqual(good.map((r) => r.rowNumber), [2, 5, 8]);
      const keys = new Set<string>();
      for (const row of good) {
        assert.ok('event' in row && row.sealing !== undefined, `row ${row.rowNumber} is sealed`);
        const personal = row.event.data.personal as unknown;
        assert.ok(isSealed(personal), `row ${row.rowNumber} carries the sealed form`);
        assert.equal(row.sealing.key.length, 32);
        keys.add(Buffer.from(row.sealing.key).toString('hex'));
        const opened = openPersonalData<{ name: string; phone: string }>(personal, Buffer.from(row.sealing.key), row.event.data.leadId);
        assert.deepEqual(opened, JSON.parse(row.sealing.text));
        assert.equal(opened.name, ({ 2: 'Li Wei', 5: 'Zhang San', 8: 'Sun Liu' } as Record<number, string>)[row.rowNumber]);
        assert.throws(() => openPersonalData(personal, Buffer.from(row.sealing!.key), 'another lead'), /unable to authenticate/);
      }
      assert.equal(keys.size, 3, 'one key per lead');
      assert.ok(![...keys].includes('0'.repeat(64)), 'the keys received are intact');
    });

    it(`${where}: a resumed job starts after its last row, and the row limit counts the rows before it`, async () => {
      const path = await csv(FILE);
      const resumed = await all(read(optionsFor(path, HEADERS, { resumeAfter: 6, chunkRows: 10 }), assetsWith({})));
      assert.deepEqual(resumed.map(shape), [
        { rows: ['bad 7: Photo: is not an image uploaded to this enterprise (POST /v1/assets)', 'ok 8'], skipped: 0, lastRow: 8, full: false, end: null },
      ]);
      const limited = await all(read(optionsFor(path, HEADERS, { resumeAfter: 4, countedBefore: 1_048_575, chunkRows: 10 }), assetsWith({ '00000000-0000-4000-8000-0000000000a1': 10 })));
      assert.deepEqual(limited.map(shape), [{ rows: ['ok 5'], skipped: 0, lastRow: 5, full: false, end: { reason: 'too-many-rows' } }]);
    });

    it(`${where}: a file that turns out malformed ends with the rows before the fault and the reason`, async () => {
      const path = await csv(['Name,Mobile,Photo', 'Li Wei,13800000001,', 'Sun Liu,13800000006,', '"never closed,13800000007,'].join('\n'));
      const chunks = await all(read(optionsFor(path, HEADERS, { chunkRows: 10 }), assetsWith({})));
      assert.equal(chunks.length, 1);
      assert.deepEqual(chunks[0]!.rows.map((r) => r.rowNumber), [2, 3]);
      assert.equal(chunks[0]!.end?.reason, 'unreadable');
      assert.match(chunks[0]!.end?.reason === 'unreadable' ? chunks[0]!.end.message : '', /a quoted value is never closed/);
    });

    it(`${where}: a file that cannot be opened fails the run (it is retried), it is not reported as the file's fault`, async () => {
      await assert.rejects(all(read(optionsFor(join(tmpdir(), 'no-such-dir-import-check', 'upload.csv'), HEADERS), assetsWith({}))), /ENOENT/);
    });
  }

  it("an upload summarised in a worker thread answers as in this thread; a malformed file is the file's fault (ImportFileError) there too", async () => {
    const good = await csv(FILE);
    assert.deepEqual(await summariseFileInWorker(good, 'csv', 'utf-8'), await summariseFile(good, 'csv', 'utf-8'));
    const gb = join(await tempDir(), 'gb.csv');
    await writeFile(gb, iconv.encode('姓名,手机\n王芳,13800000001\n', 'gb18030'));
    const summary = await summariseFileInWorker(gb, 'csv', 'gb18030');
    assert.deepEqual(summary, { headers: ['姓名', '手机'], preview: [['王芳', '13800000001']], rows: 1 });
    const bad = await csv('Name,Mobile\n"never closed,1\n');
    const inThread = await summariseFile(bad, 'csv', 'utf-8').then(
      () => null,
      (error: unknown) => error,
    );
    assert.ok(inThread instanceof ImportFileError);
    await assert.rejects(summariseFileInWorker(bad, 'csv', 'utf-8'), (error: unknown) => error instanceof ImportFileError && error.message === inThread.message);
    await assert.rejects(summariseFileInWorker(join(tmpdir(), 'no-such-dir-import-check', 'x.csv'), 'csv', 'utf-8'), (error: unknown) => !(error instanceof ImportFileError) && /ENOENT/.test(String(error)));
  });

  it('in a worker thread: a failing image lookup fails the run with its message', async () => {
    const failing: AssetInfoSource = { find: () => Promise.reject(new Error('asset store unavailable')) };
    await assert.rejects(all(checkedChunksInWorker(optionsFor(await csv(FILE), HEADERS), failing)), /asset store unavailable/);
  });
});
