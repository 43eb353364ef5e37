import mongoose from 'mongoose';

export type Obj = Record<string, unknown>;

const { BSON } = mongoose.mongo;

/** A plain JavaScript object (an embedded document), as opposed to arrays, RegExps, Dates and BSON values. */
export function isPlainObject(value: unknown): value is Obj {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A plain object whose keys are query or update operators (`{ $gt: 1 }`), not an embedded document. */
export function isOperatorObject(value: unknown): value is Obj {
  return isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'));
}

/** True when `value` is, or holds at any depth (arrays included), an embedded document. */
export function containsPlainObject(value: unknown): boolean {
  if (isPlainObject(value)) return true;
  return Array.isArray(value) && value.some(containsPlainObject);
}

/** Deep copy through BSON, so ObjectIds, Dates and other BSON values keep their types. */
export function cloneDocument<T extends Obj>(doc: T): T {
  return BSON.deserialize(BSON.serialize(doc)) as T;
}

/** Byte-wise BSON equality: what MongoDB uses to decide whether an update modified a document. */
export function sameDocument(a: Obj, b: Obj): boolean {
  return Buffer.from(BSON.serialize(a)).equals(Buffer.from(BSON.serialize(b)));
}

/** A new `_id`: an ObjectId's 24 hex digits, as a string (the port's `_id` is a string). */
export function newId(): string {
  return new mongoose.mongo.ObjectId().toHexString();
}

/** Sets a dotted path, creating embedded documents on the way. */
export function setPath(target: Obj, path: string, value: unknown): void {
  const parts = path.split('.');
  let node: Obj = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]!;
    let next = node[part];
    if (!isPlainObject(next)) {
      next = {};
      node[part] = next;
    }
    node = next as Obj;
  }
  node[parts[parts.length - 1]!] = value;
}

/** The value at a dotted path through embedded documents; `undefined` when missing, `null` when blocked by a non-document. */
export function pathValue(doc: Obj, path: string): unknown {
  let node: unknown = doc;
  for (const part of path.split('.')) {
    if (node === undefined) return undefined;
    if (!isPlainObject(node)) return null;
    node = node[part];
  }
  return node;
}

/** Puts `_id` first, as MongoDB does in the documents it inserts. */
export function idFirst<T extends Obj>(doc: T, id: unknown): T {
  const { _id: _ignored, ...rest } = doc;
  return { _id: id, ...rest } as unknown as T;
}
