import type { Participant } from '@eventmanager/domain/participants/participant.schema';

/** A participant as the API returns it (seed nested shape), numbered n, with a ticket code. */
export function makeParticipant(
  eventId: string,
  n: number,
  name = `참가자 ${n}`,
): Participant & { ticket_code: string } {
  const id = `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    id,
    event_id: eventId,
    identity: { name, email: `p${n}@example.com`, phone: null },
    custom_responses: {},
    registration: {
      number: n,
      timestamp: '2026-11-01T00:00:00.000Z',
      source: 'direct',
      status: 'registered',
    },
    checkin: { status: 'not_checked_in', timestamp: null, checked_by: null, device_id: null },
    consents: { privacy: { agreed_at: '2026-11-01T00:00:00.000Z', version: 'privacy-2026-01' } },
    language: 'ko',
    version: 1,
    created_at: '2026-11-01T00:00:00.000Z',
    updated_at: '2026-11-01T00:00:00.000Z',
    ticket_code: `TICKET-${n}`,
  };
}
