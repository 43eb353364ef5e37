import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openPersonalData, type SealedPersonalData } from '@leadstream/leads';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { call, eventually } from './testing/http-client';

const PASSWORD = 'correct horse battery';

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if ((await stat(path)).isFile()) out.push(path);
  }
  return out;
}

/** Files under `dir` whose bytes contain `needle` (as UTF-8 and as UTF-16LE, in case a store encodes that way). */
async function filesContaining(dir: string, needle: string | Buffer): Promise<string[]> {
  const needles = typeof needle === 'string' ? [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')] : [needle];
  const hits: string[] = [];
  for (const file of await filesUnder(dir)) {
    const bytes = await readFile(file);
    if (needles.some((n) => bytes.includes(n))) hits.push(file);
  }
  return hits;
}

/** The sealed personal data of a lead's events, read straight from the SQLite event log. */
function sealedEventsOf(eventsDb: string, leadId: string): { type: string; personal: unknown }[] {
  const db = new DatabaseSync(eventsDb, { readOnly: true });
  try {
    const rows = db.prepare('SELECT * FROM events WHERE stream_id = ? ORDER BY revision').all(`leads.lead-${leadId}`) as Record<string, unknown>[];
    return rows.map((row) => {
      const data = JSON.parse(String(row['data'])) as { personal: unknown };
      return { type: String(row['type']), personal: data.personal };
    });
  } finally {
    db.close();
  }
}

describe('lead deletion erases personal data (crypto-shredding) — real host, bytes on disk', () => {
  let dataDir: string;
  let host: HostProcess;
  let token = '';
  const unique = randomBytes(6).toString('hex');
  const person = {
    name: `Erasable Person ${unique}`,
    phone: `+86139${String(parseInt(unique.slice(0, 6), 16) % 100000000).padStart(8, '0')}`,
    email: `erasable.${unique}@example.com`,
    company: `Shredded Co ${unique}`,
  };
  const editedName = `Edited Person ${unique}`;
  let leadId = '';
  let keyBytes: Buffer = Buffer.alloc(0);

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-erasure-e2e-'));
    host = await startHostProcess({ DATA_DIR: dataDir });
    const created = await call(host.url, 'POST', '/v1/enterprises', {
      body: { name: `Erasure ${unique}`, timeZone: 'Asia/Shanghai', seatQuota: 5, admin: { accountName: 'admin', password: PASSWORD, realName: 'Ada' } },
    });
    assert.equal(created.status, 201, created.text);
    const login = await call(host.url, 'POST', '/v1/auth/login', { body: { enterpriseId: created.json['enterpriseId'], accountName: 'admin', password: PASSWORD } });
    assert.equal(login.status, 200, login.text);
    token = login.json['accessToken'];
  });

  after(async () => {
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('never writes personal data in clear to the event log, only sealed under the lead key', async () => {
    const res = await call(host.url, 'POST', '/v1/leads', { token, body: { ...person, source: 'expo', tags: ['vip'] } });
    assert.equal(res.status, 201, res.text);
    leadId = res.json['id'];
    const shown = await eventually(
      () => call(host.url, 'GET', `/v1/leads/${leadId}`, { token }),
      (r) => r.status === 200,
    );
    assert.equal(shown.json['name'], person.name);
    assert.equal(shown.json['email'], person.email);
    // its contact (LEAD-3) holds its identifiers
    const contact = await eventually(
      () => call(host.url, 'GET', `/v1/contacts?identifier=${encodeURIComponent(person.email)}`, { token }),
      (r) => r.json['total'] === 1,
    );
    assert.deepEqual(contact.json['items'][0]['identifiers'], [`email:${person.email}`, `phone:${person.phone}`], contact.text);

    const edit = await call(host.url, 'PATCH', `/v1/leads/${leadId}`, { token, body: { name: editedName } });
    assert.equal(edit.status, 200, edit.text);
    assert.equal(edit.json['outcome'], 'applied');
    await eventually(
      () => call(host.url, 'GET', `/v1/leads/${leadId}`, { token }),
      (r) => r.json['name'] === editedName,
    );

    const leadsDir = join(dataDir, 'leads');
    for (const value of [person.name, person.phone, person.email, person.company, editedName]) {
      assert.deepEqual(
        (await filesContaining(leadsDir, value)).filter((f) => f.includes('events.db')),
        [],
        `${value} must not be in the event log in clear`,
      );
    }

    // The sealed form does hold the data: the lead's key opens it.
    const key = await call(host.url, 'GET', `/v1/leads/${leadId}/data-key`, { token });
    assert.equal(key.status, 200, key.text);
    keyBytes = Buffer.from(key.json['key'], 'base64');
    assert.equal(keyBytes.length, 32);
    const sealed = sealedEventsOf(join(leadsDir, 'events.db'), leadId);
    assert.deepEqual(
      sealed.map((e) => e.type),
      ['leads.LeadCreated', 'leads.LeadUpdated'],
    );
    const created = openPersonalData<{ name: string; phone: string; email: string; company: string }>(sealed[0]!.personal as SealedPersonalData, keyBytes, leadId);
    assert.deepEqual([created.name, created.phone, created.email, created.company], [person.name, person.phone, person.email, person.company]);
    const updated = openPersonalData<{ name: string }>(sealed[1]!.personal as SealedPersonalData, keyBytes, leadId);
    assert.equal(updated.name, editedName);
    // a wrong key (or another lead's AAD) does not open it
    assert.throws(() => openPersonalData(sealed[0]!.personal as SealedPersonalData, randomBytes(32), leadId));
    assert.throws(() => openPersonalData(sealed[0]!.personal as SealedPersonalData, keyBytes, 'another-lead'));
    // the key itself is only in the key store
    const holders = (await filesContaining(dataDir, keyBytes)).map((f) => f.slice(dataDir.length + 1));
    assert.ok(holders.length > 0 && holders.every((f) => f === join('leads', 'keys.db') || f === join('leads', 'keys.db-wal')), `key found in ${holders.join(', ')}`);
  });

  it('after DELETE the lead is gone from every API and its data is unreadable in every file of the data directory', async () => {
    const del = await call(host.url, 'DELETE', `/v1/leads/${leadId}`, { token });
    assert.equal(del.status, 204, del.text);
    assert.equal((await call(host.url, 'GET', `/v1/leads/${leadId}/data-key`, { token })).status, 404);
    const gone = await eventually(
      () => call(host.url, 'GET', `/v1/leads/${leadId}`, { token }),
      (r) => r.status === 404,
    );
    assert.equal(gone.status, 404, gone.text);
    const list = await call(host.url, 'GET', `/v1/leads?q=${encodeURIComponent(unique)}`, { token });
    assert.equal(list.status, 200, list.text);
    assert.equal(list.json['total'], 0);
    // no contact shows the erased identifiers any more
    for (const identifier of [person.email, `phone:${person.phone}`]) {
      const contacts = await eventually(
        () => call(host.url, 'GET', `/v1/contacts?identifier=${encodeURIComponent(identifier)}`, { token }),
        (r) => r.json['total'] === 0,
      );
      assert.equal(contacts.status, 200, contacts.text);
      assert.equal(contacts.json['total'], 0, contacts.text);
    }
    assert.equal((await call(host.url, 'GET', `/v1/contacts/${leadId}`, { token })).status, 404);
    const all = await call(host.url, 'GET', '/v1/contacts?limit=200', { token });
    assert.ok(!all.text.includes(person.email) && !all.text.includes(person.phone), all.text);
    // every later operation on it: 404
    assert.equal((await call(host.url, 'PATCH', `/v1/leads/${leadId}`, { token, body: { name: 'x' } })).status, 404);
    assert.equal((await call(host.url, 'DELETE', `/v1/leads/${leadId}`, { token })).status, 404);

    // Stop cleanly (files closed, WALs checkpointed), then scan every byte the host wrote.
    assert.equal(await host.stop(), 0);
    for (const value of [person.name, person.phone, person.email, person.company, editedName]) {
      assert.deepEqual(await filesContaining(dataDir, value), [], `${value} must not be readable anywhere after deletion`);
    }
    assert.deepEqual(await filesContaining(dataDir, keyBytes), [], 'the destroyed key must not remain in any file');

    // The sealed events are still in the log (events are immutable) but nothing can open them any more.
    const sealed = sealedEventsOf(join(dataDir, 'leads', 'events.db'), leadId);
    assert.deepEqual(
      sealed.map((e) => e.type),
      ['leads.LeadCreated', 'leads.LeadUpdated', 'leads.LeadDeleted'],
    );
    const keysDb = new DatabaseSync(join(dataDir, 'leads', 'keys.db'), { readOnly: true });
    try {
      assert.equal((keysDb.prepare('SELECT count(*) AS n FROM lead_keys WHERE lead_id = ?').get(leadId) as { n: number }).n, 0);
    } finally {
      keysDb.close();
    }

    // A restart (projections resume; a rebuild reads the sealed events without a key) still shows nothing.
    host = await startHostProcess({ DATA_DIR: dataDir });
    assert.equal((await call(host.url, 'GET', `/v1/leads/${leadId}`, { token })).status, 404);
    assert.equal((await call(host.url, 'GET', `/v1/contacts?identifier=${encodeURIComponent(person.email)}`, { token })).json['total'], 0);
  });
});
