import type { Event } from '@eventmanager/domain/events/schema';
import type { Participant } from '@eventmanager/domain/participants/participant.schema';
import type { Db } from '../../platform/db/database.ts';
import type { AccountsService } from '../accounts/accounts.service.ts';
import { getEvent, listEventsStartingBetween } from '../events/events.repository.ts';
import { listSnapshot } from '../participants/participants.api.ts';
import { PARTICIPANT_REF, templateIdOf } from './mail-data.ts';
import { brandingOf, mailEventOf } from './notifications.compose.ts';
import {
  type BulkKind,
  insertJobs,
  insertSchedule,
  listOpenSchedules,
  lockNextSchedule,
  lockScheduleById,
  type NewMailJob,
  type ScheduleRow,
  updateSchedule,
} from './notifications.repository.ts';

const HOUR = 60 * 60 * 1000;
/** The seed's window for "1 day before": start between 23 and 25 hours from now. */
export const DAY_REMINDER_WINDOW = { fromMs: 23 * HOUR, toMs: 25 * HOUR } as const;
export const SOON_REMINDER_MS = 3 * HOUR;
/** The seed's bulk chunk: each 1,000 recipients are queued in their own short transaction. */
export const BULK_CHUNK_SIZE = 1000;

/** Recipients per bulk send, kept for the chunks of one tick. */
type SnapshotCache = Map<string, Participant[]>;

export interface SchedulerDeps {
  db: Db;
  accounts: AccountsService;
  /** PUBLIC_URL, for the organizer's dashboard link. */
  publicUrl: string;
  chunkSize?: number;
}

/** Who a bulk send goes to: reminders to everyone holding a seat; thank-you to those who came. */
function recipientsOf(kind: BulkKind, event: Event, participants: Participant[]): Participant[] {
  const seated = participants.filter((p) => p.registration.status === 'registered');
  if (kind !== 'thank_you') return seated;
  // Without check-in nobody is marked present, so everyone registered is thanked.
  return event.features.checkin_enabled ? seated.filter((p) => p.checkin.status === 'checked_in') : seated;
}

/**
 * The reminder scheduler and bulk sender, run from the worker loop. A tick (1) creates the bulk
 * sends due now — reminders for events entering the 23–25 h and 0–3 h windows — each exactly once
 * (unique per event, kind and start), then (2) expands open bulk sends into queued e-mails, 1,000
 * recipients per transaction, resuming from the stored cursor if interrupted. Several workers may
 * tick at once: SKIP LOCKED hands each schedule to one of them, and job dedupe keys make a repeated
 * chunk harmless.
 */
export function createMailScheduler(deps: SchedulerDeps) {
  const { db, accounts } = deps;
  const chunkSize = deps.chunkSize ?? BULK_CHUNK_SIZE;

  async function scheduleReminders(now: Date): Promise<void> {
    const t = now.getTime();
    const tomorrow = await listEventsStartingBetween(
      db,
      new Date(t + DAY_REMINDER_WINDOW.fromMs),
      new Date(t + DAY_REMINDER_WINDOW.toMs),
    );
    for (const event of tomorrow) {
      const start = new Date(event.datetime.start);
      await insertSchedule(db, {
        eventId: event.id,
        kind: 'reminder_1d',
        eventStart: start,
        dueAt: now,
        expiresAt: new Date(start.getTime() - DAY_REMINDER_WINDOW.fromMs),
        now,
      });
    }
    // Includes events created or published less than 3 hours before they start: one reminder at once.
    const soon = await listEventsStartingBetween(db, now, new Date(t + SOON_REMINDER_MS));
    for (const event of soon) {
      const start = new Date(event.datetime.start);
      await insertSchedule(db, {
        eventId: event.id,
        kind: 'reminder_3h',
        eventStart: start,
        dueAt: now,
        expiresAt: start,
        now,
      });
    }
  }

  async function summaryJob(event: Event, now: Date): Promise<NewMailJob[]> {
    const organizer = await accounts.repo.findUserById(event.organizer_id);
    // The summary is optional mail: it follows the organizer's notifications preference.
    if (!organizer?.notifications) return [];
    const all = await listSnapshot(db, event.id);
    const count = (pred: (p: Participant) => boolean) => all.filter(pred).length;
    const registered = (p: Participant) => p.registration.status === 'registered';
    return [
      {
        type: 'organizer_summary',
        recipient: organizer.email,
        templateId: templateIdOf('organizer_summary', organizer.language),
        data: {
          language: organizer.language,
          recipient_name: organizer.name,
          branding: brandingOf(event),
          event: mailEventOf(event),
          stats: {
            registered: count(registered),
            waitlist: count((p) => p.registration.status === 'waitlist'),
            pending: count((p) => p.registration.status === 'pending'),
            cancelled: count((p) => p.registration.status === 'cancelled'),
            checked_in: count((p) => registered(p) && p.checkin.status === 'checked_in'),
            no_show: count((p) => registered(p) && p.checkin.status === 'no_show'),
          },
          dashboard_url: `${deps.publicUrl}/events/${event.id}`,
        },
        scheduledAt: now,
        eventId: event.id,
        dedupeKey: `organizer_summary:${event.id}`,
      },
    ];
  }

  /**
   * Queues the next chunk of one open participant bulk send; false when none is open. Everything in
   * it reads through `tx` (on PGlite a read outside an open transaction would wait for it forever).
   */
  async function expandOneChunk(now: Date, snapshots: SnapshotCache = new Map()): Promise<boolean> {
    return db.transaction(async (tx) => {
      const schedule = await lockNextSchedule(tx, now);
      if (!schedule) return false;
      const event = await getEvent(tx, schedule.event_id);
      const expired = schedule.expires_at !== null && schedule.expires_at.getTime() <= now.getTime();
      if (!event || expired) {
        await updateSchedule(tx, schedule.id, {
          status: 'cancelled',
          cursor: schedule.cursor,
          added: 0,
          now,
        });
        return true;
      }
      const { jobs, cursor, more } = await participantChunk(tx, schedule, event, now, snapshots);
      const added = await insertJobs(tx, jobs);
      await updateSchedule(tx, schedule.id, { status: more ? 'expanding' : 'done', cursor, added, now });
      return true;
    });
  }

  /**
   * Organizer summaries: the organizer (accounts service) and the figures are read first, outside
   * any transaction; then a short transaction claims the schedule (SKIP LOCKED, still open) and
   * queues the one e-mail, so two workers never both queue it.
   */
  async function sendSummaries(now: Date): Promise<void> {
    for (const schedule of await listOpenSchedules(db, now, 'organizer_summary')) {
      const event = await getEvent(db, schedule.event_id);
      const jobs = event ? await summaryJob(event, now) : [];
      await db.transaction(async (tx) => {
        const locked = await lockScheduleById(tx, schedule.id);
        if (!locked) return;
        const added = await insertJobs(tx, jobs);
        await updateSchedule(tx, schedule.id, {
          status: event ? 'done' : 'cancelled',
          cursor: null,
          added,
          now,
        });
      });
    }
  }

  async function participantChunk(
    tx: Db,
    schedule: ScheduleRow,
    event: Event,
    now: Date,
    snapshots: SnapshotCache,
  ) {
    // The recipient list is read (and decrypted) once per tick, not once per chunk.
    let everyone = snapshots.get(schedule.id);
    if (!everyone) {
      everyone = recipientsOf(schedule.kind, event, await listSnapshot(tx, event.id)).sort((a, b) =>
        a.id < b.id ? -1 : 1,
      );
      snapshots.set(schedule.id, everyone);
    }
    const all = everyone.filter((p) => schedule.cursor === null || p.id > schedule.cursor);
    const chunk = all.slice(0, chunkSize);
    const kind = schedule.kind as 'reminder_1d' | 'reminder_3h' | 'thank_you';
    const startKey = schedule.event_start.toISOString();
    const jobs: NewMailJob[] = chunk.map((p) => ({
      type: kind,
      recipient: p.identity.email,
      templateId: templateIdOf(kind, p.language),
      data: PARTICIPANT_REF,
      scheduledAt: now,
      eventId: event.id,
      participantId: p.id,
      dedupeKey: `${kind}:${event.id}:${startKey}:${p.id}`,
      expiresAt: schedule.expires_at,
    }));
    return { jobs, cursor: chunk.at(-1)?.id ?? schedule.cursor, more: all.length > chunk.length };
  }

  return {
    scheduleReminders,
    expandOneChunk,
    /** Creates due bulk sends and expands all open ones. */
    async tick(now: Date): Promise<void> {
      await scheduleReminders(now);
      const snapshots: SnapshotCache = new Map();
      while (await expandOneChunk(now, snapshots)) {
        // one chunk per transaction, until every open bulk send is fully queued
      }
      await sendSummaries(now);
    },
    /** For the completion trigger (inside the writer's transaction): thank-you and summary, once. */
    async scheduleCompletion(tx: Db, eventId: string, eventStart: Date, now: Date): Promise<void> {
      for (const kind of ['thank_you', 'organizer_summary'] as const) {
        await insertSchedule(tx, { eventId, kind, eventStart, dueAt: now, expiresAt: null, now });
      }
    },
  };
}

export type MailScheduler = ReturnType<typeof createMailScheduler>;
