import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertStorageKey, type ObjectStorage, type StoredObject } from './storage.ts';

const TYPES: Record<string, string> = { '.jpg': 'image/jpeg', '.webp': 'image/webp', '.png': 'image/png' };

/** Files in a folder (DATA_DIR/uploads); the media type follows from the key's extension. */
export function createLocalStorage(root: string): ObjectStorage {
  const fileOf = (key: string) => {
    assertStorageKey(key);
    return path.join(root, key);
  };
  return {
    kind: 'local',
    async put(key: string, object: StoredObject): Promise<void> {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      // Written aside then renamed: a reader never sees half a file.
      const partial = `${file}.${process.pid}.part`;
      await writeFile(partial, object.bytes);
      await rename(partial, file);
    },
    async get(key: string): Promise<StoredObject | undefined> {
      try {
        const bytes = await readFile(fileOf(key));
        return { bytes, contentType: TYPES[path.extname(key)] ?? 'application/octet-stream' };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    async delete(key: string): Promise<void> {
      await rm(fileOf(key), { force: true });
    },
  };
}
