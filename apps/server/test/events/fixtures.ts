import type { CreateEventBody, Event } from '@eventmanager/domain/events/schema';
import type { App } from '../../src/app.ts';
import { createAccountsRepository } from '../../src/modules/accounts/accounts.repository.ts';
import type { Platform } from '../../src/platform/platform.ts';
import { bearer } from '../helpers/test-app.ts';

/** A complete, valid event body (the seed's book club), with per-test overrides. */
export function bookClub(overrides: Partial<CreateEventBody> = {}): CreateEventBody {
  return {
    name: '2025년 10월 북클럽 모임',
    description: "이번 달 읽을 책은 '코스모스'입니다.",
    location: {
      type: 'physical',
      address: '홍대 북카페',
      coordinates: { lat: 37.5563, lng: 126.9236 },
    },
    datetime: {
      start: '2025-10-15T19:00:00+09:00',
      end: '2025-10-15T21:00:00+09:00',
      timezone: 'Asia/Seoul',
    },
    capacity: { max_participants: 30, waitlist_enabled: true },
    registration: {
      deadline: '2025-10-14T23:59:00+09:00',
      requires_approval: false,
      form_fields: [
        {
          id: 'book_read',
          type: 'single_choice',
          label: '책을 읽으셨나요?',
          required: true,
          options: ['네', '아니요'],
        },
        { id: 'note', type: 'long_text', label: '하고 싶은 말', required: false, max_length: 500 },
      ],
    },
    privacy: 'public',
    features: { checkin_enabled: true, prize_drawing_enabled: true, anonymous_mode: false },
    ...overrides,
  };
}

export async function createEvent(
  app: App,
  token: string,
  body: CreateEventBody = bookClub(),
): Promise<Event> {
  const res = await app.inject({ method: 'POST', url: '/api/events', headers: bearer(token), payload: body });
  if (res.statusCode !== 201) throw new Error(`create event failed: ${res.statusCode} ${res.body}`);
  return res.json() as Event;
}

export async function patchEvent(app: App, token: string, id: string, payload: unknown) {
  return app.inject({
    method: 'PATCH',
    url: `/api/events/${id}`,
    headers: bearer(token),
    payload: payload as object,
  });
}

export const codeOf = (event: { share_url: string }) => event.share_url.split('/').pop()!;

/** Moves an event to `published` through the API. */
export async function publish(app: App, token: string, id: string): Promise<Event> {
  const res = await patchEvent(app, token, id, { status: 'published' });
  if (res.statusCode !== 200) throw new Error(`publish failed: ${res.statusCode} ${res.body}`);
  return res.json() as Event;
}

/** Tier changes come from payments (another module); tests set them through the accounts repository. */
export async function setTier(
  platform: Platform,
  userId: string,
  tier: 'free' | 'basic_premium' | 'pro_premium',
) {
  await createAccountsRepository(platform.database.db).setTier(userId, tier, new Date());
}
