import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from './database.ts';

const MIGRATIONS_DIR = new URL('../../db/migrations/', import.meta.url).pathname;
/** Arbitrary constant: every instance takes the same advisory lock, so only one migrates at a time. */
const MIGRATION_LOCK_KEY = 7_291_004_117;

/**
 * Applies the committed SQL migrations in file-name order, each once, inside one transaction holding
 * an advisory lock, so several instances starting together against one PostgreSQL do not race.
 */
export async function migrate(database: Database, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  return database.scriptTransaction(async (run) => {
    await run.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await run.exec(
      'create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())',
    );
    const done = new Set(
      (await run.query<{ name: string }>('select name from schema_migrations')).map((r) => r.name),
    );
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      await run.exec(await readFile(path.join(dir, file), 'utf8'));
      await run.query('insert into schema_migrations (name) values ($1)', [file]);
      applied.push(file);
    }
    return applied;
  });
}
