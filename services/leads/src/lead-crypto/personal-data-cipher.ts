import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto';
import { secureRandomBytes } from './random-pool';

/**
 * The KeyObject of a lead key, made once per key Buffer (the key cache hands out the same Buffer):
 * a cipher built from a KeyObject skips importing the raw key every time, measured 3-5x faster.
 */
const keyObjects = new WeakMap<Buffer, KeyObject>();
function keyObjectOf(key: Buffer): KeyObject {
  let object = keyObjects.get(key);
  if (object === undefined) {
    object = createSecretKey(key);
    keyObjects.set(key, object);
  }
  return object;
}

/** Personal data as it is stored in the event log and published: AES-256-GCM under the lead's key. */
export interface SealedPersonalData {
  readonly alg: 'A256GCM';
  /** base64 of the 12-byte nonce */
  readonly iv: string;
  /** base64 of the ciphertext followed by the 16-byte tag */
  readonly ciphertext: string;
}

export function isSealed(value: unknown): value is SealedPersonalData {
  return typeof value === 'object' && value !== null && (value as { alg?: unknown }).alg === 'A256GCM' && typeof (value as { ciphertext?: unknown }).ciphertext === 'string';
}

/** `aad` binds the ciphertext to its lead (the lead id), so it cannot be moved to another lead. */
export function sealPersonalData(value: unknown, key: Buffer, aad: string): SealedPersonalData {
  return sealPersonalText(JSON.stringify(value), key, aad);
}

/** `sealPersonalData` of a value already in JSON text (what `openPersonalData` parses back). */
export function sealPersonalText(text: string, key: Buffer, aad: string): SealedPersonalData {
  const iv = secureRandomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyObjectOf(key), iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { alg: 'A256GCM', iv: iv.toString('base64'), ciphertext: body.toString('base64') };
}

export function openPersonalData<T>(sealed: SealedPersonalData, key: Buffer, aad: string): T {
  const body = Buffer.from(sealed.ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', keyObjectOf(key), Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - 16));
  const plain = Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as T;
}
