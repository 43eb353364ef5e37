import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError, fold } from '@leadstream/event-sourcing';
import { deciderSpec } from '@leadstream/event-sourcing/testing';
import { LEAD_SCHEMA_LIMITS } from './field-attributes';
import { leadSchemaDecider, type LeadSchemaCommand } from './lead-schema.decider';
import type { LeadSchemaEvent } from './lead-schema.events';
import { SYSTEM_FIELD_KEYS } from './lead-schema.types';

const spec = () => deciderSpec(leadSchemaDecider);

function create(fieldId: string, key: string, type: string, attributes: Record<string, unknown> = {}, extra: Partial<LeadSchemaCommand & { kind: 'CreateCustomField' }> = {}): LeadSchemaCommand {
  return { kind: 'CreateCustomField', fieldId, key, label: key, type, required: false, hidden: false, attributes, ...extra };
}

/** The events a command produces on a schema built from earlier events. */
function run(given: readonly LeadSchemaEvent[], command: LeadSchemaCommand): LeadSchemaEvent[] {
  return [...leadSchemaDecider.decide(command, fold(leadSchemaDecider, given))];
}

function history(...commands: LeadSchemaCommand[]): LeadSchemaEvent[] {
  const events: LeadSchemaEvent[] = [];
  for (const c of commands) events.push(...run(events, c));
  return events;
}

function fieldsOf(error: Error): Record<string, string> {
  assert.ok(error instanceof DomainError);
  return { ...error.fields };
}

function throwsNaming(given: readonly LeadSchemaEvent[], command: LeadSchemaCommand, fields: string[], kind: DomainError['kind'] = 'invalid'): void {
  spec()
    .given(given)
    .when(command)
    .thenThrows(DomainError, undefined, (error) => {
      assert.equal((error as DomainError).kind, kind, error.message);
      assert.deepEqual(Object.keys(fieldsOf(error)).sort(), [...fields].sort(), JSON.stringify(fieldsOf(error)));
    });
}

const choice = create('f-choice', 'industry', 'singleChoice', { options: [{ id: 'o1', label: 'Retail' }, { id: 'o2', label: 'Banking' }] });

describe('lead schema decider (LEAD-4)', () => {
  it('an empty stream is the default schema: every system field visible, no custom fields', () => {
    const state = leadSchemaDecider.initialState();
    assert.deepEqual(state.systemFields.map((s) => s.key), [...SYSTEM_FIELD_KEYS]);
    assert.ok(state.systemFields.every((s) => !s.hidden));
    assert.deepEqual(state.customFields, []);
  });

  it('creates a field of each of the nine types with its own attributes, defaults filled in', () => {
    const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
      ['text', {}, { maxLength: 200 }],
      ['text', { maxLength: 1000 }, { maxLength: 1000 }],
      ['longText', {}, { maxLength: 10_000 }],
      ['longText', { maxLength: 100_000 }, { maxLength: 100_000 }],
      ['integer', { min: -5, max: 5 }, { min: -5, max: 5 }],
      ['integer', {}, {}],
      ['real', { min: 0.5, max: 99.5, precision: 1 }, { min: 0.5, max: 99.5, precision: 1 }],
      ['real', {}, { precision: 2 }],
      ['singleChoice', { options: [{ id: 'a', label: ' A ' }] }, { options: [{ id: 'a', label: 'A', retired: false }] }],
      ['multiChoice', { options: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }], maxSelected: 2 }, { options: [{ id: 'a', label: 'A', retired: false }, { id: 'b', label: 'B', retired: false }], maxSelected: 2 }],
      ['date', { minDate: '2020-01-01', maxDate: '2030-12-31' }, { minDate: '2020-01-01', maxDate: '2030-12-31' }],
      ['dateTime', { minDate: '2020-01-01T08:00:00+08:00' }, { minDate: '2020-01-01T00:00:00.000Z' }],
      ['image', {}, { maxBytes: 5 * 1024 * 1024 }],
      ['image', { maxBytes: 10 * 1024 * 1024 }, { maxBytes: 10 * 1024 * 1024 }],
    ];
    for (const [type, attributes, expected] of cases) {
      spec()
        .given([])
        .when(create('f1', 'field_1', type, attributes, { label: '  My field ', required: true, hidden: true }))
        .then([{ type: 'leads.CustomFieldCreated', data: { fieldId: 'f1', key: 'field_1', label: 'My field', type: type as never, required: true, hidden: true, attributes: expected } }]);
    }
  });

  it('refuses attributes of another type, unknown ones and bad values, naming attributes.<name>', () => {
    const cases: [string, Record<string, unknown>, string[]][] = [
      ['text', { min: 1 }, ['attributes.min']],
      ['text', { maxLength: 1001 }, ['attributes.maxLength']],
      ['text', { maxLength: 0 }, ['attributes.maxLength']],
      ['text', { maxLength: 10.5 }, ['attributes.maxLength']],
      ['text', { maxLength: '20' }, ['attributes.maxLength']],
      ['longText', { maxLength: 100_001 }, ['attributes.maxLength']],
      ['integer', { min: 1.5 }, ['attributes.min']],
      ['integer', { max: Number.MAX_SAFE_INTEGER + 1 }, ['attributes.max']],
      ['integer', { min: 5, max: 4 }, ['attributes.min']],
      ['integer', { precision: 2 }, ['attributes.precision']],
      ['real', { precision: 11 }, ['attributes.precision']],
      ['real', { precision: -1 }, ['attributes.precision']],
      ['real', { min: 2.5, max: 2.4 }, ['attributes.min']],
      ['real', { maxLength: 3, color: 'red' }, ['attributes.maxLength', 'attributes.color']],
      ['singleChoice', {}, ['attributes.options']],
      ['singleChoice', { options: [] }, ['attributes.options']],
      ['singleChoice', { options: [{ id: 'a', label: 'A' }], maxSelected: 1 }, ['attributes.maxSelected']],
      ['singleChoice', { options: [{ id: 'a', label: 'A' }, { id: 'b', label: 'a' }] }, ['attributes.options']],
      ['singleChoice', { options: [{ id: 'a', label: 'x'.repeat(101) }] }, ['attributes.options']],
      ['singleChoice', { options: [{ id: 'a', label: '  ' }] }, ['attributes.options']],
      ['singleChoice', { options: Array.from({ length: 501 }, (_, i) => ({ id: `o${i}`, label: `O${i}` })) }, ['attributes.options']],
      ['multiChoice', { options: [{ id: 'a', label: 'A' }], maxSelected: 0 }, ['attributes.maxSelected']],
      ['date', { minDate: '2023-02-29' }, ['attributes.minDate']],
      ['date', { maxDate: '2023-1-1' }, ['attributes.maxDate']],
      ['date', { minDate: '2024-01-02', maxDate: '2024-01-01' }, ['attributes.minDate']],
      ['dateTime', { minDate: '2024-01-01T00:00:00' }, ['attributes.minDate']],
      ['dateTime', { minDate: '2024-01-01T10:00:00+08:00', maxDate: '2024-01-01T01:00:00Z' }, ['attributes.minDate']],
      ['image', { maxBytes: 10 * 1024 * 1024 + 1 }, ['attributes.maxBytes']],
      ['image', { maxLength: 10 }, ['attributes.maxLength']],
    ];
    for (const [type, attributes, fields] of cases) throwsNaming([], create('f1', 'field_1', type, attributes), fields);
  });

  it('refuses an unknown type, bad keys and labels, naming them', () => {
    throwsNaming([], create('f1', 'k', 'colour'), ['type']);
    for (const key of ['', 'Upper', '1abc', 'has-dash', 'a'.repeat(65), 'with space']) throwsNaming([], create('f1', key, 'text'), ['key']);
    spec().given([]).when(create('f1', 'a'.repeat(64), 'text')).thenMatches((events) => assert.equal(events.length, 1));
    for (const label of ['', '   ', 'x'.repeat(101)]) throwsNaming([], create('f1', 'k', 'text', {}, { label }), ['label']);
  });

  it('system field keys (case-insensitively) and reserved keys cannot be taken by custom fields', () => {
    for (const key of ['name', 'phone', 'createdat', 'updatedat', 'status', 'id', 'fields']) throwsNaming([], create('f1', key, 'text'), ['key']);
  });

  it('keys are unique among live custom fields; a deleted field frees its key for a new field', () => {
    const given = history(create('f1', 'budget', 'integer'));
    throwsNaming(given, create('f2', 'budget', 'text'), ['key'], 'conflict');
    const deleted = [...given, ...run(given, { kind: 'DeleteCustomField', fieldId: 'f1' })];
    assert.deepEqual(deleted.at(-1), { type: 'leads.CustomFieldDeleted', data: { fieldId: 'f1' } });
    spec().given(deleted).when(create('f2', 'budget', 'text')).thenMatches((events) => assert.equal(events[0]?.type, 'leads.CustomFieldCreated'));
    const state = fold(leadSchemaDecider, [...deleted, ...run(deleted, create('f2', 'budget', 'text'))]);
    assert.deepEqual(state.customFields.map((f) => [f.id, f.key, f.type, f.deleted]), [['f1', 'budget', 'integer', true], ['f2', 'budget', 'text', false]]);
  });

  it('allows at most 1,000 live custom fields; deleting one makes room', () => {
    const max = LEAD_SCHEMA_LIMITS.maxLiveCustomFields;
    const events: LeadSchemaEvent[] = Array.from({ length: max }, (_, i) => ({
      type: 'leads.CustomFieldCreated',
      data: { fieldId: `f${i}`, key: `field_${i}`, label: `Field ${i}`, type: 'text', required: false, hidden: false, attributes: { maxLength: 200 } },
    }));
    throwsNaming(events, create('extra', 'extra', 'text'), ['key'], 'conflict');
    const afterDelete: LeadSchemaEvent[] = [...events, { type: 'leads.CustomFieldDeleted', data: { fieldId: 'f3' } }];
    spec().given(afterDelete).when(create('extra', 'extra', 'text')).thenMatches((e) => assert.equal(e.length, 1));
  });

  it('system fields cannot be changed or deleted, naming the field; only shown or hidden', () => {
    for (const fieldId of ['name', 'Phone', 'createdAt']) {
      throwsNaming([], { kind: 'UpdateCustomField', fieldId, label: 'X' }, ['id']);
      throwsNaming([], { kind: 'DeleteCustomField', fieldId }, ['id']);
      throwsNaming([], { kind: 'AddFieldOption', fieldId, optionId: 'o', label: 'X' }, ['id']);
    }
    spec().given([]).when({ kind: 'SetSystemFieldVisibility', key: 'qq', hidden: true }).then([{ type: 'leads.SystemFieldVisibilityChanged', data: { key: 'qq', hidden: true } }]);
    const hidden = history({ kind: 'SetSystemFieldVisibility', key: 'qq', hidden: true });
    spec().given(hidden).when({ kind: 'SetSystemFieldVisibility', key: 'qq', hidden: true }).thenNothing();
    assert.equal(fold(leadSchemaDecider, hidden).systemFields.find((s) => s.key === 'qq')?.hidden, true);
    spec().given(hidden).when({ kind: 'SetSystemFieldVisibility', key: 'qq', hidden: false }).then([{ type: 'leads.SystemFieldVisibilityChanged', data: { key: 'qq', hidden: false } }]);
    spec().given([]).when({ kind: 'SetSystemFieldVisibility', key: 'budget', hidden: true }).thenThrows(DomainError, /not a system field/, (e) => assert.equal((e as DomainError).kind, 'not_found'));
  });

  it('updates label, required, hidden and attributes (validated for the type); key and type never change', () => {
    const given = history(create('f1', 'notes', 'text', { maxLength: 50 }));
    spec()
      .given(given)
      .when({ kind: 'UpdateCustomField', fieldId: 'f1', label: 'Notes', required: true, hidden: true, attributes: { maxLength: 500 } })
      .then([{ type: 'leads.CustomFieldUpdated', data: { fieldId: 'f1', label: 'Notes', required: true, hidden: true, attributes: { maxLength: 500 } } }]);
    spec().given(given).when({ kind: 'UpdateCustomField', fieldId: 'f1', label: 'notes', required: false, attributes: { maxLength: 50 } }).thenNothing();
    spec().given(given).when({ kind: 'UpdateCustomField', fieldId: 'f1', attributes: { maxLength: null } }).then([{ type: 'leads.CustomFieldUpdated', data: { fieldId: 'f1', attributes: { maxLength: 200 } } }]);
    throwsNaming(given, { kind: 'UpdateCustomField', fieldId: 'f1', attributes: { maxLength: 5000 } }, ['attributes.maxLength']);
    throwsNaming(given, { kind: 'UpdateCustomField', fieldId: 'f1', attributes: { min: 1 } }, ['attributes.min']);
    throwsNaming(given, { kind: 'UpdateCustomField', fieldId: 'f1', type: 'longText' }, ['type']);
    throwsNaming(given, { kind: 'UpdateCustomField', fieldId: 'f1', key: 'other' }, ['key']);
    throwsNaming(given, { kind: 'UpdateCustomField', fieldId: 'f1', label: ' ' }, ['label']);
    spec().given(given).when({ kind: 'UpdateCustomField', fieldId: 'f1', key: 'notes', type: 'text', hidden: true }).then([{ type: 'leads.CustomFieldUpdated', data: { fieldId: 'f1', hidden: true } }]);
    spec().given(given).when({ kind: 'UpdateCustomField', fieldId: 'nope', label: 'X' }).thenThrows(DomainError, /not found/, (e) => assert.equal((e as DomainError).kind, 'not_found'));
  });

  it('attribute updates merge over the current ones and keep min <= max; null removes an optional bound', () => {
    const given = history(create('f1', 'amount', 'real', { min: 0, max: 100, precision: 3 }));
    spec().given(given).when({ kind: 'UpdateCustomField', fieldId: 'f1', attributes: { max: 50 } }).then([{ type: 'leads.CustomFieldUpdated', data: { fieldId: 'f1', attributes: { min: 0, max: 50, precision: 3 } } }]);
    spec().given(given).when({ kind: 'UpdateCustomField', fieldId: 'f1', attributes: { max: null } }).then([{ type: 'leads.CustomFieldUpdated', data: { fieldId: 'f1', attributes: { min: 0, precision: 3 } } }]);
    throwsNaming(given, { kind: 'UpdateCustomField', fieldId: 'f1', attributes: { min: 101 } }, ['attributes.min']);
  });

  it('options of a choice field are changed by the option commands only, keeping their ids', () => {
    const given = history(choice);
    throwsNaming(given, { kind: 'UpdateCustomField', fieldId: 'f-choice', attributes: { options: [] } }, ['attributes.options']);
    const multi = history(create('m', 'tags2', 'multiChoice', { options: [{ id: 'a', label: 'A' }], maxSelected: 1 }));
    const updated = [...multi, ...run(multi, { kind: 'UpdateCustomField', fieldId: 'm', attributes: { maxSelected: 3 } })];
    assert.deepEqual(fold(leadSchemaDecider, updated).customFields[0]?.attributes, { options: [{ id: 'a', label: 'A', retired: false }], maxSelected: 3 });
  });

  it('adds, renames, reorders and retires options; labels unique case-insensitively among non-retired options', () => {
    let events = history(choice);
    spec().given(events).when({ kind: 'AddFieldOption', fieldId: 'f-choice', optionId: 'o3', label: ' Media ' }).then([{ type: 'leads.FieldOptionAdded', data: { fieldId: 'f-choice', optionId: 'o3', label: 'Media' } }]);
    throwsNaming(events, { kind: 'AddFieldOption', fieldId: 'f-choice', optionId: 'o3', label: 'retail' }, ['label'], 'conflict');
    throwsNaming(events, { kind: 'AddFieldOption', fieldId: 'f-choice', optionId: 'o3', label: 'x'.repeat(101) }, ['label']);
    events = [...events, ...run(events, { kind: 'AddFieldOption', fieldId: 'f-choice', optionId: 'o3', label: 'Media' })];
    throwsNaming(events, { kind: 'RenameFieldOption', fieldId: 'f-choice', optionId: 'o3', label: 'BANKING' }, ['label'], 'conflict');
    events = [...events, ...run(events, { kind: 'RenameFieldOption', fieldId: 'f-choice', optionId: 'o1', label: 'Retail & wholesale' })];
    events = [...events, ...run(events, { kind: 'ReorderFieldOptions', fieldId: 'f-choice', optionIds: ['o3', 'o1', 'o2'] })];
    events = [...events, ...run(events, { kind: 'RetireFieldOption', fieldId: 'f-choice', optionId: 'o2' })];
    spec().given(events).when({ kind: 'RetireFieldOption', fieldId: 'f-choice', optionId: 'o2' }).thenNothing();
    const state = fold(leadSchemaDecider, events);
    assert.deepEqual(state.customFields[0]?.attributes.options, [
      { id: 'o3', label: 'Media', retired: false },
      { id: 'o1', label: 'Retail & wholesale', retired: false },
      { id: 'o2', label: 'Banking', retired: true },
    ]);
    // a retired option's label is free again
    spec().given(events).when({ kind: 'AddFieldOption', fieldId: 'f-choice', optionId: 'o4', label: 'banking' }).thenMatches((e) => assert.equal(e.length, 1));
    for (const optionIds of [['o3', 'o1'], ['o3', 'o1', 'o2', 'o2'], ['o3', 'o1', 'zz']]) throwsNaming(events, { kind: 'ReorderFieldOptions', fieldId: 'f-choice', optionIds }, ['optionIds']);
    spec().given(events).when({ kind: 'ReorderFieldOptions', fieldId: 'f-choice', optionIds: ['o3', 'o1', 'o2'] }).thenNothing();
    spec().given(events).when({ kind: 'RenameFieldOption', fieldId: 'f-choice', optionId: 'nope', label: 'X' }).thenThrows(DomainError, /not found/, (e) => assert.equal((e as DomainError).kind, 'not_found'));
  });

  it('the last option that can be chosen cannot be retired', () => {
    const given = history(create('s', 'single', 'singleChoice', { options: [{ id: 'a', label: 'A' }] }));
    throwsNaming(given, { kind: 'RetireFieldOption', fieldId: 's', optionId: 'a' }, ['optionId'], 'conflict');
  });

  it('at most 500 options that are not retired', () => {
    const options = Array.from({ length: 500 }, (_, i) => ({ id: `o${i}`, label: `O${i}` }));
    const given = history(create('s', 'single', 'singleChoice', { options }));
    throwsNaming(given, { kind: 'AddFieldOption', fieldId: 's', optionId: 'x', label: 'X' }, ['label'], 'conflict');
    const retired = [...given, ...run(given, { kind: 'RetireFieldOption', fieldId: 's', optionId: 'o0' })];
    spec().given(retired).when({ kind: 'AddFieldOption', fieldId: 's', optionId: 'x', label: 'X' }).thenMatches((e) => assert.equal(e.length, 1));
  });

  it('option commands on a field that is not a choice field are refused naming the field id', () => {
    const given = history(create('t', 'notes', 'text'));
    throwsNaming(given, { kind: 'AddFieldOption', fieldId: 't', optionId: 'o', label: 'X' }, ['id']);
  });

  it('reorders the live fields with every live id exactly once; deleted fields stay behind them', () => {
    const given = history(create('a', 'a', 'text'), create('b', 'b', 'text'), create('c', 'c', 'text'), { kind: 'DeleteCustomField', fieldId: 'b' });
    spec().given(given).when({ kind: 'ReorderCustomFields', fieldIds: ['c', 'a'] }).then([{ type: 'leads.CustomFieldsReordered', data: { fieldIds: ['c', 'a'] } }]);
    spec().given(given).when({ kind: 'ReorderCustomFields', fieldIds: ['a', 'c'] }).thenNothing();
    for (const fieldIds of [['c'], ['c', 'a', 'b'], ['c', 'a', 'a'], ['c', 'x']]) throwsNaming(given, { kind: 'ReorderCustomFields', fieldIds }, ['fieldIds']);
    const state = fold(leadSchemaDecider, [...given, ...run(given, { kind: 'ReorderCustomFields', fieldIds: ['c', 'a'] })]);
    assert.deepEqual(state.customFields.map((f) => [f.id, f.deleted]), [['c', false], ['a', false], ['b', true]]);
  });

  it('a deleted field can be neither changed nor deleted again', () => {
    const given = history(choice, { kind: 'DeleteCustomField', fieldId: 'f-choice' });
    for (const command of [
      { kind: 'DeleteCustomField', fieldId: 'f-choice' },
      { kind: 'UpdateCustomField', fieldId: 'f-choice', label: 'X' },
      { kind: 'AddFieldOption', fieldId: 'f-choice', optionId: 'o9', label: 'X' },
    ] as LeadSchemaCommand[]) {
      spec().given(given).when(command).thenThrows(DomainError, /not found/, (e) => assert.equal((e as DomainError).kind, 'not_found'));
    }
  });
});
