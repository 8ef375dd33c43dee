import type { Event, EventRole } from '@eventmanager/domain/events/schema';
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
