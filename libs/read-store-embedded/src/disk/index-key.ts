/**
 * Order-preserving binary keys for the disk store's index tables: SQLite compares BLOBs with
 * memcmp, so a key's bytes must sort the way MongoDB sorts the values (BSON order, `compareValues`).
 *
 * Every value is self-delimiting (no encoding is a prefix of another), so a compound key is the
 * concatenation of its parts, and a descending part is the same bytes inverted (255 - b).
 */

type Obj = Record<string, unknown>;

/** Type tags, in BSON type order (the first byte of every encoded value). */
const TAG = {
  end: 0x00, // ends an embedded document or array; below every tag
  null: 0x05,
  number: 0x10,
  string: 0x20,
  object: 0x30,
  array: 0x40,
  binary: 0x50,
  boolean: 0x60,
  date: 0x70,
  regex: 0x90,
  other: 0xa0,
} as const;

/** Growable byte buffer (the keys are short; one per index entry). */
export class KeyWriter {
  private buf = Buffer.allocUnsafe(64);
  private len = 0;

  get length(): number {
    return this.len;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  /** UTF-8 (or raw) bytes with 0x00 escaped as 0x00 0xFF, then the terminator 0x00 0x01. */
  escaped(bytes: Uint8Array): void {
    this.ensure(bytes.length * 2 + 2);
    for (const b of bytes) {
      this.buf[this.len++] = b;
      if (b === 0) this.buf[this.len++] = 0xff;
    }
    this.buf[this.len++] = 0;
    this.buf[this.len++] = 1;
  }

  /** A string's UTF-8 bytes, escaped and terminated as `escaped` does, without a copy in between. */
  text(value: string): void {
    if (value.includes('\u0000')) return this.escaped(Buffer.from(value, 'utf8'));
    this.ensure(value.length * 3 + 2);
    this.len += this.buf.write(value, this.len, 'utf8');
    this.buf[this.len++] = 0;
    this.buf[this.len++] = 1;
  }

  /** Drops what was written from `length` on. */
  truncate(length: number): void {
    this.len = Math.min(this.len, length);
  }

  /** Whether the bytes from `start` to the end equal one of the earlier spans [starts[i], ends[i]). */
  repeats(starts: readonly number[], ends: readonly number[], start: number): boolean {
    const length = this.len - start;
    for (let i = 0; i < starts.length; i++) {
      if (ends[i]! - starts[i]! === length && this.buf.compare(this.buf, start, this.len, starts[i], ends[i]) === 0) return true;
    }
    return false;
  }

  /** Starts over (the writer is reused for the next key). */
  reset(): void {
    this.len = 0;
  }

  /** A double as 8 bytes whose unsigned order is the numeric order (NaN below every number). */
  double(value: number): void {
    this.ensure(8);
    if (Number.isNaN(value)) {
      this.buf.fill(0, this.len, this.len + 8);
    } else {
      this.buf.writeDoubleBE(value === 0 ? 0 : value, this.len);
      if ((this.buf[this.len]! & 0x80) !== 0) {
        for (let i = this.len; i < this.len + 8; i++) this.buf[i] = ~this.buf[i]! & 0xff;
      } else {
        this.buf[this.len]! |= 0x80;
      }
    }
    this.len += 8;
  }

  /** Inverts the bytes written since `from` (a descending key part). */
  invertFrom(from: number): void {
    for (let i = from; i < this.len; i++) this.buf[i] = ~this.buf[i]! & 0xff;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
}

function isPlain(value: object): value is Obj {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The tag a value is encoded under (its place in BSON type order). */
export function typeTag(value: unknown): number {
  if (value === undefined || value === null) return TAG.null;
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return TAG.number;
    case 'string':
      return TAG.string;
    case 'boolean':
      return TAG.boolean;
    case 'object':
      if (Array.isArray(value)) return TAG.array;
      if (value instanceof Date) return TAG.date;
      if (value instanceof RegExp) return TAG.regex;
      if (ArrayBuffer.isView(value)) return TAG.binary;
      return isPlain(value) ? TAG.object : TAG.other;
    default:
      return TAG.other;
  }
}

/** Writes one value in ascending order. */
export function writeValue(w: KeyWriter, value: unknown): void {
  const tag = typeTag(value);
  w.byte(tag);
  switch (tag) {
    case TAG.null:
      return;
    case TAG.number:
      w.double(Number(value));
      return;
    case TAG.string:
      w.text(value as string);
      return;
    case TAG.boolean:
      w.byte(value ? 1 : 0);
      return;
    case TAG.date:
      w.double((value as Date).getTime());
      return;
    case TAG.regex:
      w.escaped(Buffer.from(String(value), 'utf8'));
      return;
    case TAG.binary: {
      const view = value as ArrayBufferView;
      w.escaped(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
      return;
    }
    case TAG.array:
      for (const element of value as unknown[]) writeValue(w, element);
      w.byte(TAG.end);
      return;
    case TAG.object:
      // BSON compares embedded documents field by field: the value's type, the name, the value
      for (const [name, v] of Object.entries(value as Obj)) {
        w.byte(typeTag(v));
        w.text(name);
        writeValue(w, v);
      }
      w.byte(TAG.end);
      return;
    default:
      w.escaped(Buffer.from(String(value), 'utf8'));
  }
}

/** Writes one key part in the index's direction for that field. */
export function writePart(w: KeyWriter, value: unknown, direction: 1 | -1): void {
  const start = w.length;
  writeValue(w, value);
  if (direction === -1) w.invertFrom(start);
}

/** Reused by `encodeKey` (synchronous, so never shared by two keys at once); `toBuffer` copies. */
const scratch = new KeyWriter();

/** The key of one index entry: each part in its field's direction. */
export function encodeKey(values: readonly unknown[], directions: readonly (1 | -1)[]): Buffer {
  const w = scratch;
  w.reset();
  for (let i = 0; i < values.length; i++) writePart(w, values[i], directions[i]!);
  return w.toBuffer();
}

/** The smallest key greater than every key that starts with `prefix`; null when there is none. */
export function prefixEnd(prefix: Buffer): Buffer | null {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return null;
  const out = Buffer.from(prefix.subarray(0, end));
  out[end - 1]! += 1;
  return out;
}

/** Keys whose part at this position holds a value of `value`'s type: [start, end) in key bytes. */
export function typeRange(prefix: Buffer, value: unknown, direction: 1 | -1): { start: Buffer; end: Buffer | null } {
  const tag = typeTag(value);
  const first = direction === 1 ? tag : 0xff - tag;
  const start = Buffer.concat([prefix, Buffer.from([first])]);
  return { start, end: prefixEnd(start) };
}
