import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows, sql } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';

/**
 * Draws made before several winners existed get their one winner into prize_drawing_winners, so
 * history, exclusion and verification treat old and new draws alike.
 */
const MIGRATIONS = new URL('../../src/db/migrations/', import.meta.url).pathname;
const WINNERS_MIGRATION = '0015_drawing_prizes_and_winners.sql';
let before: string;
let database: Awaited<ReturnType<typeof openDatabase>>;

beforeAll(async () => {
  before = await mkdtemp(path.join(os.tmpdir(), 'em-migrations-'));
  for (const f of await readdir(MIGRATIONS)) {
    if (f.endsWith('.sql') && f < WINNERS_MIGRATION) await cp(path.join(MIGRATIONS, f), path.join(before, f));
  }
  database = await openDatabase({ engine: 'pglite', dataDir: undefined });
}, 120_000);
afterAll(async () => {
  await database?.close();
  await rm(before, { recursive: true, force: true });
});

describe(WINNERS_MIGRATION, () => {
  it('backfills the winner of every existing draw at position 0, with no prize and one winner', async () => {
    await migrate(database, before);
    const id = randomUUID();
    const participant = randomUUID();
    const hash = 'a'.repeat(64);
    // Only the drawings tables matter here: skip the foreign keys to users and events.
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`
        insert into prize_drawings (id, event_id, config, status, winner_participant_id, winner_name,
          winner_registration_number, drawn_by, drawn_at, commitment_id, seed, seed_hash, pool, pool_hash, pool_size)
        values (${id}, ${randomUUID()}, '{"participant_pool":"all","exclude_previous_winners":false}', 'confirmed',
          ${participant}, '박민호', 7, ${randomUUID()}, now(), ${randomUUID()}, ${hash}, ${hash}, '[3,7]', ${hash}, 2)`);
    });
    expect(await migrate(database)).toContain(WINNERS_MIGRATION);
    const winners = await queryRows<Record<string, unknown>>(
      database.db,
      sql`select position, participant_id, participant_name, registration_number from prize_drawing_winners where drawing_id = ${id}`,
    );
    expect(winners).toEqual([
      { position: 0, participant_id: participant, participant_name: '박민호', registration_number: 7 },
    ]);
    const [row] = await queryRows<{ prize: string | null; winner_count: number }>(
      database.db,
      sql`select prize, winner_count from prize_drawings where id = ${id}`,
    );
    expect(row).toEqual({ prize: null, winner_count: 1 });
  }, 120_000);
});
