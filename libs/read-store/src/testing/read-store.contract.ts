import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DuplicateKeyError,
  type Collection,
  type CollectionOptions,
  type Document,
  type ReadStore,
  type Sort,
} from '../read-store.port';

export interface OpenedReadStore {
  readonly store: ReadStore;
  cleanup(): Promise<void>;
}

/**
 * The behaviour every ReadStore adapter must have. It checks only what MongoDB itself does, so
 * the embedded adapter (mingo) and the MongoDB adapter answer alike. `open` must hand a store
 * with no documents and no checkpoints; the suite opens one store and gives each test its own
 * collections and checkpoint names.
 */
export function readStoreContract(adapterName: string, open: () => Promise<OpenedReadStore>): void {
  describe(`ReadStore contract: ${adapterName}`, () => {
    let opened: OpenedReadStore;
    let store: ReadStore;
    let counter = 0;
    const unique = (prefix: string): string => `${prefix}_${++counter}_${process.pid}`;
    function coll<T extends Document = Document>(prefix: string, options?: CollectionOptions): Collection<T> {
      return store.collection<T>(unique(prefix), options);
    }
    const ids = (docs: readonly Document[]): string[] => docs.map((d) => d._id);
    const sortedIds = (docs: readonly Document[]): string[] => ids(docs).sort();

    before(async () => {
      opened = await open();
      store = opened.store;
    });
    after(async () => {
      await opened?.cleanup();
    });

    describe('documents', () => {
      it('inserts and finds documents; an unknown _id finds null', async () => {
        const c = coll('crud');
        await c.insertOne({ _id: 'a', name: 'Ada', nested: { x: 1 }, tags: ['t1'] });
        await c.insertMany([
          { _id: 'b', name: 'Bob' },
          { _id: 'c', name: 'Cy' },
        ]);
        assert.deepEqual(await c.findOne({ _id: 'a' }), { _id: 'a', name: 'Ada', nested: { x: 1 }, tags: ['t1'] });
        assert.equal(await c.findOne({ _id: 'zzz' }), null);
        assert.deepEqual(sortedIds(await c.find()), ['a', 'b', 'c']);
        assert.deepEqual(sortedIds(await c.find({})), ['a', 'b', 'c']);
        assert.equal(await c.count(), 3);
        assert.deepEqual(await store.collection('never_written_' + unique('x')).find(), []);
      });

      it('stores and returns copies: mutating an input or a result changes nothing stored', async () => {
        const c = coll('copies');
        const input = { _id: 'a', nested: { x: 1 }, list: [1, 2] };
        await c.insertOne(input);
        input.nested.x = 99;
        input.list.push(3);
        const found = (await c.findOne({ _id: 'a' }))!;
        (found['nested'] as { x: number }).x = 42;
        (found['list'] as number[]).push(4);
        const [listed] = await c.find({ _id: 'a' });
        assert.ok(listed);
        (listed['nested'] as { x: number }).x = 7;
        const setValue = { deep: { v: 1 } };
        await c.updateOne({ _id: 'a' }, { $set: { obj: setValue } });
        setValue.deep.v = 2;
        assert.deepEqual(await c.findOne({ _id: 'a' }), { _id: 'a', nested: { x: 1 }, list: [1, 2], obj: { deep: { v: 1 } } });
      });

      it('rejects a duplicate _id with DuplicateKeyError', async () => {
        const c = coll('dupid');
        await c.insertOne({ _id: 'a', v: 1 });
        await assert.rejects(c.insertOne({ _id: 'a', v: 2 }), (e: unknown) => e instanceof DuplicateKeyError && e.collection === c.name);
        assert.deepEqual(await c.find(), [{ _id: 'a', v: 1 }]);
      });

      it('insertMany is ordered: stops at the first duplicate, keeping the documents before it', async () => {
        const c = coll('insmany');
        await c.insertOne({ _id: 'b' });
        await assert.rejects(c.insertMany([{ _id: 'a' }, { _id: 'b' }, { _id: 'c' }]), DuplicateKeyError);
        assert.deepEqual(sortedIds(await c.find()), ['a', 'b']);
      });
    });

    describe('queries', () => {
      let c: Collection;
      before(async () => {
        c = coll('query');
        await c.insertMany([
          { _id: 'a', n: 1, s: 'apple', tags: ['red', 'fruit'], address: { city: 'Oslo', zip: '0150' }, items: [{ sku: 'x', qty: 1 }] },
          { _id: 'b', n: 5, s: 'Banana', tags: ['yellow', 'fruit'], address: { city: 'Bergen' }, items: [{ sku: 'x', qty: 3 }, { sku: 'y', qty: 1 }] },
          { _id: 'c', n: 10, s: 'cherry', tags: [], address: { city: 'Oslo' }, items: [] },
          { _id: 'd', n: null, s: 'date' },
          { _id: 'e', s: '10' },
          { _id: 'f', n: '7', s: 'fig', tags: ['green'] },
        ]);
      });

      const q = async (filter: Record<string, unknown>): Promise<string[]> => sortedIds(await c.find(filter));

      it('matches equality, including null against missing fields', async () => {
        assert.deepEqual(await q({ n: 5 }), ['b']);
        assert.deepEqual(await q({ s: 'apple', n: 1 }), ['a']);
        assert.deepEqual(await q({ n: null }), ['d', 'e']);
        assert.deepEqual(await q({ n: { $eq: 10 } }), ['c']);
        assert.deepEqual(await q({ n: { $ne: null } }), ['a', 'b', 'c', 'f']);
        assert.deepEqual(await q({ n: { $ne: 5 } }), ['a', 'c', 'd', 'e', 'f']);
        assert.deepEqual(await q({ n: 7 }), [], 'no matching across types');
      });

      it('compares within a type only ($gte/$lt/$gt/$lte)', async () => {
        assert.deepEqual(await q({ n: { $gte: 5 } }), ['b', 'c']);
        assert.deepEqual(await q({ n: { $lt: 10 } }), ['a', 'b']);
        assert.deepEqual(await q({ n: { $gt: 1, $lte: 10 } }), ['b', 'c']);
        assert.deepEqual(await q({ s: { $gte: 'c', $lt: 'e' } }), ['c', 'd']);
        assert.deepEqual(await q({ s: { $lt: 'a' } }), ['b', 'e'], 'binary order: digits and upper case before lower case');
      });

      it('supports $in, $nin and $exists', async () => {
        assert.deepEqual(await q({ n: { $in: [1, 10, '7'] } }), ['a', 'c', 'f']);
        assert.deepEqual(await q({ n: { $in: [null] } }), ['d', 'e']);
        assert.deepEqual(await q({ _id: { $in: ['a', 'e', 'zz'] } }), ['a', 'e']);
        assert.deepEqual(await q({ n: { $nin: [1, 5, null] } }), ['c', 'f']);
        assert.deepEqual(await q({ tags: { $in: ['fruit', 'green'] } }), ['a', 'b', 'f']);
        assert.deepEqual(await q({ n: { $exists: true } }), ['a', 'b', 'c', 'd', 'f']);
        assert.deepEqual(await q({ n: { $exists: false } }), ['e']);
        assert.deepEqual(await q({ 'address.zip': { $exists: true } }), ['a']);
      });

      it('supports $regex, as an operator with $options and as a RegExp', async () => {
        assert.deepEqual(await q({ s: { $regex: '^b', $options: 'i' } }), ['b']);
        assert.deepEqual(await q({ s: { $regex: 'an' } }), ['b']);
        assert.deepEqual(await q({ s: /^[a-c]/ }), ['a', 'c']);
        assert.deepEqual(await q({ s: /^[a-c]/i }), ['a', 'b', 'c']);
      });

      it('supports $or, $and and implicit and', async () => {
        assert.deepEqual(await q({ $or: [{ n: 1 }, { s: 'fig' }] }), ['a', 'f']);
        assert.deepEqual(await q({ $and: [{ n: { $gte: 1 } }, { n: { $lte: 5 } }] }), ['a', 'b']);
        assert.deepEqual(await q({ 'address.city': 'Oslo', $or: [{ n: 10 }, { n: 5 }] }), ['c']);
      });

      it('matches arrays: by element, by whole array, with $elemMatch and dotted paths', async () => {
        assert.deepEqual(await q({ tags: 'fruit' }), ['a', 'b']);
        assert.deepEqual(await q({ tags: ['red', 'fruit'] }), ['a']);
        assert.deepEqual(await q({ tags: ['fruit', 'red'] }), [], 'whole-array equality is ordered');
        assert.deepEqual(await q({ tags: [] }), ['c']);
        assert.deepEqual(await q({ 'items.sku': 'y' }), ['b']);
        assert.deepEqual(await q({ 'items.qty': { $gte: 2 } }), ['b']);
        assert.deepEqual(await q({ items: { $elemMatch: { sku: 'x', qty: { $gte: 2 } } } }), ['b']);
        assert.deepEqual(await q({ items: { $elemMatch: { sku: 'y', qty: { $gte: 2 } } } }), []);
      });

      it('matches dotted paths into embedded documents', async () => {
        assert.deepEqual(await q({ 'address.city': 'Oslo' }), ['a', 'c']);
        assert.deepEqual(await q({ 'address.city': { $in: ['Bergen'] } }), ['b']);
      });

      it('counts with a filter', async () => {
        assert.equal(await c.count({ 'address.city': 'Oslo' }), 2);
        assert.equal(await c.count({ n: { $gt: 100 } }), 0);
        assert.equal(await c.count(), 6);
      });

      it('findPage: a sorted page past a keyset, with the total of the whole filter', async () => {
        const first = await c.findPage({ s: { $ne: 'date' } }, { sort: { n: -1, _id: -1 }, limit: 2 });
        assert.equal(first.total, 5);
        assert.deepEqual(ids(first.docs), ['f', 'c']);
        const next = await c.findPage({ s: { $ne: 'date' } }, { sort: { n: -1, _id: -1 }, limit: 2, after: { $or: [{ n: { $lt: 10 } }, { n: null }] } });
        assert.equal(next.total, 5, 'the keyset does not change the total');
        assert.deepEqual(ids(next.docs), ['b', 'a']);
        const last = await c.findPage({ 'address.city': 'Oslo' }, { sort: { _id: 1 }, limit: 5, projection: { s: 1 } });
        assert.deepEqual(last, { docs: [{ _id: 'a', s: 'apple' }, { _id: 'c', s: 'cherry' }], total: 2 });
        assert.deepEqual(await c.findPage({ n: { $gt: 100 } }, { sort: { _id: 1 }, limit: 3 }), { docs: [], total: 0 });
      });

      it('stream: every match in the order find gives, projected, across batch boundaries', async () => {
        const streamed = async (filter: Record<string, unknown>, options: Parameters<Collection['stream']>[1]): Promise<Document[]> => {
          const out: Document[] = [];
          for await (const doc of c.stream(filter, options)) out.push(doc);
          return out;
        };
        for (const sort of [{ n: -1, _id: -1 }, { 'address.city': 1, _id: -1 }, { _id: 1 }, { s: 1 }] as Sort[]) {
          assert.deepEqual(ids(await streamed({}, { sort, batchSize: 2 })), ids(await c.find({}, { sort })), `sort ${JSON.stringify(sort)}`);
        }
        assert.deepEqual(ids(await streamed({ s: { $ne: 'date' } }, { sort: { n: -1, _id: -1 }, batchSize: 1 })), ['f', 'c', 'b', 'a', 'e']);
        assert.deepEqual(await streamed({ 'address.city': 'Oslo' }, { sort: { _id: 1 }, projection: { s: 1 } }), [
          { _id: 'a', s: 'apple' },
          { _id: 'c', s: 'cherry' },
        ]);
        // the filter needs a field the projection leaves out
        assert.deepEqual(await streamed({ items: { $elemMatch: { sku: 'x', qty: { $gte: 2 } } } }, { projection: { s: 1 } }), [{ _id: 'b', s: 'Banana' }]);
        assert.deepEqual(sortedIds(await streamed({ tags: 'fruit' }, {})), ['a', 'b'], 'without a sort: every match once');
        assert.deepEqual(sortedIds(await streamed({}, { batchSize: 4 })), ['a', 'b', 'c', 'd', 'e', 'f']);
        assert.deepEqual(await streamed({ n: { $gt: 100 } }, { sort: { _id: 1 } }), []);
      });

      it('stream: lazy over many documents; a loop may stop early; results are copies', async () => {
        const many = coll('stream');
        await many.insertMany(Array.from({ length: 25 }, (_, i) => ({ _id: `d${String(i).padStart(2, '0')}`, i, nested: { even: i % 2 === 0 } })));
        const firstSix: string[] = [];
        for await (const doc of many.stream({}, { sort: { i: -1 }, batchSize: 4 })) {
          firstSix.push(doc._id);
          if (firstSix.length === 6) break;
        }
        assert.deepEqual(firstSix, ['d24', 'd23', 'd22', 'd21', 'd20', 'd19']);
        const all: Document[] = [];
        for await (const doc of many.stream({ i: { $gte: 0 } }, { sort: { i: 1 }, batchSize: 4 })) {
          (doc['nested'] as { even: boolean }).even = false;
          all.push(doc);
        }
        assert.deepEqual(ids(all), Array.from({ length: 25 }, (_, i) => `d${String(i).padStart(2, '0')}`));
        assert.equal(await many.count({ 'nested.even': true }), 13, 'changing a streamed document changes nothing stored');
        const unsorted: Document[] = [];
        for await (const doc of many.stream({ 'nested.even': true }, { batchSize: 3 })) unsorted.push(doc);
        assert.deepEqual(sortedIds(unsorted), Array.from({ length: 13 }, (_, i) => `d${String(i * 2).padStart(2, '0')}`));
      });

      it('projects: include, include without _id, exclude, dotted include', async () => {
        assert.deepEqual(await c.findOne({ _id: 'a' }, { projection: { s: 1 } }), { _id: 'a', s: 'apple' });
        assert.deepEqual(await c.findOne({ _id: 'a' }, { projection: { s: 1, n: 1, _id: 0 } }), { s: 'apple', n: 1 });
        assert.deepEqual(await c.findOne({ _id: 'b' }, { projection: { tags: 0, items: 0, address: 0 } }), { _id: 'b', n: 5, s: 'Banana' });
        assert.deepEqual(await c.findOne({ _id: 'a' }, { projection: { 'address.city': 1 } }), { _id: 'a', address: { city: 'Oslo' } });
        assert.deepEqual(await c.find({ _id: { $in: ['d', 'e'] } }, { projection: { n: 1 }, sort: { _id: 1 } }), [{ _id: 'd', n: null }, { _id: 'e' }]);
      });

      it('sorts, skips and limits', async () => {
        assert.deepEqual(ids(await c.find({}, { sort: { _id: -1 } })), ['f', 'e', 'd', 'c', 'b', 'a']);
        assert.deepEqual(ids(await c.find({}, { sort: { _id: 1 }, skip: 2, limit: 3 })), ['c', 'd', 'e']);
        assert.deepEqual(ids(await c.find({}, { sort: { _id: 1 }, skip: 5, limit: 3 })), ['f']);
        assert.deepEqual(ids(await c.find({}, { sort: { _id: 1 }, skip: 10 })), []);
        assert.deepEqual(ids(await c.find({}, { sort: { _id: 1 }, limit: 0 })), ['a', 'b', 'c', 'd', 'e', 'f'], 'limit 0 means no limit');
        assert.deepEqual(ids(await c.find({}, { sort: { 'address.city': 1, _id: -1 } })), ['f', 'e', 'd', 'b', 'c', 'a']);
        assert.deepEqual((await c.findOne({ 'address.city': 'Oslo' }, { sort: { _id: -1 } }))?._id, 'c');
      });
    });

    describe('sort order', () => {
      it('orders mixed types like BSON: missing and null first, then numbers, strings, objects, booleans', async () => {
        const c = coll('mixed');
        await c.insertMany([
          { _id: '01', v: 'b' },
          { _id: '02', v: 10 },
          { _id: '03', v: 2 },
          { _id: '04', v: null },
          { _id: '05' },
          { _id: '06', v: true },
          { _id: '07', v: false },
          { _id: '08', v: 'a' },
          { _id: '09', v: { x: 1 } },
          { _id: '10', v: -1.5 },
          { _id: '11', v: 'B' },
          { _id: '12', v: 'ab' },
          { _id: '13', v: 2.5 },
        ]);
        const ascending = ['04', '05', '10', '03', '13', '02', '11', '08', '12', '01', '09', '07', '06'];
        assert.deepEqual(ids(await c.find({}, { sort: { v: 1, _id: 1 } })), ascending);
        const descending = ['06', '07', '09', '01', '12', '08', '11', '02', '13', '03', '10', '04', '05'];
        assert.deepEqual(ids(await c.find({}, { sort: { v: -1, _id: 1 } })), descending);
      });

      it('sorts by several keys and by nested fields', async () => {
        const c = coll('multisort');
        await c.insertMany([
          { _id: 'a', g: 2, at: { t: 3 } },
          { _id: 'b', g: 1, at: { t: 9 } },
          { _id: 'c', g: 2, at: { t: 1 } },
          { _id: 'd', g: 1 },
        ]);
        assert.deepEqual(ids(await c.find({}, { sort: { g: -1, 'at.t': 1 } })), ['c', 'a', 'd', 'b']);
        assert.deepEqual(ids(await c.find({}, { sort: { 'at.t': -1 } })), ['b', 'a', 'c', 'd']);
        assert.deepEqual(ids(await c.find({ g: 1 }, { sort: { 'at.t': 1 }, limit: 1 })), ['d']);
      });
    });

    describe('updates', () => {
      it('$set (with dotted paths), $unset, $inc (also on a missing field), $max and $min', async () => {
        const c = coll('upd');
        await c.insertOne({ _id: 'a', n: 1, drop: 'me', nested: { keep: true } });
        const r = await c.updateOne(
          { _id: 'a' },
          { $set: { name: 'x', 'nested.deep.v': 2 }, $unset: { drop: '' }, $inc: { n: 2, counter: 5, 'stats.views': 1 } },
        );
        assert.deepEqual(r, { matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
        assert.deepEqual(await c.findOne({ _id: 'a' }), {
          _id: 'a',
          n: 3,
          name: 'x',
          nested: { keep: true, deep: { v: 2 } },
          counter: 5,
          stats: { views: 1 },
        });
        await c.updateOne({ _id: 'a' }, { $max: { n: 10, hi: 4 }, $min: { counter: 1, lo: 0 } });
        assert.deepEqual(await c.findOne({ _id: 'a' }, { projection: { n: 1, hi: 1, counter: 1, lo: 1 } }), {
          _id: 'a',
          n: 10,
          hi: 4,
          counter: 1,
          lo: 0,
        });
        await c.updateOne({ _id: 'a' }, { $max: { n: 3 }, $min: { counter: 2 } });
        assert.deepEqual(await c.findOne({ _id: 'a' }, { projection: { n: 1, counter: 1, _id: 0 } }), { n: 10, counter: 1 });
      });

      it('array operators: $push, $push with $each, $addToSet (with $each), $pull by value and by condition', async () => {
        const c = coll('arr');
        await c.insertOne({ _id: 'a', tags: ['x'], items: [{ q: 1 }, { q: 5 }, { q: 7 }] });
        await c.updateOne({ _id: 'a' }, { $push: { tags: 'y', log: 'first' } });
        await c.updateOne({ _id: 'a' }, { $push: { tags: { $each: ['z', 'x'] } } });
        assert.deepEqual((await c.findOne({ _id: 'a' }))?.['tags'], ['x', 'y', 'z', 'x']);
        assert.deepEqual((await c.findOne({ _id: 'a' }))?.['log'], ['first']);
        const noop = await c.updateOne({ _id: 'a' }, { $addToSet: { tags: 'y' } });
        assert.deepEqual(noop, { matchedCount: 1, modifiedCount: 0, upsertedCount: 0 });
        await c.updateOne({ _id: 'a' }, { $addToSet: { tags: { $each: ['y', 'w', 'w'] }, set: 's' } });
        assert.deepEqual((await c.findOne({ _id: 'a' }))?.['tags'], ['x', 'y', 'z', 'x', 'w']);
        assert.deepEqual((await c.findOne({ _id: 'a' }))?.['set'], ['s']);
        await c.updateOne({ _id: 'a' }, { $pull: { tags: 'x', items: { q: { $gte: 5 } } } });
        assert.deepEqual(await c.findOne({ _id: 'a' }, { projection: { tags: 1, items: 1, _id: 0 } }), {
          tags: ['y', 'z', 'w'],
          items: [{ q: 1 }],
        });
      });

      it('counts matched and modified: an update that changes nothing is matched but not modified', async () => {
        const c = coll('counts');
        await c.insertMany([
          { _id: 'a', s: 'x', k: 1 },
          { _id: 'b', s: 'y', k: 1 },
          { _id: 'c', s: 'x', k: 2 },
        ]);
        assert.deepEqual(await c.updateOne({ _id: 'a' }, { $set: { s: 'x' } }), { matchedCount: 1, modifiedCount: 0, upsertedCount: 0 });
        assert.deepEqual(await c.updateOne({ _id: 'zz' }, { $set: { s: 'x' } }), { matchedCount: 0, modifiedCount: 0, upsertedCount: 0 });
        assert.deepEqual(await c.updateMany({ k: 1 }, { $set: { s: 'x' } }), { matchedCount: 2, modifiedCount: 1, upsertedCount: 0 });
        assert.deepEqual(await c.updateMany({ s: 'x' }, { $inc: { k: 10 } }), { matchedCount: 3, modifiedCount: 3, upsertedCount: 0 });
        assert.deepEqual(await c.updateMany({ s: 'nope' }, { $inc: { k: 10 } }), { matchedCount: 0, modifiedCount: 0, upsertedCount: 0 });
        assert.deepEqual(await c.find({}, { sort: { _id: 1 } }), [
          { _id: 'a', s: 'x', k: 11 },
          { _id: 'b', s: 'x', k: 11 },
          { _id: 'c', s: 'x', k: 12 },
        ]);
        const one = await c.updateOne({ s: 'x' }, { $set: { picked: true } });
        assert.deepEqual(one, { matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
        assert.equal(await c.count({ picked: true }), 1);
      });

      it('replaceOne replaces the whole document', async () => {
        const c = coll('replace');
        await c.insertOne({ _id: 'a', old: 1, keep: 'no' });
        assert.deepEqual(await c.replaceOne({ _id: 'a' }, { _id: 'a', fresh: 2 }), { matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
        assert.deepEqual(await c.findOne({ _id: 'a' }), { _id: 'a', fresh: 2 });
        assert.deepEqual(await c.replaceOne({ fresh: 2 }, { _id: 'a', fresh: 2 }), { matchedCount: 1, modifiedCount: 0, upsertedCount: 0 });
        assert.deepEqual(await c.replaceOne({ _id: 'b' }, { _id: 'b', v: 1 }), { matchedCount: 0, modifiedCount: 0, upsertedCount: 0 });
        assert.equal(await c.findOne({ _id: 'b' }), null);
        assert.deepEqual(await c.replaceOne({ _id: 'b' }, { _id: 'b', v: 1 }, { upsert: true }), {
          matchedCount: 0,
          modifiedCount: 0,
          upsertedCount: 1,
          upsertedId: 'b',
        });
        assert.deepEqual(await c.findOne({ _id: 'b' }), { _id: 'b', v: 1 });
      });
    });

    describe('upserts', () => {
      it('inserts with the filter equality fields, the update and $setOnInsert', async () => {
        const c = coll('ups');
        const r = await c.updateOne(
          { _id: 'a', tenantId: 't1', 'owner.id': 'm1', score: { $gt: 5 }, $and: [{ kind: 'lead' }] },
          { $set: { name: 'Ada' }, $inc: { visits: 1 }, $setOnInsert: { createdAt: '2024-01-01', name0: 'first' } },
          { upsert: true },
        );
        assert.deepEqual(r, { matchedCount: 0, modifiedCount: 0, upsertedCount: 1, upsertedId: 'a' });
        assert.deepEqual(await c.findOne({ _id: 'a' }), {
          _id: 'a',
          tenantId: 't1',
          owner: { id: 'm1' },
          kind: 'lead',
          name: 'Ada',
          visits: 1,
          createdAt: '2024-01-01',
          name0: 'first',
        });
      });

      it('applies the update but not $setOnInsert when a document matches', async () => {
        const c = coll('ups2');
        await c.updateOne({ _id: 'a' }, { $set: { v: 1 }, $setOnInsert: { created: 1 } }, { upsert: true });
        const r = await c.updateOne({ _id: 'a' }, { $set: { v: 2 }, $setOnInsert: { created: 2 } }, { upsert: true });
        assert.deepEqual(r, { matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
        assert.deepEqual(await c.findOne({ _id: 'a' }), { _id: 'a', v: 2, created: 1 });
        const same = await c.updateOne({ _id: 'a' }, { $setOnInsert: { created: 3 } }, { upsert: true });
        assert.deepEqual(same, { matchedCount: 1, modifiedCount: 0, upsertedCount: 0 });
      });

      it('updateMany with upsert inserts one document when nothing matches', async () => {
        const c = coll('upsmany');
        const r = await c.updateMany({ _id: 'x', group: 'g' }, { $set: { on: true } }, { upsert: true });
        assert.deepEqual(r, { matchedCount: 0, modifiedCount: 0, upsertedCount: 1, upsertedId: 'x' });
        assert.deepEqual(await c.find(), [{ _id: 'x', group: 'g', on: true }]);
      });

      it('an upsert whose new document collides with an existing _id throws DuplicateKeyError', async () => {
        const c = coll('upsdup');
        await c.insertOne({ _id: 'a', status: 'old', revision: 3 });
        await assert.rejects(
          c.updateOne({ _id: 'a', revision: { $lt: 3 } }, { $set: { status: 'new' } }, { upsert: true }),
          (e: unknown) => e instanceof DuplicateKeyError && e.collection === c.name,
        );
        await assert.rejects(c.updateOne({ _id: 'a', status: 'other' }, { $set: { x: 1 } }, { upsert: true }), DuplicateKeyError);
        assert.deepEqual(await c.find(), [{ _id: 'a', status: 'old', revision: 3 }]);
      });
    });

    describe('unique indexes', () => {
      const indexes = [
        { keys: { email: 1 }, unique: true },
        { keys: { tenantId: 1, handle: 1 }, unique: true },
        { keys: { tenantId: 1, createdAt: -1 } },
      ] as const;

      it('rejects inserts, updates and upserts that break a unique index', async () => {
        const c = coll('uniq', { indexes });
        await c.insertOne({ _id: 'a', email: 'a@x', tenantId: 't1', handle: 'h' });
        await assert.rejects(c.insertOne({ _id: 'b', email: 'a@x', tenantId: 't1', handle: 'other' }), DuplicateKeyError);
        await c.insertOne({ _id: 'b', email: 'b@x', tenantId: 't2', handle: 'h' }); // compound: other tenant
        await assert.rejects(c.insertOne({ _id: 'c', email: 'c@x', tenantId: 't2', handle: 'h' }), DuplicateKeyError);
        await assert.rejects(c.updateOne({ _id: 'b' }, { $set: { email: 'a@x' } }), DuplicateKeyError);
        assert.deepEqual(await c.findOne({ _id: 'b' }), { _id: 'b', email: 'b@x', tenantId: 't2', handle: 'h' });
        await assert.rejects(c.updateOne({ _id: 'n' }, { $set: { email: 'b@x', handle: 'n' } }, { upsert: true }), DuplicateKeyError);
        await assert.rejects(c.replaceOne({ _id: 'a' }, { _id: 'a', email: 'b@x', tenantId: 't9', handle: 'z' }), DuplicateKeyError);
        assert.equal(await c.count(), 2);
        // a document may keep its own key, and a freed key can be taken
        await c.updateOne({ _id: 'a' }, { $set: { email: 'a@x', name: 'A' } });
        await c.updateOne({ _id: 'a' }, { $set: { email: 'a2@x' } });
        await c.insertOne({ _id: 'c', email: 'a@x', tenantId: 't1', handle: 'h2' });
        await c.deleteOne({ _id: 'b' });
        await c.insertOne({ _id: 'd', email: 'b@x', tenantId: 't2', handle: 'h' });
        assert.deepEqual(sortedIds(await c.find()), ['a', 'c', 'd']);
      });

      it('updateMany stops at a unique violation and throws DuplicateKeyError', async () => {
        const c = coll('uniqmany', { indexes: [{ keys: { slot: 1 }, unique: true }] });
        await c.insertMany([
          { _id: 'a', slot: 1, g: 1 },
          { _id: 'b', slot: 2, g: 1 },
        ]);
        await assert.rejects(c.updateMany({ g: 1 }, { $set: { slot: 3 } }), DuplicateKeyError);
        assert.equal(await c.count({ slot: 3 }), 1);
      });

      it('keeps indexes declared after drop()', async () => {
        const c = coll('uniqdrop', { indexes });
        await c.insertOne({ _id: 'a', email: 'a@x', tenantId: 't', handle: 'a' });
        await c.drop();
        assert.equal(await c.count(), 0);
        await c.insertOne({ _id: 'a', email: 'a@x', tenantId: 't', handle: 'a' });
        await assert.rejects(c.insertOne({ _id: 'b', email: 'a@x', tenantId: 't', handle: 'b' }), DuplicateKeyError);
      });
      it('a retired index is dropped: a retired unique index no longer rejects its duplicates, the others still do', async () => {
        const name = unique('uniqretire');
        const c = store.collection(name, { indexes });
        await c.insertOne({ _id: 'a', email: 'a@x', tenantId: 't', handle: 'a' });
        await assert.rejects(c.insertOne({ _id: 'b', email: 'a@x', tenantId: 't', handle: 'b' }), DuplicateKeyError);
        const later = store.collection(name, { indexes: indexes.slice(1), retiredIndexes: ['email_1'] });
        await later.insertOne({ _id: 'b', email: 'a@x', tenantId: 't', handle: 'b' });
        await assert.rejects(later.insertOne({ _id: 'c', email: 'c@x', tenantId: 't', handle: 'b' }), DuplicateKeyError);
        assert.deepEqual(sortedIds(await later.find({ email: 'a@x' })), ['a', 'b']);
        // a name still declared is kept, whatever the retired list says
        const kept = store.collection(name, { indexes: indexes.slice(1), retiredIndexes: ['tenantId_1_handle_1'] });
        await assert.rejects(kept.insertOne({ _id: 'd', email: 'd@x', tenantId: 't', handle: 'a' }), DuplicateKeyError);
      });
    });

    describe('deletes and drop', () => {
      it('deleteOne and deleteMany count what they delete', async () => {
        const c = coll('del');
        await c.insertMany([
          { _id: 'a', k: 1 },
          { _id: 'b', k: 1 },
          { _id: 'c', k: 2 },
          { _id: 'd', k: 3 },
        ]);
        assert.deepEqual(await c.deleteOne({ k: 1 }), { deletedCount: 1 });
        assert.equal(await c.count({ k: 1 }), 1);
        assert.deepEqual(await c.deleteOne({ k: 99 }), { deletedCount: 0 });
        assert.deepEqual(await c.deleteMany({ k: { $in: [1, 2] } }), { deletedCount: 2 });
        assert.deepEqual(ids(await c.find()), ['d']);
        assert.deepEqual(await c.deleteMany(), { deletedCount: 1 });
        assert.equal(await c.count(), 0);
        // deleted ids can be inserted again
        await c.insertOne({ _id: 'a', k: 4 });
        assert.deepEqual(await c.find(), [{ _id: 'a', k: 4 }]);
      });

      it('drop removes every document of that collection only', async () => {
        const c = coll('drop');
        const other = coll('dropother');
        await c.insertMany([{ _id: 'a' }, { _id: 'b' }]);
        await other.insertOne({ _id: 'a' });
        await c.drop();
        assert.deepEqual(await c.find(), []);
        assert.deepEqual(await other.find(), [{ _id: 'a' }]);
        await c.insertOne({ _id: 'a', again: true });
        assert.deepEqual(await c.find(), [{ _id: 'a', again: true }]);
      });
    });

    describe('bulkWrite', () => {
      it('applies operations in order and counts them', async () => {
        const c = coll('bulk');
        await c.insertMany([
          { _id: 'a', n: 1 },
          { _id: 'b', n: 2 },
          { _id: 'c', n: 3 },
        ]);
        const r = await c.bulkWrite([
          { insertOne: { document: { _id: 'd', n: 4 } } },
          { updateOne: { filter: { _id: 'a' }, update: { $inc: { n: 10 } } } },
          { updateOne: { filter: { _id: 'e' }, update: { $set: { n: 5 } }, upsert: true } },
          { updateMany: { filter: { n: { $lte: 4 } }, update: { $set: { small: true } } } },
          { replaceOne: { filter: { _id: 'b' }, replacement: { _id: 'b', replaced: true } } },
          { replaceOne: { filter: { _id: 'f' }, replacement: { _id: 'f', n: 6 }, upsert: true } },
          { deleteOne: { filter: { _id: 'c' } } },
          { deleteMany: { filter: { n: { $gte: 5 } } } },
          { updateOne: { filter: { _id: 'd' }, update: { $set: { n: 4 } } } },
        ]);
        assert.deepEqual(r, { insertedCount: 1, matchedCount: 6, modifiedCount: 5, upsertedCount: 2, deletedCount: 4 });
        assert.deepEqual(await c.find({}, { sort: { _id: 1 } }), [
          { _id: 'b', replaced: true },
          { _id: 'd', n: 4, small: true },
        ]);
      });

      it('is ordered: stops at the first failing operation and throws its error', async () => {
        const c = coll('bulkfail');
        await c.insertOne({ _id: 'a', n: 1 });
        await assert.rejects(
          c.bulkWrite([
            { updateOne: { filter: { _id: 'a' }, update: { $set: { n: 2 } } } },
            { insertOne: { document: { _id: 'b', n: 1 } } },
            { insertOne: { document: { _id: 'a', n: 3 } } },
            { insertOne: { document: { _id: 'c', n: 1 } } },
            { deleteOne: { filter: { _id: 'b' } } },
          ]),
          DuplicateKeyError,
        );
        assert.deepEqual(await c.find({}, { sort: { _id: 1 } }), [
          { _id: 'a', n: 2 },
          { _id: 'b', n: 1 },
        ]);
      });
    });

    describe('aggregate', () => {
      let c: Collection;
      before(async () => {
        c = coll('agg');
        await c.insertMany([
          { _id: 'o1', tenantId: 't1', status: 'won', amount: 100, lines: [{ sku: 'x', qty: 1 }, { sku: 'y', qty: 2 }] },
          { _id: 'o2', tenantId: 't1', status: 'lost', amount: 50, lines: [{ sku: 'x', qty: 5 }] },
          { _id: 'o3', tenantId: 't1', status: 'won', amount: 25, lines: [] },
          { _id: 'o4', tenantId: 't2', status: 'won', amount: 999, lines: [{ sku: 'z', qty: 1 }] },
        ]);
      });

      it('$match, $group with $sum, $sort and $project', async () => {
        const rows = await c.aggregate([
          { $match: { tenantId: 't1' } },
          { $group: { _id: '$status', count: { $sum: 1 }, total: { $sum: '$amount' } } },
          { $sort: { total: -1 } },
          { $project: { _id: 0, status: '$_id', count: 1, total: 1 } },
        ]);
        assert.deepEqual(rows, [
          { status: 'won', count: 2, total: 125 },
          { status: 'lost', count: 1, total: 50 },
        ]);
      });

      it('$unwind, $group and $limit', async () => {
        const rows = await c.aggregate([
          { $match: { tenantId: 't1' } },
          { $unwind: '$lines' },
          { $group: { _id: '$lines.sku', qty: { $sum: '$lines.qty' } } },
          { $sort: { _id: 1 } },
          { $limit: 1 },
        ]);
        assert.deepEqual(rows, [{ _id: 'x', qty: 6 }]);
      });

      it('$count, and $group over everything', async () => {
        assert.deepEqual(await c.aggregate([{ $match: { status: 'won' } }, { $count: 'n' }]), [{ n: 3 }]);
        assert.deepEqual(await c.aggregate([{ $group: { _id: null, total: { $sum: '$amount' } } }]), [{ _id: null, total: 1174 }]);
        assert.deepEqual(await c.aggregate([{ $match: { status: 'none' } }, { $count: 'n' }]), []);
      });

      it('returns copies', async () => {
        const [row] = await c.aggregate<{ lines: { qty: number }[] }>([{ $match: { _id: 'o2' } }]);
        const line = row?.lines[0];
        assert.ok(line);
        line.qty = 1000;
        assert.deepEqual((await c.findOne({ _id: 'o2' }))?.['lines'], [{ sku: 'x', qty: 5 }]);
      });
    });

    describe('checkpoints and batch', () => {
      it('gets, sets, overwrites and deletes checkpoints', async () => {
        const a = unique('cp');
        const b = unique('cp');
        assert.equal(await store.getCheckpoint(a), null);
        await store.setCheckpoint(a, 5);
        await store.setCheckpoint(b, 7);
        assert.equal(await store.getCheckpoint(a), 5);
        await store.setCheckpoint(a, 12);
        assert.equal(await store.getCheckpoint(a), 12);
        assert.equal(await store.getCheckpoint(b), 7);
        await store.deleteCheckpoint(a);
        assert.equal(await store.getCheckpoint(a), null);
        assert.equal(await store.getCheckpoint(b), 7);
        await store.deleteCheckpoint(a);
      });

      it('batch() returns what the work returns, and its writes are visible after', async () => {
        const c = coll('batch');
        const name = unique('cp');
        const result = await store.batch(async () => {
          await c.insertOne({ _id: 'a', n: 1 });
          await c.updateOne({ _id: 'a' }, { $inc: { n: 1 } });
          await c.updateOne({ _id: 'b' }, { $set: { n: 9 } }, { upsert: true });
          await store.setCheckpoint(name, 42);
          return { done: 2 };
        });
        assert.deepEqual(result, { done: 2 });
        assert.deepEqual(await c.find({}, { sort: { _id: 1 } }), [
          { _id: 'a', n: 2 },
          { _id: 'b', n: 9 },
        ]);
        assert.equal(await store.getCheckpoint(name), 42);
      });

      it('batch() rejects with the error of the work', async () => {
        const boom = new Error('boom');
        await assert.rejects(
          store.batch(() => Promise.reject(boom)),
          (e: unknown) => e === boom,
        );
      });
    });
  });
}
