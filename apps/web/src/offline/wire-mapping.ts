import type { CheckinLogStamp, CheckinState } from '@eventmanager/domain/checkin/sync.schema';
import type { Participant } from '@eventmanager/domain/participants/participant.schema';
import type { ParticipantRecord } from './types.ts';

/**
 * The snapshot's participants may carry `ticket_code` (so a QR can be resolved with no network); the
 * API `Participant` schema does not declare it, so it is read defensively here.
 */
function ticketCodeOf(p: Participant): string | null {
  const code = (p as Participant & { ticket_code?: unknown }).ticket_code;
  return typeof code === 'string' && code.length > 0 ? code : null;
}

/** The snapshot's participants carry `checkin_logs`; a feed entry carries them in its `checkin`. */
function checkinLogsOf(p: Participant): CheckinLogStamp[] | undefined {
  const logs = (p as Participant & { checkin_logs?: unknown }).checkin_logs;
  return Array.isArray(logs) ? (logs as CheckinLogStamp[]) : undefined;
}

export function participantToRecord(p: Participant, logs = checkinLogsOf(p)): ParticipantRecord {
  return {
    id: p.id,
    eventId: p.event_id,
    name: p.identity.name,
    email: p.identity.email,
    phone: p.identity.phone ?? null,
    registrationNumber: p.registration.number,
    registrationStatus: p.registration.status,
    ticketCode: ticketCodeOf(p),
    checkin: {
      status: p.checkin.status,
      timestamp: p.checkin.timestamp ?? null,
      deviceId: p.checkin.device_id ?? null,
      ...(logs ? { logs } : {}),
    },
    version: p.version,
  };
}

/** A newer check-in state onto a stored participant; stale states (lower version) change nothing. */
export function withCheckinState(p: ParticipantRecord, state: CheckinState): ParticipantRecord | null {
  if (state.version < p.version) return null;
  return {
    ...p,
    checkin: {
      status: state.status,
      timestamp: state.timestamp,
      deviceId: state.device_id,
      ...(state.logs ? { logs: state.logs } : {}),
    },
    version: state.version,
  };
}
