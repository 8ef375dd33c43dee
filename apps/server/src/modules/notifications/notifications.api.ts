import type { Language } from '@eventmanager/domain/common/schema';
import type { MailType } from '@eventmanager/domain/notifications/schema';
import type { Db } from '../../platform/db/database.ts';
import { type MailDataByType, templateIdOf } from './mail-data.ts';
import { insertJobs } from './notifications.repository.ts';

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
