import type { Bus } from '../../platform/bus/bus.ts';
import { type Db, queryRows, sql } from '../../platform/db/database.ts';
import { eventChannel } from './channels.ts';
import { toCheckinUpdated } from './checkin.mapper.ts';
import type { ChangeRow } from './checkin.repository.ts';

const POLL_MS = [5, 10, 20, 50, 100, 200, 500, 1_000];
const GIVE_UP_MS = 60_000;

interface Pending {
  row: ChangeRow;
  since: number;
}

/**
 * Changes recorded by a lifecycle hook live in ANOTHER module's transaction, whose commit we do not
 * see. Publishing from inside it would announce changes that may roll back (and whose cursor would
 * then be reused). So we watch from outside: once the exact row is visible to a fresh statement its
 * transaction has committed and we publish it; if its cursor turns up holding a different change, it
 * rolled back and nothing is sent. One poller per event covers every pending change (an import of a
 * thousand rows is one query per poll). On PGlite (one connection) a poll simply waits for the
 * transaction to end. Delivery stays at-most-once; a client that misses one sees a cursor gap.
 */
export function createCommitPublisher(db: Db, bus: Bus, onError: (err: unknown) => void) {
  const pending = new Map<string, Pending[]>();
  const polling = new Set<string>();

  function schedule(eventId: string, attempt: number, delay: number): void {
    setTimeout(() => {
      poll(eventId, attempt).catch((err) => {
        onError(err);
        // A failed poll (database blip) retries later; the pending changes are kept.
        const list = pending.get(eventId);
        if (list?.length) schedule(eventId, attempt + 1, 1_000);
        else polling.delete(eventId);
      });
    }, delay).unref();
  }

  async function poll(eventId: string, attempt: number): Promise<void> {
    // Take the list; changes recorded meanwhile go to a fresh one and join the next poll.
    const list = pending.get(eventId) ?? [];
    pending.set(eventId, []);
    if (list.length === 0) {
      pending.delete(eventId);
      polling.delete(eventId);
      return;
    }
    const cursors = list.map((p) => p.row.cursor);
    const found = await queryRows<{
      cursor: number | string;
      participant_id: string;
      kind: string;
      version: number;
    }>(
      db,
      sql`select cursor, participant_id, kind, version from participant_changes
          where event_id = ${eventId} and cursor = any(${`{${cursors.join(',')}}`}::bigint[])`,
    );
    const byCursor = new Map(found.map((f) => [Number(f.cursor), f]));
    const now = Date.now();
    const keep: Pending[] = [];
    const ready: ChangeRow[] = [];
    for (const p of list) {
      const hit = byCursor.get(p.row.cursor);
      if (!hit) {
        if (now - p.since < GIVE_UP_MS) keep.push(p);
      } else if (
        hit.participant_id === p.row.participantId &&
        hit.kind === p.row.kind &&
        hit.version === p.row.version
      ) {
        ready.push(p.row);
      }
    }
    ready.sort((a, b) => a.cursor - b.cursor);
    // One bus message for them all; subscribers still get them one by one, in cursor order.
    await bus
      .publishMany(
        eventChannel(eventId),
        ready.map((row) => toCheckinUpdated(eventId, row)),
      )
      .catch(onError);
    const next = [...keep, ...(pending.get(eventId) ?? [])];
    if (next.length === 0) {
      pending.delete(eventId);
      polling.delete(eventId);
      return;
    }
    pending.set(eventId, next);
    const delay = POLL_MS[Math.min(attempt, POLL_MS.length - 1)] ?? 1_000;
    schedule(eventId, attempt + 1, delay);
  }

  return {
    /** Publishes these rows as `checkin_updated` once (and only if) their transaction commits. */
    afterCommit(eventId: string, rows: ChangeRow[]): void {
      if (rows.length === 0) return;
      const list = pending.get(eventId) ?? [];
      for (const row of rows) list.push({ row, since: Date.now() });
      pending.set(eventId, list);
      if (polling.has(eventId)) return;
      polling.add(eventId);
      schedule(eventId, 0, 0);
    },
  };
}
