import { LRUCache } from 'lru-cache';
import type { Cache } from './cache.ts';

export function createMemoryCache(maxEntries = 50_000): Cache {
  const lru = new LRUCache<string, { v: string }>({ max: maxEntries, ttlAutopurge: false });
  const stats = { hits: 0, misses: 0 };
  return {
    stats,
    async get<T>(key: string) {
      const entry = lru.get(key);
      if (!entry) {
        stats.misses++;
        return undefined;
      }
      stats.hits++;
      // Stored as JSON so callers can never mutate a cached object in place (same as Redis).
      return JSON.parse(entry.v) as T;
    },
    async set(key, value, ttlSeconds) {
      lru.set(key, { v: JSON.stringify(value) }, { ttl: ttlSeconds * 1000 });
    },
    async del(...keys) {
      for (const k of keys) lru.delete(k);
    },
    async incr(key, ttlSeconds) {
      const current = lru.get(key);
      const next = (current ? Number(current.v) : 0) + 1;
      lru.set(key, { v: String(next) }, current ? { noUpdateTTL: true } : { ttl: ttlSeconds * 1000 });
      return next;
    },
    async ping() {},
    async close() {
      lru.clear();
    },
  };
}
