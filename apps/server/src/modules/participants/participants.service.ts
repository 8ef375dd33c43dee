import type { Event } from '@eventmanager/domain/events/schema';
import { koreanInitials } from '@eventmanager/domain/participants/korean-initials';
import {
  MARKETING_CONSENT_VERSION,
  type Participant,
  type ParticipantList,
  type ParticipantListQuery,
  type RegistrationStatus,
} from '@eventmanager/domain/participants/participant.schema';
import { eq, ilike, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.ts';
import { runHooks } from '../../platform/hooks.ts';
import { normaliseEmail } from '../../platform/pii.ts';
import { badRequest, conflict, forbidden, HttpProblem, notFound } from '../../platform/problem.ts';
import { requireEventAccess } from '../events/events.access.ts';
import { isUuid, lockEvent } from '../events/events.repository.ts';
import type { ParticipantsDeps } from './participants.deps.ts';
import { toParticipant } from './participants.mapper.ts';
import { participantsRepository as repo } from './participants.repository.ts';
import { type NewParticipantRow, type ParticipantRow, participants } from './participants.tables.ts';
import { type EventPlan, fullRefusal, roomLeft, statusForRoom } from './registration.rules.ts';
import { checkAnswers } from './registration.service.ts';

/** An edit of identity, answers, language or marketing consent (organizer or the participant). */
export interface ParticipantEdit {
  name?: string | undefined;
  email?: string | undefined;
  phone?: string | null | undefined;
  customResponses?: Record<string, unknown> | undefined;
  language?: 'ko' | 'en' | undefined;
  marketing?: boolean | undefined;
}

type StatusChange = {
  participantId: string;
  from: RegistrationStatus;
  to: RegistrationStatus;
  reason: 'approved' | 'rejected' | 'cancelled' | 'promoted';
};

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

  /** name substring (trigram), 초성, registration number ("12", "#012") or exact e-mail (blind index). */
  function searchCondition(q: string | undefined): SQL | undefined {
    const query = q?.trim();
    if (!query) return undefined;
    const number = /^#?(\d{1,9})$/.exec(query);
    if (number) return eq(participants.registrationNumber, Number(number[1]));
    if (query.includes('@'))
      return eq(participants.emailHash, context.cipher.blindIndex(normaliseEmail(query)));
    if (/[\u3131-\u314e]/u.test(query)) {
      return ilike(participants.nameInitials, `%${escapeLike(koreanInitials(query).replace(/\s+/g, ''))}%`);
    }
    return ilike(participants.name, `%${escapeLike(query)}%`);
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

  /** Fills free seats from the waitlist, first come first served (caller holds the event lock). */
  async function promoteWaitlisted(
    tx: Db,
    event: Event,
    changes: StatusChange[],
    plan: EventPlan,
  ): Promise<void> {
    if (event.status === 'completed' || event.status === 'cancelled') return;
    let room = roomLeft(event, await repo.countRegistered(tx, event.id), plan);
    while (room > 0) {
      const next = await repo.firstWaitlisted(tx, event.id);
      if (!next) return;
      await repo.update(tx, next.id, { registrationStatus: 'registered' }, deps.clock.now(), true);
      changes.push({ participantId: next.id, from: 'waitlist', to: 'registered', reason: 'promoted' });
      room--;
    }
  }

  async function runStatusHooks(tx: Db, eventId: string, changes: StatusChange[]): Promise<void> {
    for (const change of changes) {
      await runHooks(deps.hooks.participantStatusChanged, tx, { eventId, ...change });
    }
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

  /** Cancels (idempotently) and promotes from the waitlist when a seat was freed — one transaction. */
  async function cancel(eventId: string, participantId: string): Promise<void> {
    const plan = await deps.eventPlan(eventId);
    const changed = await db.transaction(async (tx) => {
      const event = await lockEvent(tx, eventId);
      const row = await repo.findByIdForUpdate(tx, eventId, participantId);
      if (!row) throw notFound('Participant');
      if (row.registrationStatus === 'cancelled') return false;
      await repo.update(tx, row.id, { registrationStatus: 'cancelled' }, deps.clock.now(), true);
      const changes: StatusChange[] = [
        { participantId: row.id, from: row.registrationStatus, to: 'cancelled', reason: 'cancelled' },
      ];
      if (row.registrationStatus === 'registered') await promoteWaitlisted(tx, event, changes, plan);
      await runStatusHooks(tx, eventId, changes);
      return true;
    });
    if (changed) await publishCounts(eventId);
  }

  /** Identity/answer edits and approve/reject, under the event lock (capacity is decided there). */
  async function update(
    eventId: string,
    participantId: string,
    edit: ParticipantEdit,
    status: 'registered' | 'rejected' | undefined,
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
        if (from === 'cancelled') {
          throw conflict('A cancelled registration cannot change status', 'participant_cancelled');
        }
        if (status === 'registered') {
          const registered = await repo.countRegistered(tx, eventId);
          const next = statusForRoom(event, registered, plan);
          // Approving someone pending may put them on the waitlist; promoting from the waitlist
          // itself needs a free seat.
          if (!next || (from === 'waitlist' && next !== 'registered')) {
            const refusal = fullRefusal(event, registered, plan);
            throw new HttpProblem(refusal.status ?? 422, refusal.detail, {
              code: refusal.code,
              ...(refusal.extensions ? { extensions: refusal.extensions } : {}),
            });
          }
          if (next !== from) {
            patch.registrationStatus = next;
            changes.push({
              participantId,
              from,
              to: next,
              reason: from === 'waitlist' ? 'promoted' : 'approved',
            });
          }
        } else {
          patch.registrationStatus = 'rejected';
          changes.push({ participantId, from, to: 'rejected', reason: 'rejected' });
        }
      }
      const identityChanged = Object.keys(patch).some((k) => k !== 'registrationStatus');
      if (Object.keys(patch).length === 0) return { row, statusChanged: false };
      const updated = await repo.update(tx, participantId, patch, deps.clock.now(), true);
      if (changes[0]?.from === 'registered') await promoteWaitlisted(tx, event, changes, plan);
      if (identityChanged) await runHooks(deps.hooks.participantUpdated, tx, { eventId, participantId });
      await runStatusHooks(tx, eventId, changes);
      return { row: updated, statusChanged: changes.length > 0 };
    });
    if (statusChanged) await publishCounts(eventId);
    return row;
  }

  return {
    cancel,
    update,

    async list(eventId: string, userId: string, query: ParticipantListQuery): Promise<ParticipantList> {
      const { role } = await requireEventAccess(db, eventId, userId, 'read');
      if (query.reveal === 'phone' && role !== 'organizer') {
        throw forbidden('Only the organizer may reveal phone numbers', 'staff_forbidden');
      }
      const afterNumber = query.cursor ? decodeCursor(query.cursor) : undefined;
      const rows = await repo.list(db, eventId, {
        status: query.status,
        checkin: query.checkin,
        search: searchCondition(query.q),
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
