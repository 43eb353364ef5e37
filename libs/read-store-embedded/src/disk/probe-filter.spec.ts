import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ProbeFilter } from './probe-filter';

/** Of 20,000 random prefixes never added, under 3 % may be members. */
function assertFewFalsePositives(filter: ProbeFilter): void {
  let positives = 0;
  const trials = 20_000;
  for (let i = 0; i < trials; i++) if (filter.mayHave(randomBytes(24))) positives++;
  assert.ok(positives / trials < 0.03, `false positive rate ${positives / trials}`);
}

describe('probe filter (Bloom filter over index entry prefixes)', () => {
  it('never says no to a prefix it was given, and says no to most others', () => {
    const filter = new ProbeFilter(20_000);
    const members = Array.from({ length: 20_000 }, () => randomBytes(8 + Math.floor(Math.random() * 40)));
    for (const m of members) filter.add(m);
    for (const m of members) assert.ok(filter.mayHave(m));
    assertFewFalsePositives(filter);
    assert.equal(filter.full, false);
  });

  it('grows by layers past its size: still never says no to a member, few false positives; after 256 times its size it asks to be built again', () => {
    const filter = new ProbeFilter(1000);
    const members = Array.from({ length: 60_000 }, (_, i) => Buffer.from(`phone:1380000${i}`));
    for (const m of members) filter.add(m);
    for (const m of members) assert.ok(filter.mayHave(m));
    assertFewFalsePositives(filter);
    assert.equal(filter.full, false);
    const small = new ProbeFilter(10);
    // layers of 10, 20, … 2,560 (9 layers) hold 5,110; the next member needs a tenth layer
    for (let i = 0; i < 5_110; i++) small.add(Buffer.from(`k${i}`));
    assert.equal(small.full, false);
    small.add(Buffer.from('one more'));
    assert.equal(small.full, true);
    assert.ok(small.mayHave(Buffer.from('one more')) && small.mayHave(Buffer.from('k0')));
  });

  it('distinguishes prefixes that differ in one byte or in length', () => {
    const filter = new ProbeFilter(100);
    filter.add(Buffer.from('email:a@b.cn\u0000\u0001', 'latin1'));
    assert.ok(filter.mayHave(Buffer.from('email:a@b.cn\u0000\u0001', 'latin1')));
    assert.equal(filter.mayHave(Buffer.from('email:a@b.cn', 'latin1')), false);
    assert.equal(filter.mayHave(Buffer.from('email:a@b.co\u0000\u0001', 'latin1')), false);
  });
});
