import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DatabaseSync } from 'node:sqlite';
import type { Document, Filter } from '@leadstream/read-store';
import { encodeDocument } from '../doc-codec';
import { compileFilter } from '../mongo-ops';
import { prefilterOf } from './prefilter';

const DOCS: Document[] = [
  { _id: 'int', fields: { n: 7, s: 'red', '00000000-0000-4000-8000-00000000f000': 250 } },
  { _id: 'small', fields: { n: 3, s: 'blue' } },
  { _id: 'real', fields: { n: 7.5, s: 'red' } },
  { _id: 'tricky-real', fields: { n: 0.1 + 0.2 } },
  { _id: 'huge', fields: { n: 1e21 } },
  { _id: 'text-number', fields: { n: '7', s: 7 } },
  { _id: 'array', fields: { n: [1, 9], s: ['x', 'red'] } },
  { _id: 'through-array', fields: [{ n: 8, s: 'red' }, { n: 'x' }] },
  { _id: 'null', fields: { n: null, s: null } },
  { _id: 'object', fields: { n: { v: 7 }, s: { v: 'red' } } },
  { _id: 'missing', other: 1 },
  { _id: 'date', fields: { n: 7, s: 'red' }, at: new Date(0) }, // stored with v8.serialize: always passes
];

const FILTERS: Filter[] = [
  { 'fields.n': 7 },
  { 'fields.n': { $gt: 5 } },
  { 'fields.n': { $gte: 7, $lt: 8 } },
  { 'fields.n': { $lte: 0.30000000000000004 } },
  { 'fields.n': { $eq: 0.30000000000000004 } },
  { 'fields.n': { $eq: 1e21 } },
  { 'fields.n': { $in: [3, 9] } },
  { 'fields.s': 'red' },
  { 'fields.s': { $in: ['blue', 'x'] } },
  { $and: [{ 'fields.n': { $gt: 2 } }, { 'fields.s': 'red' }] },
  { 'fields.n': { $gt: 5 }, 'fields.s': { $exists: true } },
  { 'fields.00000000-0000-4000-8000-00000000f000': { $gte: 200, $lte: 399 } },
];

function keptBy(filter: Filter): Set<string> {
  const db = new DatabaseSync(':memory:');
  db.exec('CREATE TABLE docs (id TEXT PRIMARY KEY, body)');
  const insert = db.prepare('INSERT INTO docs (id, body) VALUES (?, ?)');
  for (const doc of DOCS) insert.run(doc._id, encodeDocument(doc));
  const prefilter = prefilterOf(filter);
  assert.ok(prefilter, `a prefilter for ${JSON.stringify(filter)}`);
  const rows = db.prepare(`SELECT id FROM docs d WHERE ${prefilter.sql}`).all(...prefilter.params) as { id: string }[];
  db.close();
  return new Set(rows.map((r) => r.id));
}

describe('SQL prefilter of a scan (necessary condition over the JSON body)', () => {
  for (const filter of FILTERS) {
    it(`keeps every match of ${JSON.stringify(filter)} and drops documents that cannot match`, () => {
      const matches = compileFilter(filter);
      const kept = keptBy(filter);
      for (const doc of DOCS) if (matches(doc)) assert.ok(kept.has(doc._id), `${doc._id} matches, so it must be kept`);
      assert.ok(kept.has('date'), 'a document stored with v8.serialize always passes');
      const dropped = DOCS.filter((d) => !kept.has(d._id)).map((d) => d._id);
      assert.ok(dropped.length > 0, 'it rejects something (it is not a no-op)');
      for (const id of ['missing', 'null', 'object']) assert.ok(dropped.includes(id), `${id} cannot match and is dropped`);
    });
  }

  it('expresses nothing for what it does not know (the full match decides)', () => {
    for (const filter of [{}, { a: null }, { a: true }, { a: { $ne: 1 } }, { $or: [{ a: 1 }] }, { 'a.0': 1 }, { 'a."b': 1 }, { 'a.$b': 1 }, { a: { $gt: 'x' } }, { a: 'x\uD83D\uDE00' }, { a: { v: 1 } }] as Filter[]) {
      assert.equal(prefilterOf(filter), null, JSON.stringify(filter));
    }
  });

  it('binds every value as a parameter (field names are checked, never spliced in)', () => {
    const prefilter = prefilterOf({ 'fields.n': 5, 'fields.s': "it's" })!;
    assert.ok(!prefilter.sql.includes("it's") && !prefilter.sql.includes('fields'));
    assert.ok(prefilter.params.includes("it's") && prefilter.params.includes('$."fields"."n"'));
  });
});
