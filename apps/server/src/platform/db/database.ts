import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { ensurePrivateDir, makeTreePrivate } from '../private-files.ts';

/**
 * One PostgreSQL dialect, two engines: PGlite (embedded, file-backed, single connection) and
 * node-postgres (a pool against a real server). Repositories only ever see `Db`.
 */
export type Db = PgDatabase<PgQueryResultHKT>;
export type DbEngine = 'pglite' | 'postgres';

export interface Database {
  readonly db: Db;
  readonly engine: DbEngine;
  /** Statements sent through `db` (drizzle's logger counts them); tests assert N+1 freedom with it. */
  readonly stats: { queries: number };
  ping(): Promise<void>;
  close(): Promise<void>;
  /** A transaction that may run multi-statement SQL scripts (migrations); drizzle cannot. */
  scriptTransaction<T>(fn: (runner: ScriptRunner) => Promise<T>): Promise<T>;
}

export interface ScriptRunner {
  exec(script: string): Promise<void>;
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
}

export type DatabaseOptions =
  | { engine: 'postgres'; url: string; poolSize?: number }
  | { engine: 'pglite'; dataDir: string | undefined };

// node-postgres returns int8/numeric as strings by default; counts and cursors fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

const queryCounter = (stats: { queries: number }) => ({
  logQuery: () => {
    stats.queries++;
  },
});

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.engine === 'postgres') {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 20,
      // Connections stay open once made. pg-pool's default closes each one idle for 10 s: after a
      // burst had opened all 20 (500 phones authenticating at the doors), the lull that followed
      // closed them together 10 s later, and 40 PostgreSQL backends exiting at once stalled every
      // check-in on this machine for 30–500 ms (seen in the sync benchmark's fan-out, both instances).
      idleTimeoutMillis: 0,
      options: '-c plan_cache_mode=force_generic_plan',
    });
    // An idle client erroring (server restart) must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    const stats = { queries: 0 };
    const db = drizzleNodePg({ client: pool, logger: queryCounter(stats) }) as unknown as Db;
    return {
      db,
      engine: 'postgres',
      stats,
      async ping() {
        await pool.query('select 1');
      },
      async close() {
        await pool.end();
      },
      async scriptTransaction(fn) {
        const conn = await pool.connect();
        try {
          await conn.query('begin');
          const result = await fn({
            exec: async (script) => {
              await conn.query(script);
            },
            query: async <T>(text: string, params: unknown[] = []) =>
              (await conn.query(text, params)).rows as T[],
          });
          await conn.query('commit');
          return result;
        } catch (err) {
          await conn.query('rollback').catch(() => {});
          throw err;
        } finally {
          conn.release();
        }
      },
    };
  }
  if (options.dataDir) await ensurePrivateDir(options.dataDir);
  const client = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    extensions: { pg_trgm },
  });
  // PGlite creates its files with the process umask; narrow what it wrote at start-up.
  if (options.dataDir) await makeTreePrivate(options.dataDir);
  const stats = { queries: 0 };
  const db = drizzlePglite({ client, logger: queryCounter(stats) }) as unknown as Db;
  return {
    db,
    engine: 'pglite',
    stats,
    async ping() {
      await client.query('select 1');
    },
    async close() {
      await client.close();
    },
    scriptTransaction(fn) {
      return client.transaction((tx) =>
        fn({
          exec: async (script) => {
            await tx.exec(script);
          },
          query: async <T>(text: string, params: unknown[] = []) => (await tx.query<T>(text, params)).rows,
        }),
      );
    },
  };
}

/** Runs raw SQL and returns its rows; both drivers expose `rows` on their result. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

const dialect = new PgDialect();

/**
 * queryRows as a NAMED prepared statement: on PostgreSQL each connection parses and plans `name`
 * once and then only binds parameters, where an unnamed statement is parsed and planned on every
 * call (a few hundred microseconds of server CPU for the check-in path's CTEs, several per sync).
 * `name` must always stand for the same SQL text: statements whose text varies need one name per
 * shape. Embedded PGlite ignores the name. Counted in `stats` like every statement.
 */
export async function queryPrepared<T>(db: Db, name: string, query: SQL): Promise<T[]> {
  const prepared = db._.session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false);
  const result = (await prepared.execute()) as unknown as { rows: T[] };
  return result.rows;
}

export async function queryOne<T>(db: Db, query: SQL): Promise<T | undefined> {
  const rows = await queryRows<T>(db, query);
  return rows[0];
}

export { type SQL, sql };
