import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serialize } from 'node:v8';
import { decodeDocument, encodeDocument } from './doc-codec';

/** [1, <hole>, 3]: an array with a missing element (JSON would turn the hole into null). */
function holey(): unknown[] {
  const values: unknown[] = [1];
  values[2] = 3;
  return values;
}

describe('document encoding in read_docs', () => {
  it('stores JSON-only documents as JSON and reads them back equal, key order kept', () => {
    const doc = { _id: 'a', z: 1, a: [1, 'two', null, { b: false }], nested: { x: 'é\u{1F600}', empty: {} }, big: 2 ** 60, neg: -1.5 };
    const body = encodeDocument(doc);
    assert.equal(body, JSON.stringify(doc));
    const back = decodeDocument(body);
    assert.deepEqual(back, doc);
    assert.deepEqual(Object.keys(back), Object.keys(doc));
  });

  it('keeps what JSON would change with v8.serialize: Date, undefined, NaN, Infinity, -0, binary, holes', () => {
    const cases: ({ _id: string } & Record<string, unknown>)[] = [
      { _id: 'd', at: new Date('2026-12-04T10:00:00Z') },
      { _id: 'u', gone: undefined },
      { _id: 'n', v: Number.NaN },
      { _id: 'i', v: -Infinity },
      { _id: 'z', v: -0 },
      { _id: 'b', v: new Uint8Array([0, 1, 255]) },
      { _id: 'h', v: holey() },
      { _id: 'deep', v: { a: [{ b: { c: new Date(0) } }] } },
    ];
    for (const doc of cases) {
      const body = encodeDocument(doc);
      assert.ok(body instanceof Uint8Array && body[0] === 0xff, `${String(doc._id)} is stored with v8.serialize`);
      const back = decodeDocument(body);
      assert.deepEqual(back, doc, String(doc._id));
      if (doc._id === 'u') assert.ok('gone' in back, 'an undefined field stays a field');
      if (doc._id === 'z') assert.ok(Object.is(back['v'], -0), '-0 stays -0');
    }
  });

  it('reads documents written with v8.serialize before JSON was used', () => {
    const doc = { _id: 'old', name: 'Lead 1', fields: { c1: 3 } };
    assert.deepEqual(decodeDocument(serialize(doc)), doc);
  });

  it('stores a string with a lone surrogate as JSON that reads back exactly', () => {
    const doc = { _id: 's', v: 'a\uD800b' };
    const back = decodeDocument(encodeDocument(doc));
    assert.equal(back['v'], 'a\uD800b');
  });

  it('falls back to v8.serialize for very deep nesting instead of recursing without bound', () => {
    let v: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 200; i++) v = { v };
    const doc = { _id: 'deep', v };
    const body = encodeDocument(doc);
    assert.ok(body instanceof Uint8Array && body[0] === 0xff);
    assert.deepEqual(decodeDocument(body), doc);
  });

  it('reads JSON kept in a BLOB', () => {
    const doc = { _id: 'blob', n: 1 };
    assert.deepEqual(decodeDocument(Buffer.from(JSON.stringify(doc), 'utf8')), doc);
  });
});
