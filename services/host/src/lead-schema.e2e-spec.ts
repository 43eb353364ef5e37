import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { call, type Json, type Reply } from './testing/http-client';

const PASSWORD = 'correct horse battery';
const SYSTEM_KEYS = ['name', 'phone', 'qq', 'email', 'company', 'title', 'source', 'activity', 'owner', 'status', 'tags', 'score', 'createdAt', 'updatedAt'];

function assertProblem(res: Reply, status: number, field?: string) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal(res.json['status'], status);
  if (field !== undefined) {
    const fields = ((res.json['errors'] ?? []) as { field: string }[]).map((e) => e.field);
    assert.ok(fields.includes(field), `${field} is named: ${res.text}`);
  }
}

describe('lead object schema (LEAD-4) against the real host', () => {
  let dataDir: string;
  let host: HostProcess;
  const a = { enterpriseId: '', token: '' };
  const b = { enterpriseId: '', token: '' };
  let plainToken = '';
  let readerToken = '';

  const login = async (enterpriseId: string, accountName: string) => {
    const res = await call(host.url, 'POST', '/v1/auth/login', { body: { enterpriseId, accountName, password: PASSWORD } });
    assert.equal(res.status, 200, res.text);
    return res.json['accessToken'] as string;
  };
  const schemaOf = async (token: string) => {
    const res = await call(host.url, 'GET', '/v1/lead-schema', { token });
    assert.equal(res.status, 200, res.text);
    return res.json as { systemFields: Json[]; customFields: Json[] };
  };
  const fieldOf = async (token: string, id: string) => (await schemaOf(token)).customFields.find((f) => f['id'] === id);
  const createField = (token: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
    call(host.url, 'POST', '/v1/lead-schema/fields', { token, body, ...(headers ? { headers } : {}) });
  const mustCreate = async (body: Record<string, unknown>) => {
    const res = await createField(a.token, body);
    assert.equal(res.status, 201, res.text);
    assert.match(res.json['id'], /^[0-9a-f-]{36}$/);
    return res.json['id'] as string;
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-lead-schema-e2e-'));
    host = await startHostProcess({ DATA_DIR: dataDir });
    for (const [tenant, name] of [
      [a, 'Acme Schema'],
      [b, 'Globex Schema'],
    ] as const) {
      const created = await call(host.url, 'POST', '/v1/enterprises', {
        body: { name, timeZone: 'Asia/Shanghai', seatQuota: 10, admin: { accountName: 'admin', password: PASSWORD, realName: 'Ada' } },
      });
      assert.equal(created.status, 201, created.text);
      tenant.enterpriseId = created.json['enterpriseId'];
      tenant.token = await login(tenant.enterpriseId, 'admin');
    }
    const plain = await call(host.url, 'POST', '/v1/members', { token: a.token, body: { accountName: 'plain', password: PASSWORD } });
    assert.equal(plain.status, 201, plain.text);
    plainToken = await login(a.enterpriseId, 'plain');
    const reader = await call(host.url, 'POST', '/v1/members', { token: a.token, body: { accountName: 'reader', password: PASSWORD } });
    assert.equal(reader.status, 201, reader.text);
    const role = await call(host.url, 'POST', '/v1/roles', { token: a.token, body: { name: 'Lead readers', packages: ['leads:read'], memberIds: [reader.json['id']] } });
    assert.equal(role.status, 201, role.text);
    readerToken = await login(a.enterpriseId, 'reader');
  });

  after(async () => {
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a new enterprise has the default schema: every system field visible, no custom fields', async () => {
    const schema = await schemaOf(a.token);
    assert.deepEqual(schema.systemFields.map((s) => s['key']), SYSTEM_KEYS);
    for (const s of schema.systemFields) {
      assert.equal(s['hidden'], false);
      assert.equal(typeof s['label'], 'string');
      assert.ok((s['label'] as string).length > 0);
    }
    assert.deepEqual(schema.customFields, []);
  });

  it('creates a field of each of the nine types with its attributes; the schema lists them in order with defaults filled in', async () => {
    const bodies: Record<string, unknown>[] = [
      { key: 'nickname', label: 'Nickname', type: 'text', attributes: { maxLength: 30 } },
      { key: 'notes', label: 'Notes', type: 'longText', required: false, hidden: true },
      { key: 'employees', label: 'Employees', type: 'integer', required: true, attributes: { min: 1, max: 100000 } },
      { key: 'budget', label: 'Budget', type: 'real', attributes: { min: 0, precision: 1 } },
      { key: 'industry', label: 'Industry', type: 'singleChoice', attributes: { options: [{ label: 'Retail' }, { label: 'Banking' }] } },
      { key: 'interests', label: 'Interests', type: 'multiChoice', attributes: { options: ['Webinars', 'Trade fairs', 'E-mail'], maxSelected: 2 } },
      { key: 'founded', label: 'Founded', type: 'date', attributes: { minDate: '1800-01-01', maxDate: '2100-12-31' } },
      { key: 'met_at', label: 'Met at', type: 'dateTime', attributes: { minDate: '2020-01-01T08:00:00+08:00' } },
      { key: 'badge', label: 'Badge photo', type: 'image' },
    ];
    const ids: string[] = [];
    for (const body of bodies) ids.push(await mustCreate(body));
    const schema = await schemaOf(a.token);
    const fields = schema.customFields.filter((f) => ids.includes(f['id']));
    assert.deepEqual(fields.map((f) => [f['id'], f['key'], f['type']]), ids.map((id, i) => [id, bodies[i]!['key'], bodies[i]!['type']]));
    const byKey = Object.fromEntries(fields.map((f) => [f['key'], f]));
    assert.deepEqual(byKey['nickname']['attributes'], { maxLength: 30 });
    assert.deepEqual(byKey['notes']['attributes'], { maxLength: 10000 });
    assert.equal(byKey['notes']['hidden'], true);
    assert.equal(byKey['employees']['required'], true);
    assert.deepEqual(byKey['employees']['attributes'], { min: 1, max: 100000 });
    assert.deepEqual(byKey['budget']['attributes'], { min: 0, precision: 1 });
    assert.deepEqual((byKey['industry']['attributes']['options'] as Json[]).map((o) => [o['label'], o['retired']]), [['Retail', false], ['Banking', false]]);
    for (const o of byKey['industry']['attributes']['options'] as Json[]) assert.match(o['id'], /^[0-9a-f-]{36}$/);
    assert.deepEqual((byKey['interests']['attributes']['options'] as Json[]).map((o) => o['label']), ['Webinars', 'Trade fairs', 'E-mail']);
    assert.equal(byKey['interests']['attributes']['maxSelected'], 2);
    assert.deepEqual(byKey['founded']['attributes'], { minDate: '1800-01-01', maxDate: '2100-12-31' });
    assert.deepEqual(byKey['met_at']['attributes'], { minDate: '2020-01-01T00:00:00.000Z' });
    assert.deepEqual(byKey['badge']['attributes'], { maxBytes: 5 * 1024 * 1024 });
    // B sees none of it
    assert.deepEqual((await schemaOf(b.token)).customFields, []);
  });

  it('refuses bad fields with a 400 naming the field: attributes of another type, bad values, bad keys, labels and types', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ key: 'f_text_min', label: 'X', type: 'text', attributes: { min: 1 } }, 'attributes.min'],
      [{ key: 'f_text_len', label: 'X', type: 'text', attributes: { maxLength: 1001 } }, 'attributes.maxLength'],
      [{ key: 'f_long_len', label: 'X', type: 'longText', attributes: { maxLength: 100001 } }, 'attributes.maxLength'],
      [{ key: 'f_int_range', label: 'X', type: 'integer', attributes: { min: 10, max: 1 } }, 'attributes.min'],
      [{ key: 'f_int_frac', label: 'X', type: 'integer', attributes: { max: 1.5 } }, 'attributes.max'],
      [{ key: 'f_real_prec', label: 'X', type: 'real', attributes: { precision: 11 } }, 'attributes.precision'],
      [{ key: 'f_single', label: 'X', type: 'singleChoice', attributes: {} }, 'attributes.options'],
      [{ key: 'f_single_dup', label: 'X', type: 'singleChoice', attributes: { options: ['A', 'a'] } }, 'attributes.options'],
      [{ key: 'f_single_max', label: 'X', type: 'singleChoice', attributes: { options: ['A'], maxSelected: 1 } }, 'attributes.maxSelected'],
      [{ key: 'f_multi_max', label: 'X', type: 'multiChoice', attributes: { options: ['A'], maxSelected: 0 } }, 'attributes.maxSelected'],
      [{ key: 'f_date', label: 'X', type: 'date', attributes: { minDate: '2023-02-29' } }, 'attributes.minDate'],
      [{ key: 'f_dt', label: 'X', type: 'dateTime', attributes: { maxDate: '2024-01-01T00:00:00' } }, 'attributes.maxDate'],
      [{ key: 'f_img', label: 'X', type: 'image', attributes: { maxBytes: 10 * 1024 * 1024 + 1 } }, 'attributes.maxBytes'],
      [{ key: 'f_attrs', label: 'X', type: 'text', attributes: 'long' }, 'attributes'],
      [{ key: 'f_type', label: 'X', type: 'colour' }, 'type'],
      [{ key: 'Bad-Key', label: 'X', type: 'text' }, 'key'],
      [{ key: 'id', label: 'X', type: 'text' }, 'key'],
      [{ key: 'f_label', label: '  ', type: 'text' }, 'label'],
      [{ key: 'f_label2', label: 'x'.repeat(101), type: 'text' }, 'label'],
      [{ label: 'X', type: 'text' }, 'key'],
      [{ key: 'f_extra', label: 'X', type: 'text', colour: 'red' }, 'colour'],
    ];
    for (const [body, field] of cases) assertProblem(await createField(a.token, body), 400, field);
    await mustCreate({ key: 'unique_key', label: 'Unique', type: 'text' });
    assertProblem(await createField(a.token, { key: 'unique_key', label: 'Again', type: 'integer' }), 409, 'key');
  });

  it('system fields cannot be created, changed or deleted (naming the field), only shown or hidden', async () => {
    for (const key of ['phone', 'createdat', 'status']) assertProblem(await createField(a.token, { key, label: 'Mine', type: 'text' }), 400, 'key');
    assertProblem(await call(host.url, 'PATCH', '/v1/lead-schema/fields/name', { token: a.token, body: { label: 'Full name' } }), 400, 'id');
    assertProblem(await call(host.url, 'DELETE', '/v1/lead-schema/fields/createdAt', { token: a.token }), 400, 'id');
    assertProblem(await call(host.url, 'POST', '/v1/lead-schema/fields/tags/options', { token: a.token, body: { label: 'VIP' } }), 400, 'id');

    const hide = await call(host.url, 'PUT', '/v1/lead-schema/system-fields/qq', { token: a.token, body: { hidden: true } });
    assert.equal(hide.status, 204, hide.text);
    let schema = await schemaOf(a.token);
    assert.deepEqual(schema.systemFields.filter((s) => s['hidden']).map((s) => s['key']), ['qq']);
    assert.equal((await schemaOf(b.token)).systemFields.find((s) => s['key'] === 'qq')?.['hidden'], false, "B's schema is its own");
    assert.equal((await call(host.url, 'PUT', '/v1/lead-schema/system-fields/qq', { token: a.token, body: { hidden: false } })).status, 204);
    schema = await schemaOf(a.token);
    assert.ok(schema.systemFields.every((s) => s['hidden'] === false));
    assertProblem(await call(host.url, 'PUT', '/v1/lead-schema/system-fields/nickname', { token: a.token, body: { hidden: true } }), 404);
    assertProblem(await call(host.url, 'PUT', '/v1/lead-schema/system-fields/qq', { token: a.token, body: { hidden: 'yes' } }), 400, 'hidden');
    assertProblem(await call(host.url, 'PUT', '/v1/lead-schema/system-fields/qq', { token: a.token, body: {} }), 400, 'hidden');
  });

  it('updates label, required, hidden and attributes; key and type never change; attributes are validated for the type', async () => {
    const id = await mustCreate({ key: 'score_note', label: 'Score note', type: 'text', attributes: { maxLength: 40 } });
    const patch = (body: Record<string, unknown>) => call(host.url, 'PATCH', `/v1/lead-schema/fields/${id}`, { token: a.token, body });
    assert.equal((await patch({ label: ' Scoring note ', required: true, hidden: true, attributes: { maxLength: 80 } })).status, 204);
    const field = await fieldOf(a.token, id);
    assert.deepEqual(field, { id, key: 'score_note', label: 'Scoring note', type: 'text', required: true, hidden: true, attributes: { maxLength: 80 } });
    assertProblem(await patch({ type: 'longText' }), 400, 'type');
    assertProblem(await patch({ key: 'renamed' }), 400, 'key');
    assertProblem(await patch({ attributes: { maxLength: 5000 } }), 400, 'attributes.maxLength');
    assertProblem(await patch({ attributes: { precision: 2 } }), 400, 'attributes.precision');
    assertProblem(await patch({ label: '' }), 400, 'label');
    assert.equal((await patch({ attributes: { maxLength: null } })).status, 204);
    assert.deepEqual((await fieldOf(a.token, id))?.['attributes'], { maxLength: 200 });
    assertProblem(await call(host.url, 'PATCH', `/v1/lead-schema/fields/${randomUUID()}`, { token: a.token, body: { label: 'Ghost' } }), 404);
    assertProblem(await call(host.url, 'PATCH', '/v1/lead-schema/fields/not-a-uuid', { token: a.token, body: { label: 'Ghost' } }), 400, 'id');
  });

  it('option rename, reorder and retire keep the option ids; a choice field keeps at least one choosable option', async () => {
    const fieldId = await mustCreate({ key: 'region', label: 'Region', type: 'singleChoice', attributes: { options: ['North', 'South'] } });
    const optionsOf = async () => ((await fieldOf(a.token, fieldId))?.['attributes']['options'] ?? []) as Json[];
    const [north, south] = (await optionsOf()).map((o) => o['id'] as string) as [string, string];
    const added = await call(host.url, 'POST', `/v1/lead-schema/fields/${fieldId}/options`, { token: a.token, body: { label: 'East' } });
    assert.equal(added.status, 201, added.text);
    const east = added.json['id'] as string;
    assertProblem(await call(host.url, 'POST', `/v1/lead-schema/fields/${fieldId}/options`, { token: a.token, body: { label: 'NORTH' } }), 409, 'label');

    assert.equal((await call(host.url, 'PATCH', `/v1/lead-schema/fields/${fieldId}/options/${north}`, { token: a.token, body: { label: 'North-East' } })).status, 204);
    assertProblem(await call(host.url, 'PATCH', `/v1/lead-schema/fields/${fieldId}/options/${north}`, { token: a.token, body: { label: 'south' } }), 409, 'label');
    assert.equal((await call(host.url, 'POST', `/v1/lead-schema/fields/${fieldId}/options/reorder`, { token: a.token, body: { optionIds: [east, south, north] } })).status, 204);
    assertProblem(await call(host.url, 'POST', `/v1/lead-schema/fields/${fieldId}/options/reorder`, { token: a.token, body: { optionIds: [east, south] } }), 400, 'optionIds');
    assert.equal((await call(host.url, 'POST', `/v1/lead-schema/fields/${fieldId}/options/${south}/retire`, { token: a.token })).status, 204);
    assert.deepEqual((await optionsOf()).map((o) => [o['id'], o['label'], o['retired']]), [
      [east, 'East', false],
      [south, 'South', true],
      [north, 'North-East', false],
    ]);
    assert.equal((await call(host.url, 'POST', `/v1/lead-schema/fields/${fieldId}/options/${east}/retire`, { token: a.token })).status, 204);
    assertProblem(await call(host.url, 'POST', `/v1/lead-schema/fields/${fieldId}/options/${north}/retire`, { token: a.token }), 409, 'optionId');
    assertProblem(await call(host.url, 'PATCH', `/v1/lead-schema/fields/${fieldId}/options/${randomUUID()}`, { token: a.token, body: { label: 'X' } }), 404);
    // options change only through their routes, and only choice fields have them
    assertProblem(await call(host.url, 'PATCH', `/v1/lead-schema/fields/${fieldId}`, { token: a.token, body: { attributes: { options: ['Only'] } } }), 400, 'attributes.options');
    const textId = await mustCreate({ key: 'plain_text', label: 'Plain', type: 'text' });
    assertProblem(await call(host.url, 'POST', `/v1/lead-schema/fields/${textId}/options`, { token: a.token, body: { label: 'X' } }), 400, 'id');
  });

  it('reorders the custom fields with every live id exactly once', async () => {
    const ids = (await schemaOf(a.token)).customFields.map((f) => f['id'] as string);
    assert.ok(ids.length >= 3);
    const reversed = [...ids].reverse();
    assert.equal((await call(host.url, 'POST', '/v1/lead-schema/fields/reorder', { token: a.token, body: { fieldIds: reversed } })).status, 204);
    assert.deepEqual((await schemaOf(a.token)).customFields.map((f) => f['id']), reversed);
    assertProblem(await call(host.url, 'POST', '/v1/lead-schema/fields/reorder', { token: a.token, body: { fieldIds: reversed.slice(1) } }), 400, 'fieldIds');
    assertProblem(await call(host.url, 'POST', '/v1/lead-schema/fields/reorder', { token: a.token, body: { fieldIds: ['nope'] } }), 400, 'fieldIds');
  });

  it('a deleted field leaves the schema; its key can be reused by a new field with a new id', async () => {
    const oldId = await mustCreate({ key: 'reusable', label: 'Reusable', type: 'integer' });
    const deleted = await call(host.url, 'DELETE', `/v1/lead-schema/fields/${oldId}`, { token: a.token });
    assert.equal(deleted.status, 204, deleted.text);
    assert.equal(await fieldOf(a.token, oldId), undefined);
    assertProblem(await call(host.url, 'DELETE', `/v1/lead-schema/fields/${oldId}`, { token: a.token }), 404);
    assertProblem(await call(host.url, 'PATCH', `/v1/lead-schema/fields/${oldId}`, { token: a.token, body: { label: 'Back' } }), 404);
    const newId = await mustCreate({ key: 'reusable', label: 'Reusable again', type: 'text' });
    assert.notEqual(newId, oldId);
    const field = await fieldOf(a.token, newId);
    assert.equal(field?.['type'], 'text');
    assert.equal((await schemaOf(a.token)).customFields.filter((f) => f['key'] === 'reusable').length, 1);
  });

  it('Idempotency-Key: a repeated create answers the same id and creates one field', async () => {
    const headers = { 'idempotency-key': randomUUID() };
    const body = { key: 'idem_field', label: 'Idempotent', type: 'text' };
    const first = await createField(a.token, body, headers);
    assert.equal(first.status, 201, first.text);
    const second = await createField(a.token, body, headers);
    assert.equal(second.status, 201, second.text);
    assert.equal(second.json['id'], first.json['id']);
    assert.equal((await schemaOf(a.token)).customFields.filter((f) => f['key'] === 'idem_field').length, 1);
  });

  it("another enterprise's field and option ids are a 404; its schema stays untouched", async () => {
    const fieldId = await mustCreate({ key: 'tenant_probe', label: 'Probe', type: 'multiChoice', attributes: { options: ['One', 'Two'] } });
    const optionId = ((await fieldOf(a.token, fieldId))?.['attributes']['options'] as Json[])[0]!['id'] as string;
    assertProblem(await call(host.url, 'PATCH', `/v1/lead-schema/fields/${fieldId}`, { token: b.token, body: { label: 'Taken over' } }), 404);
    assertProblem(await call(host.url, 'DELETE', `/v1/lead-schema/fields/${fieldId}`, { token: b.token }), 404);
    assertProblem(await call(host.url, 'POST', `/v1/lead-schema/fields/${fieldId}/options`, { token: b.token, body: { label: 'Three' } }), 404);
    assertProblem(await call(host.url, 'PATCH', `/v1/lead-schema/fields/${fieldId}/options/${optionId}`, { token: b.token, body: { label: 'Uno' } }), 404);
    assertProblem(await call(host.url, 'POST', `/v1/lead-schema/fields/${fieldId}/options/${optionId}/retire`, { token: b.token }), 404);
    assertProblem(await call(host.url, 'POST', `/v1/lead-schema/fields/${fieldId}/options/reorder`, { token: b.token, body: { optionIds: [optionId] } }), 404);
    const field = await fieldOf(a.token, fieldId);
    assert.equal(field?.['label'], 'Probe');
    assert.deepEqual((field?.['attributes']['options'] as Json[]).map((o) => [o['label'], o['retired']]), [['One', false], ['Two', false]]);
    // B may use the same key in its own schema
    const own = await createField(b.token, { key: 'tenant_probe', label: 'B probe', type: 'text' });
    assert.equal(own.status, 201, own.text);
  });

  it('needs a token (401), leads:read to read and leads:write to change (403)', async () => {
    assertProblem(await call(host.url, 'GET', '/v1/lead-schema'), 401);
    assertProblem(await createField('', { key: 'anon', label: 'Anon', type: 'text' }), 401);
    assertProblem(await call(host.url, 'GET', '/v1/lead-schema', { token: plainToken }), 403);
    assert.equal((await call(host.url, 'GET', '/v1/lead-schema', { token: readerToken })).status, 200);
    const someField = (await schemaOf(a.token)).customFields[0]!['id'] as string;
    const writes: [string, string, Record<string, unknown> | undefined][] = [
      ['POST', '/v1/lead-schema/fields', { key: 'sneaky', label: 'Sneaky', type: 'text' }],
      ['PATCH', `/v1/lead-schema/fields/${someField}`, { label: 'Sneaky' }],
      ['DELETE', `/v1/lead-schema/fields/${someField}`, undefined],
      ['POST', '/v1/lead-schema/fields/reorder', { fieldIds: [] }],
      ['PUT', '/v1/lead-schema/system-fields/qq', { hidden: true }],
      ['POST', `/v1/lead-schema/fields/${someField}/options`, { label: 'Sneaky' }],
    ];
    for (const token of [plainToken, readerToken]) {
      for (const [method, path, body] of writes) assertProblem(await call(host.url, method, path, { token, ...(body ? { body } : {}) }), 403);
    }
    assert.ok((await fieldOf(a.token, someField)) !== undefined, 'the field survived');
    assert.equal((await schemaOf(a.token)).systemFields.find((s) => s['key'] === 'qq')?.['hidden'], false);
  });
});
