import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, queryRows, sql } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { createTestDatabase } from '../helpers/test-app.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('migrations', () => {
  it('are applied once: running again (even concurrently) applies nothing', async () => {
    const database: Database = db.database;
    const again = await Promise.all([migrate(database), migrate(database), migrate(database)]);
    expect(again.flat()).toEqual([]);
    const names = await queryRows<{ name: string }>(
      database.db,
      sql`select name from schema_migrations order by name`,
    );
    expect(names.length).toBeGreaterThan(0);
    expect(names[0]!.name).toBe('0001_accounts.sql');
    expect(new Set(names.map((n) => n.name)).size).toBe(names.length);
  });
});
