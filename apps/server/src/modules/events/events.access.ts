import type { Event, EventRole } from '@eventmanager/domain/events/schema';
import type { Bus } from '../../platform/bus/bus.ts';
import { createLocalMemo } from '../../platform/cache/local-memo.ts';
import type { Db } from '../../platform/db/database.ts';
import { forbidden, notFound } from '../../platform/problem.ts';
import { toEvent } from './events.mapper.ts';
import { findEventWithRole } from './events.repository.ts';
import type { EventRow } from './events.tables.ts';

/**
 * What a caller may do with an event: `read` (see it and its participants), `checkin` (check people
 * in), `manage` (edit, delete, staff, draw prizes, export). Organizers may do everything, staff
 * read and check in.
 */
export type EventAccessNeed = 'read' | 'checkin' | 'manage';

const STAFF_MAY: Record<EventAccessNeed, boolean> = { read: true, checkin: true, manage: false };

/**
 * The one access check for everything under /api/events/:id. Someone who neither organizes nor
 * staffs the (non-deleted) event gets 404, so they cannot even learn that it exists; staff asking
 * for `manage` get 403.
 */
export async function requireEventAccess(
  db: Db,
  eventId: string,
  userId: string,
  need: EventAccessNeed,
): Promise<{ event: Event; role: EventRole }> {
  const { row, role } = await requireEventRowAccess(db, eventId, userId, need);
  return { event: toEvent(row), role };
}

/** The same check, keeping the stored row (the events service needs its internal columns). */
export async function requireEventRowAccess(
  db: Db,
  eventId: string,
  userId: string,
  need: EventAccessNeed,
): Promise<{ row: EventRow; role: EventRole }> {
  const found = await findEventWithRole(db, eventId, userId);
  if (!found) throw notFound('Event');
  if (found.role === 'staff' && !STAFF_MAY[need]) {
    throw forbidden('Event staff may view and check in, but not change this event', 'staff_forbidden');
  }
  return found;
}

/**
 * Who may act on an event, remembered for a few seconds per instance: a check-in phone syncs
 * several times a second and each sync would otherwise read the event and staff tables first. Only
 * granted roles are remembered (a refusal is re-checked every time, so a new staff member can start
 * at once); removing staff or deleting the event invalidates the event's entries on every instance
 * through the bus before it answers (`invalidateEventAccess` waits for every instance's
 * acknowledgement), and the TTL bounds staleness while the bus is down.
 */
const ACCESS_MEMO_TTL_MS = 5_000;
const roles = createLocalMemo<EventRole>({ channel: 'events:access', ttlMs: ACCESS_MEMO_TTL_MS });

/** The events module attaches its bus at registration (until then nothing is remembered). */
export function attachEventAccessMemo(bus: Bus): Promise<() => Promise<void>> {
  return roles.attach(bus);
}

/** After commit of a change that takes access away (staff removed, event deleted). */
export function invalidateEventAccess(eventId: string): Promise<void> {
  return roles.invalidate(eventId);
}

/**
 * requireEventAccess for the hot paths that need only the caller's role, not the event itself
 * (check-in sync, the change feed): same answers, 404/403 alike, from the memo when it can.
 */
export async function requireEventRole(
  db: Db,
  eventId: string,
  userId: string,
  need: EventAccessNeed,
): Promise<EventRole> {
  let role = roles.get(eventId, userId);
  if (!role) {
    const since = roles.stamp();
    const found = await findEventWithRole(db, eventId, userId);
    if (!found) throw notFound('Event');
    role = found.role;
    roles.set(eventId, userId, role, since);
  }
  if (role === 'staff' && !STAFF_MAY[need]) {
    throw forbidden('Event staff may view and check in, but not change this event', 'staff_forbidden');
  }
  return role;
}
