import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { MappedColumn } from './import-mapping';
import { readRow, splitList } from './import-row';

const columns: MappedColumn[] = [
  { index: 0, column: '姓名', target: { kind: 'system', key: 'name' } },
  { index: 1, column: 'Tags', target: { kind: 'system', key: 'tags' } },
  { index: 2, column: 'Status', target: { kind: 'system', key: 'status' } },
];
const statuses = [
  { id: 's-new', name: 'New', retired: false },
  { id: 's-old', name: 'Old', retired: true },
];

describe('readRow', () => {
  it('trims cells, splits lists on ASCII and full-width separators, resolves statuses by name', () => {
    const { input, errors } = readRow(['  王芳 ', 'a，b; c', 'new'], columns, statuses);
    assert.deepEqual(errors, {});
    assert.deepEqual(input, { fields: {}, name: '王芳', tags: ['a', 'b', 'c'], statusId: 's-new' });
  });

  it('names the column of an unknown or retired status', () => {
    assert.match(readRow(['x', '', 'Nope'], columns, statuses).errors['Status']!, /not a lead status/);
    assert.match(readRow(['x', '', 'Old'], columns, statuses).errors['Status']!, /retired/);
  });

  it('leaves empty cells out', () => {
    assert.deepEqual(readRow(['', ' ', ''], columns, statuses).input, { fields: {} });
    assert.deepEqual(splitList(' ;, '), []);
  });
});
