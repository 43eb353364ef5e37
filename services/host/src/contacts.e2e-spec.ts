import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { assertProblem, call, eventually, type Json, type Reply } from './testing/http-client';
import { createEnterprise, memberWithPackages, type SignedIn } from './testing/enterprise-setup';

describe('contacts: leads sharing a phone, e-mail or QQ are one contact, transitively; merges, splits, deletion (LEAD-3)', () => {
  let dataDir: string;
  let host: HostProcess;
  let a: SignedIn;
  let b: SignedIn;
  let readerToken = '';
  let strangerToken = '';
  const ids: string[] = [];

  const get = (path: string, token = a.token) => call(host.url, 'GET', path, { token });
  const contactOf = (leadId: string, token = a.token) => get(`/v1/contacts?leadId=${leadId}`, token);
  /** Waits until the contact of `leadId` holds exactly `leads` (sorted), and returns it. */
  const settle = async (leadId: string, leads: string[]): Promise<Json> => {
    const res = await eventually(
      () => contactOf(leadId),
      (r) => r.status === 200 && r.json['total'] === 1 && JSON.stringify(r.json['items'][0]['leadIds']) === JSON.stringify([...leads].sort()),
    );
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json['items'][0]?.['leadIds'], [...leads].sort(), res.text);
    return res.json['items'][0] as Json;
  };
  const create = async (body: Json, token = a.token) => {
    const res = await call(host.url, 'POST', '/v1/leads', { token, body });
    assert.equal(res.status, 201, res.text);
    return res.json['id'] as string;
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-contacts-e2e-'));
    host = await startHostProcess({ DATA_DIR: dataDir });
    a = await createEnterprise(host.url, 'Acme Contacts');
    b = await createEnterprise(host.url, 'Globex Contacts');
    readerToken = await memberWithPackages(host.url, a, 'reader', ['leads:read']);
    strangerToken = await memberWithPackages(host.url, a, 'stranger', ['org:read']);
    // one after the other, so their order in the log is their order here
    ids.push(await create({ name: 'Han Meimei', phone: '138 0013 8000' }));
    ids.push(await create({ name: 'Han M.', phone: '138-0013-8000', email: 'han@example.com' }));
    ids.push(await create({ name: 'Meimei Han', email: 'HAN@Example.COM', company: 'Acme' }));
    ids.push(await create({ name: 'Li Lei', phone: '+86 139 0000 0000', qq: '10001' }));
  });

  after(async () => {
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('merges leads sharing a normalised phone, and transitively the one sharing the e-mail; the earliest lead names the contact', async () => {
    const [l1, l2, l3, l4] = ids as [string, string, string, string];
    const contact = await settle(l1, [l1, l2, l3]);
    assert.equal(contact['id'], l1);
    assert.deepEqual(contact['identifiers'], ['email:han@example.com', 'phone:13800138000']);
    assert.deepEqual([contact['leadCount'], contact['identifierCount']], [3, 2]);
    assert.equal((await settle(l4, [l4]))['id'], l4);

    const detail = await get(`/v1/contacts/${l1}`, readerToken);
    assert.equal(detail.status, 200, detail.text);
    assert.equal(detail.json['id'], l1);
    assert.deepEqual(
      (detail.json['leads'] as Json[]).map((l) => [l['id'], l['name']]),
      [
        [l1, 'Han Meimei'],
        [l2, 'Han M.'],
        [l3, 'Meimei Han'],
      ],
      'leads earliest first, with their names',
    );
    assert.deepEqual(detail.json['identifiers'], [
      { key: 'email:han@example.com', kind: 'email', value: 'han@example.com', leadIds: [l2, l3] },
      { key: 'phone:13800138000', kind: 'phone', value: '13800138000', leadIds: [l1, l2] },
    ]);

    // found by any of its identifiers, written any way
    for (const q of ['phone:138 0013 8000', '13800138000', 'Han@Example.com', 'email:han@example.com']) {
      const res = await get(`/v1/contacts?identifier=${encodeURIComponent(q)}`);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual((res.json['items'] as Json[]).map((c) => c['id']), [l1], q);
    }
    // a bare number is a phone or a QQ number
    const qq = await get('/v1/contacts?identifier=10001');
    assert.deepEqual((qq.json['items'] as Json[]).map((c) => c['id']), [l4]);
    assert.deepEqual((await get(`/v1/contacts?identifier=${encodeURIComponent('+8613900000000')}`)).json['items'].map((c: Json) => c['id']), [l4]);
  });

  it('lists every contact newest first, page by page', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Reply = await get(`/v1/contacts?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json['total'], 2);
      seen.push(...(res.json['items'] as Json[]).map((c) => c['id'] as string));
      cursor = res.json['nextCursor'] as string | null;
    } while (cursor);
    assert.deepEqual(seen, [ids[3], ids[0]]);
  });

  it('splits when a lead changes its phone, and merges again when another lead takes the shared e-mail', async () => {
    const [l1, l2, l3, l4] = ids as [string, string, string, string];
    const edit = await call(host.url, 'PATCH', `/v1/leads/${l2}`, { token: a.token, body: { phone: '13700000000' } });
    assert.equal(edit.status, 200, edit.text);
    assert.equal((await settle(l1, [l1]))['id'], l1);
    const rest = await settle(l2, [l2, l3]);
    assert.equal(rest['id'], l2, 'the part without the earliest lead takes its own earliest lead as id');
    assert.deepEqual(rest['identifiers'], ['email:han@example.com', 'phone:13700000000']);

    const join = await call(host.url, 'PATCH', `/v1/leads/${l4}`, { token: a.token, body: { email: 'han@EXAMPLE.com' } });
    assert.equal(join.status, 200, join.text);
    const merged = await settle(l4, [l2, l3, l4]);
    assert.equal(merged['id'], l2);
    assert.equal((await get(`/v1/contacts/${l4}`)).status, 404, 'the merged-away contact id is gone');
  });

  it('a deleted lead leaves its contact, its identifiers with it; the contact it named is renamed', async () => {
    const [, l2, l3, l4] = ids as [string, string, string, string];
    const del = await call(host.url, 'DELETE', `/v1/leads/${l2}`, { token: a.token });
    assert.equal(del.status, 204, del.text);
    const left = await settle(l3, [l3, l4]);
    assert.equal(left['id'], l3);
    assert.ok(!(left['identifiers'] as string[]).includes('phone:13700000000'), 'the deleted lead\'s phone is gone');
    assertProblem(await get(`/v1/contacts/${l2}`), 404);
    const byPhone = await get('/v1/contacts?identifier=13700000000');
    assert.equal(byPhone.json['total'], 0, byPhone.text);
    assert.equal((await contactOf(l2)).json['total'], 0);
  });

  it('keeps enterprises apart: the same phone in another enterprise is another contact, and ids do not cross', async () => {
    const [l1] = ids as [string];
    const other = await create({ name: 'Someone else', phone: '13800138000' }, b.token);
    const theirs = await eventually(
      () => get('/v1/contacts?identifier=13800138000', b.token),
      (r) => r.json['total'] === 1,
    );
    assert.deepEqual((theirs.json['items'] as Json[]).map((c) => [c['id'], c['leadIds']]), [[other, [other]]]);
    assertProblem(await get(`/v1/contacts/${l1}`, b.token), 404);
    assertProblem(await get(`/v1/contacts/${other}`), 404);
    assert.equal((await contactOf(l1, b.token)).json['total'], 0);
    const ours = await get('/v1/contacts?identifier=13800138000');
    assert.deepEqual((ours.json['items'] as Json[]).map((c) => c['id']), [l1]);
  });

  it('keeps its state across a restart: the contacts stay, and a new lead still merges into one', async () => {
    const [, , l3, l4] = ids as [string, string, string, string];
    assert.equal(await host.stop(), 0);
    host = await startHostProcess({ DATA_DIR: dataDir });
    const kept = await get(`/v1/contacts?leadId=${l3}`);
    assert.deepEqual(kept.json['items'].map((c: Json) => [c['id'], c['leadIds']]), [[l3, [l3, l4].sort()]], kept.text);
    const l5 = await create({ name: 'Li Lei again', qq: '10001' });
    const grown = await settle(l5, [l3, l4, l5]);
    assert.equal(grown['id'], l3);
  });

  it('needs leads:read (403), answers 404 for unknown ids and 400 naming the field for bad parameters', async () => {
    assertProblem(await get('/v1/contacts', strangerToken), 403);
    assertProblem(await get(`/v1/contacts/${ids[0]}`, strangerToken), 403);
    assert.equal((await call(host.url, 'GET', '/v1/contacts')).status, 401);
    assertProblem(await get(`/v1/contacts/${randomUUID()}`), 404);
    assertProblem(await get('/v1/contacts/not-a-uuid'), 400, 'id');
    assertProblem(await get(`/v1/contacts/${ids[0]}/leads`, strangerToken), 403);
    assertProblem(await get(`/v1/contacts/${randomUUID()}/leads`), 404);
    assertProblem(await get('/v1/contacts/not-a-uuid/leads'), 400, 'id');
    assertProblem(await get(`/v1/contacts/${ids[0]}/leads?limit=0`), 400, 'limit');
    assertProblem(await get(`/v1/contacts/${ids[0]}/leads?cursor=${Buffer.from('{"c":"x"}').toString('base64url')}`), 400, 'cursor');
    assertProblem(await get('/v1/contacts?identifier=hello'), 400, 'identifier');
    assertProblem(await get('/v1/contacts?identifier=phone:abc'), 400, 'identifier');
    assertProblem(await get('/v1/contacts?leadId=nope'), 400, 'leadId');
    assertProblem(await get('/v1/contacts?limit=0'), 400, 'limit');
    assertProblem(await get('/v1/contacts?limit=201'), 400, 'limit');
    assertProblem(await get('/v1/contacts?cursor=%21%21'), 400, 'cursor');
  });
});
