/**
 * A Bloom filter over an index's entry prefixes (the key without its `_id` suffix: the indexed
 * values alone). An equality probe on every field of the index — the contacts projection asks
 * for each new identifier whether a lead already holds it — is answered "no" from memory when the
 * filter has never seen its prefix, without a B-tree seek in the file (about 7 us each, measured).
 *
 * Members are only ever added, never removed: an entry deleted or rolled back stays a (false)
 * positive, which only costs the seek the probe would have made anyway. A filter must see every
 * entry written after it was built; `add` is called wherever an entry is inserted. It grows by
 * layers as entries are added (an import's), so it is built from the file only rarely.
 */
export class ProbeFilter {
  /** Filled in turn: a full layer is followed by one twice its size (members are never rehashed). */
  private readonly layers: Layer[];

  /**
   * Starts sized for `capacity` members; each time the newest layer holds as many as it was
   * sized for, a layer twice as large is added, so adding never needs the entries again.
   */
  constructor(readonly capacity: number) {
    this.layers = [new Layer(capacity)];
  }

  /**
   * Grown to more layers than MAX_LAYERS (256 times its first size): time to build it again
   * from the entries, sized for what is there now (entries deleted since leave it overgrown).
   */
  get full(): boolean {
    return this.layers.length > MAX_LAYERS;
  }

  add(prefix: Uint8Array): void {
    let layer = this.layers[this.layers.length - 1]!;
    if (layer.members >= layer.capacity) {
      layer = new Layer(layer.capacity * 2);
      this.layers.push(layer);
    }
    const [a, b] = hashes(prefix);
    layer.add(a, b);
  }

  /** False only when no entry with this prefix was ever added. */
  mayHave(prefix: Uint8Array): boolean {
    const [a, b] = hashes(prefix);
    for (const layer of this.layers) if (layer.mayHave(a, b)) return true;
    return false;
  }
}

/** Layers a filter may grow to before it is built again (each at most ~0.07 % false positives when full). */
const MAX_LAYERS = 9;

/** One Bloom filter: 16 bits per member it is sized for, 7 hashes (~0.07 % false positives when full). */
class Layer {
  private readonly bits: Uint32Array;
  private readonly mask: number;
  members = 0;

  constructor(readonly capacity: number) {
    let size = 1024;
    while (size < capacity * 16) size *= 2;
    this.bits = new Uint32Array(size / 32);
    this.mask = size - 1;
  }

  add(first: number, b: number): void {
    let a = first;
    for (let i = 0; i < HASHES; i++) {
      const bit = a & this.mask;
      this.bits[bit >>> 5]! |= 1 << (bit & 31);
      a = (a + b) >>> 0;
    }
    this.members++;
  }

  mayHave(first: number, b: number): boolean {
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
