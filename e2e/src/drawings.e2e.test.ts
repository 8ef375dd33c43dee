import { readFileSync } from 'node:fs';
import { maskName } from '@eventmanager/domain/drawings/mask-name';
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

/**
 * Runs in the projector page: records every value the rolling animation puts on screen (number and
 * masked name), so the test can check that only people in the pool ever roll past.
 */
const ROLL_RECORDER = `(() => {
  const seen = [];
  globalThis.__rolled = seen;
  new MutationObserver(() => {
    for (const id of ['projector-rolling-number', 'projector-rolling-name']) {
      const text = document.querySelector('[data-testid="' + id + '"]')?.textContent;
      if (text) seen.push(id + ':' + text);
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
})()`;

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
    // The projector masks the name (박*호): the room is public.
    expect(names.map(maskName)).toContain(winnerName);
    expect(winnerNumber).toMatch(/^#00[1-5]$/);
    await projector.screenshot({ path: '/tmp/h6-projector-winner.png' });

    // The draw used the seed whose hash was on screen beforehand.
    const history = await call<{ items: PrizeDrawing[] }>(`/api/events/${event.id}/drawings`, { token });
    expect(history.items[0]?.seed_hash).toBe(shownHash);
    expect(history.items[0]?.winner.participant_name_masked).toBe(winnerName);
    expect(names).toContain(history.items[0]?.winner.participant_name);

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

  it('Korean event: a prize for three winners on a laptop projector, rolling only the pool, masked; verify on a phone in Korean', async () => {
    const organizer = await call<Session>('/api/auth/signup', {
      body: {
        email: `drawings-e2e-k-${Date.now()}@example.com`,
        password: 'correct-horse-battery',
        accept_terms: true,
        name: '주최자',
      },
    });
    const token = organizer.access_token;
    const event = await call<{ id: string; share_url: string }>('/api/events', {
      token,
      body: {
        name: '송년회 경품 추첨',
        language: 'ko',
        location: { type: 'physical', address: '서울 성수동' },
        datetime: { start: new Date(Date.now() + 24 * 3600_000).toISOString(), timezone: 'Asia/Seoul' },
        features: { checkin_enabled: true, prize_drawing_enabled: true, anonymous_mode: false },
      },
    });
    await call(`/api/events/${event.id}`, { method: 'PATCH', token, body: { status: 'published' } });
    const code = event.share_url.split('/').pop();
    const names = ['박민호', '김서연', '남궁민수', '이도윤', '최하은', '정우성', '한지민'];
    const people: { id: string; number: number; name: string }[] = [];
    for (const [i, name] of names.entries()) {
      const r = await call<{ participant: { id: string; registration: { number: number } } }>(
        `/api/public/events/${code}/registrations`,
        {
          body: {
            identity: { name, email: `k-guest${i}-${Date.now()}@example.com` },
            custom_responses: {},
            consents: { privacy: true },
          },
        },
      );
      people.push({ id: r.participant.id, number: r.participant.registration.number, name });
    }
    // Four of the seven arrive: the checked-in pool is those four, and only they may roll past.
    const arrived = people.slice(0, 4);
    await call(`/api/events/${event.id}/sync`, {
      token,
      body: {
        device: { id: 'e2e-drawings-desk', name: '입구' },
        mutations: arrived.map((p) => ({
          id: crypto.randomUUID(),
          type: 'check_in',
          participant_id: p.id,
          local_timestamp: new Date().toISOString(),
        })),
      },
    });
    const poolNumbers = arrived.map((p) => `#${String(p.number).padStart(3, '0')}`);
    const poolMasked = arrived.map((p) => maskName(p.name));

    const context = await signedInContext(organizer, 'ko-KR');
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/events/${event.id}/drawings`);
    await page.getByTestId('pool-size').getByText('추첨 대상 4명').waitFor({ timeout: 15_000 });
    await page.getByLabel('경품').fill('에어팟 프로');
    // More winners than the pool: refused before any request, and the draw button is off.
    await page.getByLabel('당첨 인원').fill('5');
    await page.getByTestId('options-problem').getByText('대상자(4명)보다 많이 뽑을 수 없어요.').waitFor();
    expect(await page.getByRole('button', { name: '추첨하기', exact: true }).isDisabled()).toBe(true);
    await page.getByLabel('당첨 인원').fill('3');
    await page.getByRole('link', { name: '프로젝터 화면' }).click();

    await page.getByTestId('projector-commitment').waitFor({ timeout: 15_000 });
    await page.getByTestId('projector-prize').getByText('에어팟 프로 추첨 · 당첨자 3명').waitFor();
    await expect.poll(() => page.getByTestId('projector-pool').textContent()).toContain('4명');
    // Record everything the rolling animation shows.
    await page.evaluate(ROLL_RECORDER);
    await page.getByTestId('projector-draw').click();
    const cards = page.getByTestId('projector-winner');
    await page.getByTestId('projector-winners').waitFor({ timeout: 15_000 });
    expect(await cards.count()).toBe(3);
    const rolled = (await page.evaluate('globalThis.__rolled')) as string[];
    expect(rolled.length).toBeGreaterThan(0);
    for (const entry of rolled) {
      const [id, text] = entry.split(':') as [string, string];
      if (id === 'projector-rolling-number') expect(poolNumbers).toContain(text);
      else expect(poolMasked).toContain(text);
    }
    const shown = await cards.allTextContents();
    for (const text of shown) {
      expect(poolMasked.some((m) => text.includes(m))).toBe(true);
      for (const full of names) expect(text).not.toContain(full);
    }
    await page.screenshot({ path: '/tmp/drawings-projector-three-winners.png' });
    // The organizer may show full names on purpose.
    await page.getByTestId('projector-toggle-names').click();
    const unmasked = await cards.allTextContents();
    expect(unmasked.filter((text) => arrived.some((p) => text.includes(p.name)))).toHaveLength(3);
    await page.getByTestId('projector-toggle-names').click();
    await page.getByTestId('projector-confirm').click();
    await page.getByTestId('projector-confirmed').waitFor({ timeout: 10_000 });

    const [drawing] = (await call<{ items: PrizeDrawing[] }>(`/api/events/${event.id}/drawings`, { token }))
      .items;
    expect(drawing).toMatchObject({ prize: '에어팟 프로', winner_count: 3, status: 'confirmed' });
    expect(drawing!.winners).toHaveLength(3);

    // A guest's phone, browser in English, never here before: the page speaks the event's Korean.
    const phone = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const guest = await phone.newPage();
    await guest.goto(`${server.baseUrl}/drawings/${drawing!.id}/verify`);
    await guest
      .getByTestId('verify-result')
      .getByText('이 추첨은 올바르게 이루어졌어요')
      .waitFor({ timeout: 15_000 });
    await guest.getByText('당첨자 3명').first().waitFor();
    expect(await guest.getByTestId('verify-event').textContent()).toContain('에어팟 프로');
    const listed = await guest.getByTestId('verify-winners').locator('li').allTextContents();
    expect(listed).toHaveLength(3);
    for (const [i, w] of drawing!.winners.entries()) {
      expect(listed[i]).toContain(w.participant_name_masked);
      expect(listed[i]).toContain(`#${String(w.registration_number).padStart(3, '0')}`);
    }
    const body = (await guest.locator('body').textContent()) ?? '';
    for (const full of names) expect(body).not.toContain(full);
    await guest.getByTestId('verify-many').waitFor();
    // Nothing overflows the phone's width.
    expect(await guest.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await guest.screenshot({ path: '/tmp/drawings-verify-phone-ko.png', fullPage: true });
    await phone.close();
    await context.close();
  });

  it('English event: two winners, masked latin names, verify page in English on a Korean phone', async () => {
    const organizer = await call<Session>('/api/auth/signup', {
      body: {
        email: `drawings-e2e-en-${Date.now()}@example.com`,
        password: 'correct-horse-battery',
        accept_terms: true,
        name: 'Host',
      },
    });
    const token = organizer.access_token;
    const event = await call<{ id: string; share_url: string }>('/api/events', {
      token,
      body: {
        name: 'Spring Meetup',
        language: 'en',
        location: { type: 'physical', address: 'Seoul' },
        datetime: { start: new Date(Date.now() + 24 * 3600_000).toISOString(), timezone: 'Asia/Seoul' },
        features: { checkin_enabled: true, prize_drawing_enabled: true, anonymous_mode: false },
      },
    });
    await call(`/api/events/${event.id}`, { method: 'PATCH', token, body: { status: 'published' } });
    const code = event.share_url.split('/').pop();
    const names = ['Alice Kim', 'Bob Lee', 'Carol Park'];
    for (const [i, name] of names.entries()) {
      await call(`/api/public/events/${code}/registrations`, {
        body: {
          identity: { name, email: `en-guest${i}-${Date.now()}@example.com` },
          custom_responses: {},
          consents: { privacy: true },
        },
      });
    }
    // Three people, four prizes: refused with the reason, nothing drawn.
    const tooMany = await fetch(`${server.baseUrl}/api/events/${event.id}/drawings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        config: { participant_pool: 'all', exclude_previous_winners: false },
        winner_count: 4,
      }),
    });
    expect(tooMany.status).toBe(422);
    expect(((await tooMany.json()) as { code: string }).code).toBe('pool_too_small');
    const drawing = await call<PrizeDrawing>(`/api/events/${event.id}/drawings`, {
      token,
      body: {
        config: { participant_pool: 'all', exclude_previous_winners: false },
        prize: 'Coffee voucher',
        winner_count: 2,
      },
    });
    expect(drawing.winners).toHaveLength(2);
    expect(drawing.winners[0]).toEqual(drawing.winner);
    await call(`/api/events/${event.id}/drawings/${drawing.id}/confirm`, { method: 'POST', token });

    const phone = await browser.newContext({
      locale: 'ko-KR',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const guest = await phone.newPage();
    await guest.goto(`${server.baseUrl}/drawings/${drawing.id}/verify`);
    await guest
      .getByTestId('verify-result')
      .getByText('This drawing checks out')
      .waitFor({ timeout: 15_000 });
    expect(await guest.getByTestId('verify-event').textContent()).toBe(
      'Spring Meetup · Prize: Coffee voucher',
    );
    const listed = await guest.getByTestId('verify-winners').locator('li').allTextContents();
    expect(listed).toHaveLength(2);
    for (const [i, w] of drawing.winners.entries()) {
      expect(w.participant_name_masked).toMatch(/^[A-Z]\*+ [A-Z]\*+$/);
      expect(listed[i]).toContain(w.participant_name_masked);
    }
    const body = (await guest.locator('body').textContent()) ?? '';
    for (const full of names) expect(body).not.toContain(full);
    await guest.getByText('Names are partly hidden for privacy', { exact: false }).waitFor();
    await guest.screenshot({ path: '/tmp/drawings-verify-phone-en.png', fullPage: true });
    await phone.close();
  });
});
