import type {
  ChangeKind,
  ChangesQuery,
  ChangesResponse,
  ParticipantChange,
} from '@eventmanager/domain/checkin/sync.schema';
import type { Participant } from '@eventmanager/domain/participants/participant.schema';
import type { Db } from '../../platform/db/database.ts';
import type { Platform } from '../../platform/platform.ts';
import { requireEventRole } from '../events/events.access.ts';
import {
  getParticipant,
  listSnapshot,
  lockParticipants,
  markNoShows,
} from '../participants/participants.api.ts';
import { toLogStamps, toParticipantChange } from './checkin.mapper.ts';
import { type ChangeRow, type ChangeState, checkinRepository as repo } from './checkin.repository.ts';

function stateOf(participant: Participant, kind: ChangeKind): ChangeState {
  return {
    participantId: participant.id,
    kind,
    status: participant.checkin.status,
    timestamp: participant.checkin.timestamp ? new Date(participant.checkin.timestamp) : null,
    checkedBy: participant.checkin.checked_by ?? null,
    deviceId: participant.checkin.device_id ?? null,
    version: participant.version,
  };
}

/**
 * Records registrations / a status change / an edit in the event's change feed, inside the writer's
 * transaction (called from the participants module's lifecycle hooks). The participants are read in
 * that transaction, so the feed carries exactly what commits. All of them go in ONE appendChanges
 * statement (a registration batch records hundreds), in the order given: consecutive cursors.
 */
export async function recordParticipantChanges(
  tx: Db,
  eventId: string,
  participantIds: string[],
  kind: ChangeKind,
  at: Date,
): Promise<ChangeRow[]> {
  const states: ChangeState[] = [];
  for (const id of participantIds) {
    const participant = await getParticipant(tx, eventId, id);
    if (participant) states.push(stateOf(participant, kind));
  }
  return repo.appendChanges(tx, eventId, states, at);
}

/** Event completed: everyone registered and never checked in becomes a no-show, in the feed too. */
export async function recordNoShows(tx: Db, eventId: string, at: Date): Promise<ChangeRow[]> {
  const ids = await markNoShows(tx, eventId);
  if (ids.length === 0) return [];
  const rows = await lockParticipants(tx, eventId, ids);
  return repo.appendChanges(
    tx,
    eventId,
    rows.map((r) => ({
      participantId: r.id,
      kind: 'no_show' as const,
      status: r.checkinStatus,
      timestamp: null,
      checkedBy: null,
      deviceId: null,
      version: r.version,
    })),
    at,
  );
}

export function createChangesService(platform: Platform) {
  const { database, clock } = platform;
  const db = database.db;

  async function snapshot(eventId: string): Promise<ChangesResponse> {
    // Cursor FIRST, then the participants: a change committing in between is in the snapshot and
    // is replayed by the next call (an idempotent upsert); the other order could lose it.
    const cursor = await repo.currentCursor(db, eventId);
    const participants = await listSnapshot(db, eventId);
    // Each with its deciding logs, so a device folds its offline taps as the server will (one read).
    const logs = await repo.decidingLogStamps(db, eventId);
    return {
      cursor,
      has_more: false,
      changes: [],
      snapshot: participants.map((p) => ({ ...p, checkin_logs: toLogStamps(logs.get(p.id) ?? []) })),
      server_time: clock.now().toISOString(),
    };
  }

  return {
    async changes(eventId: string, userId: string, query: ChangesQuery): Promise<ChangesResponse> {
      await requireEventRole(db, eventId, userId, 'read');
      if (query.since === undefined) return snapshot(eventId);
      const rows = await repo.changesAfter(db, eventId, query.since, query.limit + 1);
      if (rows.length === 0 && query.since > (await repo.currentCursor(db, eventId))) {
        // The client holds a cursor this server never issued (restored database): start it over.
        return snapshot(eventId);
      }
      const page = rows.slice(0, query.limit);
      // Registrations and edits carry the whole participant (latest version, read once per page).
      const needed = [
        ...new Set(
          page.filter((r) => r.kind !== 'checkin' && r.kind !== 'no_show').map((r) => r.participantId),
        ),
      ];
      const participants = new Map<string, Participant | null>();
      for (const id of needed) participants.set(id, (await getParticipant(db, eventId, id)) ?? null);
      // Each change with the logs its state was decided from: those applied up to its version.
      const logs = page.length
        ? await repo.logStamps(db, eventId, [...new Set(page.map((r) => r.participantId))])
        : new Map<string, never[]>();
      const changes: ParticipantChange[] = page.map((r) =>
        toParticipantChange(
          { ...r, logs: (logs.get(r.participantId) ?? []).filter((l) => l.version <= r.version) },
          participants.has(r.participantId) ? participants.get(r.participantId) : undefined,
        ),
      );
      return {
        cursor: page.length ? (page[page.length - 1]?.cursor ?? query.since) : query.since,
        has_more: rows.length > query.limit,
        changes,
        server_time: clock.now().toISOString(),
      };
    },
  };
}
