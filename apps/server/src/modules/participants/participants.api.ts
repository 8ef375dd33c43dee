import type { Language } from '@eventmanager/domain/common/schema';
import type { Event } from '@eventmanager/domain/events/schema';
import type { CustomResponses } from '@eventmanager/domain/participants/custom-responses';
import type {
  CheckinStatus,
  Participant,
  RegistrationStatus,
} from '@eventmanager/domain/participants/participant.schema';
import type { Db, SQL } from '../../platform/db/database.ts';
import { getEvent, isUuid } from '../events/events.repository.ts';
import { manageUrlFor, participantsContext } from './participants.context.ts';
import { toParticipant } from './participants.mapper.ts';
import { type CheckinCompareAndSet, participantsRepository as repo } from './participants.repository.ts';
import type { ParticipantRow } from './participants.tables.ts';
import { forgetWritten, writtenEvent, writtenRow, writtenWaitlistPosition } from './transaction-cache.ts';
import { promoteFromWaitlistIn, waitlistPosition } from './waitlist.ts';

export type { CheckinCompareAndSet, CheckinWrite } from './participants.repository.ts';

/**
 * The participants module's contract with the other modules (docs/MODULES.md). Participants come
 * back decrypted, with the phone masked as organizer and staff views show it; only
 * getNotificationContext carries the plain phone (it goes to the participant themselves).
 */

export async function getParticipant(
  db: Db,
  eventId: string,
  participantId: string,
): Promise<Participant | undefined> {
  if (!isUuid(eventId) || !isUuid(participantId)) return undefined;
  const cached = writtenRow(db, participantId);
  const row = cached?.eventId === eventId ? cached : await repo.findById(db, eventId, participantId);
  return row ? toParticipant(row, participantsContext().cipher, { phone: 'masked' }) : undefined;
}

/** Row-locks the event's participants among `ids` (FOR UPDATE, ordered by id so lockers never deadlock). */
export async function lockParticipants(
  tx: Db,
  eventId: string,
  ids: string[],
): Promise<{ id: string; checkinStatus: CheckinStatus; version: number }[]> {
  const valid = ids.filter(isUuid);
  if (!isUuid(eventId) || valid.length === 0) return [];
  return repo.lockMany(tx, eventId, [...new Set(valid)]);
}

/**
 * SQL (for a CTE) reading `id, checkin_status, version, revision, registration_status` of the event's live participants
 * among `ids`, without locking: the check-in module reads them in the same statement as their logs.
 * `revision` changes with every update of the row. Ids that are not UUIDs are dropped.
 */
export function checkinStatesQuery(eventId: string, ids: string[]): SQL {
  return repo.checkinStatesQuery(eventId, [...new Set(ids.filter(isUuid))]);
}

/** checkinStatesQuery for every live participant of the event (an instance's in-memory ledger). */
export function eventCheckinStatesQuery(eventId: string): SQL {
  return repo.eventCheckinStatesQuery(eventId);
}

/**
 * SQL (for a data-modifying CTE) writing check-in states by compare-and-set: each participant is
 * updated only if it is live and still at the revision read — state replaced and version bumped
 * when a state is given, otherwise only a new revision; returns `id, revision` per updated row. A writer that
 * reads revisions, decides, and embeds this in its single write statement needs no lock: a row
 * that moved on is not updated, and the caller aborts that statement (see the check-in sync
 * engine). Ids must be distinct and read by checkinStatesQuery (which pins their event).
 */
export function checkinCompareAndSet(items: CheckinCompareAndSet[], now: Date): SQL {
  return repo.checkinCompareAndSet(items, now);
}

export async function findByTicketCode(
  db: Db,
  eventId: string,
  ticketCode: string,
): Promise<Participant | undefined> {
  if (!isUuid(eventId)) return undefined;
  const row = await repo.findByTicketCode(db, ticketCode);
  if (!row || row.eventId !== eventId) return undefined;
  return toParticipant(row, participantsContext().cipher, { phone: 'masked' });
}

/**
 * Every non-deleted participant of the event, in registration order: the offline cache. Each carries
 * its `ticket_code` so check-in devices can resolve a scanned ticket QR with no network.
 */
export async function listSnapshot(
  db: Db,
  eventId: string,
): Promise<(Participant & { ticket_code: string })[]> {
  if (!isUuid(eventId)) return [];
  const { cipher } = participantsContext();
  return (await repo.listAll(db, eventId)).map((row) => ({
    ...toParticipant(row, cipher, { phone: 'masked' }),
    ticket_code: row.ticketCode,
  }));
}

/** Registered participants still `not_checked_in` become `no_show` (versions bumped); returns their ids. */
export async function markNoShows(tx: Db, eventId: string): Promise<string[]> {
  if (!isUuid(eventId)) return [];
  forgetWritten(tx);
  return repo.markNoShows(tx, eventId, new Date());
}

export interface NotificationContext {
  participant: Participant;
  event: Event;
  ticketCode: string;
  manageUrl: string;
  language: Language;
  /** Place in line (1 = next) while on the waitlist, else null. */
  waitlistPosition: number | null;
}

/** Everything an e-mail to the participant needs; undefined when the participant or event is gone. */
export async function getNotificationContext(
  db: Db,
  participantId: string,
): Promise<NotificationContext | undefined> {
  if (!isUuid(participantId)) return undefined;
  const row = writtenRow(db, participantId) ?? (await repo.findAnyById(db, participantId));
  if (!row || row.anonymizedAt) return undefined;
  const event = writtenEvent(db, row.eventId) ?? (await getEvent(db, row.eventId));
  if (!event) return undefined;
  const context = participantsContext();
  const position =
    row.registrationStatus !== 'waitlist'
      ? null
      : (writtenWaitlistPosition(db, row.id) ??
        (await waitlistPosition(db, row.eventId, row.registrationNumber)));
  return {
    participant: toParticipant(row, context.cipher, { phone: 'plain' }),
    event,
    ticketCode: row.ticketCode,
    manageUrl: manageUrlFor(context, row.id),
    language: row.language,
    waitlistPosition: position,
  };
}

export interface DrawPoolEntry {
  id: string;
  name: string;
  registrationNumber: number;
  registrationStatus: RegistrationStatus;
  checkinStatus: CheckinStatus;
  customResponses: CustomResponses;
}

/** Every non-deleted participant with what a drawing filters on; the drawings module picks the pool. */
export async function listDrawPool(db: Db, eventId: string): Promise<DrawPoolEntry[]> {
  if (!isUuid(eventId)) return [];
  return (await repo.listAll(db, eventId)).map((row) => ({
    id: row.id,
    name: row.name,
    registrationNumber: row.registrationNumber,
    registrationStatus: row.registrationStatus,
    checkinStatus: row.checkinStatus,
    customResponses: row.customResponses,
  }));
}

export interface WalkInRegistration {
  id: string;
  name: string;
  email: string | undefined;
  phone: string | undefined;
  customResponses: Record<string, unknown>;
  language: Language | undefined;
}

type WalkInRegistrar = (
  event: Event,
  userId: string,
  input: WalkInRegistration,
) => Promise<{ row: ParticipantRow; created: boolean }>;
let walkIns: WalkInRegistrar | undefined;

/** Set by the participants module when it registers (its registration service does the work). */
export function configureWalkIns(registrar: WalkInRegistrar): void {
  walkIns = registrar;
}

/**
 * Registers a walk-in at the door under the device-chosen id (see the registration service):
 * always admitted, idempotent per id. Answers the participant (phone masked) with its ticket code,
 * and whether this call created it. Throws problem errors (400 answers, 409 e-mail taken).
 */
export async function registerWalkIn(
  event: Event,
  userId: string,
  input: WalkInRegistration,
): Promise<{ participant: Participant & { ticket_code: string }; created: boolean }> {
  if (!walkIns) throw new Error('participants module is not registered (configureWalkIns)');
  const { row, created } = await walkIns(event, userId, input);
  return {
    participant: {
      ...toParticipant(row, participantsContext().cipher, { phone: 'masked' }),
      ticket_code: row.ticketCode,
    },
    created,
  };
}

/**
 * Seats were freed by another module's change (an expired payment hold): inside the caller's
 * transaction, locks the event row (the lock registration takes), moves the first waitlisted people
 * into every free seat in registration order and runs the status hooks (each gets the promotion
 * e-mail). Returns the promoted participants' ids.
 */
export async function promoteFromWaitlist(tx: Db, eventId: string): Promise<string[]> {
  if (!isUuid(eventId)) return [];
  return promoteFromWaitlistIn(tx, eventId);
}
