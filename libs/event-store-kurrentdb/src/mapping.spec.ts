import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WrongExpectedRevisionError, type EventMetadata } from '@leadstream/event-sourcing';
import {
  encodeEvent,
  fromCurrentStreamState,
  fromKurrentMetadata,
  fromStreamState,
  normalizeAfter,
  toGlobalPosition,
  toKurrentPosition,
  toKurrentMetadata,
  toRevision,
  toStreamState,
  wrongExpectedRevision,
} from './mapping';

const BEYOND = BigInt(Number.MAX_SAFE_INTEGER) + 1n;

describe('revision mapping', () => {
  it('maps expected revisions to KurrentDB stream states', () => {
    assert.equal(toStreamState('any'), 'any');
    assert.equal(toStreamState('no_stream'), 'no_stream');
    assert.equal(toStreamState('stream_exists'), 'stream_exists');
    assert.equal(toStreamState(0), 0n);
    assert.equal(toStreamState(41), 41n);
    assert.equal(toStreamState(Number.MAX_SAFE_INTEGER), BigInt(Number.MAX_SAFE_INTEGER));
    // -1 is the revision of a missing stream (loadState): expecting it means no_stream
    assert.equal(toStreamState(-1), 'no_stream');
  });

  it('refuses revisions that are not whole, non-negative, safe integers', () => {
    for (const bad of [-2, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1]) {
      assert.throws(() => toStreamState(bad), RangeError, String(bad));
    }
  });

  it('maps stream states back (the inverse)', () => {
    for (const expected of ['any', 'no_stream', 'stream_exists', 0, 7] as const) {
      assert.equal(fromStreamState(toStreamState(expected)), expected);
    }
  });

  it('maps revisions and actual states to numbers, -1 for no stream', () => {
    assert.equal(toRevision(0n), 0);
    assert.equal(toRevision(9_999n), 9_999);
    assert.throws(() => toRevision(BEYOND), RangeError);
    assert.throws(() => toRevision(-1n), RangeError);
    assert.equal(fromCurrentStreamState('no_stream'), -1);
    assert.equal(fromCurrentStreamState(-1n), -1);
    assert.equal(fromCurrentStreamState(0n), 0);
    assert.equal(fromCurrentStreamState(2n), 2);
  });

  it('builds our revision conflict from the caller expectation and the actual state', () => {
    const missing = wrongExpectedRevision('orders-1', 'stream_exists', 'no_stream');
    assert.ok(missing instanceof WrongExpectedRevisionError);
    assert.equal(missing.streamId, 'orders-1');
    assert.equal(missing.expected, 'stream_exists');
    assert.equal(missing.actual, -1);
    const behind = wrongExpectedRevision('orders-1', 1, 2n);
    assert.equal(behind.expected, 1);
    assert.equal(behind.actual, 2);
    assert.match(behind.message, /expected revision 1, actual 2/);
  });
});

describe('position mapping', () => {
  it('maps commit positions to numbers, refusing anything beyond 2^53 - 1', () => {
    assert.equal(toGlobalPosition(0n), 0);
    assert.equal(toGlobalPosition(123_456_789n), 123_456_789);
    assert.equal(toGlobalPosition(BigInt(Number.MAX_SAFE_INTEGER)), Number.MAX_SAFE_INTEGER);
    assert.throws(() => toGlobalPosition(BEYOND), RangeError);
    assert.throws(() => toGlobalPosition(-1n), RangeError);
  });

  it('maps numbers to KurrentDB positions with equal commit and prepare parts', () => {
    assert.deepEqual(toKurrentPosition(4_242), { commit: 4_242n, prepare: 4_242n });
    assert.deepEqual(toKurrentPosition(0), { commit: 0n, prepare: 0n });
    // round trip
    assert.equal(toGlobalPosition(toKurrentPosition(987_654_321).commit), 987_654_321);
  });

  it('normalises `after`: missing/negative/NaN → 0, fractions down, capped at 2^53 - 1', () => {
    assert.equal(normalizeAfter(undefined), 0);
    assert.equal(normalizeAfter(0), 0);
    assert.equal(normalizeAfter(-5), 0);
    assert.equal(normalizeAfter(Number.NaN), 0);
    assert.equal(normalizeAfter(10), 10);
    assert.equal(normalizeAfter(10.7), 10);
    assert.equal(normalizeAfter(Number.POSITIVE_INFINITY), Number.MAX_SAFE_INTEGER);
  });
});

describe('metadata mapping', () => {
  const full: EventMetadata = { tenantId: 't-1', correlationId: 'corr-1', causationId: 'cmd-1', actor: 'member-1' };
  const minimal: EventMetadata = { tenantId: 't-2', correlationId: 'corr-2' };
  const nulls: EventMetadata = { tenantId: 't-3', correlationId: 'corr-3', causationId: null, actor: null };

  it("adds KurrentDB's $correlationId and $causationId", () => {
    assert.deepEqual(toKurrentMetadata(full), { ...full, $correlationId: 'corr-1', $causationId: 'cmd-1' });
    assert.deepEqual(toKurrentMetadata(minimal), { ...minimal, $correlationId: 'corr-2' });
    assert.deepEqual(toKurrentMetadata(nulls), { ...nulls, $correlationId: 'corr-3' });
  });

  it('round-trips through JSON: absent stays absent, null stays null, $ fields are dropped', () => {
    for (const m of [full, minimal, nulls]) {
      assert.deepEqual(fromKurrentMetadata(JSON.parse(JSON.stringify(toKurrentMetadata(m)))), m);
    }
    assert.equal('causationId' in fromKurrentMetadata(toKurrentMetadata(minimal)), false);
  });

  it('tolerates foreign events: no metadata, binary metadata, only $correlationId', () => {
    assert.deepEqual(fromKurrentMetadata(undefined), { tenantId: '', correlationId: '' });
    assert.deepEqual(fromKurrentMetadata(new Uint8Array([1, 2])), { tenantId: '', correlationId: '' });
    assert.deepEqual(fromKurrentMetadata({ $correlationId: 'c', $causationId: 'x' }), { tenantId: '', correlationId: 'c' });
  });
});

describe('encodeEvent', () => {
  const metadata: EventMetadata = { tenantId: 't', correlationId: 'c' };
  const newId = () => '6F1B1E3C-9F3E-4C4B-8D43-1B2A3C4D5E6F';

  it('keeps the given id (lower-cased), or takes a new one', () => {
    assert.equal(encodeEvent({ id: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE', type: 'T', data: {}, metadata }, newId).id, 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
    assert.equal(encodeEvent({ type: 'T', data: {}, metadata }, newId).id, '6f1b1e3c-9f3e-4c4b-8d43-1b2a3c4d5e6f');
  });

  it('refuses ids that are not UUIDs, empty types and data that is not JSON', () => {
    assert.throws(() => encodeEvent({ id: 'order-1', type: 'T', data: {}, metadata }, newId), /UUID/);
    assert.throws(() => encodeEvent({ type: '', data: {}, metadata }, newId), /type/);
    assert.throws(() => encodeEvent({ type: 'T', data: undefined, metadata }, newId), /JSON/);
    assert.throws(() => encodeEvent({ type: 'T', data: () => 1, metadata }, newId), /JSON/);
    assert.throws(() => encodeEvent({ type: 'T', data: { n: 1n }, metadata }, newId), TypeError);
  });

  it('captures the data at call time (a deep copy)', () => {
    const data = { list: [1, 2], nested: { v: 'before' } };
    const encoded = encodeEvent({ type: 'T', data, metadata }, newId);
    data.list.push(3);
    data.nested.v = 'after';
    assert.deepEqual(encoded.data, { list: [1, 2], nested: { v: 'before' } });
  });

  it("computes KurrentDB's size: UTF-8 data + UTF-8 metadata + 2 bytes per type character", () => {
    const metadataBytes = Buffer.byteLength(JSON.stringify(toKurrentMetadata(metadata)));
    const ascii = encodeEvent({ type: 'Type', data: { a: 'xyz' }, metadata }, newId);
    assert.equal(ascii.size, Buffer.byteLength('{"a":"xyz"}') + metadataBytes + 4 * 2);
    const unicode = encodeEvent({ type: 'Typé', data: '日本🚀', metadata }, newId);
    // "日本🚀" in JSON: quotes (2) + 3 + 3 + 4 bytes; the type has 4 UTF-16 units
    assert.equal(unicode.size, 2 + 10 + metadataBytes + 4 * 2);
    assert.deepEqual(unicode.metadata, toKurrentMetadata(metadata));
  });
});
