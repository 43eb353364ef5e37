import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Where uploaded images' bytes live; the event log holds only their metadata. */
export interface AssetBlobStore {
  /** Stores the bytes durably; afterwards `get` answers them (also after a crash). */
  put(tenantId: string, assetId: string, bytes: Buffer): Promise<void>;
  /** The bytes, or null when there are none. */
  get(tenantId: string, assetId: string): Promise<Buffer | null>;
}

export const ASSET_BLOB_STORE = Symbol('ASSET_BLOB_STORE');

const SAFE_NAME = /^[0-9a-f-]{36}$/i;

/**
 * Blobs as files `<root>/<tenant>/<asset>`: written to a temporary file in the same directory,
 * fsynced, then renamed over the final name (atomic on POSIX file systems), and the directory
 * fsynced — a crash leaves either the whole image or nothing under its name.
 */
export class FileAssetBlobStore implements AssetBlobStore {
  constructor(private readonly root: string) {}

  private pathOf(tenantId: string, assetId: string): { dir: string; file: string } {
    if (!SAFE_NAME.test(tenantId) || !SAFE_NAME.test(assetId)) throw new Error('asset blob names are UUIDs');
    const dir = join(this.root, tenantId.toLowerCase());
    return { dir, file: join(dir, assetId.toLowerCase()) };
  }

  async put(tenantId: string, assetId: string, bytes: Buffer): Promise<void> {
    const { dir, file } = this.pathOf(tenantId, assetId);
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `.${randomUUID()}.part`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    const directory = await open(dir, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }

  async get(tenantId: string, assetId: string): Promise<Buffer | null> {
    const { file } = this.pathOf(tenantId, assetId);
    try {
      return await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}
