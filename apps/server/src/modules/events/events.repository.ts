import type { Event, EventRole } from '@eventmanager/domain/events/schema';
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { union } from 'drizzle-orm/pg-core';
import type { Db } from '../../platform/db/database.ts';
import { notFound } from '../../platform/problem.ts';
import { toEvent } from './events.mapper.ts';
import {
  type EventRow,
  type EventStaffRow,
  eventParticipantCounts,
  eventStaff,
  events,
  type NewEventRow,
} from './events.tables.ts';

/**
 * The only code that touches the events and event_staff tables. The first four functions are the
 * module's contract with the others (docs/MODULES.md); every function takes a Db that may be a
 * transaction. Deleted events (deleted_at set) are invisible to all of them.
 */

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids come from URLs; a malformed one can match nothing, and must not reach SQL as a cast error. */
export const isUuid = (id: string): boolean => UUID_RE.test(id);

export async function getEventRow(db: Db, eventId: string): Promise<EventRow | undefined> {
  if (!isUuid(eventId)) return undefined;
  const rows = await db
    .select()
    .from(events)
    .where(and(eq(events.id, eventId), isNull(events.deletedAt)))
    .limit(1);
  return rows[0];
}

/** The event, or undefined when it does not exist or is deleted. */
export async function getEvent(db: Db, eventId: string): Promise<Event | undefined> {
  const row = await getEventRow(db, eventId);
  return row ? toEvent(row) : undefined;
}

/** Row-locks the event (FOR UPDATE) for the rest of the transaction; 404 when absent or deleted. */
export async function lockEventRow(tx: Db, eventId: string): Promise<EventRow> {
  if (!isUuid(eventId)) throw notFound('Event');
  const rows = await tx
    .select()
    .from(events)
    .where(and(eq(events.id, eventId), isNull(events.deletedAt)))
    .for('update')
    .limit(1);
  if (!rows[0]) throw notFound('Event');
  return rows[0];
}

export async function lockEvent(tx: Db, eventId: string): Promise<Event> {
  return toEvent(await lockEventRow(tx, eventId));
}

export async function findEventRowByShareCode(db: Db, code: string): Promise<EventRow | undefined> {
  if (!/^[A-Za-z0-9]{1,64}$/.test(code)) return undefined;
  const rows = await db
    .select()
    .from(events)
    .where(and(eq(events.shareCode, code), isNull(events.deletedAt)))
    .limit(1);
  return rows[0];
}

/** Any status; callers decide what the public may see (see events.service publicView). */
export async function findEventByShareCode(db: Db, code: string): Promise<Event | undefined> {
  const row = await findEventRowByShareCode(db, code);
  return row ? toEvent(row) : undefined;
}

/** Published or in-progress events starting in [from, to): the reminder scan. */
export async function listEventsStartingBetween(db: Db, from: Date, to: Date): Promise<Event[]> {
  const rows = await db
    .select()
    .from(events)
    .where(
      and(
        isNull(events.deletedAt),
        inArray(events.status, ['published', 'in_progress']),
        gte(events.startsAt, from),
        lt(events.startsAt, to),
      ),
    )
    .orderBy(asc(events.startsAt));
  return rows.map(toEvent);
}

// ---- internal to the events module ----

/** Inserts unless the share code is taken (then undefined, and the caller draws a new code). */
export async function insertEvent(db: Db, row: NewEventRow): Promise<EventRow | undefined> {
  const rows = await db
    .insert(events)
    .values(row)
    .onConflictDoNothing({ target: events.shareCode })
    .returning();
  return rows[0];
}

export async function updateEventRow(
  db: Db,
  eventId: string,
  patch: Partial<NewEventRow>,
): Promise<EventRow | undefined> {
  const rows = await db
    .update(events)
    .set(patch)
    .where(and(eq(events.id, eventId), isNull(events.deletedAt)))
    .returning();
  return rows[0];
}

export async function softDeleteEvent(db: Db, eventId: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(events)
    .set({ deletedAt: at, updatedAt: at })
    .where(and(eq(events.id, eventId), isNull(events.deletedAt)))
    .returning({ id: events.id });
  return rows.length > 0;
}

/** The event plus the caller's role on it, in one query; undefined when neither organizer nor staff. */
export async function findEventWithRole(
  db: Db,
  eventId: string,
  userId: string,
): Promise<{ row: EventRow; role: EventRole } | undefined> {
  if (!isUuid(eventId)) return undefined;
  const rows = await db
    .select({ event: events, staffUser: eventStaff.userId })
    .from(events)
    .leftJoin(eventStaff, and(eq(eventStaff.eventId, events.id), eq(eventStaff.userId, userId)))
    .where(
      and(
        eq(events.id, eventId),
        isNull(events.deletedAt),
        or(eq(events.organizerId, userId), isNotNull(eventStaff.userId)),
      ),
    )
    .limit(1);
  const hit = rows[0];
  if (!hit) return undefined;
  return { row: hit.event, role: hit.event.organizerId === userId ? 'organizer' : 'staff' };
}

export interface DashboardRow {
  row: EventRow;
  role: EventRole;
  participantCount: number;
  checkedInCount: number;
}

/**
 * The dashboard: every non-deleted event the user organizes or staffs, with its counts, in ONE
 * query (the seed's "optimized" query; counts come from the participants module's view).
 * Shape matters on PostgreSQL: a plain LEFT JOIN of the grouped view aggregates every participant
 * of every event; the LATERAL … LIMIT 1 form pushes `event_id = e.id` into the view, so each of
 * the user's events costs one index range scan (measured ≈20× faster at 600k participants). The
 * ids come from a UNION of the two indexed lookups instead of an OR across a join.
 */
export async function listDashboard(db: Db, userId: string): Promise<DashboardRow[]> {
  const counts = db
    .select({
      participantCount: eventParticipantCounts.participantCount,
      checkedInCount: eventParticipantCounts.checkedInCount,
    })
    .from(eventParticipantCounts)
    .where(eq(eventParticipantCounts.eventId, events.id))
    .limit(1)
    .as('counts');
  const mine = union(
    db.select({ id: events.id }).from(events).where(eq(events.organizerId, userId)),
    db.select({ id: eventStaff.eventId }).from(eventStaff).where(eq(eventStaff.userId, userId)),
  );
  const rows = await db
    .select({
      event: events,
      participantCount: sql<number>`coalesce(${counts.participantCount}, 0)::int`,
      checkedInCount: sql<number>`coalesce(${counts.checkedInCount}, 0)::int`,
    })
    .from(events)
    .leftJoinLateral(counts, sql`true`)
    .where(and(isNull(events.deletedAt), inArray(events.id, mine)))
    .orderBy(desc(events.startsAt), asc(events.id));
  return rows.map((r) => ({
    row: r.event,
    role: r.event.organizerId === userId ? 'organizer' : 'staff',
    participantCount: Number(r.participantCount),
    checkedInCount: Number(r.checkedInCount),
  }));
}

/** Adds a staff member; undefined when they already are one (the primary key decides). */
export async function insertStaff(
  db: Db,
  row: { eventId: string; userId: string; invitedBy: string },
): Promise<EventStaffRow | undefined> {
  const rows = await db.insert(eventStaff).values(row).onConflictDoNothing().returning();
  return rows[0];
}

export async function listStaff(db: Db, eventId: string): Promise<EventStaffRow[]> {
  return db
    .select()
    .from(eventStaff)
    .where(eq(eventStaff.eventId, eventId))
    .orderBy(asc(eventStaff.createdAt), asc(eventStaff.userId));
}

export async function deleteStaff(db: Db, eventId: string, userId: string): Promise<boolean> {
  if (!isUuid(userId)) return false;
  const rows = await db
    .delete(eventStaff)
    .where(and(eq(eventStaff.eventId, eventId), eq(eventStaff.userId, userId)))
    .returning({ userId: eventStaff.userId });
  return rows.length > 0;
}

/**
 * How many hold a seat (registered) in the event, through the participants module's counts view;
 * read apart from the cached public view so availability is never stale.
 */
export async function registeredCount(db: Db, eventId: string): Promise<number> {
  const [row] = await db
    .select({ n: eventParticipantCounts.participantCount })
    .from(eventParticipantCounts)
    .where(eq(eventParticipantCounts.eventId, eventId))
    .limit(1);
  return Number(row?.n ?? 0);
}
