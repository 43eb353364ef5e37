import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { generateDataKey, KEY_BYTES } from './envelope';

/** A master key given as base64 (e.g. `IDENTITY_MASTER_KEY`): exactly 32 bytes. */
export function parseMasterKey(base64: string): Buffer {
  const text = base64.trim();
  const key = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || key.length !== KEY_BYTES) {
    throw new Error(`the master key must be ${KEY_BYTES} bytes in base64`);
  }
  return key;
}

/**
 * The master key that wraps every enterprise's data key (ORG-10): read from the file, or generated
 * and written (mode 0600) on first start, like the signing key. Losing it loses every stored
 * credential: back it up with the data.
 */
export async function loadOrCreateMasterKey(file: string): Promise<Buffer> {
  try {
    return parseMasterKey(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = generateDataKey();
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${randomUUID()}.tmp`;
  await writeFile(tmp, `${key.toString('base64')}\n`, { mode: 0o600 });
  await rename(tmp, file);
  return key;
}
