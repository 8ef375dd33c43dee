import type { Event } from '@eventmanager/domain/events/schema';
import type { Db } from '../../platform/db/database.ts';
import type { ParticipantRow } from './participants.tables.ts';

/**
 * Rows a registering transaction has just written, keyed by that transaction's Db object, so the
 * lifecycle hooks it runs (check-in feed, confirmation e-mail) read the new participants and the
 * locked event without another round trip each — those hooks run while the event row is locked,
 * where every round trip delays every other registration. Nothing outside the transaction can
 * see or change its uncommitted rows, so the copy stays exact; this module's own writers drop it.
 * A WeakMap: the entry disappears with the transaction object.
 */
interface TxCache {
  event: Event;
  rows: Map<string, ParticipantRow>;
  /** Place in line of the new waitlisted rows (the registering batch knows it without a query). */
  positions: Map<string, number>;
}

const caches = new WeakMap<Db, TxCache>();

export function rememberWritten(
  tx: Db,
  event: Event,
  rows: ParticipantRow[],
  waitlistPositions: (number | null)[] = [],
): void {
  const positions = new Map<string, number>();
  rows.forEach((r, i) => {
    const position = waitlistPositions[i];
    if (position != null) positions.set(r.id, position);
  });
  caches.set(tx, { event, rows: new Map(rows.map((r) => [r.id, r])), positions });
}

export function writtenWaitlistPosition(db: Db, participantId: string): number | undefined {
  return caches.get(db)?.positions.get(participantId);
}

export function writtenRow(db: Db, participantId: string): ParticipantRow | undefined {
  return caches.get(db)?.rows.get(participantId);
}

export function writtenEvent(db: Db, eventId: string): Event | undefined {
  const event = caches.get(db)?.event;
  return event?.id === eventId ? event : undefined;
}

export function forgetWritten(db: Db): void {
  caches.delete(db);
}
