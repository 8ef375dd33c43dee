import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { type App, buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import type { Bus } from '../../src/platform/bus/bus.ts';
import { createMemoryBus } from '../../src/platform/bus/memory-bus.ts';
import { createRedisBus } from '../../src/platform/bus/redis-bus.ts';
import type { Cache } from '../../src/platform/cache/cache.ts';
import { createMemoryCache } from '../../src/platform/cache/memory-cache.ts';
import { createRedisCache } from '../../src/platform/cache/redis-cache.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { type Database, openDatabase } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { openPlatform, type Platform } from '../../src/platform/platform.ts';
import { generateTestSecrets, type Secrets } from '../../src/platform/secrets.ts';

export type TestEngine = 'pglite' | 'postgres';

export function testEngine(): TestEngine {
  return process.env.TEST_DB_ENGINE === 'postgres' ? 'postgres' : 'pglite';
}

/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or a new database on the real
 * PostgreSQL server (so test files run in parallel without seeing each other's rows).
 */
export async function createTestDatabase(): Promise<{
  database: Database;
  url?: string;
  drop(): Promise<void>;
}> {
  if (testEngine() === 'pglite') {
    const database = await openDatabase({ engine: 'pglite', dataDir: undefined });
    await migrate(database);
    return { database, drop: () => database.close() };
  }
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) throw new Error('TEST_DB_ENGINE=postgres needs DATABASE_URL');
  const name = `em_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ engine: 'postgres', url: url.toString(), poolSize: 10 });
  await migrate(database);
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close();
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface SharedInfra {
  database: Database;
  secrets: Secrets;
  redisPrefix: string;
  memoryBus?: Bus;
  memoryCache?: Cache;
}

export interface TestContext {
  app: App;
  platform: Platform;
  config: Config;
  engine: TestEngine;
  /** Base URL when started with `listen: true` (needed for WebSocket tests). */
  baseUrl: string;
  close(): Promise<void>;
}

export interface TestContextOptions {
  clock?: Clock;
  listen?: boolean;
  env?: Record<string, string>;
  /**
   * Share a database (and secrets) with another context: a second server instance. With Redis each
   * instance gets its own connections under the same prefix; without it they share the in-process
   * bus and cache objects, which stands in for Redis.
   */
  shared?: SharedInfra;
  /** Collects the app's log lines (set LOG_LEVEL through `env`). */
  logStream?: { write(line: string): void };
  /** A Redis of the test's own (e.g. one it stops and restarts) instead of REDIS_URL. */
  redisUrl?: string;
}

/**
 * Builds the real application for a test file: real database (PGlite or PostgreSQL), real Redis bus
 * and cache when the engine is postgres and REDIS_URL is set, in-process ones otherwise.
 */
export async function createTestContext(
  options: TestContextOptions = {},
): Promise<TestContext & { shared: { database: Database; secrets: Secrets; redisPrefix: string } }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'em-test-'));
  const owned = options.shared ? undefined : await createTestDatabase();
  const database = options.shared?.database ?? owned!.database;
  const secrets = options.shared?.secrets ?? generateTestSecrets();
  const redisPrefix = options.shared?.redisPrefix ?? `em-test-${randomBytes(4).toString('hex')}:`;
  const useRedis = testEngine() === 'postgres' && Boolean(process.env.REDIS_URL);
  const redisUrl = options.redisUrl ?? (useRedis ? process.env.REDIS_URL : undefined);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    PUBLIC_URL: 'http://localhost:3000',
    EMBEDDED_WORKER: 'false',
    // Suites send many requests from one address; the limits' own tests turn them on.
    RATE_LIMITS: 'off',
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    ...options.env,
  });
  const ownsMemory = !redisUrl && !options.shared?.memoryBus;
  const bus: Bus = redisUrl
    ? await createRedisBus(redisUrl, `${redisPrefix}bus:`)
    : (options.shared?.memoryBus ?? createMemoryBus());
  const cache: Cache = redisUrl
    ? await createRedisCache(redisUrl, `${redisPrefix}cache:`)
    : (options.shared?.memoryCache ?? createMemoryCache());
  const platform = await openPlatform(config, {
    database,
    bus,
    cache,
    secrets,
    redis: redisUrl ? { url: redisUrl, prefix: redisPrefix } : undefined,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const app = await buildApp(config, platform, options.logStream ? { logStream: options.logStream } : {});
  databases.set(app, database);
  let baseUrl = '';
  if (options.listen) {
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  } else {
    await app.ready();
  }
  return {
    app,
    platform,
    config,
    engine: testEngine(),
    baseUrl,
    shared: { database, secrets, redisPrefix, ...(redisUrl ? {} : { memoryBus: bus, memoryCache: cache }) },
    async close() {
      await app.close();
      if (redisUrl || ownsMemory) {
        await bus.close();
        await cache.close();
      }
      if (owned) await owned.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Each test app's database, so helpers that read e-mailed links need only the app. */
const databases = new WeakMap<App, Database>();

let counter = 0;
/** A unique e-mail per call, so tests never collide on the unique index. */
export function uniqueEmail(prefix = 'user'): string {
  counter++;
  return `${prefix}.${Date.now().toString(36)}.${counter}.${randomBytes(3).toString('hex')}@example.com`;
}

export async function signupUser(
  app: App,
  overrides: Partial<{ email: string; password: string; name: string }> = {},
): Promise<{ token: string; refresh: string; userId: string; email: string; password: string }> {
  const email = overrides.email ?? uniqueEmail();
  const password = overrides.password ?? 'correct-horse-battery';
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/signup',
    payload: { email, password, name: overrides.name ?? '홍길동', accept_terms: true },
  });
  if (res.statusCode !== 201) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as { access_token: string; refresh_token: string; user: { id: string } };
  return { token: body.access_token, refresh: body.refresh_token, userId: body.user.id, email, password };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * The token of the newest link of `type` queued for `recipient` (as the person would click it in
 * the e-mail): the last path segment of the mail data's `link`.
 */
export async function mailedToken(
  app: App,
  type: 'email_verification' | 'password_reset' | 'staff_invitation',
  recipient: string,
): Promise<string> {
  const database = databases.get(app);
  if (!database) throw new Error('not a test app');
  const result = (await database.db.execute(
    sql`select data->>'link' as link from email_queue where type = ${type} and recipient = ${recipient.toLowerCase()}
        order by created_at desc, id desc limit 1`,
  )) as unknown as { rows: { link: string }[] };
  const link = result.rows[0]?.link;
  if (!link) throw new Error(`no ${type} e-mail to ${recipient}`);
  return link.slice(link.lastIndexOf('/') + 1);
}

/** Confirms the user's e-mail through the link sent at sign-up. */
export async function verifyEmail(app: App, email: string): Promise<void> {
  const token = await mailedToken(app, 'email_verification', email);
  const res = await app.inject({ method: 'POST', url: '/api/auth/verify-email', payload: { token } });
  if (res.statusCode !== 200) throw new Error(`verify-email failed: ${res.statusCode} ${res.body}`);
}

/**
 * Makes `staff` a staff member of the event the way a person does: the organizer invites the
 * address, the invitee verifies their e-mail and accepts the link.
 */
export async function addStaffMember(
  app: App,
  organizerToken: string,
  eventId: string,
  staff: { token: string; email: string },
): Promise<void> {
  const invited = await app.inject({
    method: 'POST',
    url: `/api/events/${eventId}/staff`,
    headers: bearer(organizerToken),
    payload: { email: staff.email, role: 'staff' },
  });
  if (invited.statusCode !== 201)
    throw new Error(`staff invite failed: ${invited.statusCode} ${invited.body}`);
  const me = await app.inject({ method: 'GET', url: '/api/me', headers: bearer(staff.token) });
  if (!(me.json() as { email_verified: boolean }).email_verified) await verifyEmail(app, staff.email);
  const token = await mailedToken(app, 'staff_invitation', staff.email);
  const accepted = await app.inject({
    method: 'POST',
    url: `/api/invitations/${token}/accept`,
    headers: bearer(staff.token),
  });
  if (accepted.statusCode !== 200)
    throw new Error(`invitation accept failed: ${accepted.statusCode} ${accepted.body}`);
}
