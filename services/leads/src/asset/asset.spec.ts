import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileAssetBlobStore } from './asset-blob-store';
import { detectImageType } from './domain/image-type';

const bytes = (...parts: (number[] | string)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('detectImageType (by leading bytes only)', () => {
  it('recognises PNG, JPEG, GIF and WebP', () => {
    assert.equal(detectImageType(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 'IHDR')), 'image/png');
    assert.equal(detectImageType(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF')), 'image/jpeg');
    assert.equal(detectImageType(bytes('GIF89a', [1, 0, 1, 0])), 'image/gif');
    assert.equal(detectImageType(bytes('GIF87a', [1, 0, 1, 0])), 'image/gif');
    assert.equal(detectImageType(bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 ', [0, 0, 0, 0])), 'image/webp');
  });

  it('refuses SVG, HTML, other RIFF files, truncated signatures and nothing', () => {
    assert.equal(detectImageType(bytes('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')), null);
    assert.equal(detectImageType(bytes('<?xml version="1.0"?><svg/>')), null);
    assert.equal(detectImageType(bytes('<!doctype html><script>alert(1)</script>')), null);
    assert.equal(detectImageType(bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ', [0, 0, 0, 0])), null);
    assert.equal(detectImageType(bytes([0x89], 'PNG')), null);
    assert.equal(detectImageType(bytes('GIF8')), null);
    assert.equal(detectImageType(Buffer.alloc(0)), null);
  });
});

describe('FileAssetBlobStore', () => {
  it('stores and reads bytes per tenant, leaves no temporary file, answers null for what it lacks', async () => {
    const root = await mkdtemp(join(tmpdir(), 'leadstream-assets-'));
    try {
      const store = new FileAssetBlobStore(root);
      const [tenant, other, asset] = [randomUUID(), randomUUID(), randomUUID()];
      const image = Buffer.from([1, 2, 3, 4, 5]);
      await store.put(tenant, asset, image);
      assert.deepEqual(await store.get(tenant, asset), image);
      assert.equal(await store.get(other, asset), null, 'another tenant’s directory does not hold it');
      assert.equal(await store.get(tenant, randomUUID()), null);
      assert.deepEqual(await readdir(join(root, tenant)), [asset]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('refuses names that are not UUIDs (no path escapes)', async () => {
    const store = new FileAssetBlobStore(tmpdir());
    await assert.rejects(store.get('..', randomUUID()));
    await assert.rejects(store.put(randomUUID(), '../../etc/passwd', Buffer.from('x')));
  });
});
