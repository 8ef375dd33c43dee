import type { CheckInLog } from '@eventmanager/domain/checkin/checkin-log.schema';
import type { CheckinUpdatedMessage } from '@eventmanager/domain/checkin/realtime.schema';
import { decidingLogs } from '@eventmanager/domain/checkin/resolve';
import type {
  CheckinLogStamp,
  CheckinState,
  ParticipantChange,
} from '@eventmanager/domain/checkin/sync.schema';
import type { CheckinStatus, Participant } from '@eventmanager/domain/participants/participant.schema';
import type { ChangeRow, ChangeState, LogRow, ResolveLog, ResolveLogStamp } from './checkin.repository.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export function toCheckInLog(eventId: string, row: LogRow): CheckInLog {
  return {
    id: row.id,
    event_id: eventId,
    participant_id: row.participantId,
    action: row.action,
    timestamp: iso(row.timestamp),
    device: {
      id: row.deviceId,
      name: row.deviceName,
      user_id: row.userId ?? '00000000-0000-0000-0000-000000000000',
    },
    sync_metadata: {
      local_timestamp: iso(row.localTimestamp),
      server_timestamp: iso(row.serverTimestamp),
      version: row.version,
      conflict_resolved: row.conflictResolved,
    },
    ...(isLocation(row.location) ? { location: row.location } : {}),
  };
}

function isLocation(v: unknown): v is NonNullable<CheckInLog['location']> {
  return typeof v === 'object' && v !== null && 'coordinates' in v;
}

/** The state a participant's logs imply, as the participants module stores it and devices get it. */
export function stateFrom(
  participantId: string,
  status: CheckinStatus,
  winner: ResolveLog | undefined,
  version: number,
  logs: readonly ResolveLog[],
): Omit<ChangeState, 'kind'> {
  const checkedIn = status === 'checked_in' && winner !== undefined;
  return {
    participantId,
    status,
    timestamp: checkedIn ? new Date(winner.timestamp) : null,
    checkedBy: checkedIn ? winner.userId : null,
    deviceId: checkedIn ? winner.deviceId : null,
    deviceName: checkedIn ? winner.deviceName : null,
    version,
    logs,
  };
}

/**
 * What a device folds its pending logs into: the deciding logs (the last check-in and the last undo,
 * see the domain's `decidingLogs`) of a participant's logs in the rule's order, as id, action,
 * corrected action time. At most two, however long the history.
 */
export function toLogStamps(ordered: readonly ResolveLogStamp[]): CheckinLogStamp[] {
  return decidingLogs(ordered).map((l) => ({ id: l.id, action: l.action, at: l.timestamp }));
}

export function toCheckinState(s: Omit<ChangeState, 'kind'>): CheckinState {
  return {
    participant_id: s.participantId,
    status: s.status,
    timestamp: s.timestamp?.toISOString() ?? null,
    checked_by: s.checkedBy,
    device_id: s.deviceId,
    version: s.version,
    ...(s.logs ? { logs: toLogStamps(s.logs) } : {}),
  };
}

export function toParticipantChange(row: ChangeRow, participant?: Participant | null): ParticipantChange {
  return {
    cursor: row.cursor,
    kind: row.kind,
    participant_id: row.participantId,
    at: row.changedAt.toISOString(),
    checkin: toCheckinState(row),
    ...(participant !== undefined ? { participant } : {}),
  };
}

export function toCheckinUpdated(eventId: string, row: ChangeRow): CheckinUpdatedMessage {
  return {
    type: 'checkin_updated',
    eventId,
    participantId: row.participantId,
    status: row.status,
    version: row.version,
    cursor: row.cursor,
    timestamp: row.timestamp?.toISOString() ?? null,
    deviceId: row.deviceId,
    ...(row.deviceName ? { deviceName: row.deviceName } : {}),
    ...(row.kind !== 'checkin' ? { kind: row.kind } : {}),
    ...(row.logs ? { logs: toLogStamps(row.logs) } : {}),
  };
}
