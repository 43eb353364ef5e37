import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Query } from 'mingo';
import type { Filter } from '@leadstream/read-store';
import { indexesToCreate, planFilter, relaxFilter, serverSupportsFilter, serverSupportsUpdate, upsertFilter } from './ferretdb';

const docs = [
  { _id: 'a', g: 1, n: 10, items: [{ sku: 'x', qty: 1 }, { sku: 'y', qty: 5 }], tags: ['red', 'fruit'] },
  { _id: 'b', g: 1, n: 4, items: [{ sku: 'x', qty: 3 }], tags: ['fruit'] },
  { _id: 'c', g: 2, n: 7, items: [{ sku: 'y', qty: 3 }], tags: [] },
  { _id: 'd', g: 2, n: 5 },
];
const matches = (filter: Filter): string[] => new Query(filter).find<{ _id: string }>(docs).all().map((d) => d._id).sort();

describe('FerretDB planning', () => {
  it('leaves checked operators to the server', () => {
    for (const filter of [
      {},
      { _id: 'a' },
      { n: { $gte: 1, $lt: 5 }, tags: 'fruit' },
      { tags: ['red', 'fruit'] },
      { n: { $in: [1, null] }, s: { $regex: '^a', $options: 'i' }, t: /x/ },
      { $or: [{ n: 1 }, { $and: [{ g: 2 }, { n: { $ne: null } }] }], $nor: [{ n: { $exists: false } }] },
      { tags: { $size: 2 }, n: { $not: { $gt: 4 } }, k: { $type: 'string' } },
      { 'items.qty': { $gt: 2 }, 'address.city': 'Oslo' },
    ]) {
      assert.ok(serverSupportsFilter(filter), JSON.stringify(filter));
      assert.deepEqual(planFilter(filter), { exact: true, server: filter });
    }
  });

  it('emulates $elemMatch, element documents, $all, $mod, $expr and unknown operators', () => {
    for (const filter of [
      { items: { $elemMatch: { sku: 'x' } } },
      { items: { sku: 'x', qty: 1 } },
      { items: { $eq: { sku: 'x', qty: 1 } } },
      { items: { $in: [{ sku: 'x', qty: 1 }] } },
      { tags: { $all: ['red'] } },
      { n: { $mod: [5, 0] } },
      { $expr: { $gt: ['$n', 5] } },
      { $or: [{ n: 1 }, { tags: { $all: ['x'] } }] },
      { n: { $not: { $elemMatch: { $gt: 1 } } } },
      { n: { $bitsAllSet: 1 } },
    ]) {
      assert.equal(serverSupportsFilter(filter), false, JSON.stringify(filter));
      assert.equal(planFilter(filter).exact, false);
    }
  });

  it('relaxes a filter to a superset the server can evaluate', () => {
    const cases: [Filter, Filter][] = [
      [{ g: 1, items: { $elemMatch: { sku: 'x', qty: { $gte: 2 } } } }, { g: 1, $and: [{ 'items.sku': 'x' }] }],
      [{ items: { sku: 'x', qty: 3 } }, { $and: [{ 'items.sku': 'x' }, { 'items.qty': 3 }] }],
      [{ n: { $gt: 1, $mod: [2, 0] } }, { n: { $gt: 1 } }],
      [{ $or: [{ g: 1 }, { $expr: { $eq: ['$n', 7] } }] }, {}],
      [{ $or: [{ g: 1 }, { items: { $elemMatch: { sku: 'y' } } }] }, { $and: [{ $or: [{ g: 1 }, { $and: [{ 'items.sku': 'y' }] }] }] }],
      [{ $nor: [{ tags: { $all: ['red'] } }], g: 2 }, { g: 2 }],
      [{ s: { $regex: 'a', $options: 'i', $mod: [1, 0] } }, { s: { $regex: 'a', $options: 'i' } }],
      [{ $and: [{ g: 1 }, { tags: { $all: ['red'] } }] }, { $and: [{ g: 1 }] }],
    ];
    for (const [filter, relaxed] of cases) {
      assert.deepEqual(relaxFilter(filter), relaxed, JSON.stringify(filter));
      assert.ok(serverSupportsFilter(relaxed));
      const exact = matches(filter);
      const wider = matches(relaxed);
      assert.ok(exact.every((id) => wider.includes(id)), `${JSON.stringify(relaxed)} must match a superset of ${JSON.stringify(filter)}`);
    }
  });

  it('emulates update operators FerretDB gets wrong', () => {
    for (const update of [
      { $set: { a: 1, 'b.c': 2 }, $unset: { d: '' }, $inc: { n: 1 }, $setOnInsert: { e: 1 } },
      { $max: { m: 1 }, $min: { m: 0 }, $mul: { n: 2 }, $rename: { a: 'b' }, $currentDate: { at: true } },
      { $push: { l: 1, k: { $each: [1, 2] } }, $addToSet: { s: { $each: ['a'] } }, $pull: { l: 1 }, $pullAll: { l: [2] }, $pop: { l: 1 } },
    ]) {
      assert.ok(serverSupportsUpdate(update), JSON.stringify(update));
    }
    for (const update of [
      { $push: { l: { $each: [1], $slice: -2 } } },
      { $push: { l: { $each: [1], $position: 0 } } },
      { $addToSet: { l: { $each: [1], $sort: 1 } } },
      { $pull: { items: { qty: { $gte: 5 } } } },
      { $pull: { items: { sku: 'x' } } },
      { $pull: { tags: /^a/ } },
      { $set: { 'items.$.qty': 1 } },
      { $inc: { 'items.$[].qty': 1 } },
      { $bit: { flags: { and: 1 } } },
    ]) {
      assert.equal(serverSupportsUpdate(update), false, JSON.stringify(update));
    }
  });

  it('sends createIndexes only the indexes the collection lacks (FerretDB panics on several it has)', () => {
    const created = { key: { tenantId: 1, createdAt: -1, _id: -1 }, name: 'tenant_created' };
    const source = { key: { tenantId: 1, source: 1, createdAt: -1 }, name: 'tenant_source_created' };
    const email = { key: { email: 1 }, name: 'email_1', unique: true };
    const listed = [{ v: 2, key: { _id: 1 }, name: '_id_' }, { v: 2, ...created }, { v: 2, ...source }];
    assert.deepEqual(indexesToCreate([created, source], null), [created, source], 'no collection yet: all of them');
    assert.deepEqual(indexesToCreate([created, source], listed), []);
    assert.deepEqual(indexesToCreate([email, created, source], listed), [email]);
    assert.deepEqual(indexesToCreate([{ key: { _id: 1 }, name: 'by_id' }, email], listed), [email], 'FerretDB ignores { _id: 1 } too');
    // a different key under an existing name (or the reverse) goes to the server, which refuses it like MongoDB
    const reordered = { key: { createdAt: -1, tenantId: 1, _id: -1 }, name: 'tenant_created' };
    const ascending = { key: { tenantId: 1, createdAt: 1, _id: -1 }, name: 'tenant_created' };
    const renamed = { ...source, name: 'by_source' };
    assert.deepEqual(indexesToCreate([reordered, ascending, renamed], listed), [reordered, ascending, renamed]);
  });

  it('reshapes upsert filters: every equality on top, every other condition in one $and', () => {
    assert.deepEqual(upsertFilter({ _id: 'a' }), { _id: 'a' }, 'an _id lookup stays the indexed one');
    assert.deepEqual(
      upsertFilter({ _id: 'a', tenantId: 't1', 'owner.id': 'm1', score: { $gt: 5 }, $and: [{ kind: 'lead' }] }),
      { _id: 'a', tenantId: 't1', 'owner.id': 'm1', kind: 'lead', $and: [{ score: { $gt: 5 } }] },
    );
    assert.deepEqual(upsertFilter({ n: { $gt: 1, $lt: 5 }, $and: [{ $and: [{ k: { $eq: 'v' } }] }, { $or: [{ a: 1 }, { b: 2 }] }], re: /x/ }), {
      k: 'v',
      $and: [{ n: { $gt: 1, $lt: 5 } }, { $or: [{ a: 1 }, { b: 2 }] }, { re: /x/ }],
    });
    assert.deepEqual(upsertFilter({ k: { $eq: 1, $exists: true }, $and: [{ k: 2 }] }), { k: 1, $and: [{ k: { $eq: 1, $exists: true } }, { k: 2 }] });
  });
});
