import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows, sql } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';

/**
 * Links stored before the https-only rule are upgraded, so the API can still send them back (its
 * response schemas refuse plain http): http → https, loopback kept, anything else dropped.
 */
const MIGRATIONS = new URL('../../src/db/migrations/', import.meta.url).pathname;
const HTTPS_MIGRATION = '0016_https_only_links.sql';
let before: string;
let database: Awaited<ReturnType<typeof openDatabase>>;

beforeAll(async () => {
  before = await mkdtemp(path.join(os.tmpdir(), 'em-migrations-'));
  for (const f of await readdir(MIGRATIONS)) {
    if (f.endsWith('.sql') && f < HTTPS_MIGRATION) await cp(path.join(MIGRATIONS, f), path.join(before, f));
  }
  database = await openDatabase({ engine: 'pglite', dataDir: undefined });
}, 120_000);
afterAll(async () => {
  await database?.close();
  await rm(before, { recursive: true, force: true });
});

describe(HTTPS_MIGRATION, () => {
  it('upgrades plain-http profile images, keeps https and loopback, drops what is no web link', async () => {
    await migrate(database, before);
    const rows = {
      http: 'http://cdn.example.com/me.png',
      https: 'https://cdn.example.com/me.png',
      loopback: 'http://localhost:5173/me.png',
      script: 'javascript:alert(1)',
    };
    const ids: Record<string, string> = {};
    for (const [kind, url] of Object.entries(rows)) {
      ids[kind] = randomUUID();
      await database.db.execute(
        sql`insert into users (id, email, password_hash, name, profile_image_url)
            values (${ids[kind]}, ${`${kind}-${ids[kind]}@example.com`}, 'x', 'K', ${url})`,
      );
    }
    expect(await migrate(database)).toContain(HTTPS_MIGRATION);
    const after = await queryRows<{ id: string; profile_image_url: string | null }>(
      database.db,
      sql`select id, profile_image_url from users`,
    );
    const urlOf = (kind: string) => after.find((r) => r.id === ids[kind])?.profile_image_url;
    expect(urlOf('http')).toBe('https://cdn.example.com/me.png');
    expect(urlOf('https')).toBe('https://cdn.example.com/me.png');
    expect(urlOf('loopback')).toBe('http://localhost:5173/me.png');
    expect(urlOf('script')).toBeNull();
  }, 120_000);
});
