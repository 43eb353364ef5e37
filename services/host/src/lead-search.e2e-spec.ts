import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { assertProblem, call, eventually, type Json } from './testing/http-client';

const PASSWORD = 'correct horse battery';
const QUALIFIED = '00000000-0000-4000-8000-000000000003';

describe('lead list search: filter on every field, sort, cursor pages, columns, batch by filter (LEAD-9, LEAD-6)', () => {
  let dataDir: string;
  let host: HostProcess;
  const a = { enterpriseId: '', token: '' };
  const b = { enterpriseId: '', token: '' };
  let readerToken = '';
  let noLeadsToken = '';
  let fair = '';
  let webinar = '';
  const ids: string[] = [];

  const login = async (enterpriseId: string, accountName: string) => {
    const res = await call(host.url, 'POST', '/v1/auth/login', { body: { enterpriseId, accountName, password: PASSWORD } });
    assert.equal(res.status, 200, res.text);
    return res.json['accessToken'] as string;
  };
  const search = (token: string, body: Json) => call(host.url, 'POST', '/v1/leads/search', { token, body });
  const found = async (body: Json, token = a.token) => {
    const res = await search(token, body);
    assert.equal(res.status, 200, res.text);
    return res.json as { items: Json[]; total: number; nextCursor: string | null };
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-lead-search-e2e-'));
    host = await startHostProcess({ DATA_DIR: dataDir });
    for (const [tenant, name] of [
      [a, 'Acme Search'],
      [b, 'Globex Search'],
    ] as const) {
      const created = await call(host.url, 'POST', '/v1/enterprises', {
        body: { name, timeZone: 'Asia/Shanghai', seatQuota: 10, admin: { accountName: 'admin', password: PASSWORD, realName: 'Ada' } },
      });
      assert.equal(created.status, 201, created.text);
      tenant.enterpriseId = created.json['enterpriseId'];
      tenant.token = await login(tenant.enterpriseId, 'admin');
    }
    const field = async (body: Json) => {
      const res = await call(host.url, 'POST', '/v1/lead-schema/fields', { token: a.token, body });
      assert.equal(res.status, 201, res.text);
      return res.json['id'] as string;
    };
    await field({ key: 'budget', label: 'Budget', type: 'integer' });
    await field({ key: 'city', label: 'City', type: 'text' });
    await field({ key: 'visit_day', label: 'Visit', type: 'date' });
    const channelsId = await field({ key: 'channels', label: 'Channels', type: 'multiChoice', attributes: { options: ['Trade fair', 'Webinar'] } });
    await field({ key: 'obsolete', label: 'Obsolete', type: 'text' });
    const schema = await call(host.url, 'GET', '/v1/lead-schema', { token: a.token });
    const options = ((schema.json['customFields'] as Json[]).find((f) => f['id'] === channelsId)!['attributes']['options'] as Json[]).map((o) => o['id'] as string);
    [fair, webinar] = options as [string, string];

    for (let i = 0; i < 30; i++) {
      const body: Json = {
        name: `Search Lead ${String(i).padStart(2, '0')}`,
        phone: `139000000${String(i).padStart(2, '0')}`,
        source: i % 2 === 0 ? 'expo' : 'web',
        fields: {
          ...(i % 3 === 0 ? {} : { budget: i * 100 }),
          city: i % 2 === 0 ? 'Shanghai' : 'Hangzhou',
          visit_day: `2026-03-${String(1 + i).padStart(2, '0')}`,
          channels: i % 4 === 0 ? [fair, webinar] : i % 4 === 1 ? [webinar] : [],
          obsolete: 'legacy',
        },
      };
      const res = await call(host.url, 'POST', '/v1/leads', { token: a.token, body });
      assert.equal(res.status, 201, res.text);
      ids.push(res.json['id']);
    }
    await call(host.url, 'POST', '/v1/leads', { token: b.token, body: { name: 'Other tenant', phone: '13700000000', source: 'expo' } });
    const obsoleteId = (schema.json['customFields'] as Json[]).find((f) => f['key'] === 'obsolete')!['id'];
    assert.equal((await call(host.url, 'DELETE', `/v1/lead-schema/fields/${obsoleteId}`, { token: a.token })).status, 204);

    for (const [account, packages] of [
      ['reader', ['leads:read']],
      ['stranger', ['org:read']],
    ] as const) {
      const member = await call(host.url, 'POST', '/v1/members', { token: a.token, body: { accountName: account, password: PASSWORD } });
      assert.equal(member.status, 201, member.text);
      const role = await call(host.url, 'POST', '/v1/roles', { token: a.token, body: { name: `Role ${account}`, packages } });
      assert.equal(role.status, 201, role.text);
      assert.equal((await call(host.url, 'POST', `/v1/roles/${role.json['id']}/members`, { token: a.token, body: { memberIds: [member.json['id']] } })).status, 200);
    }
    readerToken = await login(a.enterpriseId, 'reader');
    noLeadsToken = await login(a.enterpriseId, 'stranger');
    // every lead is in the list before the searches start
    const all = await eventually(() => search(a.token, { limit: 1 }), (r) => r.status === 200 && r.json['total'] === 30);
    assert.equal(all.json['total'], 30, all.text);
  });

  after(async () => {
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('filters on custom fields by type: number range, text contains, multi-choice all-of, date range, empty', async () => {
    const range = await found({ conditions: [{ field: 'budget', op: 'between', value: [500, 1500] }] });
    const expected = [5, 7, 8, 10, 11, 13, 14].map((i) => `Search Lead ${String(i).padStart(2, '0')}`);
    assert.deepEqual(range.items.map((l) => l['name']).sort(), expected);
    assert.equal(range.total, expected.length);
    assert.equal((await found({ conditions: [{ field: 'city', op: 'contains', value: 'hang' }] })).total, 30, 'contains is case-insensitive: Shanghai and Hangzhou');
    assert.equal((await found({ conditions: [{ field: 'city', op: 'equals', value: 'Hangzhou' }] })).total, 15);
    assert.equal((await found({ conditions: [{ field: 'channels', op: 'allOf', value: [fair, webinar] }] })).total, 8);
    assert.equal((await found({ conditions: [{ field: 'channels', op: 'empty' }] })).total, 14);
    assert.equal((await found({ conditions: [{ field: 'budget', op: 'empty' }] })).total, 10);
    assert.equal((await found({ conditions: [{ field: 'visit_day', op: 'between', value: ['2026-03-05', '2026-03-09'] }] })).total, 5);
    const any = await found({ match: 'any', conditions: [{ field: 'source', op: 'equals', value: 'web' }, { field: 'budget', op: 'gte', value: 2800 }] });
    assert.equal(any.total, 16, 'web leads (15) or budget ≥ 2800 (lead 28)');
    assert.equal((await found({ q: 'lead 2', conditions: [{ field: 'source', op: 'equals', value: 'expo' }] })).total, 5, 'free text with a condition: expo leads 20, 22, 24, 26, 28');
  });

  it('sorts on a custom field and pages with a cursor through nulls, without gaps or repeats', async () => {
    const seen: Json[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await found({ sort: { field: 'budget', direction: 'desc' }, limit: 7, ...(cursor ? { cursor } : {}) });
      assert.equal(page.total, 30);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    assert.equal(pages, 5);
    assert.equal(new Set(seen.map((l) => l['id'])).size, 30);
    const budgets = seen.map((l) => (l['fields'] as Json)['budget'] ?? null);
    assert.deepEqual(budgets.slice(0, 20), [...budgets.slice(0, 20)].sort((x, y) => y - x));
    assert.ok(budgets.slice(20).every((v) => v === null), 'leads without a budget come last when descending');
    assert.ok(budgets.slice(0, 20).every((v) => typeof v === 'number'));
  });

  it('returns only the chosen columns; a deleted field’s values never show', async () => {
    const page = await found({ columns: ['name', 'budget'], conditions: [{ field: 'budget', op: 'equals', value: 100 }] });
    assert.deepEqual(page.items, [{ id: ids[1], name: 'Search Lead 01', fields: { budget: 100 } }]);
    const full = await found({ conditions: [{ field: 'name', op: 'equals', value: 'Search Lead 01' }] });
    assert.equal((full.items[0]!['fields'] as Json)['obsolete'], undefined);
    assert.equal((full.items[0]!['fields'] as Json)['city'], 'Hangzhou');
  });

  it('a filter, sort or column on a deleted or unknown field is a 400 naming it; so are bad operators, values and cursors', async () => {
    assertProblem(await search(a.token, { conditions: [{ field: 'obsolete', op: 'equals', value: 'legacy' }] }), 400, 'conditions[0].field');
    assertProblem(await search(a.token, { conditions: [{ field: 'city', op: 'empty' }, { field: 'no_such_field', op: 'empty' }] }), 400, 'conditions[1].field');
    assertProblem(await search(a.token, { conditions: [{ field: 'budget', op: 'contains', value: '1' }] }), 400, 'conditions[0].op');
    assertProblem(await search(a.token, { conditions: [{ field: 'budget', op: 'gt', value: 'lots' }] }), 400, 'conditions[0].value');
    assertProblem(await search(a.token, { conditions: [{ field: 'channels', op: 'anyOf', value: ['Webinar'] }] }), 400, 'conditions[0].value[0]');
    assertProblem(await search(a.token, { sort: { field: 'obsolete' } }), 400, 'sort.field');
    assertProblem(await search(a.token, { sort: { field: 'budget', direction: 'sideways' } }), 400, 'sort.direction');
    assertProblem(await search(a.token, { columns: ['name', 'obsolete'] }), 400, 'columns[1]');
    assertProblem(await search(a.token, { match: 'some' }), 400, 'match');
    assertProblem(await search(a.token, { limit: 201 }), 400, 'limit');
    assertProblem(await search(a.token, { cursor: 'not a cursor' }), 400, 'cursor');
    const page = await found({ sort: { field: 'budget' }, limit: 2 });
    assertProblem(await search(a.token, { sort: { field: 'name' }, cursor: page.nextCursor }), 400, 'cursor');
  });

  it('a saved view’s filter is ANDed with the request; its sort and columns apply unless given; another’s private view is 404', async () => {
    const saved = await call(host.url, 'POST', '/v1/lead-views', {
      token: a.token,
      body: { name: 'Hangzhou with budget', visibility: 'shared', filter: { conditions: [{ field: 'city', op: 'equals', value: 'Hangzhou' }, { field: 'budget', op: 'notEmpty' }] }, sort: { field: 'budget', direction: 'asc' }, columns: ['name', 'budget'] },
    });
    assert.equal(saved.status, 201, saved.text);
    const viewId = saved.json['id'] as string;
    const viewed = await found({ viewId, limit: 200 });
    // odd leads (Hangzhou) with a budget: i odd and not a multiple of 3 → 1, 5, 7, 11, 13, 17, 19, 23, 25, 29
    assert.equal(viewed.total, 10);
    assert.deepEqual(viewed.items.map((l) => (l['fields'] as Json)['budget']), [100, 500, 700, 1100, 1300, 1700, 1900, 2300, 2500, 2900]);
    assert.deepEqual(Object.keys(viewed.items[0]!).sort(), ['fields', 'id', 'name']);
    const narrowed = await found({ viewId, conditions: [{ field: 'budget', op: 'gte', value: 2000 }], sort: { field: 'budget', direction: 'desc' }, columns: ['phone'] });
    assert.deepEqual(narrowed.items.map((l) => l['phone']), ['13900000029', '13900000025', '13900000023']);
    assertProblem(await search(a.token, { viewId: '00000000-0000-4000-8000-00000000dead' }), 404);
    assertProblem(await search(a.token, { viewId: 'not-a-uuid' }), 400, 'viewId');
    assertProblem(await search(b.token, { viewId }), 404);
    const mine = await call(host.url, 'POST', '/v1/lead-views', { token: a.token, body: { name: 'Mine only', filter: { conditions: [] } } });
    assert.equal(mine.status, 201, mine.text);
    assertProblem(await search(readerToken, { viewId: mine.json['id'] }), 404);
    assert.equal((await found({ viewId }, readerToken)).total, 10, 'a shared view serves every member');
  });

  it('checks permission and tenant: 401 without a token, 403 without leads:read, another tenant’s leads never show', async () => {
    assert.equal((await call(host.url, 'POST', '/v1/leads/search', { body: {} })).status, 401);
    assertProblem(await search(noLeadsToken, {}), 403);
    assert.equal((await found({}, readerToken)).total, 30);
    const other = await found({ conditions: [{ field: 'source', op: 'equals', value: 'expo' }] }, b.token);
    assert.deepEqual(other.items.map((l) => l['name']), ['Other tenant']);
    assertProblem(await search(b.token, { conditions: [{ field: 'budget', op: 'empty' }] }), 400, 'conditions[0].field');
  });

  it('a batch by filter acts on exactly the leads the search selects; a bad filter is a 400 naming filter.conditions[i]', async () => {
    assertProblem(
      await call(host.url, 'POST', '/v1/lead-batches', { token: a.token, body: { operation: 'setStatus', statusId: QUALIFIED, filter: { conditions: [{ field: 'obsolete', op: 'empty' }] } } }),
      400,
      'filter.conditions[0].field',
    );
    const filter = { conditions: [{ field: 'channels', op: 'anyOf', value: [webinar] }, { field: 'source', op: 'equals', value: 'expo' }] };
    const selected = await found({ ...filter, limit: 200 });
    assert.equal(selected.total, 8);
    const requested = await call(host.url, 'POST', '/v1/lead-batches', { token: a.token, body: { operation: 'setStatus', statusId: QUALIFIED, filter } });
    assert.equal(requested.status, 202, requested.text);
    assert.equal(requested.json['total'], 8);
    const done = await eventually(
      () => call(host.url, 'GET', `/v1/lead-batches/${requested.json['id']}`, { token: a.token }),
      (r) => r.status === 200 && r.json['status'] !== 'running',
      60_000,
    );
    assert.equal(done.json['status'], 'completed', done.text);
    const qualified = await eventually(
      () => search(a.token, { conditions: [{ field: 'status', op: 'equals', value: QUALIFIED }], limit: 200 }),
      (r) => r.status === 200 && r.json['total'] === 8,
    );
    assert.deepEqual((qualified.json['items'] as Json[]).map((l) => l['id']).sort(), selected.items.map((l) => l['id']).sort());
  });
});
