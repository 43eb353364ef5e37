import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { secureRandomBytes } from './random-pool';

describe('pooled CSPRNG bytes for nonces and lead keys', () => {
  it('hands out the asked length, never the same bytes twice, across refills, as copies a refill does not touch', () => {
    const seen = new Set<string>();
    const first = secureRandomBytes(32);
    const firstCopy = Buffer.from(first);
    for (let i = 0; i < 5_000; i++) {
      const b = secureRandomBytes(i % 2 === 0 ? 12 : 32);
      assert.equal(b.length, i % 2 === 0 ? 12 : 32);
      const hex = b.toString('hex');
      assert.ok(!seen.has(hex), 'no repeat');
      seen.add(hex);
    }
    assert.deepEqual(first, firstCopy, 'refills (110 KB were drawn) leave an earlier result as it was');
    assert.equal(secureRandomBytes(20_000).length, 20_000);
  });

  it('looks random: every byte value occurs, none dominates', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 4_000; i++) for (const byte of secureRandomBytes(16)) counts[byte]! += 1;
    // 64,000 bytes: 250 expected per value; a fair source stays far inside 100..400
    assert.ok(Math.min(...counts) > 100 && Math.max(...counts) < 400, `counts ${Math.min(...counts)}..${Math.max(...counts)}`);
  });
});
