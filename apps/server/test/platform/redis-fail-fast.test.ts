import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus } from '../../src/platform/bus/bus.ts';
import { createRedisBus } from '../../src/platform/bus/redis-bus.ts';
import type { Cache } from '../../src/platform/cache/cache.ts';
import { createRedisCache } from '../../src/platform/cache/redis-cache.ts';
import { until } from '../checkin/device-sim.ts';
import { freePort, hasRedisServer, OwnRedis } from '../helpers/own-redis.ts';
import { testEngine } from '../helpers/test-app.ts';

/**
 * The Redis adapters against a redis-server of the test's own that it freezes (a Redis that holds
 * connections but answers nothing) and kills: nothing waits for it. Each call below would hang
 * until Redis answered again if it queued or waited — the test would then time out.
 * Runs once (on the PGlite project: it needs no database), wherever redis-server is installed.
 */
describe.skipIf(testEngine() !== 'pglite' || !hasRedisServer())('Redis adapters fail fast', () => {
  let redis: OwnRedis;
  let url: string;
  const opened: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    url = `redis://127.0.0.1:${redis.port}`;
  });
  afterAll(async () => {
    for (const o of opened) await o.close();
    await redis.stop();
  });

  async function cache(): Promise<Cache> {
    const c = await createRedisCache(url, 'ff:');
    opened.push(c);
    return c;
  }
  async function bus(): Promise<Bus> {
    const b = await createRedisBus(url, 'ff:');
    opened.push(b);
    return b;
  }

  it('a frozen Redis: reads miss, writes are skipped, counters count here, a revoked key stays revoked', async () => {
    const a = await cache();
    const b = await cache();
    await a.set('session:1', { live: true }, 60);
    expect(await b.get('session:1')).toEqual({ live: true });

    redis.freeze();
    try {
      // Revoked while Redis does not answer: the delete cannot reach it.
      await a.del('session:1');
      expect(await a.get('session:1')).toBeUndefined();
      expect(await b.get('session:1')).toBeUndefined();
      await a.set('other', 1, 60);
      expect(await a.incr('rate:1', 60)).toBe(1);
      expect(await a.incr('rate:1', 60)).toBe(2);
    } finally {
      redis.thaw();
    }
    // Redis answers again and still holds the stale entry; the instance that revoked never reads
    // it, and replays its delete as soon as a command succeeds, so the other one stops seeing it.
    expect(await a.get('session:1')).toBeUndefined();
    let stale: unknown = { live: true };
    for (let i = 0; i < 100 && stale !== undefined; i++) {
      await a.get('anything');
      stale = await b.get('session:1');
      if (stale !== undefined) await new Promise((r) => setTimeout(r, 100));
    }
    expect(stale).toBeUndefined();
    expect(await a.get('session:1')).toBeUndefined();
  });

  it('a dead Redis: publish fails at once, subscribe answers, and both work again when it is back', async () => {
    const publisher = await bus();
    const subscriber = await bus();
    const got: unknown[] = [];
    await subscriber.subscribe('before', (m) => got.push(m));
    expect(publisher.live()).toBe(true);

    await redis.stop();
    await until(() => !publisher.live() && !subscriber.live(), 5_000, 'the buses to notice');
    await expect(publisher.publish('before', { n: 1 })).rejects.toThrow();
    await expect(publisher.publishMany('before', [{ n: 2 }, { n: 3 }])).rejects.toThrow();
    // Registered now, confirmed by Redis when it is back.
    await subscriber.subscribe('during', (m) => got.push(m));

    await redis.start();
    await until(() => publisher.live() && subscriber.live(), 15_000, 'the buses to reconnect');
    let delivered = false;
    for (let i = 0; i < 100 && !delivered; i++) {
      await publisher.publish('before', { n: 4 }).catch(() => 0);
      await publisher.publish('during', { n: 5 }).catch(() => 0);
      await new Promise((r) => setTimeout(r, 100));
      delivered =
        got.some((m) => (m as { n: number }).n === 4) && got.some((m) => (m as { n: number }).n === 5);
    }
    expect(delivered).toBe(true);
    expect(got.some((m) => [1, 2, 3].includes((m as { n: number }).n))).toBe(false);
  });
});
