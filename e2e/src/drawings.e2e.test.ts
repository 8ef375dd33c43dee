import type { PrizeDrawing } from '@eventmanager/domain/drawings/schema';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningServer, startServer } from './harness.ts';

/**
 * Prize drawing across two devices: the organizer draws on the projector view (Korean UI) and
 * confirms; a second device already on the event's drawing page sees the confirmed winner arrive
 * over the WebSocket (faster than its polling fallback), then checks the draw on the verify page.
 */
const PORT = 4610;

let server: RunningServer;
let browser: Browser;

interface Session {
  access_token: string;
  refresh_token: string;
  user: { id: string };
}

async function call<T>(
  path: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<T> {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method: init.method ?? (init.body ? 'POST' : 'GET'),
    headers: {
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A browser context signed in as the organizer (the web app keeps its session in localStorage). */
async function signedInContext(session: Session, locale: string): Promise<BrowserContext> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
  const stored = JSON.stringify({
    accessToken: session.access_token,
    refreshToken: session.refresh_token,
    userId: session.user.id,
  });
  await context.addInitScript((value) => {
    localStorage.setItem('em.session', value);
  }, stored);
  return context;
}

beforeAll(async () => {
  server = await startServer({ port: PORT });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('prize drawing on the projector', () => {
  it('draws on the projector, confirms, and a second device sees the winner live', async () => {
    const organizer = await call<Session>('/api/auth/signup', {
      body: {
        email: `drawings-e2e-${Date.now()}@example.com`,
        password: 'correct-horse-battery',
        name: '주최자',
      },
    });
    const token = organizer.access_token;
    const start = new Date(Date.now() + 24 * 3600_000);
    const event = await call<{ id: string; share_url: string }>('/api/events', {
      token,
      body: {
        name: '연말 밋업',
        location: { type: 'physical', address: '서울 성수동' },
        datetime: { start: start.toISOString(), timezone: 'Asia/Seoul' },
        features: { checkin_enabled: true, prize_drawing_enabled: true, anonymous_mode: false },
      },
    });
    await call(`/api/events/${event.id}`, { method: 'PATCH', token, body: { status: 'published' } });
    const code = event.share_url.split('/').pop();
    const names = ['김민준', '이서연', '박도윤', '최지우', '정하은'];
    for (const [i, name] of names.entries()) {
      await call(`/api/public/events/${code}/registrations`, {
        body: {
          identity: { name, email: `guest${i}-${Date.now()}@example.com` },
          custom_responses: {},
          consents: { privacy: true },
        },
      });
    }

    // Second device: a staff member (English UI) on the drawing page, before anything is drawn.
    const staff = await call<Session & { user: { email: string } }>('/api/auth/signup', {
      body: {
        email: `drawings-staff-${Date.now()}@example.com`,
        password: 'correct-horse-battery',
        name: 'Staff',
      },
    });
    await call('/api/me', {
      method: 'PATCH',
      token: staff.access_token,
      body: { preferences: { language: 'en' } },
    });
    await call(`/api/events/${event.id}/staff`, { token, body: { email: staff.user.email, role: 'staff' } });
    const watcherContext = await signedInContext(staff, 'en-US');
    const watcher = await watcherContext.newPage();
    await watcher.goto(`${server.baseUrl}/events/${event.id}/drawings`);
    await watcher.getByRole('heading', { name: 'Prize drawing' }).waitFor();
    await watcher.getByTestId('live-status').getByText('Live').waitFor({ timeout: 15_000 });
    expect(await watcher.getByTestId('latest-winner').count()).toBe(0);
    // Staff cannot draw: no draw controls on their screen.
    expect(await watcher.getByRole('button', { name: 'Draw' }).count()).toBe(0);

    // Projector, in Korean: the commitment is on screen before the draw.
    const projectorContext = await signedInContext(organizer, 'ko-KR');
    const projector = await projectorContext.newPage();
    await projector.goto(`${server.baseUrl}/events/${event.id}/drawings/projector?pool=all`);
    const commitmentText = await projector
      .getByTestId('projector-commitment')
      .textContent({ timeout: 15_000 });
    const shownHash = /[0-9a-f]{64}/.exec(commitmentText ?? '')?.[0];
    expect(shownHash).toBeDefined();
    await expect.poll(() => projector.getByTestId('projector-pool').textContent()).toContain('5명');

    const drawButton = projector.getByTestId('projector-draw');
    expect(await drawButton.textContent()).toBe('추첨하기');
    await drawButton.click();
    const nameEl = projector.getByTestId('projector-winner-name');
    await nameEl.waitFor({ timeout: 15_000 });
    const winnerName = (await nameEl.textContent()) ?? '';
    const winnerNumber = (await projector.getByTestId('projector-winner-number').textContent()) ?? '';
    expect(names).toContain(winnerName);
    expect(winnerNumber).toMatch(/^#00[1-5]$/);
    await projector.screenshot({ path: '/tmp/h6-projector-winner.png' });

    // The draw used the seed whose hash was on screen beforehand.
    const history = await call<{ items: PrizeDrawing[] }>(`/api/events/${event.id}/drawings`, { token });
    expect(history.items[0]?.seed_hash).toBe(shownHash);
    expect(history.items[0]?.winner.participant_name).toBe(winnerName);

    await projector.getByTestId('projector-confirm').click();
    await projector.getByTestId('projector-confirmed').waitFor({ timeout: 10_000 });

    // The staff device learns of it through event_updated, well before its 10 s polling fallback.
    const confirmedAt = Date.now();
    const latest = watcher.getByTestId('latest-winner');
    await latest.getByText(winnerName).waitFor({ timeout: 8_000 });
    expect(Date.now() - confirmedAt).toBeLessThan(8_000);
    expect(await latest.textContent()).toContain(winnerNumber);
    await watcher.screenshot({ path: '/tmp/h6-second-device.png' });

    // Anyone can recompute it: the public verify page runs the domain function in the browser.
    await watcher.getByRole('link', { name: 'Verify' }).first().click();
    await watcher
      .getByTestId('verify-result')
      .getByText('This drawing checks out')
      .waitFor({ timeout: 10_000 });

    await watcherContext.close();
    await projectorContext.close();
  });
});
