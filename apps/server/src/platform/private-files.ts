import { chmod, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * The embedded database and the e-mail outbox hold participants' personal data: only the server's
 * own user may read them. Directories are 0700 and files 0600, whatever the process umask, and a
 * directory left by an older version with wider modes is narrowed when opened again.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the directory (and missing parents) private, and makes an existing one private. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await chmod(dir, PRIVATE_DIR_MODE);
}

/** Narrows every directory under `dir` to 0700 and every file to 0600. */
export async function makeTreePrivate(dir: string): Promise<void> {
  await chmod(dir, PRIVATE_DIR_MODE);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const at = path.join(dir, entry.name);
    if (entry.isDirectory()) await makeTreePrivate(at);
    else if (entry.isFile()) await chmod(at, PRIVATE_FILE_MODE);
  }
}
