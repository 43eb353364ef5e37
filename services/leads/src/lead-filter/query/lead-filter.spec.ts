import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '@leadstream/event-sourcing';
import type { CustomFieldDefinition, LeadSchema } from '../../lead-schema/domain/lead-schema.types';
import { compileLeadFilter, MAX_CONDITIONS, type LeadFilterDefinition } from './lead-filter';
import { afterCursor, pickColumns, readCursorPosition, resolveColumns, resolveSort, sortOf } from './lead-sort';

const RED = '00000000-0000-4000-8000-00000000e001';
const RETIRED = '00000000-0000-4000-8000-00000000e009';

function field(id: string, key: string, type: CustomFieldDefinition['type'], extra: Partial<CustomFieldDefinition> = {}): CustomFieldDefinition {
  const options = type === 'singleChoice' || type === 'multiChoice' ? [{ id: RED, label: 'red', retired: false }, { id: RETIRED, label: 'old', retired: true }] : undefined;
  return { id, key, label: key, type, required: false, hidden: false, deleted: false, attributes: options ? ({ options }) : {}, ...extra };
}

const SCHEMA: Pick<LeadSchema, 'customFields'> = {
  customFields: [
    field('f-city', 'city', 'text'),
    field('f-budget', 'budget', 'integer'),
    field('f-colour', 'colour', 'singleChoice'),
    field('f-met', 'met', 'dateTime'),
    field('f-visit', 'visit', 'date'),
    field('f-photo', 'photo', 'image'),
    field('f-gone', 'gone', 'text', { deleted: true }),
  ],
};

function errorsOf(def: LeadFilterDefinition, prefix = ''): Record<string, string> {
  try {
    compileLeadFilter(def, SCHEMA, 'Asia/Shanghai', prefix);
  } catch (error) {
    assert.ok(error instanceof DomainError, String(error));
    assert.equal(error.kind, 'invalid');
    return { ...(error.fields ?? {}) };
  }
  assert.fail('the filter was accepted');
}

describe('compileLeadFilter (LEAD-9)', () => {
  it('names a deleted field and an unknown field, each at its condition', () => {
    const errors = errorsOf({ conditions: [{ field: 'city', op: 'equals', value: 'x' }, { field: 'gone', op: 'empty' }, { field: 'nope', op: 'empty' }] });
    assert.match(errors['conditions[1].field'] ?? '', /deleted/);
    assert.match(errors['conditions[2].field'] ?? '', /not a field/);
    assert.equal(errors['conditions[0].field'], undefined);
  });

  it('names the operator a type does not take, and lists the ones it does', () => {
    const errors = errorsOf({ conditions: [{ field: 'budget', op: 'contains', value: '1' }] });
    assert.match(errors['conditions[0].op'] ?? '', /equals, gt, gte/);
  });

  it('names bad values: a string for a number, an unknown option, a reversed range, a value on empty', () => {
    assert.ok(errorsOf({ conditions: [{ field: 'budget', op: 'gt', value: '5' }] })['conditions[0].value']);
    assert.ok(errorsOf({ conditions: [{ field: 'colour', op: 'anyOf', value: ['blue'] }] })['conditions[0].value[0]']);
    assert.ok(errorsOf({ conditions: [{ field: 'budget', op: 'between', value: [9, 1] }] })['conditions[0].value']);
    assert.ok(errorsOf({ conditions: [{ field: 'city', op: 'empty', value: 'x' }] })['conditions[0].value']);
    assert.ok(errorsOf({ conditions: [{ field: 'visit', op: 'equals', value: '2026-02-30' }] })['conditions[0].value']);
    assert.ok(errorsOf({ conditions: [{ field: 'status', op: 'equals', value: 'not-a-uuid' }] })['conditions[0].value']);
  });

  it('prefixes every name (a batch reports filter.conditions[i].field)', () => {
    assert.ok(errorsOf({ conditions: [{ field: 'gone', op: 'empty' }] }, 'filter.')['filter.conditions[0].field']);
  });

  it('refuses too many conditions, a bad match and a long q', () => {
    const many = Array.from({ length: MAX_CONDITIONS + 1 }, () => ({ field: 'city', op: 'notEmpty' }));
    assert.ok(errorsOf({ conditions: many })['conditions']);
    assert.ok(errorsOf({ match: 'some' as never })['match']);
    assert.ok(errorsOf({ q: 'x'.repeat(101) })['q']);
  });

  it('filters a retired option (old leads keep it) and custom fields by their stable id', () => {
    assert.deepEqual(compileLeadFilter({ conditions: [{ field: 'colour', op: 'equals', value: RETIRED }] }, SCHEMA, 'UTC'), { 'fields.f-colour': RETIRED });
    assert.deepEqual(compileLeadFilter({ conditions: [{ field: 'fields.city', op: 'equals', value: ' Pudong ' }] }, SCHEMA, 'UTC'), { 'fields.f-city': 'Pudong' });
  });

  it('reads a day on a date-time field in the enterprise time zone; `to` a day includes all of it', () => {
    assert.deepEqual(compileLeadFilter({ conditions: [{ field: 'met', op: 'between', value: ['2026-03-01', '2026-03-01'] }] }, SCHEMA, 'Asia/Shanghai'), {
      'fields.f-met': { $gte: '2026-02-28T16:00:00.000Z', $lt: '2026-03-01T16:00:00.000Z' },
    });
    assert.deepEqual(compileLeadFilter({ conditions: [{ field: 'met', op: 'to', value: '2026-03-01T10:00:00+08:00' }] }, SCHEMA, 'Asia/Shanghai'), {
      'fields.f-met': { $lte: '2026-03-01T02:00:00.000Z' },
    });
  });

  it('escapes regular-expression characters in contains and q', () => {
    assert.deepEqual(compileLeadFilter({ conditions: [{ field: 'city', op: 'contains', value: 'a.b*(c' }] }, SCHEMA, 'UTC'), {
      'fields.f-city': { $regex: 'a\\.b\\*\\(c', $options: 'i' },
    });
    assert.deepEqual(compileLeadFilter({ q: ' A+B ' }, SCHEMA, 'UTC'), { searchText: { $regex: 'a\\+b' } });
  });

  it('combines with match any, and selects everything when empty', () => {
    assert.deepEqual(compileLeadFilter({}, SCHEMA, 'UTC'), {});
    assert.deepEqual(
      compileLeadFilter({ match: 'any', conditions: [{ field: 'photo', op: 'notEmpty' }, { field: 'tags', op: 'allOf', value: ['a', 'a', 'b'] }] }, SCHEMA, 'UTC'),
      { $or: [{ 'fields.f-photo': { $ne: null } }, { tags: { $all: ['a', 'b'] } }] },
    );
  });
});

describe('resolveSort, cursors and columns (LEAD-9)', () => {
  it('sorts on custom and system fields, ties broken by id', () => {
    assert.deepEqual(sortOf(resolveSort({ field: 'budget', direction: 'desc' }, SCHEMA)), { 'fields.f-budget': -1, _id: -1 });
    assert.deepEqual(sortOf(resolveSort(undefined, SCHEMA)), { createdAt: -1, _id: -1 });
  });

  it('refuses a deleted field, an unsortable type and a bad direction, naming sort.field / sort.direction', () => {
    const fields = (sort: unknown) => {
      try {
        resolveSort(sort as never, SCHEMA);
      } catch (error) {
        return (error as DomainError).fields ?? {};
      }
      return {};
    };
    assert.match(String(fields({ field: 'gone' })['sort.field']), /deleted/);
    assert.match(String(fields({ field: 'tags' })['sort.field']), /cannot be sorted/);
    assert.ok(fields({ field: 'name', direction: 'up' })['sort.direction']);
  });

  it('a cursor of another sort is not read; one of this sort resumes after its row (nulls first ascending)', () => {
    const budget = resolveSort({ field: 'budget', direction: 'asc' }, SCHEMA);
    assert.equal(readCursorPosition({ s: 'name:1', v: 'x', i: 'a' }, budget), null);
    const position = readCursorPosition({ s: budget.key, v: null, i: 'id-1' }, budget);
    assert.ok(position);
    assert.deepEqual(afterCursor(budget, position), { $or: [{ 'fields.f-budget': null, _id: { $gt: 'id-1' } }, { 'fields.f-budget': { $ne: null } }] });
  });

  it('keeps only chosen columns, and names unknown ones', () => {
    const columns = resolveColumns(['name', 'budget'], SCHEMA);
    assert.deepEqual(pickColumns({ id: 'l1', name: 'A', phone: '1', fields: { budget: 3, city: 'x' } }, columns), { id: 'l1', name: 'A', fields: { budget: 3 } });
    assert.throws(() => resolveColumns(['gone'], SCHEMA), (e: DomainError) => Boolean(e.fields?.['columns[0]']));
  });
});
