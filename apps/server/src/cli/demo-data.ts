import { randomUUID } from 'node:crypto';
import type { App } from '../app.ts';
import type { Platform } from '../platform/platform.ts';

export interface DemoSummary {
  email: string;
  password: string;
  eventId: string;
  shareUrl: string;
  created: boolean;
}

export const DEMO_EMAIL = 'demo@eventmanager.local';
export const DEMO_PASSWORD = 'demo-password-2026';
export const DEMO_EVENT_NAME = '2026 연말 개발자 밋업 · Year-end Dev Meetup';
export const DEMO_PARTICIPANTS = 300;
export const DEMO_CHECKED_IN = 120;

const FAMILY = ['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임', '한', '오', '서', '신', '권'];
const GIVEN = [
  '민준',
  '서연',
  '지호',
  '하은',
  '도윤',
  '수아',
  '예준',
  '지우',
  '시우',
  '서윤',
  '길동',
  '사라',
];
const ENGLISH = ['Alex Kim', 'Jamie Park', 'Taylor Lee', 'Jordan Choi', 'Morgan Yoon', 'Casey Han'];
const TRACKS = ['프론트엔드 Frontend', '백엔드 Backend', '데이터 Data'];

/** The i-th demo person: mostly Korean names, every fifth an English one, stable across runs. */
function demoPerson(i: number): { name: string; email: string; phone: string } {
  const name =
    i % 5 === 4
      ? `${ENGLISH[i % ENGLISH.length]} ${Math.floor(i / ENGLISH.length) + 1}`
      : `${FAMILY[i % FAMILY.length]}${GIVEN[Math.floor(i / FAMILY.length) % GIVEN.length]}`;
  const phone = `010-${String(1000 + ((i * 37) % 9000)).padStart(4, '0')}-${String(1000 + i).slice(-4)}`;
  return { name, email: `guest${String(i + 1).padStart(3, '0')}@example.com`, phone };
}

async function call(
  app: App,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  token: string | null,
  payload?: unknown,
) {
  const res = await app.inject({
    method,
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  if (res.statusCode >= 400) throw new Error(`demo: ${method} ${url} → ${res.statusCode} ${res.body}`);
  return res.json() as Record<string, unknown>;
}

/**
 * Creates (once) a demo organizer and a published event with 300 participants, some checked in, all
 * through the public API so the demo exercises the same code paths a person does (numbering,
 * encryption, the change feed, check-in sync from a named device).
 */
export async function seedDemo(app: App, _platform: Platform): Promise<DemoSummary> {
  const signup = await app.inject({
    method: 'POST',
    url: '/api/auth/signup',
    payload: { email: DEMO_EMAIL, password: DEMO_PASSWORD, name: '데모 주최자', accept_terms: true },
  });
  if (signup.statusCode !== 201 && signup.statusCode !== 409) {
    throw new Error(`demo signup failed: ${signup.statusCode} ${signup.body}`);
  }
  const login = await call(app, 'POST', '/api/auth/login', null, {
    email: DEMO_EMAIL,
    password: DEMO_PASSWORD,
  });
  const token = String(login.access_token);

  const list = (await call(app, 'GET', '/api/events', token)) as unknown as {
    id: string;
    name: string;
    share_url: string;
  }[];
  const existing = list.find((e) => e.name === DEMO_EVENT_NAME);
  if (existing) {
    return {
      email: DEMO_EMAIL,
      password: DEMO_PASSWORD,
      eventId: existing.id,
      shareUrl: existing.share_url,
      created: false,
    };
  }

  const start = new Date(Date.now() + 60 * 60 * 1000);
  start.setUTCMinutes(0, 0, 0);
  const event = await call(app, 'POST', '/api/events', token, {
    name: DEMO_EVENT_NAME,
    description:
      '한 해를 돌아보는 개발자 밋업입니다. 발표, 네트워킹, 경품 추첨이 있어요.\nTalks, networking and a prize draw.',
    language: 'ko',
    location: {
      type: 'physical',
      address: '서울특별시 강남구 테헤란로 142',
      coordinates: { lat: 37.4999, lng: 127.0374 },
    },
    datetime: {
      start: start.toISOString(),
      end: new Date(start.getTime() + 3 * 3600_000).toISOString(),
      timezone: 'Asia/Seoul',
    },
    capacity: { max_participants: 350, waitlist_enabled: true },
    registration: {
      requires_approval: false,
      form_fields: [
        { id: 'track', type: 'single_choice', label: '관심 트랙 / Track', required: true, options: TRACKS },
        { id: 'company', type: 'text', label: '소속 / Company', required: false, max_length: 100 },
      ],
    },
    features: { checkin_enabled: true, prize_drawing_enabled: true, anonymous_mode: false },
  });
  const eventId = String(event.id);
  const shareUrl = String(event.share_url);
  await call(app, 'PATCH', `/api/events/${eventId}`, token, { status: 'published' });
  const code = shareUrl.slice(shareUrl.lastIndexOf('/') + 1);

  const ids: string[] = [];
  for (let i = 0; i < DEMO_PARTICIPANTS; i++) {
    const person = demoPerson(i);
    const registered = await call(app, 'POST', `/api/public/events/${code}/registrations`, null, {
      identity: person,
      custom_responses: {
        track: TRACKS[i % TRACKS.length],
        ...(i % 3 === 0 ? { company: '데모 주식회사' } : {}),
      },
      consents: { privacy: true, marketing: i % 4 === 0 },
      language: i % 5 === 4 ? 'en' : 'ko',
    });
    ids.push(String((registered.participant as { id: string }).id));
  }

  const now = Date.now();
  await call(app, 'POST', `/api/events/${eventId}/sync`, token, {
    device: { id: 'demo-device-sara', name: '김사라의 iPhone' },
    sent_at: new Date(now).toISOString(),
    mutations: ids.slice(0, DEMO_CHECKED_IN).map((participantId, i) => ({
      id: randomUUID(),
      type: 'check_in',
      participant_id: participantId,
      local_timestamp: new Date(now - (DEMO_CHECKED_IN - i) * 20_000).toISOString(),
    })),
  });
  return { email: DEMO_EMAIL, password: DEMO_PASSWORD, eventId, shareUrl, created: true };
}
