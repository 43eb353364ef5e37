import 'reflect-metadata';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'class-transformer';
import { IsInt, IsString, ValidateNested, validateSync } from 'class-validator';
import { decodeCursor, encodeCursor } from './pagination';
import { ValidationProblemException } from './problem-details';
import { requestPathOf } from './problem-details.filter';
import { correlationIdFromHeaders, correlationIdOf, CORRELATION_ID } from './request-context';
import { validationErrorsToFields } from './validation';

describe('cursors', () => {
  it('round-trips objects as base64url JSON', () => {
    const cursor = encodeCursor({ createdAt: '2026-01-01T00:00:00Z', id: 'lead/1+2' });
    assert.match(cursor, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeCursor(cursor), { createdAt: '2026-01-01T00:00:00Z', id: 'lead/1+2' });
  });
  it('rejects anything else with a 400 naming cursor', () => {
    for (const bad of ['', 'not base64!', Buffer.from('{oops').toString('base64url'), encodeCursor('a string'), encodeCursor(null)]) {
      assert.throws(
        () => decodeCursor(bad),
        (e: unknown) => e instanceof ValidationProblemException && e.getStatus() === 400 && e.fieldErrors[0]?.field === 'cursor',
        JSON.stringify(bad),
      );
    }
  });
});

describe('correlation ids', () => {
  it('prefers X-Request-Id, then X-Correlation-Id, then a new UUID', () => {
    assert.equal(correlationIdFromHeaders({ 'x-request-id': 'a', 'x-correlation-id': 'b' }), 'a');
    assert.equal(correlationIdFromHeaders({ 'x-correlation-id': 'b' }), 'b');
    assert.match(correlationIdFromHeaders({}), /^[0-9a-f-]{36}$/);
    assert.match(correlationIdFromHeaders({ 'x-request-id': 'x'.repeat(129) }), /^[0-9a-f-]{36}$/);
    assert.match(correlationIdFromHeaders({ 'x-request-id': 'a\r\nSet-Cookie: x' }), /^[0-9a-f-]{36}$/);
  });
  it('remembers the id on a request', () => {
    const request: Record<string | symbol, unknown> = { headers: {} };
    const first = correlationIdOf(request);
    assert.equal(correlationIdOf(request), first);
    assert.equal(request[CORRELATION_ID], first);
    assert.equal(correlationIdOf({ raw: { [CORRELATION_ID]: 'from-raw' }, headers: {} }), 'from-raw');
  });
  it('strips the query string from instance paths', () => {
    assert.equal(requestPathOf({ url: '/leads?token=secret' }), '/leads');
    assert.equal(requestPathOf({}), '');
  });
});

describe('validationErrorsToFields', () => {
  class Item {
    @IsInt() n!: number;
  }
  class Outer {
    @IsString() name!: string;
    @ValidateNested({ each: true }) @Type(() => Item) items!: Item[];
  }
  it('joins nested paths with dots and uses array indexes', () => {
    const outer = Object.assign(new Outer(), { name: 5, items: [Object.assign(new Item(), { n: 1 }), Object.assign(new Item(), { n: 'x' })] });
    assert.deepEqual(validationErrorsToFields(validateSync(outer)), [
      { field: 'name', reason: 'name must be a string' },
      { field: 'items.1.n', reason: 'n must be an integer number' },
    ]);
  });
});
