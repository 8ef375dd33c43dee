import { Redis } from 'ioredis';
import type { Cache } from './cache.ts';

export async function createRedisCache(url: string, prefix = 'em:cache:'): Promise<Cache> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, keyPrefix: prefix });
  redis.on('error', () => {});
  await redis.connect();
  const stats = { hits: 0, misses: 0 };
  return {
    stats,
    async get<T>(key: string) {
      const raw = await redis.get(key);
      if (raw === null) {
        stats.misses++;
        return undefined;
      }
      stats.hits++;
      return JSON.parse(raw) as T;
    },
    async set(key, value, ttlSeconds) {
      await redis.set(key, JSON.stringify(value), 'EX', Math.max(1, Math.ceil(ttlSeconds)));
    },
    async del(...keys) {
      if (keys.length > 0) await redis.del(...keys);
    },
    async incr(key, ttlSeconds) {
      const [[, count]] = (await redis
        .multi()
        .incr(key)
        .expire(key, Math.max(1, Math.ceil(ttlSeconds)), 'NX')
        .exec()) as [[Error | null, number], [Error | null, number]];
      return count;
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      redis.disconnect();
    },
  };
}
