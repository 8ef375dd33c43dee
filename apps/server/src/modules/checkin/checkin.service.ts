import { randomUUID } from 'node:crypto';
import type { SyncConflictMessage } from '@eventmanager/domain/checkin/realtime.schema';
import {
  type CheckinState,
  MAX_SYNC_BATCH,
  PROTOCOL_VERSION,
  type SyncMutation,
  type SyncRequest,
  type SyncResponse,
  type SyncResult,
} from '@eventmanager/domain/checkin/sync.schema';
import type { CheckinStatus } from '@eventmanager/domain/participants/participant.schema';
import type { Db } from '../../platform/db/database.ts';
import { createGroupCommit } from '../../platform/group-commit.ts';
import type { Platform } from '../../platform/platform.ts';
import { HttpProblem } from '../../platform/problem.ts';
import { requireEventRole } from '../events/events.access.ts';
import {
  type CheckinCompareAndSet,
  checkinCompareAndSet,
  checkinStatesQuery,
  eventCheckinStatesQuery,
} from '../participants/participants.api.ts';
import { deviceChannel, eventChannel } from './channels.ts';
import { stateFrom, toCheckinState, toCheckinUpdated } from './checkin.mapper.ts';
import {
  type ChangeRow,
  type ClockWrite,
  type NewLog,
  type ParticipantState,
  type ResolveLog,
  checkinRepository as repo,
} from './checkin.repository.ts';
import { findDeviceOffset } from './device-clock.repository.ts';
import { correctedActionTime, deviceMs, measureOffset } from './device-time.ts';
import { createEventLedgers, refreshLedger, snapshotFromLedger } from './event-ledger.ts';
import { decide, type LogHistory } from './log-history.ts';
import { withTransactionRetry } from './transaction-retry.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** PostgreSQL's timestamptz cannot hold every value a device may send; stored raw times are bounded. */
const MAX_STORABLE_MS = Date.UTC(9999, 11, 31);

export interface SyncDevice {
  id: string;
  name: string;
}

interface PendingConflict {
  loser: ResolveLog;
  winner: ResolveLog;
  participantId: string;
  status: CheckinStatus;
  version: number;
}

/** One sync request, measured on arrival, waiting for (or running in) its event's next transaction. */
interface PreparedSync {
  userId: string;
  device: SyncDevice;
  mutations: SyncMutation[];
  receivedAt: number;
  offsetMs: number;
  /** The device's newly measured clock offset, stored by the same transaction. */
  clockWrite: ClockWrite | undefined;
}

interface GroupOutcome {
  /** Per request, in request order. */
  results: SyncResult[][];
  changes: ChangeRow[];
  conflicts: PendingConflict[];
  cursor: number;
}

/** What one request gets back: its results, the cursor after its transaction, and the publish. */
interface SyncOutcome {
  results: SyncResult[];
  cursor: number;
  published: Promise<void>;
}

/** What the resolver keeps of a log just written. */
function toResolveLog(log: NewLog): ResolveLog {
  return {
    id: log.id,
    participantId: log.participantId,
    action: log.action,
    timestamp: log.timestamp,
    deviceId: log.deviceId,
    deviceName: log.deviceName,
    userId: log.userId,
  };
}

/**
 * Only admitted people are checked in at the door: a cancelled, rejected, pending or waitlisted
 * registration has no seat, and an undo for them is refused as well (their state stays as it was).
 */
function isAdmitted(row: ParticipantState): boolean {
  return row.registrationStatus === 'registered';
}

function hasNotAdmitted(participants: Map<string, ParticipantState>, mutations: SyncMutation[]): boolean {
  for (const m of mutations) {
    const row = participants.get(m.participant_id);
    if (row && !isAdmitted(row)) return true;
  }
  return false;
}

/**
 * The check-in sync engine (issue 4). Sync requests for one event are applied together per group
 * (group commit: requests that arrive while the event's previous group runs on this instance go
 * together in the next; one request alone goes at once), optimistically, in two steps:
 *  1. take the participants' versions and states and ALL their logs from the instance's ledger of
 *     the event (event-ledger.ts), or else read them in one statement (one snapshot) together with
 *     the group's mutation ids applied before;
 *  2. skip those ids, recompute each participant's state from all its logs plus the new ones with
 *     the domain rule (continuing the fold kept per participant, log-history.ts), and write
 *     everything in ONE statement — its own transaction — that bumps each touched participant's
 *     version only if it is still the one read (compare-and-set through the participants module),
 *     inserts the logs (aborting if one was applied before), and appends the changes to the event's
 *     cursor feed. If anything moved on meanwhile (another instance, another writer) or a mutation
 *     was a resend the ledger could not tell, the statement aborts whole and the group is read and
 *     decided again.
 * No lock is held between statements, and a group costs one or two round trips whatever its size. A group
 * behaves exactly like its requests applied one after another in arrival order. Messages go to the
 * bus only after commit.
 */
export function createCheckinService(platform: Platform) {
  const { database, bus } = platform;

  const ledgers = createEventLedgers({
    load: (eventId) => repo.readEvent(database.db, eventId, eventCheckinStatesQuery(eventId)),
  });

  async function applyGroup(db: Db, eventId: string, requests: PreparedSync[]): Promise<GroupOutcome> {
    const all = requests.flatMap((r) => r.mutations);
    const participantIds = [...new Set(all.map((m) => m.participant_id).filter((id) => UUID.test(id)))];
    const mutationIds = all.map((m) => m.id).filter((id) => UUID.test(id));
    // What the group decides on — the participants' states and revisions and all their logs — from
    // this instance's ledger of the event, or else read in one statement with the ids applied before.
    const ledger = await ledgers.get(eventId);
    let snapshot = ledger && snapshotFromLedger(ledger, participantIds);
    // A refusal writes nothing, so no compare-and-set would catch a ledger entry that is stale (a
    // cancellation restored on another instance): a group that would refuse someone reads first.
    // Refusals are rare; a stale entry the other way round (admitted in memory, cancelled since)
    // fails the write's compare-and-set and is read again anyway.
    if (snapshot && hasNotAdmitted(snapshot.participants, all)) snapshot = undefined;
    if (!snapshot) {
      snapshot = await repo.readBatch(db, eventId, checkinStatesQuery(eventId, participantIds), mutationIds);
      if (ledger) refreshLedger(ledger, participantIds, snapshot);
    }
    const { participants: current, logs: logsByParticipant, applied } = snapshot;

    const fresh = new Map<string, NewLog>();
    const clampedIds = new Set<string>();
    /** Mutations for people who are not (or no longer) admitted: refused, nothing written. */
    const notAdmitted = new Set<string>();
    for (const r of requests) {
      for (const m of r.mutations) {
        if (applied.has(m.id) || fresh.has(m.id)) continue;
        const row = current.get(m.participant_id);
        if (!row) continue;
        if (!isAdmitted(row)) {
          notAdmitted.add(m.id);
          continue;
        }
        const local = deviceMs(m.local_timestamp);
        const { actionAt, clamped } = correctedActionTime(local, r.offsetMs, r.receivedAt);
        if (clamped) clampedIds.add(m.id);
        fresh.set(m.id, {
          id: m.id,
          participantId: m.participant_id,
          action: m.type,
          timestamp: actionAt,
          localTimestamp: Math.min(Math.max(local, 0), MAX_STORABLE_MS),
          serverTimestamp: r.receivedAt,
          clockOffsetMs: r.offsetMs,
          clamped,
          deviceId: r.device.id,
          deviceName: r.device.name,
          userId: r.userId,
          location: m.location ?? null,
          version: 0,
          conflictResolved: false,
        });
      }
    }

    const freshByParticipant = new Map<string, NewLog[]>();
    for (const log of fresh.values()) {
      const list = freshByParticipant.get(log.participantId);
      if (list) list.push(log);
      else freshByParticipant.set(log.participantId, [log]);
    }

    const states = new Map<string, ReturnType<typeof stateFrom>>();
    const wires = new Map<string, CheckinState>();
    const histories = new Map<string, LogHistory>();
    const changed: ReturnType<typeof stateFrom>[] = [];
    const writes: CheckinCompareAndSet[] = [];
    const conflicts: PendingConflict[] = [];
    const losers = new Set<string>();
    // In id order: the changes (and so their cursors) come out the same way every time.
    for (const participantId of [...current.keys()].sort()) {
      const row = current.get(participantId)!;
      const old = logsByParticipant.get(participantId) ?? { ordered: [] };
      const added = freshByParticipant.get(participantId) ?? [];
      const { history, before, after, status } = decide(row.checkinStatus, old, added.map(toResolveLog));
      histories.set(participantId, history);
      const isChange =
        added.length > 0 && (status !== row.checkinStatus || after.winner?.id !== before.winner?.id);
      const version = isChange ? row.version + 1 : row.version;
      // The state carries its logs (shared, not copied), so devices can fold their pending ones.
      const target = stateFrom(participantId, status, after.winner, version, history.ordered);
      states.set(participantId, target);
      if (isChange) changed.push(target);
      // Every participant that gets a log is re-written, changed or not: its new revision makes a
      // concurrent writer who read the old log set fail its compare-and-set and read again.
      if (added.length > 0)
        writes.push({ participantId, revision: row.revision, state: isChange ? target : null });
      const addedIds = new Set(added.map((l) => l.id));
      for (const c of after.conflicts) {
        losers.add(c.loser.id);
        for (const log of [c.loser, c.winner]) {
          const mine = fresh.get(log.id);
          if (mine) mine.conflictResolved = true;
        }
        // Report a conflict once: when one of its two logs arrives.
        if (addedIds.has(c.loser.id) || addedIds.has(c.winner.id)) {
          conflicts.push({ loser: c.loser, winner: c.winner, participantId, status, version });
        }
      }
    }
    for (const log of fresh.values()) log.version = states.get(log.participantId)!.version;

    // ONE statement writes it all, as its own transaction, only if nothing it read moved on.
    const at = new Date(Math.max(...requests.map((r) => r.receivedAt)));
    let written: Awaited<ReturnType<typeof repo.writeBatch>>;
    try {
      written = await repo.writeBatch(db, eventId, {
        participants: writes.length
          ? { update: checkinCompareAndSet(writes, at), count: writes.length }
          : undefined,
        logs: [...fresh.values()],
        changes: changed.map((target) => ({ ...target, kind: 'checkin' })),
        at,
        clocks: requests.flatMap((r) => (r.clockWrite ? [r.clockWrite] : [])),
      });
    } catch (err) {
      // Whatever happened, the retry reads these participants again.
      if (ledger) for (const id of participantIds) ledger.delete(id);
      throw err;
    }
    // The ledger follows what just committed: new logs, states and the rows' new revision.
    if (ledger && written.revision !== null) {
      for (const w of writes) {
        const state = states.get(w.participantId)!;
        ledger.update(
          w.participantId,
          {
            checkinStatus: state.status,
            version: state.version,
            revision: written.revision,
            registrationStatus: current.get(w.participantId)!.registrationStatus,
          },
          histories.get(w.participantId)!,
        );
      }
    }

    // Results in request order: a mutation id met again (in this group or before it) is a duplicate.
    const seen = new Set<string>();
    const results = requests.map((r) =>
      r.mutations.map((m): SyncResult => {
        const state = states.get(m.participant_id);
        const repeat = seen.has(m.id);
        seen.add(m.id);
        if (!state) {
          return {
            id: m.id,
            applied: false,
            duplicate: false,
            state: null,
            error: { code: 'unknown_participant', message: 'No such participant in this event' },
          };
        }
        let wire = wires.get(m.participant_id);
        if (!wire) {
          wire = toCheckinState(state);
          wires.set(m.participant_id, wire);
        }
        if (notAdmitted.has(m.id)) {
          return {
            id: m.id,
            applied: false,
            duplicate: false,
            state: wire,
            reason: 'not_admitted',
            registration_status: current.get(m.participant_id)!.registrationStatus,
          };
        }
        const duplicate = applied.has(m.id) || repeat;
        return {
          id: m.id,
          applied: !duplicate,
          duplicate,
          state: wire,
          ...(losers.has(m.id) ? { conflict: true } : {}),
          ...(clampedIds.has(m.id) && !duplicate ? { clamped: true } : {}),
        };
      }),
    );
    return { results, changes: written.changes, conflicts, cursor: written.cursor };
  }

  async function publish(eventId: string, outcome: GroupOutcome): Promise<void> {
    // One bus message for the whole group's changes (subscribers still get them one by one).
    const messages: Promise<unknown>[] = [
      bus.publishMany(
        eventChannel(eventId),
        outcome.changes.map((c) => toCheckinUpdated(eventId, c)),
      ),
    ];
    for (const c of outcome.conflicts) {
      const sameDevice = c.winner.deviceId === c.loser.deviceId && c.winner.userId === c.loser.userId;
      const message: SyncConflictMessage = {
        type: 'sync_conflict',
        conflictId: randomUUID(),
        details: {
          eventId,
          participantId: c.participantId,
          winningAction: c.winner.action,
          losingAction: c.loser.action,
          winningDeviceId: c.winner.deviceId,
          winningDeviceName: c.winner.deviceName,
          losingMutationId: c.loser.id,
          status: c.status,
          version: c.version,
          reason: sameDevice
            ? {
                ko: '이 디바이스에서 5초 이내에 체크인과 되돌리기가 겹쳐 체크인이 유지됨',
                en: 'Checked in and undone on this device within 5 seconds; the check-in stays',
              }
            : {
                ko: `다른 디바이스(${c.winner.deviceName})에서 5초 이내에 출석 체크되어 출석 체크로 변경됨`,
                en: `Checked in on another device (${c.winner.deviceName}) within 5 seconds; the check-in wins`,
              },
          ...(sameDevice ? { sameDevice: true } : {}),
        },
      };
      // A loser whose user was deleted has no device channel any more.
      if (c.loser.userId)
        messages.push(bus.publish(deviceChannel(c.loser.userId, c.loser.deviceId), message));
    }
    // Delivery is at-most-once by design: a lost message is recovered through /changes.
    await Promise.allSettled(messages);
  }

  /** One transaction for a group of requests; publishing is started (in commit order), not awaited. */
  async function runGroup(eventId: string, requests: PreparedSync[]): Promise<SyncOutcome[]> {
    // A lost compare-and-set (40001) wrote nothing: read again and decide again.
    const outcome = await withTransactionRetry(() => applyGroup(database.db, eventId, requests), 8);
    const published = publish(eventId, outcome);
    return outcome.results.map((results) => ({ results, cursor: outcome.cursor, published }));
  }

  const groups = createGroupCommit<PreparedSync, SyncOutcome>(runGroup, {
    // A full request (MAX_SYNC_BATCH mutations) runs alone; small ones share a transaction.
    maxWeight: MAX_SYNC_BATCH,
    weigh: (request) => request.mutations.length,
    startOnNextTurn: true,
    // Under sustained load, wait up to 2 ms for the devices just answered to come back: every
    // group costs two statements, a commit and a bus message, and with two instances each saw only
    // half the devices; a lone device's next sync never waits.
    gatherMs: 2,
  });

  return {
    /**
     * `receivedAt`: when the request arrived (read before authentication could wait on anything);
     * the device's clock offset is measured against it.
     */
    async sync(
      eventId: string,
      userId: string,
      request: SyncRequest,
      receivedAt: number,
    ): Promise<SyncResponse> {
      if (request.protocol_version !== undefined && request.protocol_version !== PROTOCOL_VERSION) {
        throw new HttpProblem(
          400,
          `This server speaks check-in protocol ${PROTOCOL_VERSION}, not ${request.protocol_version}: reload the app`,
          { code: 'unsupported_protocol_version' },
        );
      }
      if (request.mutations.length > MAX_SYNC_BATCH) {
        throw new HttpProblem(
          413,
          `At most ${MAX_SYNC_BATCH} mutations per sync request; send the rest in another`,
          {
            code: 'batch_too_large',
          },
        );
      }
      await requireEventRole(database.db, eventId, userId, 'checkin');
      const known =
        request.sent_at === undefined
          ? await findDeviceOffset(database.db, userId, request.device.id)
          : undefined;
      const { offsetMs, measured } = measureOffset(receivedAt, request.sent_at, known);
      // The measured offset is stored in the batch's own statement (no extra commit).
      const clockWrite = measured ? { userId, deviceId: request.device.id, offsetMs } : undefined;
      let outcome: SyncOutcome;
      if (request.mutations.length === 0) {
        const written = await repo.writeBatch(database.db, eventId, {
          participants: undefined,
          logs: [],
          changes: [],
          at: new Date(receivedAt),
          clocks: clockWrite ? [clockWrite] : [],
        });
        outcome = { results: [], cursor: written.cursor, published: Promise.resolve() };
      } else {
        outcome = await groups.submit(eventId, {
          userId,
          device: request.device,
          mutations: request.mutations,
          receivedAt,
          offsetMs,
          clockWrite,
        });
      }
      // Answer after the group's messages went out, so a device never hears its own answer first.
      await outcome.published;
      return {
        server_time: new Date(receivedAt).toISOString(),
        results: outcome.results,
        cursor: outcome.cursor,
        clock_offset_ms: offsetMs,
      };
    },
  };
}

export type CheckinService = ReturnType<typeof createCheckinService>;
