import { createHash } from 'node:crypto';
import type { Event } from '@eventmanager/domain/events/schema';
import sharp from 'sharp';
import { runHooks } from '../../platform/hooks.ts';
import type { ModuleDeps } from '../../platform/module.ts';
import { notFound, unprocessable } from '../../platform/problem.ts';
import type { ObjectStorage } from '../../platform/storage/storage.ts';
import { requireEventRowAccess } from './events.access.ts';
import { toEvent } from './events.mapper.ts';
import { lockEventRow, updateEventRow } from './events.repository.ts';
import type { StoredCoverImage } from './events.tables.ts';

/** The cover as stored and served: 1200×630 (the link-preview shape), JPEG for every mail client. */
export const COVER_WIDTH = 1200;
export const COVER_HEIGHT = 630;
/** Media types a cover upload may have. */
export const COVER_INPUT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/avif',
  'image/gif',
] as const;
/** Refuse decompression bombs: a 40-megapixel input is larger than any phone photo. */
const MAX_INPUT_PIXELS = 40_000_000;

/**
 * Resizes an upload into the cover: EXIF orientation applied, cropped to the cover's shape around
 * the most interesting part, metadata (location!) dropped. 422 `invalid_image` for anything sharp
 * cannot read as an image.
 */
export async function renderCover(input: Buffer): Promise<{ bytes: Buffer; width: number; height: number }> {
  try {
    const { data, info } = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, animated: false })
      .rotate()
      .resize({ width: COVER_WIDTH, height: COVER_HEIGHT, fit: 'cover', position: 'attention' })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.height };
  } catch {
    throw unprocessable('The file is not an image that can be read', 'invalid_image');
  }
}

export const coverKeyPattern = /^covers\/[0-9a-f-]{36}\/[0-9a-f]{32}\.jpg$/;

/**
 * Upload, replace and remove an event's cover. The file is stored under a key derived from its
 * content (a new cover is a new URL, so caches never show an old one); the event row is updated
 * under its lock, and the replaced file deleted after the commit.
 */
export function createCoverService(
  { platform, hooks }: Pick<ModuleDeps, 'platform' | 'hooks'>,
  storage: ObjectStorage,
  afterChange: (event: Event, shareCode: string) => Promise<void>,
) {
  const db = platform.database.db;

  async function setCover(userId: string, eventId: string, cover: StoredCoverImage | null): Promise<Event> {
    const outcome = await db.transaction(async (tx) => {
      await requireEventRowAccess(tx, eventId, userId, 'manage');
      const row = await lockEventRow(tx, eventId);
      const updated = await updateEventRow(tx, eventId, {
        coverImage: cover,
        updatedAt: platform.clock.now(),
      });
      if (!updated) throw notFound('Event');
      await runHooks(hooks.eventUpdated, tx, { eventId, fields: ['cover_image'] });
      return { previous: row.coverImage, event: toEvent(updated), code: row.shareCode };
    });
    if (outcome.previous && outcome.previous.key !== cover?.key) {
      await storage.delete(outcome.previous.key).catch(() => undefined);
    }
    await afterChange(outcome.event, outcome.code);
    return outcome.event;
  }

  return {
    async upload(userId: string, eventId: string, input: Buffer): Promise<Event> {
      // Access before the (CPU-heavy) resize: strangers get their 404 without costing a decode.
      await requireEventRowAccess(db, eventId, userId, 'manage');
      const cover = await renderCover(input);
      const hash = createHash('sha256').update(cover.bytes).digest('hex').slice(0, 32);
      const key = `covers/${eventId}/${hash}.jpg`;
      await storage.put(key, { bytes: cover.bytes, contentType: 'image/jpeg' });
      return setCover(userId, eventId, { key, width: cover.width, height: cover.height });
    },

    async remove(userId: string, eventId: string): Promise<Event> {
      return setCover(userId, eventId, null);
    },

    /** The stored file behind a served cover URL; undefined for an unknown key. */
    async read(key: string) {
      if (!coverKeyPattern.test(key)) return undefined;
      return storage.get(key);
    },
  };
}
