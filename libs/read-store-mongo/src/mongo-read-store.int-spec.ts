import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import type mongoose from 'mongoose';
import { DuplicateKeyError, type BulkOperation, type Document } from '@leadstream/read-store';
import { readStoreContract } from '@leadstream/read-store/testing';
import { FERRETDB_LIMITED_UPDATES_PER_COMMAND, MongoReadStore, type MongoReadStoreOptions } from './mongo-read-store';

/**
 * Runs against MONGODB_URL when it is set (`npm run infra:up` starts FerretDB and prints it),
 * else against a MongoDB container when a container runtime answers, else skips. Every store
 * gets a fresh database, dropped at the end.
 */
interface Target {
  readonly url: string;
  readonly description: string;
  readonly connectOptions: mongoose.ConnectOptions;
  stop(): Promise<void>;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function resolveTarget(): Promise<Target | { readonly skip: string }> {
  const url = process.env['MONGODB_URL'];
  if (url) {
    return { url, description: `MONGODB_URL=${url.replace(/\/\/[^@/]*@/, '//***@')}`, connectOptions: {}, stop: () => Promise.resolve() };
  }
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
  } catch (error) {
    return { skip: `MONGODB_URL is not set and no container runtime answers (${message(error)}); run \`npm run infra:up\` and set MONGODB_URL` };
  }
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const image = process.env['MONGODB_IMAGE'] ?? 'mongo:8.0';
  const container = await new MongoDBContainer(image).start();
  return {
    url: container.getConnectionString(),
    description: `testcontainers ${image}`,
    // the container's replica set advertises its in-container host name
    connectOptions: { directConnection: true },
    stop: async () => {
      await container.stop();
    },
  };
}

const freshDbName = (): string => `leadstream_rs_${randomBytes(5).toString('hex')}`;

async function openStore(target: Target, options: Partial<MongoReadStoreOptions> = {}): Promise<MongoReadStore> {
  return MongoReadStore.connect({
    url: target.url,
    dbName: freshDbName(),
    ...options,
    connectOptions: { ...target.connectOptions, ...options.connectOptions },
  });
}

async function dropAndClose(store: MongoReadStore): Promise<void> {
  try {
    await store.connection.dropDatabase();
  } finally {
    await store.close();
  }
}

const ids = (docs: readonly Document[]): string[] => docs.map((d) => d._id);
const sortedIds = (docs: readonly Document[]): string[] => ids(docs).sort();

describe('MongoReadStore', async () => {
  const target = await resolveTarget();
  if ('skip' in target) {
    console.log(`read-store-mongo: skipped: ${target.skip}`);
    it('runs the read-store contract against MongoDB or FerretDB', { skip: target.skip }, () => undefined);
    return;
  }
  after(() => target.stop());

  const probe = await openStore(target);
  const server = probe.server;
  await dropAndClose(probe);
  console.log(`read-store-mongo: ${target.description} (${server})`);

  readStoreContract(`mongo (${server}, ${target.description})`, async () => {
    const store = await openStore(target);
    return { store, cleanup: () => dropAndClose(store) };
  });

  if (server === 'mongodb') {
    // the emulation must not change MongoDB's answers either
    readStoreContract(`mongo (${server}, FerretDB emulation forced)`, async () => {
      const store = await openStore(target, { compat: 'ferretdb' });
      return { store, cleanup: () => dropAndClose(store) };
    });
  }

  describe(`adapter (${server})`, () => {
    let store: MongoReadStore;
    let monitored: MongoReadStore;
    let commands: string[] = [];
    const record = (event: mongoose.mongo.CommandStartedEvent): void => {
      commands.push(event.commandName);
    };

    before(async () => {
      store = await openStore(target);
      monitored = await openStore(target, { connectOptions: { monitorCommands: true } });
      monitored.connection.getClient().on('commandStarted', record);
    });
    after(async () => {
      monitored?.connection.getClient().off('commandStarted', record);
      await Promise.all([store && dropAndClose(store), monitored && dropAndClose(monitored)]);
    });

    it('a projection batch of 500 upserts goes out as bulk writes, not 500 round trips', async (t) => {
      // MongoDB takes the 500 statements in one command; FerretDB mode caps a command (see FERRETDB_LIMITED_UPDATES_PER_COMMAND)
      const perCommand = server === 'ferretdb' ? FERRETDB_LIMITED_UPDATES_PER_COMMAND : 500;
      const bulkUpdates: string[] = Array.from({ length: Math.ceil(500 / perCommand) }, () => 'update');
      const leads = monitored.collection('bulk_leads', { indexes: [{ keys: { tenantId: 1, createdAt: -1 } }] });
      const batch = (from: number): BulkOperation[] =>
        Array.from({ length: 500 }, (_, i) => {
          const id = `lead-${i}`;
          const doc = { _id: id, tenantId: `t${i % 5}`, name: `Lead ${i}`, createdAt: `2024-05-01T00:00:${String(i % 60).padStart(2, '0')}Z`, position: from + i };
          return { replaceOne: { filter: { _id: id }, replacement: doc, upsert: true } };
        });

      commands = [];
      let started = performance.now();
      await monitored.batch(async () => {
        const r = await leads.bulkWrite(batch(1));
        assert.deepEqual(r, { insertedCount: 0, matchedCount: 0, modifiedCount: 0, upsertedCount: 500, deletedCount: 0 });
        await monitored.setCheckpoint('bulk.lead-list.v1', 500);
      });
      t.diagnostic(`500 replaceOne upserts + checkpoint (first batch): ${(performance.now() - started).toFixed(1)} ms, commands: ${commands.join(', ')}`);
      // the index once, the 500 upserts in bulk, the checkpoint
      assert.deepEqual(commands, ['createIndexes', ...bulkUpdates, 'update']);

      commands = [];
      started = performance.now();
      await monitored.batch(async () => {
        const r = await leads.bulkWrite(batch(501));
        assert.deepEqual(r, { insertedCount: 0, matchedCount: 500, modifiedCount: 500, upsertedCount: 0, deletedCount: 0 });
        await monitored.setCheckpoint('bulk.lead-list.v1', 1000);
      });
      t.diagnostic(`500 replaceOne upserts + checkpoint (replay over existing): ${(performance.now() - started).toFixed(1)} ms, commands: ${commands.join(', ')}`);
      assert.deepEqual(commands, [...bulkUpdates, 'update']);

      // counting projections (new-lead-counts) upsert with $inc/$setOnInsert: the same
      const counts = monitored.collection('bulk_counts');
      commands = [];
      started = performance.now();
      const r = await counts.bulkWrite(
        Array.from({ length: 500 }, (_, i) => ({
          updateOne: {
            filter: { _id: `slot-${i % 50}`, lastPosition: { $lt: i + 1 } },
            update: { $inc: { count: 1 }, $set: { lastPosition: i + 1 }, $setOnInsert: { tenantId: 't1' } },
            upsert: true,
          },
        })),
      );
      t.diagnostic(`500 updateOne upserts ($inc/$set/$setOnInsert): ${(performance.now() - started).toFixed(1)} ms, commands: ${commands.join(', ')}`);
      assert.deepEqual(r, { insertedCount: 0, matchedCount: 450, modifiedCount: 450, upsertedCount: 50, deletedCount: 0 });
      assert.deepEqual(commands, bulkUpdates);

      assert.equal(await leads.count(), 500);
      assert.equal(await leads.count({ tenantId: 't3' }), 100);
      assert.deepEqual(await leads.findOne({ _id: 'lead-7' }, { projection: { position: 1 } }), { _id: 'lead-7', position: 508 });
      assert.deepEqual(await counts.findOne({ _id: 'slot-3' }), { _id: 'slot-3', count: 10, lastPosition: 454, tenantId: 't1' });
      assert.equal(await monitored.getCheckpoint('bulk.lead-list.v1'), 1000);

      // for comparison only: the same upserts as 500 awaited calls cost 500 round trips
      commands = [];
      started = performance.now();
      for (let i = 0; i < 500; i++) {
        await counts.updateOne({ _id: `single-${i % 50}` }, { $inc: { count: 1 } }, { upsert: true });
      }
      t.diagnostic(`500 awaited updateOne upserts: ${(performance.now() - started).toFixed(1)} ms, ${commands.length} commands`);
      assert.equal(commands.length, 500);
    });

    it('creates the declared indexes once per collection, and new declarations later', async () => {
      commands = [];
      const indexes = [{ keys: { email: 1 }, unique: true }, { keys: { tenantId: 1, at: -1 }, name: 'tenant_at' }] as const;
      const c = monitored.collection('idx_once', { indexes });
      await c.insertOne({ _id: 'a', email: 'a@x', tenantId: 't' });
      await monitored.collection('idx_once', { indexes }).insertOne({ _id: 'b', email: 'b@x', tenantId: 't' });
      await c.find({ tenantId: 't' });
      assert.equal(commands.filter((name) => name === 'createIndexes').length, 1);
      await monitored.collection('idx_once', { indexes: [...indexes, { keys: { name: 1 } }] }).count();
      assert.equal(commands.filter((name) => name === 'createIndexes').length, 2);
      const listed = await monitored.connection.db!.collection('idx_once').listIndexes().toArray();
      assert.deepEqual(listed.map((ix) => ix['name'] as string).sort(), ['_id_', 'email_1', 'name_1', 'tenant_at']);
      assert.equal(listed.find((ix) => ix['name'] === 'email_1')?.['unique'], true);
    });

    it('a restarted service declares indexes its collection already has (FerretDB panicked on createIndexes)', async () => {
      // the lead-list projection's indexes: FerretDB 1.24 dropped the connection on a createIndexes
      // naming both once they existed, so every restart of the leads service failed its batches
      const indexes = [
        { keys: { tenantId: 1, createdAt: -1, _id: -1 }, name: 'tenant_created' },
        { keys: { tenantId: 1, source: 1, createdAt: -1 }, name: 'tenant_source_created' },
      ] as const;
      const email = { keys: { email: 1 }, unique: true } as const;
      const name = { keys: { name: 1 } } as const;
      await store.collection('idx_restart', { indexes }).insertOne({ _id: 'a', tenantId: 't', email: 'a@x', name: 'A' });
      const restart = async <R>(work: (s: MongoReadStore) => Promise<R>): Promise<R> => {
        const restarted = await openStore(target, { dbName: store.connection.db!.databaseName });
        try {
          return await work(restarted);
        } finally {
          await restarted.close();
        }
      };
      const listed = async (): Promise<string[]> =>
        (await store.connection.db!.collection('idx_restart').listIndexes().toArray()).map((ix) => ix['name'] as string).sort();

      // [existing, existing]
      assert.deepEqual(await restart((s) => s.collection('idx_restart', { indexes }).find({ tenantId: 't' }, { projection: { _id: 1 } })), [{ _id: 'a' }]);
      // [existing, existing, new]: FerretDB skipped the new one silently
      await restart((s) => s.collection('idx_restart', { indexes: [...indexes, email] }).count());
      assert.deepEqual(await listed(), ['_id_', 'email_1', 'tenant_created', 'tenant_source_created']);
      // [new, existing, existing, existing]
      await restart(async (s) => {
        const c = s.collection('idx_restart', { indexes: [name, ...indexes, email] });
        await assert.rejects(c.insertOne({ _id: 'b', tenantId: 't', email: 'a@x' }), DuplicateKeyError);
        assert.equal(await c.count(), 1);
      });
      assert.deepEqual(await listed(), ['_id_', 'email_1', 'name_1', 'tenant_created', 'tenant_source_created']);
      assert.equal((await store.connection.db!.collection('idx_restart').listIndexes().toArray()).find((ix) => ix['name'] === 'email_1')?.['unique'], true);

      // two stores creating the same indexes at once: one of them finds them already there
      await restart(async (s) => {
        const both = [store, s].map((x) => x.collection('idx_restart_race', { indexes: [...indexes, email] }).count());
        assert.deepEqual(await Promise.all(both), [0, 0]);
      });
    });

    it('a unique index that stored documents break fails with DuplicateKeyError until they are fixed', async () => {
      await store.collection('idx_dups').insertMany([
        { _id: 'a', e: 1 },
        { _id: 'b', e: 1 },
      ]);
      const c = store.collection('idx_dups', { indexes: [{ keys: { e: 1 }, unique: true }] });
      await assert.rejects(c.find(), DuplicateKeyError);
      await c.deleteOne({ _id: 'b' }); // deletes and drop() don't wait for the index
      assert.deepEqual(await c.find(), [{ _id: 'a', e: 1 }]);
      await assert.rejects(c.insertOne({ _id: 'c', e: 1 }), DuplicateKeyError);
    });

    it('evaluates filters FerretDB gets wrong like MongoDB ($elemMatch, element documents, $all, $expr)', async () => {
      const c = store.collection('gap_filters');
      await c.insertMany([
        { _id: 'a', g: 1, items: [{ sku: 'x', qty: 1 }, { sku: 'y', qty: 5 }], lines: [{ sku: 'x' }, { sku: 'y' }], n: 10 },
        { _id: 'b', g: 1, items: [{ sku: 'x', qty: 3 }], lines: [{ sku: 'x' }], n: 4 },
        { _id: 'c', g: 2, items: [{ sku: 'y', qty: 3 }], lines: [], n: 7 },
        { _id: 'd', g: 2, n: 5 },
      ]);
      assert.deepEqual(ids(await c.find({ items: { $elemMatch: { sku: 'x', qty: { $gte: 2 } } } })), ['b']);
      assert.deepEqual(
        await c.find({ items: { $elemMatch: { qty: { $gte: 3 } } } }, { sort: { n: -1 }, skip: 1, limit: 1, projection: { n: 1 } }),
        [{ _id: 'c', n: 7 }],
      );
      assert.deepEqual(ids(await c.find({ items: { sku: 'x', qty: 3 } })), ['b'], 'an array element equal to the document');
      assert.deepEqual(ids(await c.find({ 'lines.sku': { $all: ['x', 'y'] } })), ['a']);
      assert.deepEqual(sortedIds(await c.find({ $expr: { $gt: ['$n', 6] } })), ['a', 'c']);
      assert.deepEqual(sortedIds(await c.find({ $or: [{ items: { $elemMatch: { sku: 'y', qty: 3 } } }, { n: 5 }] })), ['c', 'd']);
      assert.equal(await c.count({ items: { $elemMatch: { sku: 'x' } } }), 2);
      assert.deepEqual((await c.findOne({ items: { $elemMatch: { sku: 'y' } } }, { sort: { n: 1 } }))?._id, 'c');

      assert.deepEqual(await c.updateMany({ g: 1, items: { $elemMatch: { sku: 'x', qty: { $lt: 2 } } } }, { $set: { flagged: true } }), {
        matchedCount: 1,
        modifiedCount: 1,
        upsertedCount: 0,
      });
      assert.deepEqual(ids(await c.find({ flagged: true })), ['a']);
      const up = await c.updateOne({ items: { $elemMatch: { sku: 'nope' } }, g: 3 }, { $set: { z: 1 } }, { upsert: true });
      assert.equal(up.upsertedCount, 1);
      assert.equal(typeof up.upsertedId, 'string');
      assert.deepEqual(await c.findOne({ _id: up.upsertedId! }), { _id: up.upsertedId, g: 3, z: 1 });
      assert.deepEqual(await c.deleteMany({ lines: { $size: 0 }, items: { $elemMatch: { sku: 'y' } } }), { deletedCount: 1 });
      assert.deepEqual(await c.deleteOne({ 'lines.sku': { $all: ['x'] } }), { deletedCount: 1 });
      assert.equal(await c.count(), 3);
    });

    it('applies update operators FerretDB lacks like MongoDB ($push modifiers, $pull conditions, positional, $bit)', async () => {
      const c = store.collection('gap_updates');
      await c.insertOne({ _id: 'a', scores: [5, 1, 9], items: [{ sku: 'x', qty: 1 }, { sku: 'y', qty: 2 }], flags: 5 });
      assert.deepEqual(await c.updateOne({ _id: 'a' }, { $push: { scores: { $each: [7, 3], $sort: -1, $slice: 3 } } }), {
        matchedCount: 1,
        modifiedCount: 1,
        upsertedCount: 0,
      });
      await c.updateOne({ _id: 'a' }, { $push: { scores: { $each: [0], $position: 0 } } });
      assert.deepEqual((await c.findOne({ _id: 'a' }))?.['scores'], [0, 9, 7, 5]);

      await c.updateOne({ _id: 'a', 'items.sku': 'y' }, { $inc: { 'items.$.qty': 10 } });
      await c.updateOne({ _id: 'a' }, { $set: { 'items.$[].seen': true } });
      assert.deepEqual((await c.findOne({ _id: 'a' }))?.['items'], [
        { sku: 'x', qty: 1, seen: true },
        { sku: 'y', qty: 12, seen: true },
      ]);
      await c.updateOne({ _id: 'a' }, { $pull: { items: { qty: { $gte: 10 } } } });
      assert.deepEqual((await c.findOne({ _id: 'a' }))?.['items'], [{ sku: 'x', qty: 1, seen: true }]);
      assert.deepEqual(await c.updateOne({ _id: 'a' }, { $pull: { items: { sku: 'nope' } } }), { matchedCount: 1, modifiedCount: 0, upsertedCount: 0 });
      await c.updateOne({ _id: 'a' }, { $pull: { items: { sku: 'x' } }, $bit: { flags: { and: 4 } } });
      assert.deepEqual(await c.findOne({ _id: 'a' }), { _id: 'a', scores: [0, 9, 7, 5], items: [], flags: 4 });

      await c.insertMany([
        { _id: 'b', g: 1, log: ['x'] },
        { _id: 'c', g: 1 },
        { _id: 'd', g: 2 },
      ]);
      assert.deepEqual(await c.updateMany({ g: 1 }, { $push: { log: { $each: ['y', 'z'], $slice: -2 } } }), {
        matchedCount: 2,
        modifiedCount: 2,
        upsertedCount: 0,
      });
      assert.deepEqual(await c.find({ g: 1 }, { sort: { _id: 1 }, projection: { log: 1 } }), [
        { _id: 'b', log: ['y', 'z'] },
        { _id: 'c', log: ['y', 'z'] },
      ]);
      const r = await c.updateOne({ _id: 'e', g: 9 }, { $push: { log: { $each: ['a', 'b'], $slice: -1 } }, $setOnInsert: { created: true } }, { upsert: true });
      assert.deepEqual(r, { matchedCount: 0, modifiedCount: 0, upsertedCount: 1, upsertedId: 'e' });
      assert.deepEqual(await c.findOne({ _id: 'e' }), { _id: 'e', g: 9, log: ['b'], created: true });
    });

    it('upserts seed the new document like MongoDB (nested $and, range conditions, no _id in the filter)', async () => {
      const c = store.collection('gap_upserts');
      const r = await c.updateOne(
        { _id: 'q', n: { $gt: 1, $lt: 5 }, $and: [{ kind: 'k', $and: [{ 'owner.id': 'o' }] }, { tags: { $exists: false } }], status: { $eq: 'new' } },
        { $set: { v: 1 } },
        { upsert: true },
      );
      assert.deepEqual(r, { matchedCount: 0, modifiedCount: 0, upsertedCount: 1, upsertedId: 'q' });
      assert.deepEqual(await c.findOne({ _id: 'q' }), { _id: 'q', kind: 'k', owner: { id: 'o' }, status: 'new', v: 1 });

      const many = await c.updateMany({ group: 'g', $and: [{ kind: 'k' }] }, { $inc: { n: 1 } }, { upsert: true });
      assert.equal(many.upsertedCount, 1);
      assert.equal(typeof many.upsertedId, 'string', 'a generated _id is a string');
      assert.deepEqual(await c.findOne({ _id: many.upsertedId! }), { _id: many.upsertedId, group: 'g', kind: 'k', n: 1 });
      assert.deepEqual(await c.updateMany({ group: 'g', $and: [{ kind: 'k' }] }, { $inc: { n: 1 } }, { upsert: true }), {
        matchedCount: 1,
        modifiedCount: 1,
        upsertedCount: 0,
      });

      const rep = await c.replaceOne({ $and: [{ _id: 'r' }], x: { $exists: false } }, { _id: 'r', fresh: true }, { upsert: true });
      assert.deepEqual(rep, { matchedCount: 0, modifiedCount: 0, upsertedCount: 1, upsertedId: 'r' });

      // the new-lead-counts projection: a replayed event matches nothing and collides on _id
      const slot = { $inc: { count: 1 }, $set: { lastPosition: 5 }, $setOnInsert: { tenantId: 't' } };
      await c.updateOne({ _id: 's1', lastPosition: { $lt: 5 } }, slot, { upsert: true });
      await assert.rejects(c.updateOne({ _id: 's1', lastPosition: { $lt: 5 } }, slot, { upsert: true }), DuplicateKeyError);
      assert.deepEqual(await c.findOne({ _id: 's1' }), { _id: 's1', count: 1, lastPosition: 5, tenantId: 't' });
      // and so does an emulated upsert
      await assert.rejects(c.updateOne({ _id: 's1', tags: { $all: ['x'] } }, { $set: { v: 1 } }, { upsert: true }), DuplicateKeyError);
    });

    it('runs aggregation stages FerretDB gets wrong like MongoDB ($group accumulators, $unwind, $project expressions)', async () => {
      const c = store.collection('gap_agg');
      await c.insertMany([
        { _id: 'o1', tenantId: 't1', status: 'won', amount: 100, lines: [{ sku: 'x', qty: 1 }, { sku: 'y', qty: 2 }] },
        { _id: 'o2', tenantId: 't1', status: 'lost', amount: 50, lines: [{ sku: 'x', qty: 5 }] },
        { _id: 'o3', tenantId: 't1', status: 'won', amount: 25.5, lines: [] },
        { _id: 'o4', tenantId: 't2', status: 'won', amount: 999, lines: [{ sku: 'z', qty: 1 }] },
      ]);
      assert.deepEqual(
        await c.aggregate([
          { $match: { tenantId: 't1' } },
          { $group: { _id: '$status', total: { $sum: '$amount' }, avg: { $avg: '$amount' }, n: { $count: {} }, top: { $max: '$amount' } } },
          { $sort: { _id: 1 } },
        ]),
        [
          { _id: 'lost', total: 50, avg: 50, n: 1, top: 50 },
          { _id: 'won', total: 125.5, avg: 62.75, n: 2, top: 100 },
        ],
      );
      assert.deepEqual(await c.aggregate([{ $match: { _id: 'o1' } }, { $unwind: '$lines' }, { $project: { _id: 0, status: 1, sku: '$lines.sku' } }]), [
        { status: 'won', sku: 'x' },
        { status: 'won', sku: 'y' },
      ]);
      assert.deepEqual(
        await c.aggregate([{ $match: { tenantId: 't2' } }, { $addFields: { big: { $gt: ['$amount', 500] } } }, { $project: { _id: 0, id: '$_id', big: 1 } }]),
        [{ id: 'o4', big: true }],
      );
      assert.deepEqual(await c.aggregate([{ $match: { status: 'won' } }, { $sort: { amount: -1 } }, { $skip: 1 }, { $limit: 5 }, { $count: 'n' }]), [{ n: 2 }]);
      assert.deepEqual(await c.aggregate([{ $match: { lines: { $elemMatch: { sku: 'x', qty: { $gt: 1 } } } } }, { $project: { _id: 1 } }]), [{ _id: 'o2' }]);
      assert.deepEqual(await c.aggregate([{ $sort: { amount: -1 } }, { $limit: 2 }, { $project: { _id: 1 } }]), [{ _id: 'o4' }, { _id: 'o1' }]);
      assert.deepEqual(await c.aggregate([{ $match: { tenantId: 't1' } }, { $sort: { amount: 1 } }, { $project: { _id: 0, amount: 1 } }]), [
        { amount: 25.5 },
        { amount: 50 },
        { amount: 100 },
      ]);
    });

    it('bulkWrite keeps the order when some operations are emulated, and counts them all', async () => {
      const c = store.collection('gap_bulk');
      await c.insertMany([
        { _id: 'a', n: 1, items: [{ k: 1 }] },
        { _id: 'b', n: 2, items: [{ k: 2 }] },
      ]);
      const r = await c.bulkWrite([
        { insertOne: { document: { _id: 'c', n: 3, items: [{ k: 3 }] } } },
        { updateOne: { filter: { items: { $elemMatch: { k: 3 } } }, update: { $inc: { n: 10 } } } },
        { updateMany: { filter: { n: { $lt: 5 } }, update: { $push: { log: { $each: ['u'], $slice: -1 } } } } },
        { deleteOne: { filter: { _id: 'a' } } },
        { replaceOne: { filter: { items: { k: 2 } }, replacement: { _id: 'b', replaced: true } } },
        { updateOne: { filter: { _id: 'd', $and: [{ kind: 'new' }] }, update: { $set: { n: 4 } }, upsert: true } },
        { deleteMany: { filter: { $expr: { $gt: ['$n', 12] } } } },
      ]);
      assert.deepEqual(r, { insertedCount: 1, matchedCount: 4, modifiedCount: 4, upsertedCount: 1, deletedCount: 2 });
      assert.deepEqual(await c.find({}, { sort: { _id: 1 } }), [
        { _id: 'b', replaced: true },
        { _id: 'd', kind: 'new', n: 4 },
      ]);
      await assert.rejects(
        c.bulkWrite([
          { updateOne: { filter: { _id: 'b' }, update: { $set: { step: 1 } } } },
          { updateOne: { filter: { _id: 'b', items: { $all: [] } }, update: { $set: { never: true } } } },
          { insertOne: { document: { _id: 'd' } } },
          { updateOne: { filter: { _id: 'b' }, update: { $set: { step: 2 } } } },
        ]),
        DuplicateKeyError,
      );
      assert.deepEqual(await c.findOne({ _id: 'b' }), { _id: 'b', replaced: true, step: 1 });
    });

    it('inserts a string _id for documents without one, and leaves the caller’s object alone', async () => {
      const c = store.collection('gen_ids');
      const doc = { name: 'no id' } as unknown as Document;
      await c.insertOne(doc);
      assert.equal('_id' in doc, false);
      const [stored] = await c.find();
      assert.equal(typeof stored?._id, 'string');
      assert.deepEqual(await c.findOne({ _id: stored!._id }), { _id: stored!._id, name: 'no id' });
    });

    it('reserves the checkpoint collection, and refuses calls once closed', async () => {
      assert.throws(() => store.collection('_checkpoints'), /reserved/);
      const other = await openStore(target);
      const c = other.collection('x');
      await other.setCheckpoint('p', 3);
      await other.connection.dropDatabase();
      await other.close();
      await assert.rejects(c.find(), /closed/);
      await assert.rejects(other.getCheckpoint('p'), /closed/);
      await other.close();
    });
  });
});
