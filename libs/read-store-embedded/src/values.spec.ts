import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clone, compareStrings, compareValues, indexValues, isEqual, REACHES_ARRAY, singleIndexValue, sortKey } from './values';

describe('values', () => {
  it('compares strings by code point (UTF-8 byte order), not by UTF-16 unit', () => {
    assert.equal(compareStrings('B', 'a'), -1);
    assert.equal(compareStrings('a', 'ab'), -1);
    assert.equal(compareStrings('ab', 'ab'), 0);
    // U+FF5E (BMP, above the surrogate range) < U+1F600 (astral), though its UTF-16 unit is larger
    assert.equal(compareStrings('\uFF5E', '\u{1F600}'), -1);
    assert.equal(compareStrings('\u{1F600}', '\uFF5E'), 1);
    assert.equal(compareStrings('\u{1F600}', '\u{1F601}'), -1);
  });

  it('orders values of different types like BSON', () => {
    const ordered = [null, -Infinity, -1, 0, 2.5, 10, '', 'A', 'a', {}, { a: 1 }, [1], false, true, new Date(0), new Date(1)];
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        const expected = i < j ? -1 : i > j ? 1 : 0;
        assert.equal(Math.sign(compareValues(ordered[i], ordered[j])), expected, `${i} vs ${j}`);
      }
    }
    assert.equal(compareValues(undefined, null), 0);
    assert.equal(compareValues(0, -0), 0);
  });

  it('sorts arrays by their smallest element ascending and largest descending', () => {
    const doc = { v: [5, 1, 9], o: [{ n: 3 }, { n: 7 }] };
    assert.equal(sortKey(doc, ['v'], 1), 1);
    assert.equal(sortKey(doc, ['v'], -1), 9);
    assert.equal(sortKey(doc, ['o', 'n'], 1), 3);
    assert.equal(sortKey(doc, ['o', 'n'], -1), 7);
    assert.equal(sortKey(doc, ['missing'], 1), null);
    assert.ok(compareValues(sortKey({ v: [] }, ['v'], 1), null) < 0, 'an empty array sorts before null');
  });

  it('reads index values through arrays; a missing field is null', () => {
    assert.deepEqual(indexValues({ a: 1 }, ['a']), [1]);
    assert.deepEqual(indexValues({}, ['a']), [null]);
    assert.deepEqual(indexValues({ t: ['x', 'y'] }, ['t']), ['x', 'y']);
    assert.deepEqual(indexValues({ i: [{ s: 'x' }, { s: 'y' }, {}] }, ['i', 's']), ['x', 'y', null]);
  });

  it('answers the one index value of a path without arrays as indexValues does, and says when a path meets an array', () => {
    const date = new Date(0);
    const doc = { a: 1, n: null, u: undefined, s: 'x', d: date, o: { b: { c: 2 }, z: null }, e: [], t: ['x'], i: [{ s: 'y' }], p: { q: [1, 2] } };
    const paths = ['a', 'n', 'u', 's', 'd', 'o', 'o.b.c', 'o.z', 'o.z.w', 'o.missing', 'missing', 'a.b', 's.length', 'd.x', 'o.b.c.d'];
    for (const path of paths) {
      const parts = path.split('.');
      const values = indexValues(doc, parts);
      assert.equal(values.length, 1, path);
      assert.equal(singleIndexValue(doc, parts), values[0], path);
    }
    for (const path of ['e', 't', 'i.s', 'i', 'p.q', 'p.q.0', 't.0']) assert.equal(singleIndexValue(doc, path.split('.')), REACHES_ARRAY, path);
  });

  it('clones deeply and compares deeply', () => {
    const original = { a: [1, { b: new Date(5) }], c: { d: 'e' } };
    const copy = clone(original);
    assert.deepEqual(copy, original);
    assert.notEqual(copy.a, original.a);
    assert.notEqual(copy.a[1], original.a[1]);
    assert.ok(isEqual(copy, original));
    assert.ok(isEqual({ x: 1, y: 2 }, { y: 2, x: 1 }));
    assert.ok(!isEqual({ x: [1, 2] }, { x: [2, 1] }));
    assert.ok(!isEqual({ x: 1 }, { x: 1, y: undefined }));
    assert.ok(!isEqual(new Date(1), new Date(2)));
  });
});
