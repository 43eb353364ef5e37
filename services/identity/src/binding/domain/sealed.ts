/** An AES-256-GCM sealed value as stored (base64 parts): never the plaintext. */
export interface Sealed {
  readonly ciphertext: string;
  readonly iv: string;
  readonly tag: string;
}
