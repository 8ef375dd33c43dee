import type { CreateEventBody, Event } from '@eventmanager/domain/events/schema';
import type { Participant, RegistrationResult } from '@eventmanager/domain/participants/participant.schema';
import type { App } from '../../src/app.ts';
import { bookClub, codeOf, createEvent, publish } from '../events/fixtures.ts';
import { bearer, uniqueEmail } from '../helpers/test-app.ts';

/** Tests run on a ManualClock set here; events are a month later, the deadline the day before. */
export const NOW = new Date('2026-03-01T00:00:00Z');

export const formFields: NonNullable<CreateEventBody['registration']>['form_fields'] = [
  { id: 'company', type: 'text', label: '회사', required: true, max_length: 50 },
  { id: 'size', type: 'single_choice', label: '티셔츠', required: false, options: ['S', 'M', 'L'] },
  { id: 'topics', type: 'multi_choice', label: '관심 주제', required: false, options: ['AI', 'Web', 'DB'] },
  { id: 'newsletter', type: 'checkbox', label: '뉴스레터', required: false },
];

export function eventBody(
  overrides: { max?: number | null; waitlist?: boolean; approval?: boolean; deadline?: string | null } = {},
): CreateEventBody {
  return bookClub({
    datetime: {
      start: '2026-04-01T19:00:00+09:00',
      end: '2026-04-01T21:00:00+09:00',
      timezone: 'Asia/Seoul',
    },
    capacity: {
      max_participants: overrides.max === undefined ? 30 : overrides.max,
      waitlist_enabled: overrides.waitlist ?? true,
    },
    registration: {
      deadline: overrides.deadline === undefined ? '2026-03-31T23:59:00+09:00' : overrides.deadline,
      requires_approval: overrides.approval ?? false,
      form_fields: formFields,
    },
  });
}

export async function publishedEvent(
  app: App,
  token: string,
  overrides: Parameters<typeof eventBody>[0] = {},
) {
  const created = await createEvent(app, token, eventBody(overrides));
  const event = await publish(app, token, created.id);
  return { event, code: codeOf(event) };
}

export function registration(overrides: Record<string, unknown> = {}) {
  return {
    identity: { name: '홍길동', email: uniqueEmail('reg'), phone: '010-1234-5678' },
    custom_responses: { company: '네이버', size: 'M' },
    consents: { privacy: true, marketing: false },
    ...overrides,
  };
}

export async function register(app: App, code: string, body: object = registration(), query = '') {
  return app.inject({
    method: 'POST',
    url: `/api/public/events/${code}/registrations${query}`,
    payload: body,
  });
}

export async function registerOk(
  app: App,
  code: string,
  body: object = registration(),
): Promise<RegistrationResult> {
  const res = await register(app, code, body);
  if (res.statusCode !== 201) throw new Error(`registration failed: ${res.statusCode} ${res.body}`);
  return res.json() as RegistrationResult;
}

export async function listAll(app: App, token: string, eventId: string, query = ''): Promise<Participant[]> {
  const res = await app.inject({
    method: 'GET',
    url: `/api/events/${eventId}/participants?limit=500${query}`,
    headers: bearer(token),
  });
  if (res.statusCode !== 200) throw new Error(`list failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { items: Participant[] }).items;
}

export type { Event };
