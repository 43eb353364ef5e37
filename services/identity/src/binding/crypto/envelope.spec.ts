import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryEventStore } from '@leadstream/event-sourcing';
import type { IdentityOptions } from '../../identity.tokens';
import { CredentialVault, keyringStreamId } from '../credential-vault';
import { credentialsAad, generateDataKey, open, seal, unwrapDataKey, wrapDataKey } from './envelope';
import { loadOrCreateMasterKey, parseMasterKey } from './master-key';

const secret = 'sup3r-s3cret-app-secret';

function flip(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[0] = bytes[0]! ^ 0x01;
  return bytes.toString('base64');
}

describe('AES-256-GCM envelope', () => {
  const key = generateDataKey();
  const aad = credentialsAad('e1', 'b1');

  it('round-trips, and the ciphertext does not contain the plaintext', () => {
    const sealed = seal(key, Buffer.from(secret), aad);
    assert.equal(open(key, sealed, aad).toString(), secret);
    assert.ok(!Buffer.from(sealed.ciphertext, 'base64').toString('latin1').includes(secret));
    assert.notEqual(seal(key, Buffer.from(secret), aad).iv, sealed.iv, 'a fresh IV each time');
  });

  it('fails when the ciphertext, the tag or the IV is tampered with', () => {
    const sealed = seal(key, Buffer.from(secret), aad);
    assert.throws(() => open(key, { ...sealed, ciphertext: flip(sealed.ciphertext) }, aad));
    assert.throws(() => open(key, { ...sealed, tag: flip(sealed.tag) }, aad));
    assert.throws(() => open(key, { ...sealed, iv: flip(sealed.iv) }, aad));
  });

  it('fails with the wrong AAD: ciphertext cannot move to another binding or enterprise', () => {
    const sealed = seal(key, Buffer.from(secret), aad);
    assert.throws(() => open(key, sealed, credentialsAad('e1', 'b2')));
    assert.throws(() => open(key, sealed, credentialsAad('e2', 'b1')));
  });

  it('fails with the wrong key', () => {
    const sealed = seal(key, Buffer.from(secret), aad);
    assert.throws(() => open(generateDataKey(), sealed, aad));
  });

  it('wraps a data key for one enterprise and version only', () => {
    const master = generateDataKey();
    const wrapped = wrapDataKey(master, key, 'e1', 1);
    assert.deepEqual(unwrapDataKey(master, wrapped, 'e1', 1), key);
    assert.throws(() => unwrapDataKey(master, wrapped, 'e2', 1));
    assert.throws(() => unwrapDataKey(master, wrapped, 'e1', 2));
    assert.throws(() => unwrapDataKey(generateDataKey(), wrapped, 'e1', 1));
  });
});

describe('master key', () => {
  it('parses 32 bytes of base64 and refuses anything else', () => {
    const key = generateDataKey();
    assert.deepEqual(parseMasterKey(key.toString('base64')), key);
    assert.throws(() => parseMasterKey(generateDataKey().subarray(0, 16).toString('base64')), /32 bytes/);
    assert.throws(() => parseMasterKey('not base64 at all!'), /32 bytes/);
  });

  it('is generated once into the file (mode 0600) and read back afterwards', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadstream-master-key-'));
    try {
      const file = join(dir, 'identity', 'master-key');
      const first = await loadOrCreateMasterKey(file);
      assert.equal(first.length, 32);
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      assert.deepEqual(await loadOrCreateMasterKey(file), first);
      assert.deepEqual(parseMasterKey(await readFile(file, 'utf8')), first);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('credential vault (envelope encryption with a data key per enterprise)', () => {
  const masterKey = generateDataKey();
  const vaultOn = (store: InMemoryEventStore, key = masterKey) => new CredentialVault(store, { masterKey: key } as unknown as IdentityOptions);

  it('round-trips credentials, bound to enterprise + binding', async () => {
    const vault = vaultOn(new InMemoryEventStore());
    const sealed = await vault.encrypt('e1', 'b1', { appId: 'wx1', appSecret: secret });
    assert.equal(sealed.keyVersion, 1);
    assert.deepEqual(await vault.decrypt('e1', 'b1', sealed), { appId: 'wx1', appSecret: secret });
    await assert.rejects(vault.decrypt('e1', 'b2', sealed));
  });

  it('creates one data key per enterprise, stored only wrapped, and different between enterprises', async () => {
    const store = new InMemoryEventStore();
    const vault = vaultOn(store);
    await Promise.all([vault.encrypt('e1', 'b1', { password: secret }), vault.encrypt('e1', 'b2', { password: secret }), vault.encrypt('e2', 'b3', { password: secret })]);
    const e1 = await store.readStream(keyringStreamId('e1'));
    const e2 = await store.readStream(keyringStreamId('e2'));
    assert.equal(e1.length, 1, 'concurrent first uses create exactly one data key');
    assert.equal(e2.length, 1);
    const wrapped = (events: typeof e1) => (events[0]!.data as { wrappedKey: { ciphertext: string; iv: string; tag: string } }).wrappedKey;
    const k1 = unwrapDataKey(masterKey, wrapped(e1), 'e1', 1);
    const k2 = unwrapDataKey(masterKey, wrapped(e2), 'e2', 1);
    assert.notDeepEqual(k1, k2);
    assert.ok(!JSON.stringify([...e1, ...e2]).includes(k1.toString('base64')), 'the data key itself is never stored');
  });

  it('another enterprise’s data key cannot open the credentials', async () => {
    const store = new InMemoryEventStore();
    const vault = vaultOn(store);
    const sealed = await vault.encrypt('e1', 'b1', { password: secret });
    await vault.encrypt('e2', 'b9', { password: 'x' });
    const wrapped = (await store.readStream(keyringStreamId('e2')))[0]!.data as { wrappedKey: { ciphertext: string; iv: string; tag: string } };
    assert.throws(() => open(unwrapDataKey(masterKey, wrapped.wrappedKey, 'e2', 1), sealed, credentialsAad('e1', 'b1')));
  });

  it('a different master key cannot read the stored credentials', async () => {
    const store = new InMemoryEventStore();
    const sealed = await vaultOn(store).encrypt('e1', 'b1', { password: secret });
    await assert.rejects(vaultOn(store, generateDataKey()).decrypt('e1', 'b1', sealed));
  });
});
