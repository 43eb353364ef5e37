/**
 * A Bloom filter over an index's entry prefixes (the key without its `_id` suffix: the indexed
 * values alone). An equality probe on every field of the index — the contacts projection asks
 * for each new identifier whether a lead already holds it — is answered "no" from memory when the
 * filter has never seen its prefix, without a B-tree seek in the file (about 7 us each, measured).
 *
 * Members are only ever added, never removed: an entry deleted or rolled back stays a (false)
 * positive, which only costs the seek the probe would have made anyway. A filter must see every
 * entry written after it was built; `add` is called wherever an entry is inserted.
 */
export class ProbeFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;
  private members = 0;

  /** Sized for `capacity` members at about 1 % false positives (16 bits per member, 7 hashes). */
  constructor(readonly capacity: number) {
    let size = 1024;
    while (size < capacity * 16) size *= 2;
    this.bits = new Uint32Array(size / 32);
    this.mask = size - 1;
  }

  /** More members than it was sized for: its false positives grow, it should be built again. */
  get full(): boolean {
    return this.members > this.capacity;
  }

  add(prefix: Uint8Array): void {
    const [first, b] = hashes(prefix);
    let a = first;
    for (let i = 0; i < HASHES; i++) {
      const bit = a & this.mask;
      this.bits[bit >>> 5]! |= 1 << (bit & 31);
      a = (a + b) >>> 0;
    }
    this.members++;
  }

  /** False only when no entry with this prefix was ever added. */
  mayHave(prefix: Uint8Array): boolean {
    const [first, b] = hashes(prefix);
    let a = first;
    for (let i = 0; i < HASHES; i++) {
      const bit = a & this.mask;
      if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
      a = (a + b) >>> 0;
    }
    return true;
  }
}

const HASHES = 7;

/** Two 32-bit hashes (FNV-1a, and a murmur3 finaliser of it, made odd) for double hashing. */
function hashes(bytes: Uint8Array): [number, number] {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  let g = h ^ (h >>> 16);
  g = Math.imul(g, 0x85ebca6b);
  g ^= g >>> 13;
  g = Math.imul(g, 0xc2b2ae35);
  g ^= g >>> 16;
  return [h >>> 0, (g | 1) >>> 0];
}
