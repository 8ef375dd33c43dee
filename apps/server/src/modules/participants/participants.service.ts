import type { Event } from '@eventmanager/domain/events/schema';
import { koreanInitials } from '@eventmanager/domain/participants/korean-initials';
import {
  MARKETING_CONSENT_VERSION,
  type Participant,
  type ParticipantList,
  type ParticipantListQuery,
  type RegistrationStatus,
} from '@eventmanager/domain/participants/participant.schema';
import { parseQuery } from '@eventmanager/domain/participants/search';
import { eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.ts';
import { runHooks } from '../../platform/hooks.ts';
import { normaliseEmail } from '../../platform/pii.ts';
import { badRequest, conflict, forbidden, HttpProblem, notFound } from '../../platform/problem.ts';
import { requireEventAccess } from '../events/events.access.ts';
import { isUuid, lockEvent } from '../events/events.repository.ts';
import { deskRepository } from './desk.repository.ts';
import type { ParticipantsDeps } from './participants.deps.ts';
import { toParticipant } from './participants.mapper.ts';
import { participantsRepository as repo } from './participants.repository.ts';
import { type NewParticipantRow, type ParticipantRow, participants } from './participants.tables.ts';
import { type EventPlan, fullRefusal, roomLeft } from './registration.rules.ts';
import { checkAnswers } from './registration.service.ts';
import { fillFreeSeats, runStatusHooks, type StatusChange, waitlistPosition } from './waitlist.ts';

/** An edit of identity, answers, language or marketing consent (organizer or the participant). */
export interface ParticipantEdit {
  name?: string | undefined;
  email?: string | undefined;
  phone?: string | null | undefined;
  customResponses?: Record<string, unknown> | undefined;
  language?: 'ko' | 'en' | undefined;
  marketing?: boolean | undefined;
}

/** Decrypted phone digits kept per process: more than one plan-sized event's worth, then started over. */
const PHONE_CACHE_LIMIT = 50_000;
/** Phones decrypted between two yields to the event loop. */
const PHONE_SLICE = 500;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function encodeCursor(number: number): string {
  return Buffer.from(`n:${number}`).toString('base64url');
}
function decodeCursor(cursor: string): number {
  const match = /^n:(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match)
    throw badRequest('Invalid cursor', [{ path: 'cursor', message: 'is not a cursor from this list' }]);
  return Number(match[1]);
}

export function createParticipantsService(deps: ParticipantsDeps) {
  const { db, context } = deps;

  /**
   * The domain's query meaning (`parseQuery`): 초성, registration number, phone digits, exact e-mail
   * (blind index), or a name substring with spaces ignored. Phones are encrypted with a random nonce,
   * so no index can find a fragment of one: the event's phones are decrypted and matched here
   * (`phoneMatches`; bounded by the event's participant count).
   */
  async function searchCondition(eventId: string, q: string | undefined): Promise<SQL | undefined> {
    const query = q?.trim();
    if (!query) return undefined;
    if (query.includes('@') && !/\s/.test(query))
      return eq(participants.emailHash, context.cipher.blindIndex(normaliseEmail(query)));
    const parsed = parseQuery(query);
    switch (parsed.kind) {
      case 'empty':
        return undefined;
      case 'initials':
        return ilike(participants.nameInitials, `%${escapeLike(parsed.initials)}%`);
      case 'digits': {
        const byNumber =
          parsed.number === null ? undefined : eq(participants.registrationNumber, parsed.number);
        if (parsed.phoneDigits === null) return byNumber;
        const ids = await phoneMatches(eventId, parsed.phoneDigits);
        return or(byNumber, ids.length > 0 ? inArray(participants.id, ids) : undefined) ?? sql`false`;
      }
      case 'text':
        return sql`regexp_replace(${participants.name}, '[[:space:]]', '', 'g') ilike ${`%${escapeLike(parsed.text)}%`}`;
    }
  }

  /** Ids of the event's participants whose phone contains `digits` (decrypted, in this process). */
  async function phoneMatches(eventId: string, digits: string): Promise<string[]> {
    const found: string[] = [];
    const rows = await deskRepository.phones(db, eventId);
    for (let i = 0; i < rows.length; i++) {
      // A first search over a large event decrypts thousands of phones (~0.1 ms each on a busy
      // core): let other requests run between slices instead of holding the event loop.
      if (i > 0 && i % PHONE_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      const row = rows[i]!;
      if (phoneDigitsOf(row.phoneEnc).includes(digits)) found.push(row.id);
    }
    return found;
  }

  /**
   * A stored phone's digits, remembered per ciphertext (each encryption has its own nonce, so a
   * changed phone is a new key): a desk typing digit by digit searches the same phones again.
   */
  const phoneDigitCache = new Map<string, string>();
  function phoneDigitsOf(phoneEnc: string): string {
    let digits = phoneDigitCache.get(phoneEnc);
    if (digits === undefined) {
      digits = context.cipher.decrypt(phoneEnc).replace(/\D/g, '');
      if (phoneDigitCache.size >= PHONE_CACHE_LIMIT) phoneDigitCache.clear();
      phoneDigitCache.set(phoneEnc, digits);
    }
    return digits;
  }

  async function publishCounts(eventId: string): Promise<void> {
    const counts = await repo.counts(db, eventId);
    await deps.bus
      .publish(`event:${eventId}`, {
        type: 'event_updated',
        eventId,
        changes: { participant_count: counts.registered, checked_in_count: counts.checkedIn },
      })
      .catch(() => {});
  }

  /** Applies an edit inside the caller's transaction; 409 when the new e-mail is taken. */
  async function applyEdit(tx: Db, event: Event, row: ParticipantRow, edit: ParticipantEdit) {
    const patch: Partial<NewParticipantRow> = {};
    if (edit.name !== undefined && edit.name !== row.name) {
      patch.name = edit.name;
      patch.nameInitials = koreanInitials(edit.name).replace(/\s+/g, '');
    }
    if (edit.email !== undefined) {
      const email = normaliseEmail(edit.email);
      const hash = context.cipher.blindIndex(email);
      if (hash !== row.emailHash) {
        if ((await repo.existingEmailHashes(tx, event.id, [hash])).size > 0) {
          throw conflict('This e-mail address is already registered for the event', 'already_registered');
        }
        patch.emailHash = hash;
        patch.emailEnc = context.cipher.encrypt(email);
      }
    }
    if (edit.phone !== undefined)
      patch.phoneEnc = edit.phone === null ? null : context.cipher.encrypt(edit.phone);
    if (edit.language !== undefined) patch.language = edit.language;
    if (edit.customResponses !== undefined) {
      // Answers to fields the form no longer has are kept untouched; the edit is checked against
      // the current form (unknown ids rejected), merged over the stored answers.
      const current = new Set(event.registration.form_fields.map((f) => f.id));
      const kept = Object.fromEntries(Object.entries(row.customResponses).filter(([k]) => !current.has(k)));
      const known = Object.fromEntries(Object.entries(row.customResponses).filter(([k]) => current.has(k)));
      const checked = checkAnswers(event, { ...known, ...edit.customResponses });
      patch.customResponses = { ...kept, ...checked };
    }
    if (edit.marketing !== undefined) {
      patch.consents = {
        ...row.consents,
        marketing: {
          agreed: edit.marketing,
          agreed_at: deps.clock.now().toISOString(),
          version: MARKETING_CONSENT_VERSION,
        },
      };
    }
    return patch;
  }

  /**
   * Cancels (idempotently) and fills the freed seat from the waitlist — one transaction under the
   * event lock. `by` the organizer, the participant is told by e-mail.
   */
  async function cancel(
    eventId: string,
    participantId: string,
    by: 'organizer' | 'participant',
  ): Promise<void> {
    const plan = await deps.eventPlan(eventId);
    const changed = await db.transaction(async (tx) => {
      const event = await lockEvent(tx, eventId);
      const row = await repo.findByIdForUpdate(tx, eventId, participantId);
      if (!row) throw notFound('Participant');
      if (row.registrationStatus === 'cancelled') return false;
      await repo.update(tx, row.id, { registrationStatus: 'cancelled' }, deps.clock.now(), true);
      const changes: StatusChange[] = [
        { participantId: row.id, from: row.registrationStatus, to: 'cancelled', reason: 'cancelled', by },
      ];
      await fillFreeSeats(deps, tx, event, changes, plan);
      await runStatusHooks(deps, tx, eventId, changes);
      return true;
    });
    if (changed) await publishCounts(eventId);
  }

  /**
   * The status an organizer's `registered` gives, from `from`, with `registered` people holding
   * seats: a free seat (or the explicit over-capacity override) gives one; otherwise approval and
   * restore fall back to the waitlist when the event has one, and promotion is refused (422).
   */
  function organizerAdmission(
    event: Event,
    from: RegistrationStatus,
    registered: number,
    overCapacity: boolean,
    plan: EventPlan,
  ): { to: 'registered' | 'waitlist'; reason: StatusChange['reason'] } {
    const reason: StatusChange['reason'] =
      from === 'waitlist' ? 'promoted' : from === 'cancelled' ? 'restored' : 'approved';
    if (roomLeft(event, registered, plan) > 0) return { to: 'registered', reason };
    // The override lifts the event's own capacity, never the plan's limit.
    if (overCapacity && (plan.cap === null || registered < plan.cap)) return { to: 'registered', reason };
    if (from !== 'waitlist' && event.capacity.waitlist_enabled) return { to: 'waitlist', reason };
    const refusal = fullRefusal(event, registered, plan);
    throw new HttpProblem(
      refusal.status ?? 422,
      refusal.code === 'event_full'
        ? 'The event is full: no seat is free (the organizer may override capacity explicitly)'
        : refusal.detail,
      { code: refusal.code, ...(refusal.extensions ? { extensions: refusal.extensions } : {}) },
    );
  }

  /**
   * Identity/answer edits and the organizer's status moves (approve, reject, promote, restore a
   * cancellation), under the event lock where capacity is decided; any seat freed is filled from
   * the waitlist in the same transaction.
   */
  async function update(
    eventId: string,
    participantId: string,
    edit: ParticipantEdit,
    status: 'registered' | 'rejected' | undefined,
    options: { overCapacity?: boolean | undefined } = {},
  ): Promise<ParticipantRow> {
    const plan = await deps.eventPlan(eventId);
    const { row, statusChanged } = await db.transaction(async (tx) => {
      const event = await lockEvent(tx, eventId);
      const row = await repo.findByIdForUpdate(tx, eventId, participantId);
      if (!row) throw notFound('Participant');
      const patch = await applyEdit(tx, event, row, edit);
      const changes: StatusChange[] = [];
      if (status && status !== row.registrationStatus) {
        const from = row.registrationStatus;
        if (status === 'registered') {
          const next = organizerAdmission(
            event,
            from,
            await repo.countRegistered(tx, eventId),
            options.overCapacity === true,
            plan,
          );
          if (next.to !== from) {
            patch.registrationStatus = next.to;
            changes.push({ participantId, from, to: next.to, reason: next.reason, by: 'organizer' });
          }
        } else {
          if (from === 'cancelled') {
            throw conflict('A cancelled registration cannot be rejected', 'participant_cancelled');
          }
          patch.registrationStatus = 'rejected';
          changes.push({ participantId, from, to: 'rejected', reason: 'rejected', by: 'organizer' });
        }
      }
      const identityChanged = Object.keys(patch).some((k) => k !== 'registrationStatus');
      if (Object.keys(patch).length === 0) return { row, statusChanged: false };
      const updated = await repo.update(tx, participantId, patch, deps.clock.now(), true);
      if (changes.length > 0) await fillFreeSeats(deps, tx, event, changes, plan);
      if (identityChanged) await runHooks(deps.hooks.participantUpdated, tx, { eventId, participantId });
      await runStatusHooks(deps, tx, eventId, changes);
      return { row: updated, statusChanged: changes.length > 0 };
    });
    if (statusChanged) await publishCounts(eventId);
    return row;
  }

  /** A waitlisted participant's place in line (1 = next), else null. */
  async function waitlistPositionOf(row: ParticipantRow): Promise<number | null> {
    if (row.registrationStatus !== 'waitlist') return null;
    return waitlistPosition(db, row.eventId, row.registrationNumber);
  }

  /**
   * After an event's capacity changed (raised, or made unlimited): free seats go to the waitlist.
   * Runs as the `eventUpdated` hook inside the events module's transaction, which holds the event
   * row lock, so the promotion commits with the capacity change.
   */
  async function onEventUpdated(tx: Db, eventId: string, fields: string[]): Promise<void> {
    if (!fields.includes('capacity')) return;
    const event = await lockEvent(tx, eventId);
    const changes: StatusChange[] = [];
    await fillFreeSeats(deps, tx, event, changes);
    await runStatusHooks(deps, tx, eventId, changes);
  }

  return {
    cancel,
    update,
    waitlistPositionOf,
    onEventUpdated,

    async list(eventId: string, userId: string, query: ParticipantListQuery): Promise<ParticipantList> {
      const { role } = await requireEventAccess(db, eventId, userId, 'read');
      if (query.reveal === 'phone' && role !== 'organizer') {
        throw forbidden('Only the organizer may reveal phone numbers', 'staff_forbidden');
      }
      if (query.tag !== undefined && role !== 'organizer') {
        throw forbidden('Only the organizer sees tags', 'staff_forbidden');
      }
      const afterNumber = query.cursor ? decodeCursor(query.cursor) : undefined;
      const tagged =
        query.tag === undefined ? undefined : await deskRepository.idsWithTag(db, eventId, query.tag);
      const rows = await repo.list(db, eventId, {
        status: query.status,
        checkin: query.checkin,
        search: await searchCondition(eventId, query.q),
        ids: tagged,
        afterNumber,
        limit: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      if (query.reveal === 'phone') {
        await repo.logAccess(db, {
          userId,
          eventId,
          action: 'reveal_phone',
          detail: { participant_ids: page.filter((r) => r.phoneEnc).map((r) => r.id) },
        });
      }
      const phone = query.reveal === 'phone' ? 'plain' : 'masked';
      return {
        items: page.map((row) => toParticipant(row, context.cipher, { phone })),
        next_cursor: rows.length > query.limit ? encodeCursor(page.at(-1)!.registrationNumber) : null,
      };
    },

    async get(eventId: string, userId: string, participantId: string, reveal: boolean): Promise<Participant> {
      const { role } = await requireEventAccess(db, eventId, userId, 'read');
      if (reveal && role !== 'organizer')
        throw forbidden('Only the organizer may reveal phone numbers', 'staff_forbidden');
      const row = isUuid(participantId) ? await repo.findById(db, eventId, participantId) : undefined;
      if (!row) throw notFound('Participant');
      if (reveal) await repo.logAccess(db, { userId, eventId, participantId, action: 'reveal_phone' });
      return toParticipant(row, context.cipher, { phone: reveal ? 'plain' : 'masked' });
    },

    async findRow(eventId: string, participantId: string): Promise<ParticipantRow | undefined> {
      return isUuid(participantId) ? repo.findById(db, eventId, participantId) : undefined;
    },

    async findRowAnywhere(participantId: string): Promise<ParticipantRow | undefined> {
      return repo.findAnyById(db, participantId);
    },

    async findByTicket(ticketCode: string): Promise<ParticipantRow | undefined> {
      if (!/^[A-Za-z0-9_-]{10,64}$/.test(ticketCode)) return undefined;
      return repo.findByTicketCode(db, ticketCode);
    },
  };
}
export type ParticipantsService = ReturnType<typeof createParticipantsService>;
