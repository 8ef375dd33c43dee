import type { Language } from '@eventmanager/domain/common/schema';
import {
  type CustomFieldError,
  type CustomResponses,
  validateCustomResponses,
} from '@eventmanager/domain/participants/custom-responses';
import { koreanInitials } from '@eventmanager/domain/participants/korean-initials';
import type { RegistrationSource } from '@eventmanager/domain/participants/participant.schema';
import { runHooks } from '../../platform/hooks.ts';
import type { PiiCipher } from '../../platform/pii.ts';
import { lockEvent } from '../events/events.repository.ts';
import type { ParticipantsDeps } from './participants.deps.ts';
import { rememberPlaintexts } from './participants.mapper.ts';
import { type NewRegistrationRow, participantsRepository as repo } from './participants.repository.ts';
import type { ParticipantRow, StoredConsents } from './participants.tables.ts';
import {
  eventRefusal,
  fullRefusal,
  initialStatus,
  phoneFieldError,
  type Refusal,
  type RegistrationChannel,
  roomLeft,
} from './registration.rules.ts';
import { newTicketCodes } from './tokens.ts';
import { forgetWritten, rememberWritten } from './transaction-cache.ts';
import { fillFreeSeats, runStatusHooks, type StatusChange } from './waitlist.ts';

/** One person to register, already validated and normalised (e-mail lower-cased, phone normalised). */
export interface RegistrationCandidate {
  /** A client-chosen id (walk-ins: a resend finds the participant it created); else generated. */
  id?: string;
  name: string;
  email: string;
  phone: string | null;
  customResponses: CustomResponses;
  consents: StoredConsents;
  language: Language;
  source: RegistrationSource;
  referralCode: string | null;
  addedBy: string | null;
  channel: RegistrationChannel;
  /**
   * The form the answers were checked against before the lock (JSON of its fields) and the raw
   * answers: when the locked event's form differs, the answers are checked again against it.
   */
  checkedAgainst?: { formKey: string; rawAnswers: Record<string, unknown> };
  /**
   * The personal data as stored, when the request handler sealed it on arrival (`sealPii`): a
   * burst's encryption is then spread over the requests, off the batches' serial path. Sealed in
   * registerBatch when absent.
   */
  sealed?: SealedPii;
  /** False: no confirmation e-mail for this one (an import the organizer asked to keep quiet). */
  notify?: boolean;
}

/** A candidate's e-mail and phone encrypted, and the e-mail's blind index (its duplicate key). */
export interface SealedPii {
  emailHash: string;
  emailEnc: string;
  phoneEnc: string | null;
}

export function sealPii(cipher: PiiCipher, c: { email: string; phone: string | null }): SealedPii {
  return {
    emailHash: cipher.blindIndex(c.email),
    emailEnc: cipher.encrypt(c.email),
    phoneEnc: c.phone ? cipher.encrypt(c.phone) : null,
  };
}

export type CandidateOutcome =
  | { kind: 'created'; row: ParticipantRow; waitlistPosition: number | null }
  | { kind: 'duplicate' }
  | ({ kind: 'refused' } & Refusal)
  | { kind: 'invalid'; errors: CustomFieldError[] };

/**
 * Registers candidates for one event in ONE transaction holding the event's row lock (the events
 * module's `lockEvent`). Under that lock the registered count and the e-mail blind indexes are
 * authoritative, so capacity is never exceeded and duplicates are found without relying on a
 * unique-violation error; numbers come from the per-event counter, advanced by exactly the number
 * of rows inserted, so a rollback leaves no gap. Candidates are decided in order: the first gets
 * the lowest number and, when seats run out, the later ones go to the waitlist.
 *
 * Batching is what makes bursts fast: one lock, one commit (one fsync) for many registrations.
 */
export async function registerBatch(
  deps: ParticipantsDeps,
  eventId: string,
  candidates: RegistrationCandidate[],
): Promise<CandidateOutcome[]> {
  const { cipher } = deps.context;
  // Encryption and hashing happen before the lock: the critical section is SQL only.
  const prepared = candidates.map((c) => ({ candidate: c, ...(c.sealed ?? sealPii(cipher, c)) }));
  const plan = await deps.eventPlan(eventId);
  const outcomes = await deps.db.transaction(async (tx) => {
    const event = await lockEvent(tx, eventId);
    const now = deps.clock.now();
    const seats = await repo.seatsAndDuplicates(
      tx,
      eventId,
      prepared.map((p) => p.emailHash),
    );
    const existing = seats.existing;
    let registered = seats.registered;
    let waitlisted = seats.waitlisted;
    // Seats free while people wait (a change that freed them did not fill them): the waitlist is
    // served first, so no new registrant ever gets ahead of someone already waiting.
    const promotions: StatusChange[] = [];
    if (waitlisted > 0 && roomLeft(event, registered) > 0) {
      const promoted = await fillFreeSeats(deps, tx, event, promotions);
      registered += promoted.length;
      waitlisted -= promoted.length;
    }
    const formKey = JSON.stringify(event.registration.form_fields);
    const results: (CandidateOutcome | undefined)[] = new Array(candidates.length);
    const rows: { index: number; row: NewRegistrationRow; waitlistPosition: number | null }[] = [];
    const ticketCodes = newTicketCodes(candidates.length);
    prepared.forEach((p, index) => {
      const c = p.candidate;
      const refusal = eventRefusal(event, now, c.channel);
      if (refusal) {
        results[index] = { kind: 'refused', ...refusal };
        return;
      }
      if (c.checkedAgainst && c.checkedAgainst.formKey !== formKey) {
        const rechecked = validateCustomResponses(
          event.registration.form_fields,
          c.checkedAgainst.rawAnswers,
        );
        if (rechecked.errors.length > 0) {
          results[index] = { kind: 'invalid', errors: rechecked.errors };
          return;
        }
        c.customResponses = rechecked.value;
      }
      // The phone setting as the locked event has it (the request checked a remembered copy).
      const phoneError = c.channel === 'public' ? phoneFieldError(event, c.phone) : undefined;
      if (phoneError) {
        results[index] = { kind: 'invalid', errors: [phoneError] };
        return;
      }
      if (existing.has(p.emailHash)) {
        results[index] = { kind: 'duplicate' };
        return;
      }
      const status = initialStatus(event, registered, c.channel, plan);
      if (!status) {
        results[index] = { kind: 'refused', ...fullRefusal(event, registered, plan) };
        return;
      }
      existing.add(p.emailHash);
      if (status === 'registered') registered++;
      if (status === 'waitlist') waitlisted++;
      rows.push({
        index,
        waitlistPosition: status === 'waitlist' ? waitlisted : null,
        row: {
          ...(c.id ? { id: c.id } : {}),
          name: c.name,
          nameInitials: koreanInitials(c.name).replace(/\s+/g, ''),
          emailEnc: p.emailEnc,
          emailHash: p.emailHash,
          phoneEnc: p.phoneEnc,
          customResponses: c.customResponses,
          consents: c.consents,
          language: c.language,
          registrationTimestamp: now,
          source: c.source,
          referralCode: c.referralCode,
          addedBy: c.addedBy,
          registrationStatus: status,
          ticketCode: ticketCodes[index]!,
          createdAt: now,
          updatedAt: now,
        },
      });
    });
    if (rows.length > 0) {
      const inserted = await repo.insertNumbered(
        tx,
        eventId,
        rows.map((r) => r.row),
      );
      rememberWritten(
        tx,
        event,
        inserted,
        rows.map((r) => r.waitlistPosition),
      );
      rows.forEach((r, i) => {
        const row = inserted[i]!;
        const p = prepared[r.index]!;
        rememberPlaintexts(row, p.candidate.email, p.candidate.phone);
        results[r.index] = { kind: 'created', row, waitlistPosition: r.waitlistPosition };
      });
      if (promotions.length > 0) await runStatusHooks(deps, tx, eventId, promotions);
      // ONE call for the whole batch, in number order: each hook writes for all of them in one
      // statement (the check-in feed row and the confirmation e-mail of every new participant).
      await runHooks(deps.hooks.participantRegistered, tx, {
        eventId,
        participants: inserted.map((row, i) => ({
          participantId: row.id,
          status: row.registrationStatus,
          ...(prepared[rows[i]!.index]!.candidate.notify === false ? { notify: false } : {}),
        })),
      });
    }
    if (rows.length === 0 && promotions.length > 0) await runStatusHooks(deps, tx, eventId, promotions);
    forgetWritten(tx);
    return results as CandidateOutcome[];
  });
  return outcomes;
}
