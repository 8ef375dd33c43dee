import { randomUUID } from 'node:crypto';
import type { App } from '../../src/app.ts';
import { bearer, uniqueEmail } from '../helpers/test-app.ts';

/** Drives the public API only (API.md), as the other modules' clients would. */

export const FORM_FIELDS = [
  { id: 'size', type: 'single_choice', label: 'T-shirt', options: ['S', 'M', 'L'] },
  { id: 'topics', type: 'multi_choice', label: 'Topics', options: ['ai', 'web', 'data'] },
  { id: 'newsletter', type: 'checkbox', label: 'Newsletter' },
  { id: 'bio', type: 'text', label: 'Bio' },
];

export interface TestEvent {
  id: string;
  code: string;
}

export async function createEvent(
  app: App,
  token: string,
  options: {
    drawings?: boolean;
    anonymous?: boolean;
    capacity?: number;
    waitlist?: boolean;
    requiresApproval?: boolean;
  } = {},
): Promise<TestEvent> {
  const start = new Date(Date.now() + 7 * 24 * 3600_000);
  const res = await app.inject({
    method: 'POST',
    url: '/api/events',
    headers: bearer(token),
    payload: {
      name: '경품 추첨 테스트',
      location: { type: 'physical', address: '서울 강남구' },
      datetime: {
        start: start.toISOString(),
        end: new Date(start.getTime() + 3 * 3600_000).toISOString(),
        timezone: 'Asia/Seoul',
      },
      capacity: { max_participants: options.capacity ?? null, waitlist_enabled: options.waitlist ?? false },
      registration: { requires_approval: options.requiresApproval ?? false, form_fields: FORM_FIELDS },
      features: {
        checkin_enabled: true,
        prize_drawing_enabled: options.drawings ?? true,
        anonymous_mode: options.anonymous ?? false,
      },
    },
  });
  if (res.statusCode !== 201) throw new Error(`create event: ${res.statusCode} ${res.body}`);
  const event = res.json() as { id: string; share_url: string };
  const publish = await app.inject({
    method: 'PATCH',
    url: `/api/events/${event.id}`,
    headers: bearer(token),
    payload: { status: 'published' },
  });
  if (publish.statusCode !== 200) throw new Error(`publish: ${publish.statusCode} ${publish.body}`);
  return { id: event.id, code: event.share_url.split('/').pop()! };
}

export interface Registered {
  id: string;
  number: number;
  status: string;
  name: string;
  email: string;
}

export async function register(
  app: App,
  event: TestEvent,
  name: string,
  answers: Record<string, unknown> = {},
): Promise<Registered> {
  const email = uniqueEmail('guest');
  const res = await app.inject({
    method: 'POST',
    url: `/api/public/events/${event.code}/registrations`,
    payload: { identity: { name, email }, custom_responses: answers, consents: { privacy: true } },
  });
  if (res.statusCode !== 201) throw new Error(`register: ${res.statusCode} ${res.body}`);
  const body = res.json() as {
    participant: { id: string; registration: { number: number; status: string } };
  };
  return {
    id: body.participant.id,
    number: body.participant.registration.number,
    status: body.participant.registration.status,
    name,
    email,
  };
}

/** Check-in state changes go through the sync engine, as staff phones send them. */
export async function sync(
  app: App,
  token: string,
  eventId: string,
  mutations: { type: 'check_in' | 'undo_check_in'; participantId: string; at: Date }[],
): Promise<void> {
  const res = await app.inject({
    method: 'POST',
    url: `/api/events/${eventId}/sync`,
    headers: bearer(token),
    payload: {
      device: { id: 'drawings-test-device', name: 'Test phone' },
      mutations: mutations.map((m) => ({
        id: randomUUID(),
        type: m.type,
        participant_id: m.participantId,
        local_timestamp: m.at.toISOString(),
      })),
    },
  });
  if (res.statusCode !== 200) throw new Error(`sync: ${res.statusCode} ${res.body}`);
  const body = res.json() as { results: { applied: boolean }[] };
  if (!body.results.every((r) => r.applied)) throw new Error(`sync not applied: ${res.body}`);
}
