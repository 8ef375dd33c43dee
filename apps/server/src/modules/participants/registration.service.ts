import type { Event } from '@eventmanager/domain/events/schema';
import { validateCustomResponses } from '@eventmanager/domain/participants/custom-responses';
import {
  MARKETING_CONSENT_VERSION,
  type OrganizerAddInput,
  PRIVACY_CONSENT_VERSION,
  type RegistrationInput,
  type RegistrationResult,
} from '@eventmanager/domain/participants/participant.schema';
import { normaliseEmail } from '../../platform/pii.ts';
import { badRequest, conflict, HttpProblem, notFound, unprocessable } from '../../platform/problem.ts';
import { findEventByShareCode } from '../events/events.repository.ts';
import { manageUrlFor } from './participants.context.ts';
import type { ParticipantsDeps } from './participants.deps.ts';
import { toParticipant, withMaskedPhone } from './participants.mapper.ts';
import { participantsRepository as repo } from './participants.repository.ts';
import type { ParticipantRow, StoredConsents } from './participants.tables.ts';
import {
  type CandidateOutcome,
  type RegistrationCandidate,
  registerBatch,
  sealPii,
} from './registration.batch.ts';
import { createRegistrationQueue } from './registration.queue.ts';
import { eventRefusal, phoneFieldError } from './registration.rules.ts';

/** Answers checked against the event's current form; 400 naming every bad field. */
export function checkAnswers(event: Event, answers: Record<string, unknown>) {
  const { value, errors } = validateCustomResponses(event.registration.form_fields, answers);
  if (errors.length > 0) throw badRequest('Some answers do not fit the registration form', errors);
  return value;
}

/** Turns a batch outcome into the HTTP answer of a single registration. */
export function createdOrThrow(outcome: CandidateOutcome): Extract<CandidateOutcome, { kind: 'created' }> {
  if (outcome.kind === 'created') return outcome;
  if (outcome.kind === 'invalid')
    throw badRequest('Some answers do not fit the registration form', outcome.errors);
  if (outcome.kind === 'duplicate') {
    throw conflict('This e-mail address is already registered for the event', 'already_registered');
  }
  if (outcome.status) {
    throw new HttpProblem(outcome.status, outcome.detail, {
      code: outcome.code,
      ...(outcome.extensions ? { extensions: outcome.extensions } : {}),
    });
  }
  throw unprocessable(outcome.detail, outcome.code);
}

/** How long a share-code lookup is reused by concurrent registrations (real time, not the app clock). */
const EVENT_MEMO_MS = 1_000;

export function createRegistrationService(deps: ParticipantsDeps) {
  /** A batch, then its announcement (after commit, before anyone is answered). */
  async function registerAndAnnounce(eventId: string, candidates: RegistrationCandidate[]) {
    const outcomes = await registerBatch(deps, eventId, candidates);
    // Committed: nothing may fail the batch now (the queue would retry it). At-most-once delivery
    // by design: clients catch up through /changes.
    await announce(eventId, outcomes).catch(() => undefined);
    return outcomes;
  }
  const queue = createRegistrationQueue(registerAndAnnounce);
  /** Into the event's queue, with the personal data sealed now, while earlier batches run. */
  const enqueue = (eventId: string, candidate: RegistrationCandidate) =>
    queue.enqueue(eventId, { ...candidate, sealed: sealPii(deps.context.cipher, candidate) });

  /**
   * A burst of registrations for one event shares one event lookup (single flight, kept one
   * second) instead of sending the same query a thousand times. It only serves the fast refusals
   * and the first answer check: registerBatch decides again on the locked, current event row.
   */
  const eventMemo = new Map<string, { at: number; event: Promise<Event | undefined> }>();
  function eventByCode(code: string, fresh = false): Promise<Event | undefined> {
    const now = Date.now();
    const hit = eventMemo.get(code);
    if (hit && !fresh && now - hit.at < EVENT_MEMO_MS) return hit.event;
    if (eventMemo.size > 1_000) eventMemo.clear();
    const event = findEventByShareCode(deps.db, code);
    eventMemo.set(code, { at: now, event });
    event.catch(() => eventMemo.delete(code));
    return event;
  }

  /** Answers by row object: the announcement maps each new participant once, the answer reuses it. */
  const results = new WeakMap<ParticipantRow, RegistrationResult>();
  function resultOf({
    row,
    waitlistPosition,
  }: {
    row: ParticipantRow;
    waitlistPosition: number | null;
  }): RegistrationResult {
    let result = results.get(row);
    if (!result) {
      result = {
        // The registrant (or the organizer adding them) sees the phone they just gave, unmasked.
        participant: toParticipant(row, deps.context.cipher, { phone: 'plain' }),
        ticket_code: row.ticketCode,
        manage_url: manageUrlFor(deps.context, row.id),
        waitlist_position: waitlistPosition,
      };
      results.set(row, result);
    }
    return result;
  }

  /**
   * After commit: the real-time fan-out (organizer dashboards, staff phones) of a whole batch in
   * one bus call; subscribers still get one `participant_registered` per participant, in order.
   */
  async function announce(eventId: string, outcomes: CandidateOutcome[]): Promise<void> {
    const messages = outcomes.flatMap((o) =>
      o.kind === 'created'
        ? [
            {
              type: 'participant_registered',
              eventId,
              participant: withMaskedPhone(resultOf(o).participant),
            },
          ]
        : [],
    );
    if (messages.length === 0) return;
    await deps.bus.publishMany(`event:${eventId}`, messages);
  }

  return {
    async registerPublic(code: string, input: RegistrationInput, refFromQuery: string | undefined) {
      let event = await eventByCode(code);
      // A remembered lookup may only let a registration through to the locked decision; a refusal
      // (unknown code, not open yet) is confirmed on a fresh read, so publishing takes effect at once.
      if (!event || eventRefusal(event, deps.clock.now(), 'public')) event = await eventByCode(code, true);
      if (!event) throw notFound('Event');
      const refusal = eventRefusal(event, deps.clock.now(), 'public');
      if (refusal) throw unprocessable(refusal.detail, refusal.code);
      const phoneError = phoneFieldError(event, input.identity.phone ?? null);
      if (phoneError) throw badRequest('The phone number does not fit the registration form', [phoneError]);
      // Answers checked here against the form seen now; registerBatch re-checks if it changed.
      const answers = checkAnswers(event, input.custom_responses);
      const now = deps.clock.now().toISOString();
      const consents: StoredConsents = {
        privacy: { agreed_at: now, version: PRIVACY_CONSENT_VERSION },
        marketing:
          input.consents.marketing === undefined
            ? null
            : { agreed: input.consents.marketing, agreed_at: now, version: MARKETING_CONSENT_VERSION },
      };
      const referralCode = input.referral_code ?? refFromQuery ?? null;
      const candidate: RegistrationCandidate = {
        name: input.identity.name,
        email: normaliseEmail(input.identity.email),
        phone: input.identity.phone ?? null,
        customResponses: answers,
        consents,
        language: input.language ?? event.language,
        source: referralCode ? 'referral' : 'direct',
        referralCode,
        addedBy: null,
        channel: 'public',
        checkedAgainst: {
          formKey: JSON.stringify(event.registration.form_fields),
          rawAnswers: input.custom_responses,
        },
      };
      return resultOf(createdOrThrow(await enqueue(event.id, candidate)));
    },

    /** The organizer adds someone (source direct, added_by recorded); same capacity rules, no approval. */
    async addByOrganizer(event: Event, userId: string, input: OrganizerAddInput) {
      const answers = checkAnswers(event, input.custom_responses);
      const now = deps.clock.now().toISOString();
      const candidate: RegistrationCandidate = {
        name: input.identity.name,
        email: normaliseEmail(input.identity.email),
        phone: input.identity.phone ?? null,
        customResponses: answers,
        // Consent was collected by the organizer outside the form; recorded as such.
        consents: { privacy: { agreed_at: now, version: 'organizer-added' }, marketing: null },
        language: input.language ?? event.language,
        source: 'direct',
        referralCode: null,
        addedBy: userId,
        channel: 'organizer',
      };
      return resultOf(createdOrThrow(await enqueue(event.id, candidate)));
    },

    /**
     * A walk-in at the door, registered by staff (or the organizer) under the id the device chose:
     * source direct, `added_by` the staff member, always `registered` even when the event is full
     * (channel `walk_in`), no deadline. Idempotent per id: a resend — even two at once — finds the
     * participant the first one created (`created: false`). The e-mail is optional; without one the
     * row holds an empty address (no mail is ever queued for it) and a duplicate key derived from
     * the id, which no real address can produce.
     */
    async registerWalkIn(
      event: Event,
      userId: string,
      input: {
        id: string;
        name: string;
        email: string | undefined;
        phone: string | undefined;
        customResponses: Record<string, unknown>;
        language: Event['language'] | undefined;
      },
    ): Promise<{ row: ParticipantRow; created: boolean }> {
      const known = await repo.findAnyById(deps.db, input.id);
      if (known) {
        if (known.eventId !== event.id)
          throw conflict('This participant id is taken', 'participant_id_taken');
        return { row: known, created: false };
      }
      const answers = checkAnswers(event, input.customResponses);
      const now = deps.clock.now().toISOString();
      const email = input.email ? normaliseEmail(input.email) : '';
      const phone = input.phone ?? null;
      const { cipher } = deps.context;
      const sealed = email
        ? sealPii(cipher, { email, phone })
        : {
            emailHash: cipher.blindIndex(`walk-in:${input.id}`),
            emailEnc: cipher.encrypt(''),
            phoneEnc: phone ? cipher.encrypt(phone) : null,
          };
      const candidate: RegistrationCandidate = {
        id: input.id,
        name: input.name,
        email,
        phone,
        customResponses: answers,
        // Consent was asked at the desk by the staff member; recorded as such.
        consents: { privacy: { agreed_at: now, version: 'walk-in' }, marketing: null },
        language: input.language ?? event.language,
        source: 'direct',
        referralCode: null,
        addedBy: userId,
        channel: 'walk_in',
        sealed,
      };
      const [outcome] = await registerAndAnnounce(event.id, [candidate]);
      if (outcome?.kind === 'duplicate') {
        // The same walk-in sent twice at once: the other send created it.
        const mine = await repo.findById(deps.db, event.id, input.id);
        if (mine) return { row: mine, created: false };
      }
      return { row: createdOrThrow(outcome!).row, created: true };
    },

    /** Import: chunks go straight to registerBatch (already a batch), in file order. */
    async registerMany(eventId: string, candidates: RegistrationCandidate[]): Promise<CandidateOutcome[]> {
      const outcomes: CandidateOutcome[] = [];
      for (let i = 0; i < candidates.length; i += 200) {
        outcomes.push(...(await registerAndAnnounce(eventId, candidates.slice(i, i + 200))));
      }
      return outcomes;
    },

    resultOf,
  };
}
export type RegistrationService = ReturnType<typeof createRegistrationService>;
