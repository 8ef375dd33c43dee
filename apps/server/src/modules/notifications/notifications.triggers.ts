import { randomUUID } from 'node:crypto';
import type { MailType } from '@eventmanager/domain/notifications/schema';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { LifecycleHooks } from '../../platform/hooks.ts';
import { getEvent } from '../events/events.repository.ts';
import { getNotificationContext } from '../participants/participants.api.ts';
import { type EnqueueInput, enqueueMails } from './notifications.api.ts';
import { brandingOf, participantMailData } from './notifications.compose.ts';
import {
  cancelPending,
  cancelReminderSchedulesNotStarting,
  cancelSchedules,
  erasePersonalData,
} from './notifications.repository.ts';
import type { MailScheduler } from './notifications.scheduler.ts';

const REASON_MAIL: Record<'approved' | 'rejected' | 'promoted' | 'restored', MailType> = {
  approved: 'registration_approved',
  rejected: 'registration_rejected',
  promoted: 'waitlist_promotion',
  restored: 'registration_restored',
};

/**
 * The seed's triggers, as lifecycle hooks: each runs inside the transaction that made the change, so
 * the e-mail is queued exactly when the change commits (a rolled-back registration queues nothing).
 */
export function registerMailTriggers(
  hooks: LifecycleHooks,
  deps: { clock: Clock; scheduler: MailScheduler },
): void {
  const { clock, scheduler } = deps;

  /** The mail to each participant still there (anonymised or deleted ones get none), in one statement. */
  async function enqueueParticipantMails(
    tx: Db,
    type: MailType,
    participantIds: string[],
    /** Distinguishes repeated mails of one type (a second cancellation after a restore). */
    occurrence = '',
  ): Promise<void> {
    const now = clock.now();
    const inputs: EnqueueInput<MailType>[] = [];
    for (const participantId of participantIds) {
      const ctx = await getNotificationContext(tx, participantId);
      if (!ctx) continue;
      inputs.push({
        type,
        recipient: ctx.participant.identity.email,
        data: participantMailData(ctx, brandingOf(ctx.event)),
        scheduledAt: now,
        eventId: ctx.event.id,
        participantId,
        dedupeKey: `${type}:${participantId}${occurrence}`,
      });
    }
    await enqueueMails(tx, inputs);
  }

  hooks.participantRegistered.push(async (tx, { participants }) => {
    await enqueueParticipantMails(
      tx,
      'registration_confirmation',
      participants
        .filter(
          (p) =>
            p.notify !== false &&
            (p.status === 'registered' || p.status === 'pending' || p.status === 'waitlist'),
        )
        .map((p) => p.participantId),
    );
  });

  hooks.participantStatusChanged.push(async (tx, { participantId, reason, by }) => {
    // A status can move back and forth (cancel, restore, cancel): each move is its own e-mail.
    const occurrence = `:${randomUUID()}`;
    if (reason === 'cancelled') {
      // A cancelled seat gets no reminder or thank-you that was already queued.
      await cancelPending(tx, { participantId }, 'registration cancelled', clock.now());
      // The organizer's cancellation is told to the participant (their own needs no e-mail).
      if (by === 'organizer') {
        await enqueueParticipantMails(tx, 'registration_cancelled', [participantId], occurrence);
      }
      return;
    }
    await enqueueParticipantMails(tx, REASON_MAIL[reason], [participantId], occurrence);
  });

  hooks.participantUpdated.push(async (tx, { participantId }) => {
    // No notification context any more means the participant was anonymised or deleted.
    if (!(await getNotificationContext(tx, participantId))) {
      await erasePersonalData(tx, participantId, clock.now());
    }
  });

  hooks.eventStatusChanged.push(async (tx, { eventId, to }) => {
    const now = clock.now();
    if (to === 'completed') {
      const event = await getEvent(tx, eventId);
      if (event) await scheduler.scheduleCompletion(tx, eventId, new Date(event.datetime.start), now);
    } else if (to === 'cancelled') {
      await cancelSchedules(tx, eventId, now);
      await cancelPending(tx, { eventId }, 'event cancelled', now);
    }
  });

  hooks.eventUpdated.push(async (tx, { eventId, fields }) => {
    if (!fields.includes('datetime')) return;
    const event = await getEvent(tx, eventId);
    if (!event) return;
    // Reminders queued for the old start time are withdrawn; the scheduler makes new ones.
    await cancelReminderSchedulesNotStarting(tx, eventId, new Date(event.datetime.start), clock.now());
  });
}
