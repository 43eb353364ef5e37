import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CustomFieldDefinition } from '../../lead-schema/domain/lead-schema.types';
import { cellRenderer, neutralise, rowRenderer, WallClock, type ExportContext } from './export-cells';

const OPT_A = '00000000-0000-4000-8000-00000000a001';
const OPT_B = '00000000-0000-4000-8000-00000000a002';

function field(id: string, key: string, type: CustomFieldDefinition['type']): CustomFieldDefinition {
  const options = type === 'singleChoice' || type === 'multiChoice' ? [{ id: OPT_A, label: 'Trade fair', retired: false }, { id: OPT_B, label: '=old', retired: true }] : undefined;
  return { id, key, label: key, type, required: false, hidden: false, deleted: false, attributes: options ? { options } : {} };
}

const ctx: ExportContext = {
  statusNames: new Map([['s1', 'Qualified']]),
  memberNames: new Map([['m1', '+Ada (admin)']]),
  clock: new WallClock('Asia/Shanghai'),
};

describe('export cells (LEAD-8)', () => {
  it('prefixes text starting with = + - @ TAB CR with a single quote, and nothing else', () => {
    for (const t of ['=SUM(A1)', '+1', '-5', '@cmd', '\tx', '\rx']) assert.equal(neutralise(t), `'${t}`);
    for (const t of ['plain', ' =x', '5', '上海', "'quoted", '']) assert.equal(neutralise(t), t);
  });

  it('keeps numbers of number fields numbers; "-5" in a text field is neutralised text', () => {
    const row = rowRenderer(
      [
        { kind: 'custom', field: field('f-n', 'budget', 'integer') },
        { kind: 'custom', field: field('f-t', 'city', 'text') },
        { kind: 'system', key: 'score' },
        { kind: 'system', key: 'name' },
      ],
      ctx,
    );
    assert.deepEqual(row({ _id: 'l1', score: -3, name: '=HYPERLINK("x")', fields: { 'f-n': -5, 'f-t': '-5' } }), [-5, "'-5", -3, `'=HYPERLINK("x")`]);
    assert.deepEqual(row({ _id: 'l2', fields: {} }), [null, null, null, null]);
  });

  it('renders choices as labels (retired too, neutralised), status and owner by name, date-times in the zone', () => {
    const multi = cellRenderer({ kind: 'custom', field: field('f-m', 'channels', 'multiChoice') }, ctx);
    assert.equal(multi({ _id: 'l', fields: { 'f-m': [OPT_A, OPT_B] } }), 'Trade fair; =old');
    assert.equal(multi({ _id: 'l', fields: { 'f-m': [OPT_B] } }), "'=old");
    const single = cellRenderer({ kind: 'custom', field: field('f-s', 'kind', 'singleChoice') }, ctx);
    assert.equal(single({ _id: 'l', fields: { 'f-s': OPT_A } }), 'Trade fair');
    assert.equal(cellRenderer({ kind: 'system', key: 'status' }, ctx)({ _id: 'l', statusId: 's1' }), 'Qualified');
    assert.equal(cellRenderer({ kind: 'system', key: 'owner' }, ctx)({ _id: 'l', ownerId: 'm1' }), "'+Ada (admin)");
    assert.equal(cellRenderer({ kind: 'system', key: 'tags' }, ctx)({ _id: 'l', tags: ['a', 'b'] }), 'a; b');
    assert.equal(cellRenderer({ kind: 'system', key: 'createdAt' }, ctx)({ _id: 'l', createdAt: '2026-01-31T16:30:05.000Z' }), '2026-02-01 00:30:05');
    const dt = cellRenderer({ kind: 'custom', field: field('f-d', 'seen', 'dateTime') }, ctx);
    assert.equal(dt({ _id: 'l', fields: { 'f-d': '2026-06-30T23:59:59Z' } }), '2026-07-01 07:59:59');
    assert.equal(cellRenderer({ kind: 'id' }, ctx)({ _id: 'lead-1' }), 'lead-1');
  });

  it('formats wall-clock time across a DST change', () => {
    const berlin = new WallClock('Europe/Berlin');
    assert.equal(berlin.format('2026-03-29T00:30:00Z'), '2026-03-29 01:30:00');
    assert.equal(berlin.format('2026-03-29T01:30:00Z'), '2026-03-29 03:30:00');
    assert.equal(berlin.format('nope'), null);
  });
});
