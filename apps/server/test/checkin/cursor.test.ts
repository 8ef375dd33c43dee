import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChangeState, checkinRepository } from '../../src/modules/checkin/checkin.repository.ts';
import { queryRows, sql } from '../../src/platform/db/database.ts';
import { createTestContext } from '../helpers/test-app.ts';
import { changes, mutation, type Setup, setupEvent, syncOk } from './fixtures.ts';

// The change cursor must be safe under concurrency: a reader must never skip a change that commits
// after it read, even if that change holds a smaller cursor. With a plain sequence, writer 1 could take
// cursor n, writer 2 n+1 and commit first; a reader would then see n+1, move its cursor past n, and
// never see writer 1's change. These tests run real parallel transactions on PostgreSQL.
let ctx: Awaited<ReturnType<typeof createTestContext>>;
let s: Setup;
beforeAll(async () => {
  ctx = await createTestContext();
  s = await setupEvent(ctx.app, 40);
});
afterAll(async () => ctx?.close());

/** A promise and the function that resolves it: the tests' transactions wait on each other with these. */
function barrier(): { reached: Promise<void>; open(): void } {
  let open!: () => void;
  const reached = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { reached, open };
}

/** Waits (event-loop turns, bounded) until `condition` holds. */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting until ${what}`);
}

const change = (participantId: string): ChangeState => ({
  participantId,
  kind: 'checkin',
  status: 'checked_in',
  timestamp: new Date(),
  checkedBy: null,
  deviceId: 'test',
  version: 99,
});

describe('change cursor', () => {
  it('a reader sees only a gap-free prefix while a slow writer holds a smaller cursor', async () => {
    const db = ctx.platform.database.db;
    const start = await checkinRepository.currentCursor(db, s.eventId);
    const slowAppended = barrier();
    const slowMayCommit = barrier();
    const slow = db.transaction(async (tx) => {
      await checkinRepository.appendChanges(tx, s.eventId, [change(s.participants[0]!.id)], new Date());
      slowAppended.open();
      await slowMayCommit.reached; // holds cursor start+1, uncommitted
    });
    await slowAppended.reached;
    const fast = db.transaction(async (tx) => {
      await checkinRepository.appendChanges(tx, s.eventId, [change(s.participants[1]!.id)], new Date());
    });
    // Mid-flight read: whatever it sees must start right after `start` with no hole.
    let seen: Awaited<ReturnType<typeof checkinRepository.changesAfter>>;
    if (ctx.engine === 'postgres') {
      // The fast writer is blocked on the event's cursor row (PostgreSQL reports it waiting on a
      // lock) — only then is the read truly mid-flight.
      await until(async () => {
        const [row] = await queryRows<{ waiting: number }>(
          db,
          sql`select count(*)::int as waiting from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock'`,
        );
        return (row?.waiting ?? 0) > 0;
      }, 'the fast writer waits for the slow one');
      seen = await checkinRepository.changesAfter(db, s.eventId, start, 100);
      expect(seen).toHaveLength(0); // neither commit is visible: the fast writer waited for the slow one
      slowMayCommit.open();
    } else {
      // The embedded engine runs one transaction at a time: the fast writer and the read queue
      // behind the slow writer, so the read is issued mid-flight and answered after both commit.
      const read = checkinRepository.changesAfter(db, s.eventId, start, 100);
      slowMayCommit.open();
      seen = await read;
    }
    await Promise.all([slow, fast]);
    const all = await checkinRepository.changesAfter(db, s.eventId, start, 100);
    expect(all.map((c) => c.cursor)).toEqual([start + 1, start + 2]);
    expect(all.map((c) => c.participantId)).toEqual([s.participants[0]!.id, s.participants[1]!.id]);
    expect(seen.map((c) => c.cursor)).toEqual(all.slice(0, seen.length).map((c) => c.cursor));
  });

  it('8 concurrent writers and a concurrent reader: the reader collects every change exactly once, in order', async () => {
    const start = (await changes(ctx.app, s.organizer.token, s.eventId)).cursor;
    let writing = true;
    const collected: number[] = [];
    const reader = (async () => {
      let since = start;
      for (;;) {
        const done = !writing;
        const page = await changes(ctx.app, s.staff.token, s.eventId, since, 50);
        // A real client's poll crosses the network, i.e. the event loop. Through inject on embedded
        // PGlite a poll is microtasks only (the caller's role is remembered, so no query precedes the
        // feed read), and a loop of them would starve the writers' requests waiting for a turn.
        await new Promise((resolve) => setImmediate(resolve));
        collected.push(...page.changes.map((c) => c.cursor));
        since = page.cursor;
        if (done && !page.has_more) return;
      }
    })();
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < 12; i++) {
        const p = s.participants[2 + ((w * 12 + i) % 38)]!;
        await syncOk(
          ctx.app,
          s.staff.token,
          s.eventId,
          [mutation(p.id, i % 2 ? 'undo_check_in' : 'check_in', Date.now() + i * 6_000)],
          {
            id: `writer-${w}`,
            name: `writer ${w}`,
          },
        );
      }
    });
    await Promise.all(writers);
    writing = false;
    await reader;
    const end = (await changes(ctx.app, s.organizer.token, s.eventId)).cursor;
    expect(end - start).toBeGreaterThan(40);
    expect(collected).toEqual(Array.from({ length: end - start }, (_, i) => start + i + 1));
  });
});
