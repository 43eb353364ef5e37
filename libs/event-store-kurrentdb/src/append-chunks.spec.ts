import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { EventMetadata } from '@leadstream/event-sourcing';
import { DEFAULT_MAX_APPEND_SIZE, EventTooLargeError, PartialAppendError, chunkBySize } from './append-chunks';
import { encodeEvent } from './mapping';

const sized = (...sizes: number[]) => sizes.map((size, i) => ({ i, size }));
const shape = (chunks: { i: number }[][]) => chunks.map((c) => c.map((e) => e.i));

describe('chunkBySize', () => {
  it('keeps an append that fits in one chunk', () => {
    assert.deepEqual(shape(chunkBySize(sized(10, 20, 30), 100)), [[0, 1, 2]]);
    assert.deepEqual(chunkBySize([], 100), []);
  });

  it('allows a chunk of exactly the limit (the server refuses only more)', () => {
    assert.deepEqual(shape(chunkBySize(sized(40, 60, 100, 1), 100)), [[0, 1], [2], [3]]);
  });

  it('splits greedily in order, never leaving an empty chunk', () => {
    const chunks = chunkBySize(sized(30, 30, 30, 30, 5, 95, 50, 50, 1), 100);
    assert.deepEqual(shape(chunks), [[0, 1, 2], [3, 4], [5], [6, 7], [8]]);
    for (const c of chunks) assert.ok(c.length > 0 && c.reduce((n, e) => n + e.size, 0) <= 100);
    assert.deepEqual(chunks.flat().map((e) => e.i), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('refuses a single event larger than the limit, naming it', () => {
    assert.throws(
      () => chunkBySize(sized(10, 101, 10), 100),
      (error: unknown) => {
        assert.ok(error instanceof EventTooLargeError);
        assert.equal(error.name, 'EventTooLargeError');
        assert.equal(error.index, 1);
        assert.equal(error.size, 101);
        assert.equal(error.limit, 100);
        assert.match(error.message, /event 1 .* 101 bytes.*100 bytes.*nothing was written/);
        return true;
      },
    );
  });

  it('refuses a limit that is not a positive number', () => {
    for (const limit of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => chunkBySize(sized(1), limit), RangeError);
  });

  it('splits real encoded events at the default 1 MiB', () => {
    const metadata: EventMetadata = { tenantId: 'tenant-1', correlationId: 'corr-1' };
    const big = (n: number) => encodeEvent({ type: 'Blob', data: { n, pad: 'x'.repeat(400 * 1024) }, metadata }, randomUUID);
    const events = [big(0), big(1), big(2), big(3), big(4)];
    const chunks = chunkBySize(events, DEFAULT_MAX_APPEND_SIZE);
    assert.deepEqual(chunks.map((c) => c.length), [2, 2, 1]);
    for (const c of chunks) assert.ok(c.reduce((n, e) => n + e.size, 0) <= DEFAULT_MAX_APPEND_SIZE);
    assert.deepEqual(chunks.flat().map((e) => (e.data as { n: number }).n), [0, 1, 2, 3, 4]);

    const tooBig = encodeEvent({ type: 'Blob', data: 'x'.repeat(DEFAULT_MAX_APPEND_SIZE), metadata }, randomUUID);
    assert.throws(() => chunkBySize([events[0]!, tooBig], DEFAULT_MAX_APPEND_SIZE), EventTooLargeError);
  });
});

describe('PartialAppendError', () => {
  it('says how much of the append was written and keeps the cause', () => {
    const cause = new Error('conflict');
    const error = new PartialAppendError('orders-1', 3, 7, 12, { cause });
    assert.equal(error.name, 'PartialAppendError');
    assert.equal(error.written, 3);
    assert.equal(error.total, 7);
    assert.equal(error.lastRevision, 12);
    assert.equal(error.cause, cause);
    assert.match(error.message, /only 3 of 7 events/);
  });
});
