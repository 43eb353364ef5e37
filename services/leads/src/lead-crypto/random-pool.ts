import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 16 * 1024;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * `n` bytes from the operating system's CSPRNG, drawn from a pool refilled 16 KiB at a time (as
 * Node does for randomUUID): one system call per ~1,000 nonces instead of one each. Every byte is
 * handed out once, as a copy, so a later refill never changes what a caller holds.
 */
export function secureRandomBytes(n: number): Buffer {
  if (n > POOL_BYTES) return randomFillSync(Buffer.alloc(n));
  if (offset + n > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    offset = 0;
  }
  const out = Buffer.allocUnsafe(n);
  pool.copy(out, 0, offset, offset + n);
  pool.fill(0, offset, offset + n);
  offset += n;
  return out;
}
