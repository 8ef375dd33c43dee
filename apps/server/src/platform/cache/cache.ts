/**
 * Key/value cache with TTLs (seed: event 15 min, counts 5 min, sessions 7 days). In-process LRU by
 * default; Redis when REDIS_URL is set, so every instance sees the same entries and invalidations.
 */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
  /** Increments a counter; the TTL starts at the first increment (fixed window), used for rate limits. */
  incr(key: string, ttlSeconds: number): Promise<number>;
  readonly stats: { hits: number; misses: number };
  ping(): Promise<void>;
  close(): Promise<void>;
}
