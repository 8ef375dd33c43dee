import type { MailCounts, MailStatus, MailType } from '@eventmanager/domain/notifications/schema';
import { type Db, queryOne, queryRows, sql } from '../../platform/db/database.ts';

/** The only code that touches email_queue and email_schedule. */

export interface NewMailJob {
  type: MailType;
  recipient: string;
  templateId: string;
  data: unknown;
  scheduledAt: Date;
  eventId?: string | null;
  participantId?: string | null;
  dedupeKey?: string | null;
  expiresAt?: Date | null;
}

export interface MailJobRow {
  id: string;
  type: MailType;
  recipient: string;
  template_id: string;
  data: unknown;
  scheduled_at: Date;
  status: MailStatus;
  retry_count: number;
  next_retry: Date | null;
  sent_at: Date | null;
  last_error: string | null;
  event_id: string | null;
  participant_id: string | null;
  dedupe_key: string | null;
  expires_at: Date | null;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Raw queries return timestamptz as text on both drivers (drizzle turns the parsers off): parse here. */
function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}
const toDateOrNull = (value: unknown): Date | null =>
  value === null || value === undefined ? null : toDate(value);

function toJob(row: MailJobRow): MailJobRow {
  return {
    ...row,
    scheduled_at: toDate(row.scheduled_at),
    next_retry: toDateOrNull(row.next_retry),
    sent_at: toDateOrNull(row.sent_at),
    expires_at: toDateOrNull(row.expires_at),
    data: typeof row.data === 'string' ? JSON.parse(row.data) : row.data,
  };
}

function toSchedule(row: ScheduleRow): ScheduleRow {
  return {
    ...row,
    event_start: toDate(row.event_start),
    due_at: toDate(row.due_at),
    expires_at: toDateOrNull(row.expires_at),
    created_at: toDate(row.created_at),
  };
}

/** Inserts jobs; a job whose dedupe_key exists already is skipped. Returns how many were new. */
export async function insertJobs(db: Db, all: NewMailJob[]): Promise<number> {
  // A participant registered at the door without an e-mail address has none to write to.
  const jobs = all.filter((j) => j.recipient !== '');
  if (jobs.length === 0) return 0;
  // One JSON parameter for the whole batch: a registration burst queues hundreds of confirmations
  // in one statement, and nine bound parameters per job cost more to build than the insert itself.
  const payload = JSON.stringify(
    jobs.map((j) => ({
      type: j.type,
      recipient: j.recipient,
      template_id: j.templateId,
      data: j.data,
      scheduled_at: iso(j.scheduledAt),
      event_id: j.eventId ?? null,
      participant_id: j.participantId ?? null,
      dedupe_key: j.dedupeKey ?? null,
      expires_at: iso(j.expiresAt),
    })),
  );
  const rows = await queryRows<{ id: string }>(
    db,
    sql`insert into email_queue (type, recipient, template_id, data, scheduled_at, event_id, participant_id,
          dedupe_key, expires_at)
        select x.type, x.recipient, x.template_id, x.data, x.scheduled_at, x.event_id, x.participant_id,
          x.dedupe_key, x.expires_at
        from jsonb_to_recordset(${payload}::jsonb) as x(type text, recipient text, template_id text,
          data jsonb, scheduled_at timestamptz, event_id uuid, participant_id uuid, dedupe_key text,
          expires_at timestamptz)
        on conflict (dedupe_key) do nothing
        returning id`,
  );
  return rows.length;
}

/**
 * Takes up to `limit` due jobs for this worker. The inner SELECT … FOR UPDATE SKIP LOCKED lets several
 * workers claim at once without waiting on or taking each other's rows; the UPDATE marks them
 * 'sending' with a lease in the same statement, so the claim is one short transaction.
 */
export async function claimDueJobs(
  db: Db,
  input: { now: Date; limit: number; workerId: string; leaseMs: number },
): Promise<MailJobRow[]> {
  const now = input.now.toISOString();
  const lease = new Date(input.now.getTime() + input.leaseMs).toISOString();
  const rows = await queryRows<MailJobRow>(
    db,
    sql`update email_queue q
        set status = 'sending', locked_until = ${lease}::timestamptz, locked_by = ${input.workerId},
            updated_at = ${now}::timestamptz
        where q.id in (
          select id from email_queue
          where status = 'pending' and scheduled_at <= ${now}::timestamptz
            and (next_retry is null or next_retry <= ${now}::timestamptz)
          order by scheduled_at
          limit ${input.limit}
          for update skip locked
        )
        returning q.id, q.type, q.recipient, q.template_id, q.data, q.scheduled_at, q.status, q.retry_count,
          q.next_retry, q.sent_at, q.last_error, q.event_id, q.participant_id, q.dedupe_key, q.expires_at`,
  );
  return rows.map(toJob);
}

/** Jobs whose worker died mid-send (lease expired) become claimable again. */
export async function releaseExpiredLeases(db: Db, now: Date): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update email_queue set status = 'pending', locked_until = null, locked_by = null,
          updated_at = ${now.toISOString()}::timestamptz
        where status = 'sending' and locked_until < ${now.toISOString()}::timestamptz
        returning id`,
  );
  return rows.length;
}

/** Records an outcome; only the worker holding the lease may (status = 'sending' and locked_by). */
export async function recordOutcome(
  db: Db,
  id: string,
  workerId: string,
  outcome:
    | { status: 'sent'; at: Date; messageId: string | null }
    | { status: 'retry'; at: Date; nextRetry: Date; error: string }
    | { status: 'failed' | 'cancelled'; at: Date; error: string },
): Promise<void> {
  const at = outcome.at.toISOString();
  const guard = sql`id = ${id}::uuid and status = 'sending' and locked_by = ${workerId}`;
  if (outcome.status === 'sent') {
    // Once sent, the copy of personal data the template needed is dropped (data minimisation); the
    // row keeps what the send log needs: type, recipient, times, message id.
    await db.execute(
      sql`update email_queue set status = 'sent', sent_at = ${at}::timestamptz, message_id = ${outcome.messageId},
            data = '{}'::jsonb, locked_until = null, updated_at = ${at}::timestamptz where ${guard}`,
    );
  } else if (outcome.status === 'retry') {
    await db.execute(
      sql`update email_queue set status = 'pending', retry_count = retry_count + 1,
            next_retry = ${outcome.nextRetry.toISOString()}::timestamptz, last_error = ${outcome.error},
            locked_until = null, locked_by = null, updated_at = ${at}::timestamptz where ${guard}`,
    );
  } else {
    await db.execute(
      sql`update email_queue set status = ${outcome.status}, last_error = ${outcome.error},
            locked_until = null, updated_at = ${at}::timestamptz where ${guard}`,
    );
  }
}

/**
 * A participant was deleted or anonymised: their queued mail is cancelled and every copy of their
 * address and name in the queue erased — except the deletion confirmation itself, which must reach
 * them (it drops its data once sent).
 */
export async function erasePersonalData(db: Db, participantId: string, now: Date): Promise<void> {
  await db.execute(
    sql`update email_queue
        set status = case when status = 'pending' then 'cancelled' else status end,
            last_error = case when status = 'pending' then 'participant data erased' else last_error end,
            recipient = '[erased]', data = '{}'::jsonb, updated_at = ${now.toISOString()}::timestamptz
        where participant_id = ${participantId}::uuid and type <> 'deletion_confirmation' and status <> 'sending'`,
  );
}

/** Cancels e-mail not yet sent, e.g. reminders of a participant who cancelled. */
export async function cancelPending(
  db: Db,
  where: { participantId?: string; eventId?: string; types?: MailType[] },
  reason: string,
  now: Date,
): Promise<number> {
  const conditions = [sql`status = 'pending'`];
  if (where.participantId) conditions.push(sql`participant_id = ${where.participantId}::uuid`);
  if (where.eventId) conditions.push(sql`event_id = ${where.eventId}::uuid`);
  if (where.types?.length) {
    conditions.push(
      sql`type in (${sql.join(
        where.types.map((t) => sql`${t}`),
        sql`, `,
      )})`,
    );
  }
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update email_queue set status = 'cancelled', last_error = ${reason}, updated_at = ${now.toISOString()}::timestamptz
        where ${sql.join(conditions, sql` and `)} returning id`,
  );
  return rows.length;
}

export async function countsByType(db: Db, eventId: string): Promise<(MailCounts & { type: MailType })[]> {
  return queryRows<MailCounts & { type: MailType }>(
    db,
    sql`select type,
          count(*) filter (where status = 'pending')::int as queued,
          count(*) filter (where status = 'sending')::int as sending,
          count(*) filter (where status = 'sent')::int as sent,
          count(*) filter (where status = 'failed')::int as failed,
          count(*) filter (where status = 'cancelled')::int as cancelled
        from email_queue where event_id = ${eventId}::uuid
        group by type order by type`,
  );
}

export async function listJobs(
  db: Db,
  eventId: string,
  filter: { status?: MailStatus | undefined; type?: MailType | undefined; limit: number },
): Promise<MailJobRow[]> {
  const conditions = [sql`event_id = ${eventId}::uuid`];
  if (filter.status) conditions.push(sql`status = ${filter.status}`);
  if (filter.type) conditions.push(sql`type = ${filter.type}`);
  const rows = await queryRows<MailJobRow>(
    db,
    sql`select id, type, recipient, template_id, data, scheduled_at, status, retry_count, next_retry, sent_at,
          last_error, event_id, participant_id, dedupe_key, expires_at
        from email_queue where ${sql.join(conditions, sql` and `)}
        order by updated_at desc, id limit ${filter.limit}`,
  );
  return rows.map(toJob);
}

/** A participant's e-mails of one event, newest first. */
export async function listParticipantJobs(
  db: Db,
  eventId: string,
  participantId: string,
  limit: number,
): Promise<MailJobRow[]> {
  const rows = await queryRows<MailJobRow>(
    db,
    sql`select id, type, recipient, template_id, data, scheduled_at, status, retry_count, next_retry, sent_at,
          last_error, event_id, participant_id, dedupe_key, expires_at
        from email_queue where participant_id = ${participantId}::uuid and event_id = ${eventId}::uuid
        order by scheduled_at desc, created_at desc limit ${limit}`,
  );
  return rows.map(toJob);
}

export async function findJob(db: Db, id: string): Promise<MailJobRow | undefined> {
  const row = await queryOne<MailJobRow>(
    db,
    sql`select id, type, recipient, template_id, data, scheduled_at, status, retry_count, next_retry, sent_at,
          last_error, event_id, participant_id, dedupe_key, expires_at
        from email_queue where id = ${id}::uuid`,
  );
  return row && toJob(row);
}

// ---- bulk-send schedule ----------------------------------------------------------------------------

export type BulkKind = 'reminder_1d' | 'reminder_3h' | 'thank_you' | 'organizer_summary';

export interface ScheduleRow {
  id: string;
  event_id: string;
  kind: BulkKind;
  event_start: Date;
  due_at: Date;
  expires_at: Date | null;
  status: 'pending' | 'expanding' | 'done' | 'cancelled';
  cursor: string | null;
  total: number;
  chunks: number;
  created_at: Date;
}

/** Creates the bulk send once: the unique (event, kind, start) makes a second call a no-op. */
export async function insertSchedule(
  db: Db,
  input: {
    eventId: string;
    kind: BulkKind;
    eventStart: Date;
    dueAt: Date;
    expiresAt: Date | null;
    now: Date;
  },
): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`insert into email_schedule (event_id, kind, event_start, due_at, expires_at, created_at, updated_at)
        values (${input.eventId}::uuid, ${input.kind}, ${input.eventStart.toISOString()}::timestamptz,
          ${input.dueAt.toISOString()}::timestamptz, ${iso(input.expiresAt)}::timestamptz,
          ${input.now.toISOString()}::timestamptz, ${input.now.toISOString()}::timestamptz)
        on conflict (event_id, kind, event_start) do nothing returning id`,
  );
  return rows.length > 0;
}

/** Locks one open, due participant bulk send for expansion (skipping ones another worker holds). */
export async function lockNextSchedule(tx: Db, now: Date): Promise<ScheduleRow | undefined> {
  const row = await queryOne<ScheduleRow>(
    tx,
    sql`select * from email_schedule
        where status in ('pending', 'expanding') and kind <> 'organizer_summary'
          and due_at <= ${now.toISOString()}::timestamptz
        order by due_at limit 1 for update skip locked`,
  );
  return row && toSchedule(row);
}

export async function listOpenSchedules(db: Db, now: Date, kind: BulkKind): Promise<ScheduleRow[]> {
  const rows = await queryRows<ScheduleRow>(
    db,
    sql`select * from email_schedule
        where status in ('pending', 'expanding') and kind = ${kind} and due_at <= ${now.toISOString()}::timestamptz
        order by due_at limit 100`,
  );
  return rows.map(toSchedule);
}

/** The schedule, locked, if it is still open and no other worker holds it. */
export async function lockScheduleById(tx: Db, id: string): Promise<ScheduleRow | undefined> {
  const row = await queryOne<ScheduleRow>(
    tx,
    sql`select * from email_schedule where id = ${id}::uuid and status in ('pending', 'expanding')
        for update skip locked`,
  );
  return row && toSchedule(row);
}

export async function updateSchedule(
  tx: Db,
  id: string,
  patch: { status: ScheduleRow['status']; cursor: string | null; added: number; now: Date },
): Promise<void> {
  await tx.execute(
    sql`update email_schedule set status = ${patch.status}, cursor = ${patch.cursor}, total = total + ${patch.added},
          chunks = chunks + 1, updated_at = ${patch.now.toISOString()}::timestamptz
        where id = ${id}::uuid`,
  );
}

export async function cancelSchedules(db: Db, eventId: string, now: Date): Promise<void> {
  await db.execute(
    sql`update email_schedule set status = 'cancelled', updated_at = ${now.toISOString()}::timestamptz
        where event_id = ${eventId}::uuid and status in ('pending', 'expanding')`,
  );
}

export async function listSchedules(db: Db, eventId: string): Promise<ScheduleRow[]> {
  const rows = await queryRows<ScheduleRow>(
    db,
    sql`select * from email_schedule where event_id = ${eventId}::uuid order by created_at, kind`,
  );
  return rows.map(toSchedule);
}

/** After a reschedule: reminders (planned or queued) for a start time that is no longer the event's. */
export async function cancelReminderSchedulesNotStarting(
  db: Db,
  eventId: string,
  start: Date,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  const s = start.toISOString();
  await db.execute(
    sql`update email_schedule set status = 'cancelled', updated_at = ${at}::timestamptz
        where event_id = ${eventId}::uuid and kind in ('reminder_1d', 'reminder_3h')
          and status in ('pending', 'expanding') and event_start <> ${s}::timestamptz`,
  );
  await db.execute(
    sql`update email_queue set status = 'cancelled', last_error = 'event rescheduled', updated_at = ${at}::timestamptz
        where event_id = ${eventId}::uuid and type in ('reminder_1d', 'reminder_3h') and status = 'pending'
          and (data #>> '{event,datetime,start}')::timestamptz <> ${s}::timestamptz`,
  );
}

/** The organizer asks to try a failed e-mail again (e.g. after fixing the address): a fresh job. */
export async function requeueFailed(
  db: Db,
  eventId: string,
  id: string,
  now: Date,
): Promise<MailJobRow | undefined> {
  const row = await queryOne<MailJobRow>(
    db,
    sql`update email_queue set status = 'pending', retry_count = 0, next_retry = null, last_error = null,
          scheduled_at = ${now.toISOString()}::timestamptz, locked_by = null, locked_until = null,
          updated_at = ${now.toISOString()}::timestamptz
        where id = ${id}::uuid and event_id = ${eventId}::uuid and status = 'failed'
        returning id, type, recipient, template_id, data, scheduled_at, status, retry_count, next_retry, sent_at,
          last_error, event_id, participant_id, dedupe_key, expires_at`,
  );
  return row && toJob(row);
}
