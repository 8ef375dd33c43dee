import { readFileSync } from 'node:fs';
import type { PrizeDrawing } from '@eventmanager/domain/drawings/schema';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningServer, startServer } from './harness.ts';
import { callApi } from './support/api.ts';
import { waitForMailedLink } from './support/mailbox.ts';

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

const call = <T>(path: string, init: Parameters<typeof callApi>[1] = {}) =>
  callApi<T>(`${server.baseUrl}${path}`, init);

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
        accept_terms: true,
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
        accept_terms: true,
      },
    });
    await call('/api/me', {
      method: 'PATCH',
      token: staff.access_token,
      body: { preferences: { language: 'en' } },
    });
    // Staff access is an invitation the invitee accepts, with a verified address (links from the outbox).
    await call(`/api/events/${event.id}/staff`, { token, body: { email: staff.user.email, role: 'staff' } });
    const verifyLink = await waitForMailedLink(server.dataDir!, staff.user.email, '/verify-email');
    await call('/api/auth/verify-email', { body: { token: verifyLink.split('/').pop() } });
    const inviteLink = await waitForMailedLink(server.dataDir!, staff.user.email, '/invitations');
    await call(`/api/invitations/${inviteLink.split('/').pop()}/accept`, {
      method: 'POST',
      token: staff.access_token,
    });
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
    await watcher.screenshot({ path: '/tmp/h6-verify-page.png', fullPage: true });

    await watcherContext.close();
    await projectorContext.close();
  });

  it('organizer screen: filter narrows the pool, draw, redraw keeps history, confirm', async () => {
    const organizer = await call<Session>('/api/auth/signup', {
      body: {
        email: `drawings-e2e-b-${Date.now()}@example.com`,
        password: 'correct-horse-battery',
        name: 'Host',
        accept_terms: true,
      },
    });
    const token = organizer.access_token;
    await call('/api/me', { method: 'PATCH', token, body: { preferences: { language: 'en' } } });
    const event = await call<{ id: string; share_url: string }>('/api/events', {
      token,
      body: {
        name: 'Year-end meetup',
        location: { type: 'physical', address: 'Seoul' },
        datetime: { start: new Date(Date.now() + 24 * 3600_000).toISOString(), timezone: 'Asia/Seoul' },
        registration: {
          form_fields: [
            { id: 'size', type: 'single_choice', label: 'T-shirt size', options: ['S', 'M', 'L'] },
          ],
        },
        features: { checkin_enabled: true, prize_drawing_enabled: true, anonymous_mode: false },
      },
    });
    await call(`/api/events/${event.id}`, { method: 'PATCH', token, body: { status: 'published' } });
    const code = event.share_url.split('/').pop();
    const sizes = ['M', 'L', 'M', 'S', 'M', 'L'];
    for (const [i, size] of sizes.entries()) {
      await call(`/api/public/events/${code}/registrations`, {
        body: {
          identity: { name: `Guest ${i + 1}`, email: `b-guest${i}-${Date.now()}@example.com` },
          custom_responses: { size },
          consents: { privacy: true },
        },
      });
    }

    const context = await signedInContext(organizer, 'en-US');
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/events/${event.id}/drawings`);
    // Nobody is checked in: the default pool explains itself and the draw button is off.
    await page.getByTestId('pool-size').getByText('Nobody is checked in yet', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: 'Draw', exact: true }).isDisabled()).toBe(true);

    await page.getByLabel('Everyone registered').check();
    await page.getByTestId('pool-size').getByText('6 people in the pool').waitFor();
    await page.getByLabel('Only people who answered').selectOption('size');
    await page.getByLabel('Answer', { exact: true }).selectOption('M');
    await page.getByTestId('pool-size').getByText('3 people in the pool').waitFor();

    await page.getByRole('button', { name: 'Draw', exact: true }).click();
    const open = page.getByTestId('open-drawing');
    await open.waitFor();
    const first = (await open.textContent()) ?? '';
    await page.getByTestId('open-drawing').getByRole('button', { name: 'Redraw' }).click();
    await page.getByTestId('drawing-history').locator('[data-status="discarded"]').waitFor();
    await page.getByTestId('open-drawing').getByRole('button', { name: 'Confirm winner' }).click();
    await page.getByTestId('latest-winner').waitFor();
    await page.screenshot({ path: '/tmp/h6-organizer-screen.png', fullPage: true });

    const history = await call<{ items: PrizeDrawing[] }>(`/api/events/${event.id}/drawings`, { token });
    expect(history.items.map((d) => d.status)).toEqual(['confirmed', 'discarded']);
    // Both draws came from the three M-size guests (#1, #3, #5).
    for (const d of history.items) expect([1, 3, 5]).toContain(d.winner.registration_number);
    expect(first).toContain(history.items[1]!.winner.participant_name);

    // The announcement card: desktop Chromium has no file sharing, so it downloads as a PNG.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Share announcement' }).click(),
    ]);
    const cardPath = '/tmp/h6-announcement-card.png';
    await download.saveAs(cardPath);
    const png = readFileSync(cardPath);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.length).toBeGreaterThan(10_000);
    await page.getByText('Image downloaded').waitFor();
    await expect
      .poll(
        async () =>
          (await call<{ items: PrizeDrawing[] }>(`/api/events/${event.id}/drawings`, { token })).items[0]
            ?.announcement_shared,
      )
      .toBe(true);
    await context.close();
  });
});
