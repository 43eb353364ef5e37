/** How failures on one key (an account, a source IP) are counted and punished. */
export interface LockoutPolicy {
  /** Failures within `windowMs` that lock the key. */
  readonly threshold: number;
  readonly windowMs: number;
  /** Length of the first lock; every further lock doubles it … */
  readonly baseLockMs: number;
  /** … up to this. */
  readonly maxLockMs: number;
}

export interface LoginThrottleOptions {
  /** Per (enterprise, account). Default: 5 failures in 15 min → 30 s, doubling up to 15 min. */
  readonly account?: LockoutPolicy;
  /** Per source IP (many people may share one NAT address, so it is looser). Default: 30 in 15 min → 30 s … 15 min. */
  readonly ip?: LockoutPolicy;
}

export const DEFAULT_ACCOUNT_LOCKOUT: LockoutPolicy = { threshold: 5, windowMs: 15 * 60_000, baseLockMs: 30_000, maxLockMs: 15 * 60_000 };
export const DEFAULT_IP_LOCKOUT: LockoutPolicy = { threshold: 30, windowMs: 15 * 60_000, baseLockMs: 30_000, maxLockMs: 15 * 60_000 };

interface KeyState {
  failures: number[];
  lockedUntil: number;
  locks: number;
}

/**
 * Counted failures with exponential lockout for one kind of key. Once `threshold` failures fall
 * inside the window the key is locked for `baseLockMs`; every further failure after that locks it
 * again for twice as long (capped at `maxLockMs`). The back-off is forgotten once a whole window
 * has passed since the last failure and the end of the last lock; `reset` (a successful sign-in) forgets
 * everything. In memory, per process.
 */
export class LockoutCounter {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly policy: LockoutPolicy,
    private readonly now: () => number = Date.now,
    /** Upper bound on tracked keys, so a flood of random names cannot exhaust memory. */
    private readonly maxKeys = 100_000,
  ) {}

  /** Milliseconds until the key may try again; 0 when it is not locked. */
  lockedForMs(key: string): number {
    const state = this.keys.get(key);
    if (!state) return 0;
    return Math.max(0, state.lockedUntil - this.now());
  }

  recordFailure(key: string): void {
    const now = this.now();
    let state = this.keys.get(key);
    if (!state) {
      if (this.keys.size >= this.maxKeys) this.evict(now);
      state = { failures: [], lockedUntil: 0, locks: 0 };
      this.keys.set(key, state);
    }
    const last = state.failures.at(-1);
    // a quiet window after the last lock ends the back-off
    if (last !== undefined && now - Math.max(last, state.lockedUntil) >= this.policy.windowMs) state.locks = 0;
    state.failures = state.failures.filter((t) => now - t < this.policy.windowMs);
    state.failures.push(now);
    if (state.locks > 0 || state.failures.length >= this.policy.threshold) {
      const lockMs = Math.min(this.policy.maxLockMs, this.policy.baseLockMs * 2 ** state.locks);
      state.locks++;
      state.lockedUntil = now + lockMs;
    }
  }

  reset(key: string): void {
    this.keys.delete(key);
  }

  private evict(now: number): void {
    for (const [key, state] of this.keys) {
      if (state.lockedUntil <= now && state.failures.every((t) => now - t >= this.policy.windowMs)) this.keys.delete(key);
    }
    // still full: drop the oldest entries (insertion order)
    for (const key of this.keys.keys()) {
      if (this.keys.size < this.maxKeys) break;
      this.keys.delete(key);
    }
  }
}

/**
 * Brute-force slowing for sign-in (ORG-3): one counter per (enterprise, account), one per source IP.
 * State is in memory, per process — enough for the embedded host (one process); a distributed
 * deployment with several identity replicas would need shared state (e.g. Redis) for the limits to
 * hold across replicas.
 */
export class LoginThrottle {
  readonly accounts: LockoutCounter;
  readonly ips: LockoutCounter;

  constructor(options: LoginThrottleOptions = {}, now: () => number = Date.now) {
    this.accounts = new LockoutCounter(options.account ?? DEFAULT_ACCOUNT_LOCKOUT, now);
    this.ips = new LockoutCounter(options.ip ?? DEFAULT_IP_LOCKOUT, now);
  }

  /** Milliseconds the attempt must wait (the longer of the two locks); 0 when it may go ahead. */
  retryAfterMs(accountKey: string, ip: string | null): number {
    return Math.max(this.accounts.lockedForMs(accountKey), ip === null ? 0 : this.ips.lockedForMs(ip));
  }

  failed(accountKey: string, ip: string | null): void {
    this.accounts.recordFailure(accountKey);
    if (ip !== null) this.ips.recordFailure(ip);
  }

  succeeded(accountKey: string): void {
    this.accounts.reset(accountKey);
  }
}
