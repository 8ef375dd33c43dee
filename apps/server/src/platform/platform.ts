import path from 'node:path';
import type { Config } from '../config.ts';
import type { Bus } from './bus/bus.ts';
import { createMemoryBus } from './bus/memory-bus.ts';
import { createRedisBus } from './bus/redis-bus.ts';
import type { Cache } from './cache/cache.ts';
import { createMemoryCache } from './cache/memory-cache.ts';
import { createRedisCache } from './cache/redis-cache.ts';
import { type Clock, systemClock } from './clock.ts';
import { type Database, openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { ensurePrivateDir } from './private-files.ts';
import { resolveSecrets, type Secrets } from './secrets.ts';

/** Everything outside the process that modules use, chosen by configuration, opened once. */
export interface Platform {
  database: Database;
  bus: Bus;
  cache: Cache;
  clock: Clock;
  secrets: Secrets;
  /** Where Redis-backed shared state lives (request-limit counters), when Redis is configured. */
  redis: { url: string; prefix: string } | undefined;
  close(): Promise<void>;
}

export async function openPlatform(config: Config, overrides: Partial<Platform> = {}): Promise<Platform> {
  // The embedded mode keeps the database, generated secrets and the outbox in DATA_DIR.
  if (!config.databaseUrl && !overrides.database) await ensurePrivateDir(config.dataDir);
  const database =
    overrides.database ??
    (await openDatabase(
      config.databaseUrl
        ? { engine: 'postgres', url: config.databaseUrl }
        : { engine: 'pglite', dataDir: path.join(config.dataDir, 'pglite') },
    ));
  if (!overrides.database) await migrate(database);
  const bus = overrides.bus ?? (config.redisUrl ? await createRedisBus(config.redisUrl) : createMemoryBus());
  const cache =
    overrides.cache ?? (config.redisUrl ? await createRedisCache(config.redisUrl) : createMemoryCache());
  const secrets = overrides.secrets ?? (await resolveSecrets(config));
  return {
    database,
    bus,
    cache,
    clock: overrides.clock ?? systemClock,
    secrets,
    redis:
      'redis' in overrides
        ? overrides.redis
        : config.redisUrl
          ? { url: config.redisUrl, prefix: 'em:' }
          : undefined,
    async close() {
      await bus.close();
      await cache.close();
      await database.close();
    },
  };
}
