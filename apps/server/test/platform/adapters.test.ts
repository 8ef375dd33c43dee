import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Bus } from '../../src/platform/bus/bus.ts';
import { createMemoryBus } from '../../src/platform/bus/memory-bus.ts';
import { createRedisBus } from '../../src/platform/bus/redis-bus.ts';
import type { Cache } from '../../src/platform/cache/cache.ts';
import { createMemoryCache } from '../../src/platform/cache/memory-cache.ts';
import { createRedisCache } from '../../src/platform/cache/redis-cache.ts';
import { testEngine } from '../helpers/test-app.ts';

const redisUrl = testEngine() === 'postgres' ? process.env.REDIS_URL : undefined;
const prefix = `em-test-${randomBytes(4).toString('hex')}:`;
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

/** Two "instances" of each adapter: with Redis, separate connections; in process, one shared object. */
async function busPair(): Promise<[Bus, Bus]> {
  if (redisUrl) {
    const a = await createRedisBus(redisUrl, prefix);
    const b = await createRedisBus(redisUrl, prefix);
    closers.push(a.close, b.close);
    return [a, b];
  }
  const bus = createMemoryBus();
  return [bus, bus];
}

async function cachePair(): Promise<[Cache, Cache]> {
  if (redisUrl) {
    const a = await createRedisCache(redisUrl, `${prefix}c:`);
    const b = await createRedisCache(redisUrl, `${prefix}c:`);
    closers.push(a.close, b.close);
    return [a, b];
  }
  const cache = createMemoryCache();
  return [cache, cache];
}

const nextMessage = (bus: Bus, channel: string) =>
  new Promise<unknown>((resolve) => {
    void bus.subscribe(channel, resolve);
  });

describe(`bus (${redisUrl ? 'Redis' : 'in-process'})`, () => {
  it('delivers a published message to subscribers of that channel only, as a copy', async () => {
    const [a, b] = await busPair();
    const received: unknown[] = [];
    const off = await b.subscribe('event:1', (m) => received.push(m));
    await b.subscribe('event:2', () => received.push('wrong channel'));
    const payload = { type: 'checkin_updated', eventId: '1', n: 1 };
    await a.publish('event:1', payload);
    await expect.poll(() => received.length).toBe(1);
    expect(received[0]).toEqual(payload);
    expect(received[0]).not.toBe(payload);
    await off();
    await a.publish('event:1', payload);
    await new Promise((r) => setTimeout(r, 50));
    expect(received).toHaveLength(1);
  });

  it('publishMany delivers each message separately, in order, to every instance', async () => {
    const [a, b] = await busPair();
    const onA: unknown[] = [];
    const onB: unknown[] = [];
    await a.subscribe('batch', (m) => onA.push(m));
    await b.subscribe('batch', (m) => onB.push(m));
    const messages = [1, 2, 3].map((n) => ({ type: 'checkin_updated', cursor: n }));
    await a.publishMany('batch', messages);
    await a.publishMany('batch', [{ type: 'checkin_updated', cursor: 4 }]);
    await a.publishMany('batch', []);
    await expect.poll(() => [onA.length, onB.length]).toEqual([4, 4]);
    expect(onB).toEqual([...messages, { type: 'checkin_updated', cursor: 4 }]);
    expect(onA).toEqual(onB);
  });

  it('fans one message out to every subscriber', async () => {
    const [a, b] = await busPair();
    const first = nextMessage(a, 'fan');
    const second = nextMessage(b, 'fan');
    await new Promise((r) => setTimeout(r, 20));
    await a.publish('fan', { hello: '세계' });
    expect(await first).toEqual({ hello: '세계' });
    expect(await second).toEqual({ hello: '세계' });
  });
});

describe(`cache (${redisUrl ? 'Redis' : 'in-process LRU'})`, () => {
  it('stores values with a TTL, shares them between instances, and deletes them', async () => {
    const [a, b] = await cachePair();
    await a.set('event:1', { name: '북클럽' }, 60);
    expect(await b.get('event:1')).toEqual({ name: '북클럽' });
    await b.del('event:1');
    expect(await a.get('event:1')).toBeUndefined();
    await a.set('short', 1, 1);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await a.get('short')).toBeUndefined();
  });

  it('counts in a fixed window for rate limits', async () => {
    const [a, b] = await cachePair();
    const key = `rl:${randomBytes(3).toString('hex')}`;
    expect(await a.incr(key, 1)).toBe(1);
    expect(await b.incr(key, 1)).toBe(2);
    expect(await a.incr(key, 1)).toBe(3);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await a.incr(key, 1)).toBe(1);
  });

  it('counts hits and misses for the cache hit-rate metric', async () => {
    const [a] = await cachePair();
    const before = { ...a.stats };
    await a.set('hit', true, 60);
    await a.get('hit');
    await a.get('miss-' + randomBytes(2).toString('hex'));
    expect(a.stats.hits - before.hits).toBe(1);
    expect(a.stats.misses - before.misses).toBe(1);
  });
});
