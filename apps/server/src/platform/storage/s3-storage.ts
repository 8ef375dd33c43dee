import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { assertStorageKey, type ObjectStorage, type StoredObject } from './storage.ts';

export interface S3Settings {
  bucket: string;
  region: string;
  /** An S3-compatible endpoint (MinIO, Cloudflare R2, NCP Object Storage …); AWS when undefined. */
  endpoint: string | undefined;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key` (most compatibles need it). */
  forcePathStyle: boolean;
  /** Key prefix inside the bucket. */
  prefix: string;
}

/** The client configuration the settings make (exported so it can be checked without a server). */
export function s3ClientConfig(s: S3Settings): S3ClientConfig {
  return {
    region: s.region,
    forcePathStyle: s.forcePathStyle,
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    ...(s.accessKeyId && s.secretAccessKey
      ? { credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } }
      : {}),
  };
}

/** Objects in an S3-compatible bucket, through the official AWS SDK client. */
export function createS3Storage(
  settings: S3Settings,
  client = new S3Client(s3ClientConfig(settings)),
): ObjectStorage {
  const keyOf = (key: string) => {
    assertStorageKey(key);
    return `${settings.prefix}${key}`;
  };
  return {
    kind: 's3',
    async put(key: string, object: StoredObject): Promise<void> {
      await client.send(
        new PutObjectCommand({
          Bucket: settings.bucket,
          Key: keyOf(key),
          Body: object.bytes,
          ContentType: object.contentType,
        }),
      );
    },
    async get(key: string): Promise<StoredObject | undefined> {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: settings.bucket, Key: keyOf(key) }));
        if (!res.Body) return undefined;
        return {
          bytes: Buffer.from(await res.Body.transformToByteArray()),
          contentType: res.ContentType ?? 'application/octet-stream',
        };
      } catch (err) {
        if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return undefined;
        throw err;
      }
    },
    async delete(key: string): Promise<void> {
      await client.send(new DeleteObjectCommand({ Bucket: settings.bucket, Key: keyOf(key) }));
    },
  };
}
