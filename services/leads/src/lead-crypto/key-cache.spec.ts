import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyCache } from './lead-key-store.port';

const keyOf = (n: number) => Buffer.alloc(32, n % 250 + 1);

describe('KeyCache', () => {
  it('keeps the recently used keys, zeroes the ones it drops, and never zeroes a key it still hands out', () => {
    const cache = new KeyCache(10);
    const keys = Array.from({ length: 40 }, (_, i) => keyOf(i));
    cache.set('lead-0', keys[0]!);
    for (let i = 1; i < 40; i++) {
      cache.set(`lead-${i}`, keys[i]!);
      // lead-0 is used all along: it stays, intact
      assert.deepEqual(cache.get('lead-0'), keyOf(0), `after ${i} others`);
    }
    // at least the last capacity / 2 - 1 keys used (besides lead-0) are kept
    for (let i = 39; i >= 36; i--) assert.deepEqual(cache.get(`lead-${i}`), keyOf(i), `lead-${i}, one of the latest, is kept`);
    assert.equal(cache.get('lead-1'), undefined, 'an old unused key is dropped');
    assert.ok(keys[1]!.every((b) => b === 0), 'and zeroed');
    const held = Array.from({ length: 40 }, (_, i) => cache.get(`lead-${i}`)).filter((k) => k !== undefined);
    assert.ok(held.length >= 5 && held.length <= 10, `holds about its capacity (${held.length})`);
    for (const k of held) assert.ok(k.some((b) => b !== 0), 'what it holds is not zeroed');
  });

  it('forget zeroes and drops the key; a key replaced by another copy stays intact (its reader may still use it)', () => {
    const cache = new KeyCache(100);
    const a = keyOf(1);
    cache.set('lead', a);
    const b = keyOf(1);
    cache.set('lead', b);
    assert.deepEqual(a, keyOf(1), 'the first copy is not zeroed');
    assert.equal(cache.get('lead'), b);
    cache.forget('lead');
    assert.equal(cache.get('lead'), undefined);
    assert.ok(b.every((x) => x === 0));
  });
});
