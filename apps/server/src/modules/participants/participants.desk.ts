import type {
  Annotation,
  AnnotationInput,
  AnnotationList,
  BulkActionInput,
  BulkActionResult,
  MessageAudience,
  MessageResult,
  ParticipantDetail,
} from '@eventmanager/domain/participants/desk.schema';
import type { RegistrationStatus } from '@eventmanager/domain/participants/participant.schema';
import { HttpProblem, notFound } from '../../platform/problem.ts';
import { listCheckinHistory } from '../checkin/checkin.api.ts';
import { requireEventAccess } from '../events/events.access.ts';
import { isUuid } from '../events/events.repository.ts';
import {
  enqueueOrganizerMessage,
  listParticipantEmails,
  resendConfirmation,
} from '../notifications/notifications.api.ts';
import { deskRepository as desk } from './desk.repository.ts';
import { manageUrlFor } from './participants.context.ts';
import type { ParticipantsDeps } from './participants.deps.ts';
import { participantsRepository as repo } from './participants.repository.ts';
import type { ParticipantsService } from './participants.service.ts';
import type { AnnotationRow } from './participants.tables.ts';

/** Messages are queued in chunks, each its own short transaction (a 10,000-person event is 10). */
const MESSAGE_CHUNK = 1000;

const iso = (d: Date) => d.toISOString();

function toAnnotation(row: AnnotationRow | undefined): Annotation {
  return row
    ? { note: row.note, tags: row.tags, updated_at: iso(row.updatedAt) }
    : { note: '', tags: [], updated_at: null };
}

/** Tags as the organizer typed them, trimmed, without repeats (first spelling kept). */
function distinctTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
}

/**
 * The organizer's desk: a participant's full record (answers, status and check-in history, e-mails,
 * notes and tags), actions on a selection, and a message to many. Check-in history and e-mails come
 * from their modules' api; status changes go through the same service functions as single actions.
 */
export function createDeskService(deps: ParticipantsDeps, participants: ParticipantsService) {
  const { db } = deps;

  async function organizerRow(eventId: string, userId: string, participantId: string) {
    const access = await requireEventAccess(db, eventId, userId, 'manage');
    const row = isUuid(participantId) ? await repo.findById(db, eventId, participantId) : undefined;
    if (!row) throw notFound('Participant');
    return { ...access, row };
  }

  /** One bulk item: the same service call as the single action, refused items reported, not thrown. */
  async function applyOne(
    eventId: string,
    id: string,
    action: BulkActionInput['action'],
  ): Promise<{ ok: true; status: RegistrationStatus } | { ok: false; code: string }> {
    const row = await repo.findById(db, eventId, id);
    if (!row) return { ok: false, code: 'not_found' };
    const from = row.registrationStatus;
    const wrong = { ok: false as const, code: 'invalid_transition' };
    switch (action) {
      case 'approve':
        if (from !== 'pending') return wrong;
        return {
          ok: true,
          status: (await participants.update(eventId, id, {}, 'registered')).registrationStatus,
        };
      case 'promote':
        if (from !== 'waitlist') return wrong;
        return {
          ok: true,
          status: (await participants.update(eventId, id, {}, 'registered')).registrationStatus,
        };
      case 'reject':
        if (from === 'cancelled' || from === 'rejected') return wrong;
        return {
          ok: true,
          status: (await participants.update(eventId, id, {}, 'rejected')).registrationStatus,
        };
      case 'cancel':
        if (from === 'cancelled') return wrong;
        await participants.cancel(eventId, id, 'organizer');
        return { ok: true, status: 'cancelled' };
      case 'resend_confirmation': {
        if (from === 'cancelled' || from === 'rejected') return wrong;
        const sent = await db.transaction((tx) => resendConfirmation(tx, id, deps.clock.now()));
        return sent ? { ok: true, status: from } : { ok: false, code: 'not_found' };
      }
    }
  }

  return {
    async detail(
      eventId: string,
      userId: string,
      participantId: string,
      reveal: boolean,
    ): Promise<ParticipantDetail> {
      // get() checks access (read), refuses a staff reveal and logs an organizer's.
      const participant = await participants.get(eventId, userId, participantId, reveal);
      const { role } = await requireEventAccess(db, eventId, userId, 'read');
      const organizer = role === 'organizer';
      const [history, checkins, emails, annotation] = await Promise.all([
        desk.statusHistory(db, participantId),
        listCheckinHistory(db, eventId, participantId),
        organizer ? listParticipantEmails(db, eventId, participantId) : Promise.resolve(null),
        organizer ? desk.annotation(db, participantId) : Promise.resolve(undefined),
      ]);
      const first = history[0]?.fromStatus ?? participant.registration.status;
      return {
        participant,
        annotation: organizer ? toAnnotation(annotation) : null,
        status_history: [
          { from: null, to: first, reason: 'registered', at: participant.registration.timestamp },
          ...history.map((h) => ({
            from: h.fromStatus,
            to: h.toStatus,
            reason: h.reason,
            at: iso(h.changedAt),
          })),
        ],
        checkin_history: checkins.map((c) => ({
          id: c.id,
          action: c.action,
          at: iso(c.at),
          device_id: c.deviceId,
          device_name: c.deviceName,
          user_id: c.userId,
          conflict_resolved: c.conflictResolved,
        })),
        emails:
          emails?.map((e) => ({
            id: e.id,
            type: e.type,
            status: e.status,
            subject: e.subject,
            scheduled_at: iso(e.scheduledAt),
            sent_at: e.sentAt ? iso(e.sentAt) : null,
            last_error: e.lastError,
          })) ?? null,
      };
    },

    async saveAnnotation(
      eventId: string,
      userId: string,
      participantId: string,
      input: AnnotationInput,
    ): Promise<Annotation> {
      const { row } = await organizerRow(eventId, userId, participantId);
      const saved = await desk.saveAnnotation(db, {
        participantId: row.id,
        eventId,
        note: input.note,
        tags: distinctTags(input.tags),
        userId,
        now: deps.clock.now(),
      });
      return toAnnotation(saved);
    },

    async annotations(eventId: string, userId: string): Promise<AnnotationList> {
      await requireEventAccess(db, eventId, userId, 'manage');
      const rows = await desk.annotations(db, eventId);
      return {
        items: rows.map((r) => ({ participant_id: r.participantId, tags: r.tags, has_note: r.hasNote })),
      };
    },

    /** Each id on its own (one refusal does not stop the rest), in the order given. */
    async bulk(eventId: string, userId: string, input: BulkActionInput): Promise<BulkActionResult> {
      await requireEventAccess(db, eventId, userId, 'manage');
      const results: BulkActionResult['results'] = [];
      for (const id of new Set(input.ids)) {
        try {
          const outcome = await applyOne(eventId, id, input.action);
          results.push(
            outcome.ok ? { id, ok: true, status: outcome.status } : { id, ok: false, code: outcome.code },
          );
        } catch (err) {
          if (!(err instanceof HttpProblem)) throw err;
          results.push({ id, ok: false, code: err.code ?? (err.status === 404 ? 'not_found' : 'refused') });
        }
      }
      const succeeded = results.filter((r) => r.ok).length;
      return { succeeded, failed: results.length - succeeded, results };
    },

    /** The organizer's message to the audience, queued in chunks (or only counted on a dry run). */
    async message(
      eventId: string,
      userId: string,
      input: {
        subject: string;
        body: string;
        audience: MessageAudience;
        dry_run: boolean;
        message_id: string;
      },
    ): Promise<MessageResult> {
      const { event } = await requireEventAccess(db, eventId, userId, 'manage');
      const rows = await desk.audience(db, eventId, input.audience);
      if (input.dry_run) return { recipients: rows.length, queued: 0 };
      const { cipher } = deps.context;
      let queued = 0;
      for (let i = 0; i < rows.length; i += MESSAGE_CHUNK) {
        const recipients = rows.slice(i, i + MESSAGE_CHUNK).map((row) => ({
          participantId: row.id,
          email: cipher.decrypt(row.emailEnc),
          name: row.name,
          language: row.language,
          manageUrl: row.registrationStatus === 'cancelled' ? null : manageUrlFor(deps.context, row.id),
        }));
        queued += await db.transaction((tx) =>
          enqueueOrganizerMessage(tx, {
            event,
            messageId: input.message_id,
            subject: input.subject,
            body: input.body,
            recipients,
            now: deps.clock.now(),
          }),
        );
      }
      return { recipients: rows.length, queued };
    },

    /** Records a status change in the participant's history (a hook: every path that changes one). */
    async recordStatusChange(
      tx: Parameters<typeof desk.recordStatusChange>[0],
      change: {
        eventId: string;
        participantId: string;
        from: RegistrationStatus;
        to: RegistrationStatus;
        reason: string;
      },
    ): Promise<void> {
      await desk.recordStatusChange(tx, { ...change, at: deps.clock.now() });
    },
  };
}
export type DeskService = ReturnType<typeof createDeskService>;
