import type { CheckinState } from '@eventmanager/domain/checkin/sync.schema';
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

export function participantToRecord(p: Participant): ParticipantRecord {
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
    },
    version: p.version,
  };
}

/** A newer check-in state onto a stored participant; stale states (lower version) change nothing. */
export function withCheckinState(p: ParticipantRecord, state: CheckinState): ParticipantRecord | null {
  if (state.version < p.version) return null;
  return {
    ...p,
    checkin: { status: state.status, timestamp: state.timestamp, deviceId: state.device_id },
    version: state.version,
  };
}
