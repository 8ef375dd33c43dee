import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, sql } from '../../src/platform/db/database.ts';
import { createTestContext } from '../helpers/test-app.ts';
import { mutation, type Setup, setupEvent, syncOk } from './fixtures.ts';

/**
 * checkin_logs and participant_changes carry no per-row foreign keys (migration 0009): the write
 * statement's compare-and-set guarantees the participant, and statement-level triggers do what the
 * keys' ON DELETE actions did. These tests hold both halves to it.
 */
let ctx: Awaited<ReturnType<typeof createTestContext>>;
let s: Setup;
beforeAll(async () => {
  ctx = await createTestContext();
  s = await setupEvent(ctx.app, 4);
});
afterAll(async () => ctx?.close());

const db = () => ctx.shared.database.db;
const count = async (query: ReturnType<typeof sql>) =>
  Number((await queryRows<{ n: string | number }>(db(), query))[0]!.n);
const logsOf = (participantId: string) =>
  count(sql`select count(*) as n from checkin_logs where participant_id = ${participantId}`);

describe('check-in rows without foreign keys', () => {
  it('a participant gone after the instance cached it gets no log: the write aborts and re-reads', async () => {
    const [a, b] = s.participants;
    // Loads the event into this instance's ledger, with `b` in it.
    await syncOk(ctx.app, s.staff.token, s.eventId, [mutation(a!.id)]);
    await queryRows(db(), sql`delete from participants where id = ${b!.id} returning id`);
    const cursorBefore = await count(
      sql`select last_cursor as n from event_change_cursors where event_id = ${s.eventId}`,
    );
    const res = await syncOk(ctx.app, s.staff.token, s.eventId, [
      mutation(b!.id),
      mutation(a!.id, 'undo_check_in', Date.now() + 6_000),
    ]);
    expect(res.results[0]).toMatchObject({ applied: false, error: { code: 'unknown_participant' } });
    expect(res.results[1]).toMatchObject({ applied: true, state: { status: 'not_checked_in' } });
    expect(await logsOf(b!.id)).toBe(0);
    expect(res.cursor).toBe(cursorBefore + 1);
  });

  it('deleting a participant deletes its logs; deleting an account keeps its logs without the account', async () => {
    const c = s.participants[2]!;
    await syncOk(ctx.app, s.staff.token, s.eventId, [mutation(c.id)]);
    await syncOk(ctx.app, s.organizer.token, s.eventId, [mutation(s.participants[3]!.id)]);
    expect(await logsOf(c.id)).toBe(1);
    await queryRows(db(), sql`delete from participants where id = ${c.id} returning id`);
    expect(await logsOf(c.id)).toBe(0);

    await queryRows(db(), sql`delete from users where id = ${s.staff.userId} returning id`);
    expect(await count(sql`select count(*) as n from checkin_logs where user_id = ${s.staff.userId}`)).toBe(
      0,
    );
    // The staff member's earlier logs are still there, now naming nobody.
    expect(
      await count(
        sql`select count(*) as n from checkin_logs where event_id = ${s.eventId} and user_id is null`,
      ),
    ).toBeGreaterThan(0);
  });

  it('deleting an event deletes its participants’ logs and its change feed', async () => {
    expect(
      await count(sql`select count(*) as n from participant_changes where event_id = ${s.eventId}`),
    ).toBeGreaterThan(0);
    await queryRows(db(), sql`delete from events where id = ${s.eventId} returning id`);
    expect(await count(sql`select count(*) as n from checkin_logs where event_id = ${s.eventId}`)).toBe(0);
    expect(
      await count(sql`select count(*) as n from participant_changes where event_id = ${s.eventId}`),
    ).toBe(0);
  });
});
