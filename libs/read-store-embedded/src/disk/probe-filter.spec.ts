import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ProbeFilter } from './probe-filter';

describe('probe filter (Bloom filter over index entry prefixes)', () => {
  it('never says no to a prefix it was given, and says no to most others', () => {
    const filter = new ProbeFilter(20_000);
    const members = Array.from({ length: 20_000 }, () => randomBytes(8 + Math.floor(Math.random() * 40)));
    for (const m of members) filter.add(m);
    for (const m of members) assert.ok(filter.mayHave(m));
    let positives = 0;
    const trials = 20_000;
    for (let i = 0; i < trials; i++) if (filter.mayHave(randomBytes(24))) positives++;
    assert.ok(positives / trials < 0.03, `false positive rate ${positives / trials}`);
    assert.equal(filter.full, false);
  });

  it('tells when it holds more than it was sized for', () => {
    const filter = new ProbeFilter(10);
    for (let i = 0; i < 11; i++) filter.add(Buffer.from([i]));
    assert.equal(filter.full, true);
  });

  it('distinguishes prefixes that differ in one byte or in length', () => {
    const filter = new ProbeFilter(100);
    filter.add(Buffer.from('email:a@b.cn\u0000\u0001', 'latin1'));
    assert.ok(filter.mayHave(Buffer.from('email:a@b.cn\u0000\u0001', 'latin1')));
    assert.equal(filter.mayHave(Buffer.from('email:a@b.cn', 'latin1')), false);
    assert.equal(filter.mayHave(Buffer.from('email:a@b.co\u0000\u0001', 'latin1')), false);
  });
});
