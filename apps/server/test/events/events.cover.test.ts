import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Event, PublicEvent } from '@eventmanager/domain/events/schema';
import S3rver from 's3rver';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3ClientConfig } from '../../src/platform/storage/s3-storage.ts';
import { bearer, createTestContext, signupUser, type TestContext } from '../helpers/test-app.ts';
import { codeOf, createEvent, publish } from './fixtures.ts';

/** A photo-sized PNG with detail (so it does not compress to nothing). */
async function photo(width: number, height: number): Promise<Buffer> {
  const noise = Buffer.alloc(width * height * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
  return sharp(noise, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

interface StorageUnderTest {
  env: Record<string, string>;
  /** Whether this storage (and not another) holds the object under `key`. */
  holds(key: string, dataDir: string): Promise<boolean>;
  stop(): Promise<void>;
}

function coverScenario(name: string, setup: () => Promise<StorageUnderTest>) {
  describe(name, () => {
    let ctx: TestContext;
    let stop: () => Promise<void>;
    let storage: StorageUnderTest;
    let organizer: { token: string };

    beforeAll(async () => {
      storage = await setup();
      stop = storage.stop;
      ctx = await createTestContext({ env: { COVER_MAX_BYTES: '3000000', ...storage.env } });
      organizer = await signupUser(ctx.app);
    });
    afterAll(async () => {
      await ctx?.close();
      await stop?.();
    });

    const upload = (eventId: string, body: Buffer, type = 'image/png', token = organizer.token) =>
      ctx.app.inject({
        method: 'PUT',
        url: `/api/events/${eventId}/cover`,
        headers: { ...bearer(token), 'content-type': type },
        payload: body,
      });
    const served = (url: string) => ctx.app.inject({ method: 'GET', url: new URL(url).pathname });

    it('resizes an upload to a 1200×630 JPEG, serves it, shows it on the public view, replaces and removes it', async () => {
      const event = await publish(ctx.app, organizer.token, (await createEvent(ctx.app, organizer.token)).id);
      const res = await upload(event.id, await photo(1600, 1200));
      expect(res.statusCode).toBe(200);
      const withCover = res.json() as Event;
      expect(withCover.cover_image).toMatchObject({ width: 1200, height: 630 });
      expect(withCover.cover_image!.url).toMatch(
        /^http:\/\/localhost:3000\/api\/public\/covers\/[0-9a-f-]{36}\/[0-9a-f]{32}\.jpg$/,
      );

      const file = await served(withCover.cover_image!.url);
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-type']).toBe('image/jpeg');
      expect(file.headers['cache-control']).toContain('immutable');
      const meta = await sharp(file.rawPayload).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1200, 630]);
      const key = new URL(withCover.cover_image!.url).pathname.replace('/api/public/', '');
      expect(await storage.holds(key, ctx.config.dataDir)).toBe(true);

      const view = (
        await ctx.app.inject({ method: 'GET', url: `/api/public/events/${codeOf(event)}` })
      ).json() as PublicEvent;
      expect(view.cover_image?.url).toBe(withCover.cover_image!.url);

      const replaced = (await upload(event.id, await photo(800, 800))).json() as Event;
      expect(replaced.cover_image!.url).not.toBe(withCover.cover_image!.url);
      expect((await served(withCover.cover_image!.url)).statusCode).toBe(404);
      expect((await served(replaced.cover_image!.url)).statusCode).toBe(200);

      const removed = await ctx.app.inject({
        method: 'DELETE',
        url: `/api/events/${event.id}/cover`,
        headers: bearer(organizer.token),
      });
      expect(removed.json().cover_image).toBeNull();
      expect((await served(replaced.cover_image!.url)).statusCode).toBe(404);
    });

    it('refuses what is not an image, other media types, oversized files and other people', async () => {
      const event = await createEvent(ctx.app, organizer.token);
      const notImage = await upload(event.id, Buffer.from('definitely not a png'));
      expect(notImage.statusCode).toBe(422);
      expect(notImage.json()).toMatchObject({ code: 'invalid_image' });
      expect((await upload(event.id, Buffer.from('hello'), 'text/plain')).statusCode).toBe(415);
      expect((await upload(event.id, Buffer.alloc(3_100_000, 1))).statusCode).toBe(413);
      const stranger = await signupUser(ctx.app);
      expect((await upload(event.id, await photo(100, 100), 'image/png', stranger.token)).statusCode).toBe(
        404,
      );
      const after = await ctx.app.inject({
        method: 'GET',
        url: `/api/events/${event.id}`,
        headers: bearer(organizer.token),
      });
      expect(after.json().cover_image).toBeNull();
    });
  });
}

coverScenario('event cover image on local disk (DATA_DIR/uploads)', async () => ({
  env: {},
  holds: async (key, dataDir) =>
    stat(path.join(dataDir, 'uploads', key)).then(
      () => true,
      () => false,
    ),
  stop: async () => {},
}));

coverScenario('event cover image in an S3-compatible bucket (s3rver)', async () => {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'em-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: 'em-covers' }],
  });
  const { port } = await server.run();
  const client = new S3Client(
    s3ClientConfig({
      bucket: 'em-covers',
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
      prefix: 'test/',
    }),
  );
  return {
    async holds(key, dataDir) {
      const local = await stat(path.join(dataDir, 'uploads', key)).then(
        () => true,
        () => false,
      );
      const head = await client.send(new HeadObjectCommand({ Bucket: 'em-covers', Key: `test/${key}` })).then(
        () => true,
        () => false,
      );
      return head && !local;
    },
    env: {
      S3_BUCKET: 'em-covers',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_PREFIX: 'test/',
    },
    async stop() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
});

describe('S3 client configuration', () => {
  it('uses path-style addressing and the given endpoint and credentials for S3-compatible servers', () => {
    expect(
      s3ClientConfig({
        bucket: 'b',
        region: 'ap-northeast-2',
        endpoint: 'https://kr.object.ncloudstorage.com',
        accessKeyId: 'id',
        secretAccessKey: 'secret',
        forcePathStyle: true,
        prefix: '',
      }),
    ).toEqual({
      region: 'ap-northeast-2',
      forcePathStyle: true,
      endpoint: 'https://kr.object.ncloudstorage.com',
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
    });
  });
});
