import { Redis } from 'ioredis';
import { failFastOptions, redisBreaker } from '../redis/fail-fast.ts';
import type { Cache } from './cache.ts';
import { createMemoryCache } from './memory-cache.ts';

/**
 * The shared cache in Redis, failing fast (redis/fail-fast.ts): while Redis is down or slow a read
 * is a miss — callers then read PostgreSQL, sessions included, so a revoked session is never
 * answered from here — a write is skipped, and a counter (rate limits) counts on this instance
 * alone. A delete that could not reach Redis is remembered: until it is replayed (as soon as the
 * connection is back) the key reads as a miss here, so a session revoked during an outage does not
 * come back alive from the stale entry it left behind.
 */
export async function createRedisCache(url: string, prefix = 'em:cache:'): Promise<Cache> {
  const redis = new Redis(url, { ...failFastOptions, keyPrefix: prefix });
  redis.on('error', () => {});
  const breaker = redisBreaker();
  const local = createMemoryCache(10_000);
  const unreachedDeletes = new Set<string>();
  let replaying = false;

  async function replayDeletes(): Promise<void> {
    if (replaying || unreachedDeletes.size === 0) return;
    replaying = true;
    const keys = [...unreachedDeletes];
    try {
      await redis.del(...keys);
      for (const k of keys) unreachedDeletes.delete(k);
    } catch {
      // Still unreachable: the next reconnect or successful command tries again.
    } finally {
      replaying = false;
    }
  }
  // Replayed on reconnect, and after any command that succeeds (a Redis that was only slow keeps
  // its connection: there is no reconnect to wait for).
  async function guarded<T>(command: () => Promise<T>): Promise<T> {
    const result = await breaker.execute(command);
    if (unreachedDeletes.size > 0) void replayDeletes();
    return result;
  }
  redis.on('ready', () => void replayDeletes());
  await redis.connect();

  const stats = { hits: 0, misses: 0 };
  return {
    stats,
    async get<T>(key: string) {
      let raw: string | null = null;
      if (!unreachedDeletes.has(key)) {
        try {
          raw = await guarded(() => redis.get(key));
        } catch {
          raw = null;
        }
      }
      if (raw === null) {
        stats.misses++;
        return undefined;
      }
      stats.hits++;
      return JSON.parse(raw) as T;
    },
    async set(key, value, ttlSeconds) {
      try {
        await guarded(() => redis.set(key, JSON.stringify(value), 'EX', Math.max(1, Math.ceil(ttlSeconds))));
        unreachedDeletes.delete(key);
      } catch {
        // A cache write is an optimisation: skipped while Redis is unreachable.
      }
    },
    async del(...keys) {
      if (keys.length === 0) return;
      try {
        await guarded(() => redis.del(...keys));
      } catch {
        for (const k of keys) unreachedDeletes.add(k);
      }
    },
    async incr(key, ttlSeconds) {
      try {
        return await guarded(async () => {
          const [[, count]] = (await redis
            .multi()
            .incr(key)
            .expire(key, Math.max(1, Math.ceil(ttlSeconds)), 'NX')
            .exec()) as [[Error | null, number], [Error | null, number]];
          return count;
        });
      } catch {
        // Counted on this instance alone until Redis answers again.
        return local.incr(key, ttlSeconds);
      }
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      redis.disconnect();
    },
  };
}
