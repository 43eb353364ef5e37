import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Sealed } from '../domain/sealed';

/** AES-256-GCM: 256-bit keys, 96-bit random IVs, 128-bit tags. */
const ALGORITHM = 'aes-256-gcm';
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type { Sealed };

/** A fresh random 256-bit data key. */
export function generateDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

function assertKey(key: Buffer, what: string): void {
  if (key.length !== KEY_BYTES) throw new Error(`${what} must be ${KEY_BYTES} bytes`);
}

/** Encrypts with AES-256-GCM; `aad` is authenticated (not encrypted): decryption fails unless it matches. */
export function seal(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  assertKey(key, 'the key');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext: ciphertext.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** Decrypts and authenticates; throws when the key, the AAD, the IV, the tag or the ciphertext is wrong. */
export function open(key: Buffer, sealed: Sealed, aad: string): Buffer {
  assertKey(key, 'the key');
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('the sealed value is malformed');
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
}

/** The AAD binding a wrapped data key to its enterprise and version. */
export function dataKeyAad(enterpriseId: string, keyVersion: number): string {
  return `leadstream:identity:data-key:v1:${enterpriseId}:${keyVersion}`;
}

/** The AAD binding credentials to their enterprise and binding: ciphertext cannot be moved to another binding. */
export function credentialsAad(enterpriseId: string, bindingId: string): string {
  return `leadstream:identity:account-binding:v1:${enterpriseId}:${bindingId}`;
}

/** Wraps (encrypts) an enterprise's data key with the master key. */
export function wrapDataKey(masterKey: Buffer, dataKey: Buffer, enterpriseId: string, keyVersion: number): Sealed {
  assertKey(dataKey, 'a data key');
  return seal(masterKey, dataKey, dataKeyAad(enterpriseId, keyVersion));
}

export function unwrapDataKey(masterKey: Buffer, wrapped: Sealed, enterpriseId: string, keyVersion: number): Buffer {
  const key = open(masterKey, wrapped, dataKeyAad(enterpriseId, keyVersion));
  assertKey(key, 'a data key');
  return key;
}
