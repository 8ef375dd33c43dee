import type { Language } from '@eventmanager/domain/common/schema';
import type { Event } from '@eventmanager/domain/events/schema';
import type { MailStatus, MailType } from '@eventmanager/domain/notifications/schema';
import type { Db } from '../../platform/db/database.ts';
import { getNotificationContext } from '../participants/participants.api.ts';
import { type MailDataByType, messageMailSchema, templateIdOf } from './mail-data.ts';
import { brandingOf, mailEventOf, participantMailData } from './notifications.compose.ts';
import { insertJobs, listParticipantJobs } from './notifications.repository.ts';

/**
 * The notifications module's contract with the others (docs/MODULES.md). Every function takes the
 * caller's transaction: the e-mail exists exactly when the change that caused it commits.
 */

export interface EnqueueInput<K extends MailType> {
  type: K;
  recipient: string;
  data: MailDataByType[K];
  /** When to send; `now` for immediate mail. */
  scheduledAt: Date;
  eventId?: string | null;
  participantId?: string | null;
  /** One job per key, ever: enqueueing the same key again does nothing. */
  dedupeKey?: string | null;
  expiresAt?: Date | null;
}

/** Queues one e-mail in `tx`; returns false when its dedupe key was queued before. */
export async function enqueueMail<K extends MailType>(tx: Db, input: EnqueueInput<K>): Promise<boolean> {
  return (await enqueueMails(tx, [input])) === 1;
}

/**
 * Queues many e-mails in `tx` in ONE statement (a registration batch confirms hundreds at once);
 * returns how many were new (the others' dedupe keys were queued before).
 */
export async function enqueueMails<K extends MailType>(tx: Db, inputs: EnqueueInput<K>[]): Promise<number> {
  return insertJobs(
    tx,
    inputs.map((input) => ({
      type: input.type,
      recipient: input.recipient,
      templateId: templateIdOf(input.type, input.data.language),
      data: input.data,
      scheduledAt: input.scheduledAt,
      eventId: input.eventId ?? null,
      participantId: input.participantId ?? null,
      dedupeKey: input.dedupeKey ?? null,
      expiresAt: input.expiresAt ?? null,
    })),
  );
}

/**
 * For the privacy flow: confirms that a participant's data was deleted (before the event) or
 * anonymised (after it). Call it in the transaction that deletes, with the address and name read
 * before they are erased; the job keeps them only until it is sent.
 */
export async function enqueueDeletionConfirmation(
  tx: Db,
  input: {
    recipient: string;
    name: string;
    language: Language;
    mode: 'deleted' | 'anonymised';
    eventId: string | null;
    eventName: string | null;
    participantId: string | null;
    now: Date;
  },
): Promise<boolean> {
  return enqueueMail(tx, {
    type: 'deletion_confirmation',
    recipient: input.recipient,
    data: {
      language: input.language,
      recipient_name: input.name,
      branding: null,
      event_name: input.eventName,
      mode: input.mode,
    },
    scheduledAt: input.now,
    eventId: input.eventId,
    participantId: input.participantId,
    dedupeKey: input.participantId ? `deletion_confirmation:${input.participantId}` : null,
  });
}

export interface ParticipantEmail {
  id: string;
  type: MailType;
  status: MailStatus;
  /** The subject the organizer wrote (organizer messages); null for the fixed templates. */
  subject: string | null;
  scheduledAt: Date;
  sentAt: Date | null;
  lastError: string | null;
}

/** The e-mails queued for a participant of the event (sent, waiting, failed, cancelled), newest first. */
export async function listParticipantEmails(
  db: Db,
  eventId: string,
  participantId: string,
  limit = 100,
): Promise<ParticipantEmail[]> {
  const jobs = await listParticipantJobs(db, eventId, participantId, limit);
  return jobs.map((job) => {
    const message = job.type === 'organizer_message' ? messageMailSchema.safeParse(job.data) : null;
    return {
      id: job.id,
      type: job.type,
      status: job.status,
      subject: message?.success ? message.data.subject : null,
      scheduledAt: job.scheduled_at,
      sentAt: job.sent_at,
      lastError: job.last_error,
    };
  });
}

/**
 * Queues the participant's confirmation again (the e-mail for their current status: ticket,
 * waitlist or pending), now. False when there is nobody to send it to (anonymised, or gone).
 */
export async function resendConfirmation(tx: Db, participantId: string, now: Date): Promise<boolean> {
  const ctx = await getNotificationContext(tx, participantId);
  if (!ctx) return false;
  // No dedupe key: every resend is its own e-mail.
  return enqueueMail(tx, {
    type: 'registration_confirmation',
    recipient: ctx.participant.identity.email,
    data: participantMailData(ctx, brandingOf(ctx.event)),
    scheduledAt: now,
    eventId: ctx.event.id,
    participantId,
  });
}

export interface MessageRecipient {
  participantId: string;
  email: string;
  name: string;
  language: Language;
  manageUrl: string | null;
}

/**
 * Queues the organizer's message for each recipient in ONE statement; returns how many are new.
 * `messageId` (chosen by the client) makes a retried send queue nothing twice.
 */
export async function enqueueOrganizerMessage(
  tx: Db,
  input: {
    event: Event;
    messageId: string;
    subject: string;
    body: string;
    recipients: MessageRecipient[];
    now: Date;
  },
): Promise<number> {
  const event = mailEventOf(input.event);
  const branding = brandingOf(input.event);
  return enqueueMails(
    tx,
    input.recipients.map((r) => ({
      type: 'organizer_message' as const,
      recipient: r.email,
      data: {
        language: r.language,
        recipient_name: r.name,
        branding,
        event,
        manage_url: r.manageUrl,
        subject: input.subject,
        body: input.body,
      },
      scheduledAt: input.now,
      eventId: input.event.id,
      participantId: r.participantId,
      dedupeKey: `organizer_message:${input.messageId}:${r.participantId}`,
    })),
  );
}
