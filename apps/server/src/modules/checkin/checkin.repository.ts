import type { CheckinAction } from '@eventmanager/domain/checkin/checkin-log.schema';
import { compareLogs } from '@eventmanager/domain/checkin/resolve';
import type { ChangeKind } from '@eventmanager/domain/checkin/sync.schema';
import type { CheckinStatus, RegistrationStatus } from '@eventmanager/domain/participants/participant.schema';
import type { SQL } from 'drizzle-orm';
import { type Db, queryOne, queryPrepared, queryRows, sql } from '../../platform/db/database.ts';
import { historyOf, type LogHistory } from './log-history.ts';

/** A stored log as the resolver and the API need it; times in epoch ms. */
export interface LogRow {
  id: string;
  participantId: string;
  action: CheckinAction;
  timestamp: number;
  localTimestamp: number;
  serverTimestamp: number;
  clockOffsetMs: number;
  clamped: boolean;
  deviceId: string;
  deviceName: string;
  userId: string | null;
  version: number;
  conflictResolved: boolean;
  location: unknown;
}

/** What the rule alone needs of a log. */
export type ResolveLogStamp = Pick<LogRow, 'id' | 'action' | 'timestamp'>;

/** What resolving a participant's state and announcing a conflict need of a stored log. */
export type ResolveLog = Pick<
  LogRow,
  'id' | 'participantId' | 'action' | 'timestamp' | 'deviceId' | 'deviceName' | 'userId'
>;

export interface NewLog extends Omit<LogRow, 'version' | 'conflictResolved'> {
  version: number;
  conflictResolved: boolean;
}

export interface ChangeState {
  participantId: string;
  kind: ChangeKind;
  status: CheckinStatus;
  timestamp: Date | null;
  checkedBy: string | null;
  deviceId: string | null;
  version: number;
  /** The checking-in device's name, known to the sync that made the change (not stored in the feed). */
  deviceName?: string | null;
  /** The logs the state was decided from, in the rule's order, when the writer holds them. */
  logs?: readonly ResolveLogStamp[];
}

/** A device's newly measured clock offset (server − device, ms). */
export interface ClockWrite {
  userId: string;
  deviceId: string;
  offsetMs: number;
}

export interface ChangeRow extends ChangeState {
  cursor: number;
  changedAt: Date;
}

interface RawLog {
  id: string;
  participant_id: string;
  action: CheckinAction;
  action_at: string | Date;
  local_timestamp: string | Date;
  server_timestamp: string | Date;
  clock_offset_ms: number | string;
  clamped: boolean;
  device_id: string;
  device_name: string;
  user_id: string | null;
  version: number;
  conflict_resolved: boolean;
  location: unknown;
}

const ms = (v: string | Date) => (v instanceof Date ? v.getTime() : Date.parse(v));
const iso = (v: number) => new Date(v).toISOString();

function toLog(r: RawLog): LogRow {
  return {
    id: r.id,
    participantId: r.participant_id,
    action: r.action,
    timestamp: ms(r.action_at),
    localTimestamp: ms(r.local_timestamp),
    serverTimestamp: ms(r.server_timestamp),
    clockOffsetMs: Number(r.clock_offset_ms),
    clamped: r.clamped,
    deviceId: r.device_id,
    deviceName: r.device_name,
    userId: r.user_id,
    version: r.version,
    conflictResolved: r.conflict_resolved,
    location: r.location,
  };
}

function logsPayload(logs: NewLog[]): string {
  return JSON.stringify(
    logs.map((l) => ({
      id: l.id,
      participant_id: l.participantId,
      action: l.action,
      action_at: iso(l.timestamp),
      local_timestamp: iso(l.localTimestamp),
      server_timestamp: iso(l.serverTimestamp),
      clock_offset_ms: l.clockOffsetMs,
      clamped: l.clamped,
      device_id: l.deviceId,
      device_name: l.deviceName,
      user_id: l.userId,
      version: l.version,
      conflict_resolved: l.conflictResolved,
      location: l.location ?? null,
    })),
  );
}

function changesPayload(changes: ChangeState[]): string {
  return JSON.stringify(
    changes.map((c, i) => ({
      ord: i + 1,
      participant_id: c.participantId,
      kind: c.kind,
      checkin_status: c.status,
      checkin_timestamp: c.timestamp?.toISOString() ?? null,
      checked_by: c.checkedBy,
      checkin_device_id: c.deviceId,
      version: c.version,
    })),
  );
}

const LOG_COLUMNS = sql`id, participant_id, action, action_at, local_timestamp, server_timestamp, clock_offset_ms,
  clamped, device_id, device_name, user_id, version, conflict_resolved, location`;

/** A participant's check-in row as a sync group decides on it (revision: the row version's xmin). */
export interface ParticipantState {
  checkinStatus: CheckinStatus;
  version: number;
  revision: string;
  /** Only `registered` participants may be checked in (or undone); see the sync engine. */
  registrationStatus: RegistrationStatus;
}

/**
 * One snapshot of participants' states, all their logs (per participant, in the resolver's order),
 * and the asked mutation ids applied before (with the participant each belonged to).
 */
export interface BatchSnapshot {
  participants: Map<string, ParticipantState>;
  logs: Map<string, LogHistory>;
  applied: Map<string, string>;
}

interface SnapshotRow {
  k: 'p' | 'l' | 'a';
  participant_id: string;
  status: CheckinStatus | null;
  version: number | null;
  revision: string | null;
  id: string | null;
  action: CheckinAction | null;
  at_ms: number | string | null;
  device_id: string | null;
  device_name: string | null;
  user_id: string | null;
  registration_status: RegistrationStatus | null;
}

/** The rows of CTE `p` (id, checkin_status, version, revision, registration_status), tagged 'p'. */
const SNAPSHOT_STATES = sql`select 'p' as k, p.id as participant_id, p.checkin_status as status, p.version,
         p.revision, null::uuid as id, null::text as action, null::float8 as at_ms,
         null::text as device_id, null::text as device_name, null::uuid as user_id,
         p.registration_status::text as registration_status
  from p`;
/** Logs as the resolver needs them, tagged 'l'; the caller adds the WHERE. */
const SNAPSHOT_LOGS = sql`select 'l', l.participant_id, null, null, null, l.id, l.action,
         (extract(epoch from l.action_at) * 1000)::float8, l.device_id, l.device_name, l.user_id, null
  from checkin_logs l`;

function toSnapshot(rows: SnapshotRow[]): BatchSnapshot {
  const participants = new Map<string, ParticipantState>();
  const logs = new Map<string, ResolveLog[]>();
  const applied = new Map<string, string>();
  for (const r of rows) {
    if (r.k === 'p')
      participants.set(r.participant_id, {
        checkinStatus: r.status!,
        version: r.version!,
        revision: r.revision!,
        registrationStatus: r.registration_status!,
      });
    else if (r.k === 'l') {
      const log: ResolveLog = {
        id: r.id!,
        participantId: r.participant_id,
        action: r.action!,
        timestamp: Math.round(Number(r.at_ms)),
        deviceId: r.device_id!,
        deviceName: r.device_name!,
        userId: r.user_id,
      };
      const list = logs.get(r.participant_id);
      if (list) list.push(log);
      else logs.set(r.participant_id, [log]);
    } else applied.set(r.id!, r.participant_id);
  }
  const histories = new Map<string, LogHistory>();
  for (const [id, list] of logs) histories.set(id, historyOf(list));
  return { participants, logs: histories, applied };
}

export const checkinRepository = {
  /**
   * Everything a batch decides on, in ONE statement (one snapshot): the participants' versions and
   * check-in states (`participantStates`, the participants module's query for the batch's ids),
   * every log of those participants (the resolver folds the whole set), and which of the batch's
   * mutation ids were applied before (with the participant each belonged to). Of a log only what the
   * resolver and the conflict notice use, its action time as epoch ms: a participant's history grows
   * with every check-in and undo, and parsing three timestamps per old log was most of this read's
   * CPU. Three index lookups glued with UNION ALL: an OR of the two log conditions let the planner
   * scan every log of the event.
   */
  async readBatch(
    db: Db,
    eventId: string,
    participantStates: SQL,
    mutationIds: string[],
  ): Promise<BatchSnapshot> {
    const rows = await queryPrepared<SnapshotRow>(
      db,
      'checkin_read_batch',
      sql`with p as (${participantStates})
          ${SNAPSHOT_STATES}
          union all
          ${SNAPSHOT_LOGS} where l.participant_id in (select id from p)
          union all
          select 'a', a.participant_id, null, null, null, a.id, null, null, null, null, null, null
          from checkin_logs a
          where a.event_id = ${eventId}::uuid and a.id = any(${`{${mutationIds.join(',')}}`}::uuid[])`,
    );
    return toSnapshot(rows);
  },

  /**
   * readBatch for a whole event (`participantStates` reads all its live participants): what an
   * instance keeps in memory to decide its sync groups without reading (see event-ledger.ts).
   */
  async readEvent(db: Db, eventId: string, participantStates: SQL): Promise<BatchSnapshot> {
    const rows = await queryRows<SnapshotRow>(
      db,
      sql`with p as (${participantStates})
          ${SNAPSHOT_STATES}
          union all
          ${SNAPSHOT_LOGS} where l.event_id = ${eventId}::uuid and l.participant_id in (select id from p)`,
    );
    return toSnapshot(rows);
  },

  /**
   * Writes a batch in ONE statement, which is its own transaction: the participants'
   * compare-and-set (`participants`, from the participants module), the new logs, the devices'
   * clock offsets (only when one moved by 500 ms or more), and the cursor advance with the change
   * rows. If a participant moved on since the batch read it, or a log id turns out to be applied
   * already, `checkin_expect_current` aborts the statement with serialization_failure (40001) and
   * nothing of it stays: the caller reads again and retries. The cursor row is locked from its
   * advance until the statement commits, so cursor order is commit order (migration 0004).
   */
  async writeBatch(
    db: Db,
    eventId: string,
    batch: {
      participants: { update: SQL; count: number } | undefined;
      logs: NewLog[];
      changes: ChangeState[];
      at: Date;
      clocks: ClockWrite[];
    },
  ): Promise<{ changes: ChangeRow[]; cursor: number; revision: string | null }> {
    const { logs, changes, at, clocks } = batch;
    const parts: SQL[] = [];
    const expectations: SQL[] = [];
    if (batch.participants) {
      parts.push(sql`p as (${batch.participants.update})`);
      expectations.push(sql`(select count(*) from p) = ${batch.participants.count}::int`);
    }
    if (logs.length) {
      parts.push(sql`l as (
        insert into checkin_logs (event_id, ${LOG_COLUMNS})
        select ${eventId}::uuid, x.id, x.participant_id, x.action, x.action_at, x.local_timestamp,
               x.server_timestamp, x.clock_offset_ms, x.clamped, x.device_id, x.device_name, x.user_id,
               x.version, x.conflict_resolved, x.location
        from jsonb_to_recordset(${logsPayload(logs)}::jsonb) as x(
          id uuid, participant_id uuid, action text, action_at timestamptz, local_timestamp timestamptz,
          server_timestamp timestamptz, clock_offset_ms bigint, clamped boolean, device_id text,
          device_name text, user_id uuid, version integer, conflict_resolved boolean, location jsonb)
        on conflict (event_id, id) do nothing
        returning 1)`);
      expectations.push(sql`(select count(*) from l) = ${logs.length}::int`);
    }
    // One row per device (the latest measurement): an upsert may not touch a row twice.
    const byDevice = new Map(clocks.map((c) => [`${c.userId} ${c.deviceId}`, c]));
    if (byDevice.size) {
      const payload = JSON.stringify(
        [...byDevice.values()].map((c) => ({
          user_id: c.userId,
          device_id: c.deviceId,
          clock_offset_ms: Math.round(c.offsetMs),
        })),
      );
      parts.push(sql`d as (
        insert into device_clock (user_id, device_id, clock_offset_ms, measured_at)
        select x.user_id, x.device_id, x.clock_offset_ms, ${at.toISOString()}::timestamptz
        from jsonb_to_recordset(${payload}::jsonb) as x(user_id uuid, device_id text, clock_offset_ms bigint)
        on conflict (user_id, device_id) do update
          set clock_offset_ms = excluded.clock_offset_ms, measured_at = excluded.measured_at
          where abs(device_clock.clock_offset_ms - excluded.clock_offset_ms) >= 500
        returning 1)`);
    }
    const n = changes.length;
    if (n) {
      parts.push(sql`c as (
        insert into event_change_cursors (event_id, last_cursor) values (${eventId}, ${n})
        on conflict (event_id) do update set last_cursor = event_change_cursors.last_cursor + ${n}
        returning last_cursor)`);
      parts.push(sql`ch as (
        insert into participant_changes (event_id, cursor, participant_id, kind, checkin_status,
          checkin_timestamp, checked_by, checkin_device_id, version, changed_at)
        select ${eventId}::uuid, c.last_cursor - ${n} + x.ord, x.participant_id, x.kind, x.checkin_status,
          x.checkin_timestamp, x.checked_by, x.checkin_device_id, x.version, ${at.toISOString()}::timestamptz
        from c, jsonb_to_recordset(${changesPayload(changes)}::jsonb) as x(
          ord integer, participant_id uuid, kind text, checkin_status text, checkin_timestamp timestamptz,
          checked_by uuid, checkin_device_id text, version integer)
        returning 1)`);
    }
    const cursor = n
      ? sql`(select last_cursor from c) as cursor, (select count(*) from ch) as written`
      : sql`coalesce((select last_cursor from event_change_cursors where event_id = ${eventId}), 0) as cursor`;
    // The rows it updated share one revision: this statement's transaction id.
    const revision = batch.participants
      ? sql`, (select min(revision) from p) as revision`
      : sql`, null::text as revision`;
    const tail = expectations.length
      ? sql`select checkin_expect_current(${sql.join(expectations, sql` and `)}) as current, ${cursor}${revision}`
      : sql`select ${cursor}${revision}`;
    const statement = parts.length ? sql`with ${sql.join(parts, sql`, `)} ${tail}` : tail;
    // One prepared statement per shape (which of participants / logs / clocks / changes it carries).
    const shape = `${batch.participants ? 'p' : ''}${logs.length ? 'l' : ''}${byDevice.size ? 'd' : ''}${n ? 'c' : ''}`;
    const [row] = await queryPrepared<{ cursor: number | string; revision: string | null }>(
      db,
      `checkin_write_${shape}`,
      statement,
    );
    const last = Number(row?.cursor ?? 0);
    return {
      cursor: last,
      revision: row?.revision ?? null,
      changes: changes.map((c, i) => ({ ...c, cursor: last - n + i + 1, changedAt: at })),
    };
  },

  /**
   * Advances the event's cursor by `changes.length` and records the changes under the new values,
   * in one statement. The counter row stays locked until the caller's transaction commits, so
   * cursor order is commit order for one event (see migration 0004). Call it LAST in a transaction:
   * the lock is then held only for this statement and the commit.
   */
  async appendChanges(db: Db, eventId: string, changes: ChangeState[], at: Date): Promise<ChangeRow[]> {
    if (changes.length === 0) return [];
    const n = changes.length;
    const payload = changesPayload(changes);
    const rows = await queryRows<{ cursor: number | string }>(
      db,
      sql`with c as (
            insert into event_change_cursors (event_id, last_cursor) values (${eventId}, ${n})
            on conflict (event_id) do update set last_cursor = event_change_cursors.last_cursor + ${n}
            returning last_cursor
          )
          insert into participant_changes (event_id, cursor, participant_id, kind, checkin_status,
            checkin_timestamp, checked_by, checkin_device_id, version, changed_at)
          select ${eventId}::uuid, c.last_cursor - ${n} + x.ord, x.participant_id, x.kind, x.checkin_status,
            x.checkin_timestamp, x.checked_by, x.checkin_device_id, x.version, ${at.toISOString()}::timestamptz
          from c, jsonb_to_recordset(${payload}::jsonb) as x(
            ord integer, participant_id uuid, kind text, checkin_status text, checkin_timestamp timestamptz,
            checked_by uuid, checkin_device_id text, version integer)
          order by x.ord
          returning cursor`,
    );
    const cursors = rows.map((r) => Number(r.cursor)).sort((a, b) => a - b);
    return changes.map((c, i) => ({ ...c, cursor: cursors[i] ?? 0, changedAt: at }));
  },

  async currentCursor(db: Db, eventId: string): Promise<number> {
    const row = await queryOne<{ last_cursor: number | string }>(
      db,
      sql`select last_cursor from event_change_cursors where event_id = ${eventId}`,
    );
    return row ? Number(row.last_cursor) : 0;
  },

  /** The changes after `since`, in cursor order; one more than `limit` tells whether more wait. */
  async changesAfter(db: Db, eventId: string, since: number, limit: number): Promise<ChangeRow[]> {
    const rows = await queryRows<{
      cursor: number | string;
      participant_id: string;
      kind: ChangeKind;
      checkin_status: CheckinStatus;
      checkin_timestamp: string | Date | null;
      checked_by: string | null;
      checkin_device_id: string | null;
      version: number;
      changed_at: string | Date;
    }>(
      db,
      sql`select cursor, participant_id, kind, checkin_status, checkin_timestamp, checked_by,
                 checkin_device_id, version, changed_at
          from participant_changes
          where event_id = ${eventId} and cursor > ${since}
          order by cursor
          limit ${limit}`,
    );
    return rows.map((r) => ({
      cursor: Number(r.cursor),
      participantId: r.participant_id,
      kind: r.kind,
      status: r.checkin_status,
      timestamp: r.checkin_timestamp === null ? null : new Date(ms(r.checkin_timestamp)),
      checkedBy: r.checked_by,
      deviceId: r.checkin_device_id,
      version: r.version,
      changedAt: new Date(ms(r.changed_at)),
    }));
  },

  /**
   * The logs of the given participants of an event as the rule needs them, each participant's in
   * the rule's order, with the participant version each log was applied at.
   */
  async logStamps(
    db: Db,
    eventId: string,
    participantIds: readonly string[],
  ): Promise<Map<string, (ResolveLogStamp & { version: number })[]>> {
    const rows = await queryRows<{
      participant_id: string;
      id: string;
      action: CheckinAction;
      at_ms: number | string;
      version: number;
    }>(
      db,
      sql`select participant_id, id, action, (extract(epoch from action_at) * 1000)::float8 as at_ms, version
          from checkin_logs
          where event_id = ${eventId}::uuid
            and participant_id = any(${`{${participantIds.join(',')}}`}::uuid[])`,
    );
    const byParticipant = new Map<string, (ResolveLogStamp & { version: number })[]>();
    for (const r of rows) {
      const log = { id: r.id, action: r.action, timestamp: Math.round(Number(r.at_ms)), version: r.version };
      const list = byParticipant.get(r.participant_id);
      if (list) list.push(log);
      else byParticipant.set(r.participant_id, [log]);
    }
    for (const list of byParticipant.values()) list.sort(compareLogs);
    return byParticipant;
  },

  /**
   * The deciding logs (last check-in, last undo: see the domain's `decidingLogs`) of every
   * participant of the event, picked by the database (at most two rows per participant; the same
   * order as `compareLogs` within an action: time, then id), each participant's in the rule's order.
   */
  async decidingLogStamps(db: Db, eventId: string): Promise<Map<string, ResolveLogStamp[]>> {
    const rows = await queryRows<{
      participant_id: string;
      id: string;
      action: CheckinAction;
      at_ms: number | string;
    }>(
      db,
      sql`select distinct on (participant_id, action)
                 participant_id, id, action, (extract(epoch from action_at) * 1000)::float8 as at_ms
          from checkin_logs
          where event_id = ${eventId}::uuid
          order by participant_id, action, action_at desc, id desc`,
    );
    const byParticipant = new Map<string, ResolveLogStamp[]>();
    for (const r of rows) {
      const log = { id: r.id, action: r.action, timestamp: Math.round(Number(r.at_ms)) };
      const list = byParticipant.get(r.participant_id);
      if (list) list.push(log);
      else byParticipant.set(r.participant_id, [log]);
    }
    for (const list of byParticipant.values()) list.sort(compareLogs);
    return byParticipant;
  },

  async recentLogs(
    db: Db,
    eventId: string,
    participantId: string | undefined,
    limit: number,
  ): Promise<LogRow[]> {
    const rows = await queryRows<RawLog>(
      db,
      participantId
        ? sql`select ${LOG_COLUMNS} from checkin_logs where event_id = ${eventId} and participant_id = ${participantId}
              order by server_timestamp desc, action_at desc limit ${limit}`
        : sql`select ${LOG_COLUMNS} from checkin_logs where event_id = ${eventId}
              order by server_timestamp desc, action_at desc limit ${limit}`,
    );
    return rows.map(toLog);
  },
};
