import path from 'node:path';
import type { Config } from '../../config.ts';
import { createLocalStorage } from './local-storage.ts';
import { createS3Storage } from './s3-storage.ts';

/** A stored file: its bytes and media type. */
export interface StoredObject {
  bytes: Buffer;
  contentType: string;
}

/**
 * Where uploaded files (event cover images) live: a folder under DATA_DIR by default, an
 * S3-compatible bucket when S3_BUCKET is set (so several instances serve the same files). Keys are
 * relative paths of `[a-z0-9/._-]` made by the server, never by a client.
 */
export interface ObjectStorage {
  readonly kind: 'local' | 's3';
  put(key: string, object: StoredObject): Promise<void>;
  /** undefined when there is no such object. */
  get(key: string): Promise<StoredObject | undefined>;
  /** Removing an absent object is not an error. */
  delete(key: string): Promise<void>;
}

const KEY_RE = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;
export function assertStorageKey(key: string): void {
  if (!KEY_RE.test(key) || key.includes('..')) throw new Error(`invalid storage key: ${key}`);
}

export function createObjectStorage(config: Config): ObjectStorage {
  if (config.s3) return createS3Storage(config.s3);
  return createLocalStorage(path.join(config.dataDir, 'uploads'));
}
