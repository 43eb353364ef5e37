import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LockoutCounter, LoginThrottle, type LockoutPolicy } from './login-throttle';

const policy: LockoutPolicy = { threshold: 5, windowMs: 15 * 60_000, baseLockMs: 30_000, maxLockMs: 15 * 60_000 };

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('LockoutCounter (ORG-3 brute-force slowing)', () => {
  it('does not lock below the threshold', () => {
    const c = clock();
    const counter = new LockoutCounter(policy, c.now);
    for (let i = 0; i < 4; i++) counter.recordFailure('k');
    assert.equal(counter.lockedForMs('k'), 0);
  });

  it('locks for the base time at the threshold and unlocks afterwards', () => {
    const c = clock();
    const counter = new LockoutCounter(policy, c.now);
    for (let i = 0; i < 5; i++) counter.recordFailure('k');
    assert.equal(counter.lockedForMs('k'), 30_000);
    c.advance(10_000);
    assert.equal(counter.lockedForMs('k'), 20_000);
    c.advance(20_000);
    assert.equal(counter.lockedForMs('k'), 0);
    assert.equal(counter.lockedForMs('other'), 0, 'keys are independent');
  });

  it('doubles the lock on every further failure, up to the maximum', () => {
    const c = clock();
    const counter = new LockoutCounter(policy, c.now);
    for (let i = 0; i < 5; i++) counter.recordFailure('k');
    const seen: number[] = [counter.lockedForMs('k')];
    for (let i = 0; i < 7; i++) {
      c.advance(counter.lockedForMs('k'));
      counter.recordFailure('k');
      seen.push(counter.lockedForMs('k'));
    }
    assert.deepEqual(seen, [30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
  });

  it('forgets failures outside the window and the back-off once the window passes quietly', () => {
    const c = clock();
    const counter = new LockoutCounter(policy, c.now);
    for (let i = 0; i < 4; i++) counter.recordFailure('k');
    c.advance(15 * 60_000);
    counter.recordFailure('k');
    assert.equal(counter.lockedForMs('k'), 0, 'old failures no longer count');

    for (let i = 0; i < 4; i++) counter.recordFailure('k');
    assert.equal(counter.lockedForMs('k'), 30_000);
    c.advance(30_000);
    counter.recordFailure('k');
    assert.equal(counter.lockedForMs('k'), 60_000);
    c.advance(16 * 60_000);
    for (let i = 0; i < 5; i++) counter.recordFailure('k');
    assert.equal(counter.lockedForMs('k'), 30_000, 'back-off starts over');
  });

  it('reset forgets everything', () => {
    const c = clock();
    const counter = new LockoutCounter(policy, c.now);
    for (let i = 0; i < 6; i++) counter.recordFailure('k');
    counter.reset('k');
    assert.equal(counter.lockedForMs('k'), 0);
    for (let i = 0; i < 4; i++) counter.recordFailure('k');
    assert.equal(counter.lockedForMs('k'), 0);
  });

  it('bounds the number of tracked keys', () => {
    const c = clock();
    const counter = new LockoutCounter(policy, c.now, 10);
    for (let i = 0; i < 50; i++) counter.recordFailure(`k${i}`);
    assert.ok((counter as unknown as { keys: Map<string, unknown> }).keys.size <= 10);
  });
});

describe('LoginThrottle', () => {
  it('locks per account and per IP; a success resets only the account', () => {
    const c = clock();
    const throttle = new LoginThrottle({ account: policy, ip: { ...policy, threshold: 8 } }, c.now);
    for (let i = 0; i < 5; i++) throttle.failed('acct-a', '10.0.0.1');
    assert.equal(throttle.retryAfterMs('acct-a', '10.0.0.9'), 30_000, 'the account is locked from any IP');
    assert.equal(throttle.retryAfterMs('acct-b', '10.0.0.1'), 0, 'the IP is not locked yet');
    for (let i = 0; i < 3; i++) throttle.failed(`acct-${i}-x`, '10.0.0.1');
    assert.equal(throttle.retryAfterMs('acct-b', '10.0.0.1'), 30_000, 'the IP is locked for every account');
    assert.equal(throttle.retryAfterMs('acct-b', null), 0);
    throttle.succeeded('acct-a');
    assert.equal(throttle.retryAfterMs('acct-a', '10.0.0.9'), 0);
  });
});
