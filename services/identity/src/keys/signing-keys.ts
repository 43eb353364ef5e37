import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JSONWebKeySet, type JWK, type JWTPayload } from 'jose';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from '@leadstream/platform';

const ALG = 'EdDSA';

type SigningKey = Awaited<ReturnType<typeof importJWK>>;

/**
 * Identity's asymmetric signing keys (Ed25519). The private key never leaves this service;
 * the public keys are published as a JWKS so every other service verifies tokens locally.
 */
export class SigningKeys {
  private constructor(
    private readonly kid: string,
    private readonly privateKey: SigningKey,
    private readonly publicJwk: JWK,
  ) {}

  /** Reads the key file, or generates a key pair and writes it (mode 0600) on first start. */
  static async loadOrCreate(file: string): Promise<SigningKeys> {
    try {
      const stored = JSON.parse(await readFile(file, 'utf8')) as { privateJwk: JWK };
      return await SigningKeys.fromPrivateJwk(stored.privateJwk);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const { privateKey } = await generateKeyPair(ALG, { crv: 'Ed25519', extractable: true });
    const privateJwk = await exportJWK(privateKey);
    privateJwk.kid = await calculateJwkThumbprint(privateJwk);
    await mkdir(dirname(file), { recursive: true });
    const tmp = `${file}.${randomUUID()}.tmp`;
    await writeFile(tmp, JSON.stringify({ privateJwk }), { mode: 0o600 });
    await rename(tmp, file);
    return SigningKeys.fromPrivateJwk(privateJwk);
  }

  /** For the distributed mode, where the key comes from a secret (`IDENTITY_SIGNING_KEY`). */
  static async fromPrivateJwk(privateJwk: JWK): Promise<SigningKeys> {
    const kid = privateJwk.kid ?? (await calculateJwkThumbprint(privateJwk));
    const privateKey = await importJWK({ ...privateJwk, alg: ALG }, ALG);
    const { d: _private, ...publicJwk } = privateJwk;
    return new SigningKeys(kid, privateKey, { ...publicJwk, kid, alg: ALG, use: 'sig' });
  }

  jwks(): JSONWebKeySet {
    return { keys: [this.publicJwk] };
  }

  /** `extraAudiences` are added to `leadstream-api`, which every token carries (ORG-3: `leadstream-client`). */
  async sign(claims: JWTPayload & { sub: string }, ttlSeconds: number, extraAudiences: readonly string[] = []): Promise<string> {
    const audiences = [ACCESS_TOKEN_AUDIENCE, ...extraAudiences.filter((a) => a !== ACCESS_TOKEN_AUDIENCE)];
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, kid: this.kid, typ: 'at+jwt' })
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(audiences.length === 1 ? ACCESS_TOKEN_AUDIENCE : audiences)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.privateKey);
  }
}
