import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, sha256OfCanonicalJson } from './canonical-json';
import { parseIdempotencyKey } from './idempotency.interceptor';

describe('canonicalJson', () => {
  it('sorts keys recursively and keeps array order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    assert.equal(sha256OfCanonicalJson({ a: 1, b: 2 }), sha256OfCanonicalJson({ b: 2, a: 1 }));
    assert.notEqual(sha256OfCanonicalJson([1, 2]), sha256OfCanonicalJson([2, 1]));
  });
  it('drops undefined members like JSON does and handles empty bodies', () => {
    assert.equal(canonicalJson({ a: undefined, b: 1 }), '{"b":1}');
    assert.equal(canonicalJson(undefined), 'null');
    assert.equal(canonicalJson(null), 'null');
    assert.equal(canonicalJson('text'), '"text"');
  });
});

describe('parseIdempotencyKey', () => {
  it('accepts 1–255 visible ASCII characters', () => {
    assert.equal(parseIdempotencyKey(undefined), undefined);
    assert.equal(parseIdempotencyKey('a'), 'a');
    assert.equal(parseIdempotencyKey('0f8fad5b-d9cb-469f-a165-70867728950e'), '0f8fad5b-d9cb-469f-a165-70867728950e');
    for (const bad of ['', ' ', 'a b', 'x'.repeat(256), 'é', ['a', 'b']]) {
      assert.throws(() => parseIdempotencyKey(bad), /Idempotency-Key/, JSON.stringify(bad));
    }
  });
});
