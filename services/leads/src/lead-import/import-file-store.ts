import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { ImportEncoding } from './domain/lead-import.events';
import { EncodingSniffer } from './import-file';

export const IMPORT_FILE_STORE = Symbol('IMPORT_FILE_STORE');

/** Thrown while storing an upload that is larger than the limit. */
export class UploadTooLargeError extends Error {
  override readonly name = 'UploadTooLargeError';
}

/**
 * Uploaded import files and their error files on disk: `<dir>/<enterprise>/<import id>.upload`
 * and `<import id>.errors.csv`. Uploads are written to a temporary name, fsynced, then renamed.
 */
export class ImportFileStore {
  constructor(private readonly dir: string) {}

  uploadPath(enterpriseId: string, importId: string): string {
    return join(this.dir, enterpriseId, `${importId}.upload`);
  }

  errorsPath(enterpriseId: string, importId: string): string {
    return join(this.dir, enterpriseId, `${importId}.errors.csv`);
  }

  /** Streams the body to disk, at most `limit` bytes; answers its size, SHA-256, first bytes and text encoding (were it a CSV). */
  async store(enterpriseId: string, importId: string, body: Readable, limit: number): Promise<{ path: string; size: number; sha256: string; head: Buffer; encoding: ImportEncoding }> {
    await mkdir(join(this.dir, enterpriseId), { recursive: true });
    const path = this.uploadPath(enterpriseId, importId);
    const temp = `${path}.part`;
    const hash = createHash('sha256');
    const sniffer = new EncodingSniffer();
    let size = 0;
    let head = Buffer.alloc(0);
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > limit) return done(new UploadTooLargeError(`is larger than ${limit} bytes`));
        if (head.length < 8) head = Buffer.concat([head, chunk.subarray(0, 8 - head.length)]);
        hash.update(chunk);
        sniffer.push(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(temp));
      const handle = await open(temp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return { path, size, sha256: hash.digest('hex'), head, encoding: sniffer.result() };
  }

  async remove(path: string): Promise<void> {
    await rm(path, { force: true });
  }

  async size(path: string): Promise<number | null> {
    try {
      return (await stat(path)).size;
    } catch {
      return null;
    }
  }
}
