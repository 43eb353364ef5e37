import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { roundToPrecision, parseInstant, parseCalendarDate } from './field-formats';
import type { CustomFieldDefinition, CustomFieldType, FieldAttributes, LeadSchema } from './lead-schema.types';
import { customFieldsView, liveCustomField, validateCustomFields } from './validate-custom-fields';

function field(id: string, key: string, type: CustomFieldType, attributes: FieldAttributes = {}, extra: Partial<CustomFieldDefinition> = {}): CustomFieldDefinition {
  return { id, key, label: key, type, required: false, hidden: false, attributes, deleted: false, ...extra };
}

const IMAGE = '3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const schema: LeadSchema = {
  enterpriseId: 'e1',
  revision: 10,
  systemFields: [],
  customFields: [
    field('id-text', 'nickname', 'text', { maxLength: 5 }),
    field('id-long', 'notes', 'longText', { maxLength: 20 }),
    field('id-int', 'employees', 'integer', { min: 1, max: 1000 }),
    field('id-real', 'budget', 'real', { min: 0, max: 100, precision: 2 }),
    field('id-single', 'industry', 'singleChoice', { options: [{ id: 'o1', label: 'Retail', retired: false }, { id: 'o2', label: 'Banking', retired: true }] }),
    field('id-multi', 'interests', 'multiChoice', { options: [{ id: 'm1', label: 'A', retired: false }, { id: 'm2', label: 'B', retired: false }, { id: 'm3', label: 'C', retired: true }], maxSelected: 2 }),
    field('id-date', 'birthday', 'date', { minDate: '1900-01-01', maxDate: '2030-12-31' }),
    field('id-dt', 'met_at', 'dateTime', { minDate: '2020-01-01T00:00:00.000Z' }),
    field('id-img', 'photo', 'image', { maxBytes: 1024 }),
    field('id-gone', 'old', 'text', { maxLength: 10 }, { deleted: true }),
  ],
};
const required: LeadSchema = { ...schema, customFields: [field('id-req', 'must', 'text', { maxLength: 10 }, { required: true }), field('id-opt', 'may', 'integer')] };

function ok(input: Record<string, unknown>, mode: 'create' | 'patch' = 'create', current = {}) {
  const result = validateCustomFields(schema, input, mode, current);
  assert.deepEqual(result.errors, {});
  return result;
}
function errorsOf(input: Record<string, unknown>, mode: 'create' | 'patch' = 'create', current = {}, s: LeadSchema = schema) {
  return validateCustomFields(s, input, mode, current).errors;
}

describe('validateCustomFields (LEAD-4)', () => {
  it('normalises a value of every type and keys the result by field id', () => {
    const result = ok({
      nickname: '  Bob ',
      notes: 'e\u0301 line',
      employees: 42,
      budget: 12.345,
      industry: 'o1',
      interests: ['m2', 'm1'],
      birthday: '2000-02-29',
      met_at: '2024-03-01T08:30:00+08:00',
      photo: IMAGE.toUpperCase(),
    });
    assert.deepEqual(result.values, {
      'id-text': 'Bob',
      'id-long': '\u00e9 line',
      'id-int': 42,
      'id-real': 12.35,
      'id-single': 'o1',
      'id-multi': ['m2', 'm1'],
      'id-date': '2000-02-29',
      'id-dt': '2024-03-01T00:30:00.000Z',
      'id-img': IMAGE,
    });
    assert.deepEqual(result.assetIds, [IMAGE]);
  });

  it('text: a string within maxLength characters (code points, after trimming); empty = no value', () => {
    assert.deepEqual(ok({ nickname: '😀😀😀😀😀' }).values, { 'id-text': '😀😀😀😀😀' });
    assert.deepEqual(errorsOf({ nickname: 'abcdef' }), { 'fields.nickname': 'must be at most 5 characters' });
    assert.deepEqual(errorsOf({ nickname: 5 }), { 'fields.nickname': 'must be a string' });
    assert.deepEqual(errorsOf({ notes: 'x'.repeat(21) }), { 'fields.notes': 'must be at most 20 characters' });
    assert.deepEqual(ok({ nickname: '   ' }).values, {});
  });

  it('integer: a JSON number that is a safe integer within min/max; strings are refused', () => {
    for (const bad of [1.5, '42', 0, 1001, Number.MAX_SAFE_INTEGER + 2, Number.NaN, true]) {
      assert.ok(errorsOf({ employees: bad })['fields.employees'], `should refuse ${String(bad)}`);
    }
    assert.deepEqual(ok({ employees: 1000 }).values, { 'id-int': 1000 });
    assert.match(errorsOf({ employees: 0 })['fields.employees']!, /at least 1/);
  });

  it('real: a finite number within min/max, rounded half away from zero to the precision', () => {
    assert.deepEqual(ok({ budget: 1.005 }).values, { 'id-real': 1.01 });
    assert.deepEqual(ok({ budget: 99.994 }).values, { 'id-real': 99.99 });
    assert.deepEqual(ok({ budget: 0 }).values, { 'id-real': 0 });
    for (const bad of [-0.01, 100.01, Number.POSITIVE_INFINITY, '1.5', []]) assert.ok(errorsOf({ budget: bad })['fields.budget'], `should refuse ${String(bad)}`);
    // rounding happens before the bounds are checked
    assert.deepEqual(ok({ budget: 100.004 }).values, { 'id-real': 100 });
  });

  it('roundToPrecision works on the decimal form, for negatives and tiny and large numbers', () => {
    assert.equal(roundToPrecision(1.005, 2), 1.01);
    assert.equal(roundToPrecision(-1.005, 2), -1.01);
    assert.equal(roundToPrecision(2.5, 0), 3);
    assert.equal(roundToPrecision(-2.5, 0), -3);
    assert.equal(roundToPrecision(1e-7, 2), 0);
    assert.ok(Object.is(roundToPrecision(-1e-7, 2), 0));
    assert.equal(roundToPrecision(123456789.12345679, 10), 123456789.1234568);
    assert.equal(roundToPrecision(1.23e21, 2), 1.23e21);
    assert.equal(roundToPrecision(0.1 + 0.2, 10), 0.3);
  });

  it('singleChoice: an option id only (not the label); a retired option is not newly chosen but is kept', () => {
    assert.deepEqual(errorsOf({ industry: 'Retail' }), { 'fields.industry': 'is not an option of the field' });
    assert.deepEqual(errorsOf({ industry: ['o1'] }), { 'fields.industry': 'must be an option id' });
    assert.match(errorsOf({ industry: 'o2' })['fields.industry']!, /retired/);
    assert.match(errorsOf({ industry: 'o2' }, 'patch', { 'id-single': 'o1' })['fields.industry']!, /retired/);
    assert.deepEqual(ok({ industry: 'o2' }, 'patch', { 'id-single': 'o2' }).values, { 'id-single': 'o2' });
  });

  it('multiChoice: distinct option ids, at most maxSelected; held retired options stay allowed', () => {
    assert.deepEqual(errorsOf({ interests: ['m1', 'm1'] }), { 'fields.interests': 'must not repeat an option' });
    assert.deepEqual(errorsOf({ interests: ['m1', 'm2', 'm3'] }), { 'fields.interests': 'must hold at most 2 options' });
    assert.deepEqual(errorsOf({ interests: 'm1' }), { 'fields.interests': 'must be a list of option ids' });
    assert.deepEqual(errorsOf({ interests: [1] }), { 'fields.interests': 'must be a list of option ids' });
    assert.match(errorsOf({ interests: ['zz'] })['fields.interests']!, /not an option/);
    assert.match(errorsOf({ interests: ['m3'] })['fields.interests']!, /retired/);
    assert.deepEqual(ok({ interests: ['m3', 'm1'] }, 'patch', { 'id-multi': ['m3'] }).values, { 'id-multi': ['m3', 'm1'] });
    assert.match(errorsOf({ interests: ['m3'] }, 'patch', { 'id-multi': ['m1'] })['fields.interests']!, /retired/);
    assert.deepEqual(ok({ interests: [] }, 'patch').values, { 'id-multi': null });
  });

  it('date: YYYY-MM-DD naming a real day within the bounds', () => {
    for (const bad of ['2023-02-29', '2024-13-01', '2024-1-01', '2024-01-01T00:00:00Z', '1899-12-31', '2031-01-01', 20240101]) {
      assert.ok(errorsOf({ birthday: bad })['fields.birthday'], `should refuse ${String(bad)}`);
    }
    assert.deepEqual(ok({ birthday: '2030-12-31' }).values, { 'id-date': '2030-12-31' });
    assert.equal(parseCalendarDate('1900-02-29'), null);
    assert.equal(parseCalendarDate('2000-02-29'), '2000-02-29');
  });

  it('dateTime: ISO-8601 with an offset, stored as the UTC instant, within the bounds', () => {
    assert.deepEqual(ok({ met_at: '2024-06-30T23:59:59.123456-02:30' }).values, { 'id-dt': '2024-07-01T02:29:59.123Z' });
    assert.deepEqual(ok({ met_at: '2024-06-30T10:00Z' }).values, { 'id-dt': '2024-06-30T10:00:00.000Z' });
    for (const bad of ['2024-06-30T10:00:00', '2024-06-30', '2024-02-30T10:00:00Z', '2024-06-30T24:00:00Z', '2024-06-30T10:00:00+24:00', '2019-12-31T23:59:59Z', 'yesterday', 1719741600000]) {
      assert.ok(errorsOf({ met_at: bad })['fields.met_at'], `should refuse ${String(bad)}`);
    }
    assert.equal(parseInstant('2020-01-01T08:00:00+08:00'), '2020-01-01T00:00:00.000Z');
    assert.equal(parseInstant('0001-01-01T00:00:00+01:00'), null);
  });

  it('image: an asset id (UUID) listed in assetIds', () => {
    for (const bad of ['not-a-uuid', 42, `${IMAGE}x`]) assert.ok(errorsOf({ photo: bad })['fields.photo'], `should refuse ${String(bad)}`);
    assert.deepEqual(ok({ photo: IMAGE }).assetIds, [IMAGE]);
  });

  it('unknown keys, deleted fields and system field keys are not fields of the lead schema', () => {
    assert.deepEqual(errorsOf({ nope: 1, old: 'x', phone: '123', 'id-text': 'x' }), {
      'fields.nope': 'is not a field of the lead schema',
      'fields.old': 'is not a field of the lead schema',
      'fields.phone': 'is not a field of the lead schema',
      'fields.id-text': 'is not a field of the lead schema',
    });
  });

  it('create: every required live field needs a value', () => {
    assert.deepEqual(errorsOf({}, 'create', {}, required), { 'fields.must': 'is required' });
    assert.deepEqual(errorsOf({ must: '  ' }, 'create', {}, required), { 'fields.must': 'is required' });
    assert.deepEqual(errorsOf({ must: null }, 'create', {}, required), { 'fields.must': 'is required' });
    const result = validateCustomFields(required, { must: 'x', may: null }, 'create');
    assert.deepEqual(result, { values: { 'id-req': 'x' }, errors: {}, assetIds: [] });
  });

  it('patch: only given keys change; null clears, except a required field', () => {
    assert.deepEqual(validateCustomFields(required, { may: 3 }, 'patch').errors, {});
    assert.deepEqual(validateCustomFields(required, { may: null }, 'patch').values, { 'id-opt': null });
    assert.deepEqual(validateCustomFields(required, { must: null }, 'patch').errors, { 'fields.must': 'is required: it cannot be cleared' });
    assert.deepEqual(validateCustomFields(required, { must: '' }, 'patch').errors, { 'fields.must': 'is required: it cannot be cleared' });
  });

  it('reports every bad field at once', () => {
    assert.deepEqual(Object.keys(errorsOf({ nickname: 'toolong', employees: 'x', photo: 'y' })).sort(), ['fields.employees', 'fields.nickname', 'fields.photo']);
  });
});

describe('customFieldsView and liveCustomField (LEAD-4)', () => {
  it('maps ids to keys in schema order and drops values of deleted and unknown fields', () => {
    const view = customFieldsView(schema, { 'id-gone': 'hidden', 'id-int': 5, unknown: 'x', 'id-text': 'Bob' });
    assert.deepEqual(view, { nickname: 'Bob', employees: 5 });
    assert.deepEqual(Object.keys(view), ['nickname', 'employees']);
  });

  it("a new field that reuses a deleted field's key does not show the old field's values", () => {
    const reused: LeadSchema = { ...schema, customFields: [...schema.customFields, field('id-new', 'old', 'integer')] };
    assert.deepEqual(customFieldsView(reused, { 'id-gone': 'old value' }), {});
    assert.deepEqual(customFieldsView(reused, { 'id-gone': 'old value', 'id-new': 7 }), { old: 7 });
    assert.equal(liveCustomField(reused, 'old')?.id, 'id-new');
    assert.equal(liveCustomField(schema, 'old'), undefined);
    assert.equal(liveCustomField(schema, 'nickname')?.id, 'id-text');
  });
});
