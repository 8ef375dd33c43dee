import type { Db } from './db/database.ts';

/**
 * In-transaction lifecycle hooks: how one module reacts to another's change atomically without
 * touching its tables (e.g. notifications enqueue the confirmation e-mail in the same transaction
 * that registered the participant; check-in marks no-shows in the one that completed the event).
 * Hooks run inside the caller's transaction: a throwing hook rolls the change back.
 */
export type Hook<T> = (tx: Db, payload: T) => Promise<void>;

export type RegistrationStatus = 'registered' | 'waitlist' | 'pending' | 'cancelled' | 'rejected';
export type EventStatus = 'draft' | 'published' | 'in_progress' | 'completed' | 'cancelled';

export interface LifecycleHooks {
  /**
   * Participants were created (public form, organizer add, or import): ONE call per registering
   * transaction with all of its new participants, in registration-number order, so a hook can write
   * for the whole batch in one statement (a burst registers hundreds per transaction, under the
   * event lock, where every extra statement delays everyone).
   */
  participantRegistered: Hook<{
    eventId: string;
    /**
     * `notify: false`: the organizer chose not to tell this participant (an import without
     * confirmation e-mails); absent means true.
     */
    participants: { participantId: string; status: RegistrationStatus; notify?: boolean }[];
  }>[];
  /**
   * A registration status changed (approve, reject, cancel, waitlist promotion, restore of a
   * cancellation); `by` says who moved it (an organizer's move is told to the participant).
   */
  participantStatusChanged: Hook<{
    eventId: string;
    participantId: string;
    from: RegistrationStatus;
    to: RegistrationStatus;
    reason: 'approved' | 'rejected' | 'cancelled' | 'promoted' | 'restored';
    by: 'organizer' | 'participant' | 'system';
  }>[];
  /** A participant's identity or answers were edited (organizer or self-service), or anonymised. */
  participantUpdated: Hook<{ eventId: string; participantId: string }>[];
  /** An event moved through its state machine. */
  eventStatusChanged: Hook<{ eventId: string; from: EventStatus; to: EventStatus }>[];
  /** An event's fields changed (schedule, capacity, form…); `fields` names the top-level keys. */
  eventUpdated: Hook<{ eventId: string; fields: string[] }>[];
}

export function createLifecycleHooks(): LifecycleHooks {
  return {
    participantRegistered: [],
    participantStatusChanged: [],
    participantUpdated: [],
    eventStatusChanged: [],
    eventUpdated: [],
  };
}

export async function runHooks<T>(hooks: Hook<T>[], tx: Db, payload: T): Promise<void> {
  for (const hook of hooks) await hook(tx, payload);
}
