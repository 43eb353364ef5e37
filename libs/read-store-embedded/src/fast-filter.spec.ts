import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Query } from 'mingo';
import { compileFastFilter, NEEDS_FULL_MATCH } from './fast-filter';

type Obj = Record<string, unknown>;

/** A deterministic pseudo-random generator, so a failure names a reproducible case. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SCALARS: unknown[] = [null, 0, 1, 2.5, -3, 10, 'a', 'b', 'B', 'abc', 'ábc', '10', '', true, false];

function value(r: () => number): unknown {
  const x = r();
  if (x < 0.15) return undefined;
  if (x < 0.3) return Array.from({ length: Math.floor(r() * 4) }, () => SCALARS[Math.floor(r() * SCALARS.length)]);
  return SCALARS[Math.floor(r() * SCALARS.length)];
}

function doc(r: () => number, i: number): Obj {
  const d: Obj = { _id: `d${i}` };
  for (const key of ['a', 'b']) {
    const v = value(r);
    if (v !== undefined) d[key] = v;
  }
  const x = r();
  if (x < 0.6) {
    const nested: Obj = {};
    for (const key of ['x', 'y']) {
      const v = value(r);
      if (v !== undefined) nested[key] = v;
    }
    d['f'] = nested;
  } else if (x < 0.7) d['f'] = null;
  else if (x < 0.8) d['f'] = 5;
  return d;
}

const PATHS = ['a', 'b', 'f.x', 'f.y', 'missing'];
const OPS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$all', '$size', '$exists', '$regex', 'plain'];

function condition(r: () => number): Obj {
  const path = PATHS[Math.floor(r() * PATHS.length)]!;
  const op = OPS[Math.floor(r() * OPS.length)]!;
  const scalar = () => SCALARS[Math.floor(r() * SCALARS.length)];
  switch (op) {
    case 'plain':
      return { [path]: scalar() };
    case '$in':
    case '$nin':
    case '$all':
      return { [path]: { [op]: Array.from({ length: 1 + Math.floor(r() * 3) }, scalar) } };
    case '$size':
      return { [path]: { $size: Math.floor(r() * 3) } };
    case '$exists':
      return r() < 0.3 ? { [`${path}.0`]: { $exists: r() < 0.5 } } : { [path]: { $exists: r() < 0.5 } };
    case '$regex':
      return { [path]: r() < 0.5 ? { $regex: 'b', $options: 'i' } : { $regex: '^a' } };
    default:
      return { [path]: { [op]: scalar() } };
  }
}

function filter(r: () => number, depth = 0): Obj {
  const x = r();
  if (depth < 2 && x < 0.25) {
    const op = ['$and', '$or', '$nor'][Math.floor(r() * 3)]!;
    return { [op]: Array.from({ length: 1 + Math.floor(r() * 3) }, () => filter(r, depth + 1)) };
  }
  if (x < 0.4) return { ...condition(r), ...condition(r) };
  return condition(r);
}

describe('compileFastFilter', () => {
  it('agrees with the full matcher (mingo) on thousands of generated documents and filters, or hands the document back', () => {
    const r = rng(20261203);
    const docs = Array.from({ length: 200 }, (_, i) => doc(r, i));
    let compared = 0;
    let handedBack = 0;
    let notCompiled = 0;
    for (let n = 0; n < 1500; n++) {
      const f = filter(r);
      const fast = compileFastFilter(f);
      if (!fast) {
        notCompiled++;
        continue;
      }
      const full = new Query(f, { scriptEnabled: false });
      for (const d of docs) {
        let got: boolean;
        try {
          got = fast(d);
        } catch (error) {
          assert.equal(error, NEEDS_FULL_MATCH);
          handedBack++;
          continue;
        }
        assert.equal(got, full.test(d), `filter ${JSON.stringify(f)} on ${JSON.stringify(d)}`);
        compared++;
      }
    }
    assert.ok(compared > 200_000, `compared ${compared}`);
    assert.ok(handedBack < compared / 10, `handed back ${handedBack}`);
    assert.ok(notCompiled < 300, `left ${notCompiled} of 1500 filters to the full matcher`);
  });

  it('does not compile what it does not model', () => {
    assert.equal(compileFastFilter({ a: { $elemMatch: { x: 1 } } }), null);
    assert.equal(compileFastFilter({ a: { x: 1 } }), null);
    assert.equal(compileFastFilter({ $where: 'true' }), null);
    assert.equal(compileFastFilter({ 'a.0.b': 1 }), null);
    assert.equal(compileFastFilter({ a: { $in: [{ x: 1 }] } }), null);
  });

  it('hands back documents with arrays on the way down a path', () => {
    const fast = compileFastFilter({ 'f.x': 1 })!;
    assert.throws(() => fast({ f: [{ x: 1 }] }), (e) => e === NEEDS_FULL_MATCH);
    assert.equal(fast({ f: { x: [0, 1] } }), true);
    assert.equal(fast({ f: 'text' }), false);
  });
});
