import type { Event } from '@eventmanager/domain/events/schema';
import type { RegistrationStatus } from '@eventmanager/domain/participants/participant.schema';
import type { Db } from '../../platform/db/database.ts';
import { runHooks } from '../../platform/hooks.ts';
import { lockEvent } from '../events/events.repository.ts';
import type { ParticipantsDeps } from './participants.deps.ts';
import { participantsRepository as repo } from './participants.repository.ts';
import { type EventPlan, NO_PLAN_CAP, roomLeft } from './registration.rules.ts';

/** One registration status move, as the `participantStatusChanged` hook announces it. */
export interface StatusChange {
  participantId: string;
  from: RegistrationStatus;
  to: RegistrationStatus;
  reason: 'approved' | 'rejected' | 'cancelled' | 'promoted' | 'restored';
  /** Who made the move: the organizer (the participant is told by e-mail), the participant, or the system. */
  by: 'organizer' | 'participant' | 'system';
}

/**
 * Fills every free seat from the waitlist, in registration order, in ONE statement. The caller
 * holds the event's row lock (the lock registration takes), so the count it decides on is
 * authoritative: concurrent cancellations, registrations and capacity changes are serialised and
 * capacity is never exceeded. Nothing moves in a completed or cancelled event.
 * Appends a `promoted` change per person; the caller runs the hooks (runStatusHooks).
 */
export async function fillFreeSeats(
  deps: Pick<ParticipantsDeps, 'clock'>,
  tx: Db,
  event: Event,
  changes: StatusChange[],
  /** The event's plan: its admitted-participants limit bounds the seats too. */
  plan: EventPlan = NO_PLAN_CAP,
): Promise<string[]> {
  if (event.status === 'completed' || event.status === 'cancelled') return [];
  const counts = await repo.seatCounts(tx, event.id);
  const room = Math.min(roomLeft(event, counts.registered, plan), counts.waitlisted);
  if (room <= 0) return [];
  const promoted = await repo.promoteFirstWaitlisted(tx, event.id, room, deps.clock.now());
  for (const id of promoted) {
    changes.push({ participantId: id, from: 'waitlist', to: 'registered', reason: 'promoted', by: 'system' });
  }
  return promoted;
}

export async function runStatusHooks(
  deps: Pick<ParticipantsDeps, 'hooks'>,
  tx: Db,
  eventId: string,
  changes: StatusChange[],
): Promise<void> {
  for (const change of changes) {
    await runHooks(deps.hooks.participantStatusChanged, tx, { eventId, ...change });
  }
}

let configured: Pick<ParticipantsDeps, 'clock' | 'hooks'> | undefined;

/** Set when the module registers, so other modules can call promoteFromWaitlist with only a Db. */
export function configureWaitlist(deps: Pick<ParticipantsDeps, 'clock' | 'hooks'>): void {
  configured = deps;
}

/**
 * For other modules whose change frees seats (an expired payment hold): inside the caller's
 * transaction, locks the event row, promotes the first waitlisted people into every free seat and
 * runs the status hooks (each promoted person gets the promotion e-mail). Returns their ids.
 */
export async function promoteFromWaitlistIn(tx: Db, eventId: string): Promise<string[]> {
  if (!configured) throw new Error('participants module is not registered (configureWaitlist)');
  const event = await lockEvent(tx, eventId);
  const changes: StatusChange[] = [];
  const promoted = await fillFreeSeats(configured, tx, event, changes);
  await runStatusHooks(configured, tx, eventId, changes);
  return promoted;
}

/** 1-based place in line of a waitlisted participant (people ahead by registration number + 1). */
export async function waitlistPosition(db: Db, eventId: string, registrationNumber: number): Promise<number> {
  return (await repo.waitlistedBefore(db, eventId, registrationNumber)) + 1;
}
