import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, PHONE, type RunningServer, startServer } from './harness.ts';
import { writeQrY4m } from './support/fake-camera.ts';

/**
 * The door on event day, on phones: every link in the e-mails opens the right page in a browser
 * that never saw the site (no service worker), nobody who is not admitted is checked in or counted,
 * one result per ticket presentation, named devices, an undo that asks, and walk-ins offline.
 */
const PORT = 4781;

let server: RunningServer;
let browser: Browser;

interface Session {
  access_token: string;
  refresh_token: string;
  user: { id: string };
}
interface Registered {
  id: string;
  number: number;
  name: string;
  ticket: string;
  manageUrl: string;
}

async function call<T>(
  pathname: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<T> {
  const res = await fetch(`${server.baseUrl}${pathname}`, {
    method: init.method ?? (init.body ? 'POST' : 'GET'),
    headers: {
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${pathname}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

let seq = 0;
async function signup(name: string): Promise<Session> {
  return call<Session>('/api/auth/signup', {
    body: {
      email: `door-${Date.now()}-${seq++}@example.com`,
      password: 'correct-horse-battery',
      name,
      accept_terms: true,
    },
  });
}

/** A published event (optionally with a required question) and `count` registered participants. */
async function eventWith(count: number, options: { question?: boolean } = {}) {
  const organizer = await signup('김사라');
  const token = organizer.access_token;
  const event = await call<{ id: string; name: string; share_url: string }>('/api/events', {
    token,
    body: {
      name: `문 앞 E2E ${seq++}`,
      location: { type: 'physical', address: '서울 성수동' },
      datetime: { start: new Date(Date.now() + 3600_000).toISOString(), timezone: 'Asia/Seoul' },
      capacity: { max_participants: 1000, waitlist_enabled: false },
      features: { checkin_enabled: true, prize_drawing_enabled: false, anonymous_mode: false },
      ...(options.question
        ? {
            registration: {
              form_fields: [{ id: 'company', type: 'text', label: '소속', required: true }],
            },
          }
        : {}),
    },
  });
  await call(`/api/events/${event.id}`, { method: 'PATCH', token, body: { status: 'published' } });
  const code = event.share_url.split('/').pop() ?? '';
  const people: Registered[] = [];
  for (let i = 0; i < count; i++) {
    const name = ['강감찬', '을지문덕', '이순신', '유관순', '안중근'][i] ?? `참가자${i}`;
    const res = await call<{
      participant: { id: string; registration: { number: number } };
      ticket_code: string;
      manage_url: string;
    }>(`/api/public/events/${code}/registrations`, {
      body: {
        identity: { name, email: `guest${i}-${Date.now()}-${seq++}@example.com` },
        custom_responses: options.question ? { company: '네이버' } : {},
        consents: { privacy: true },
      },
    });
    people.push({
      id: res.participant.id,
      number: res.participant.registration.number,
      name,
      ticket: res.ticket_code,
      manageUrl: res.manage_url,
    });
  }
  return { organizer, token, event, code, people };
}

async function staffContext(session: Session, b: Browser = browser): Promise<BrowserContext> {
  const context = await b.newContext({ ...PHONE, locale: 'ko-KR', baseURL: server.baseUrl });
  const stored = JSON.stringify({
    accessToken: session.access_token,
    refreshToken: session.refresh_token,
    userId: session.user.id,
  });
  await context.addInitScript((value) => {
    if (!localStorage.getItem('em.session')) localStorage.setItem('em.session', value);
  }, stored);
  return context;
}

type PageSession = {
  sync: { pending: number };
  connection: string;
  counters: { checkedIn: number; registered: number };
};
type SessionWindow = { __checkinSession?: PageSession };

function pending(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as SessionWindow).__checkinSession?.sync.pending ?? -1);
}

async function openCheckin(page: Page, eventId: string, deviceName?: string): Promise<void> {
  await page.goto(`/events/${eventId}/checkin`);
  await page.getByTestId('participant-list').waitFor({ timeout: 30_000 });
  const save = page.getByTestId('device-name-save');
  if (await save.isVisible()) {
    if (deviceName) await page.getByTestId('device-name-input').fill(deviceName);
    await save.click();
    await save.waitFor({ state: 'detached' });
  }
  await expect
    .poll(() => page.evaluate(() => (globalThis as unknown as SessionWindow).__checkinSession?.connection), {
      timeout: 20_000,
    })
    .toBe('open');
}

function row(page: Page, id: string) {
  return page.locator(`[data-testid="participant-row"][data-participant-id="${id}"]`);
}

async function serverStatus(token: string, eventId: string, id: string): Promise<string | undefined> {
  const body = await call<{ snapshot: { id: string; checkin: { status: string } }[] }>(
    `/api/events/${eventId}/changes`,
    { token },
  );
  return body.snapshot.find((p) => p.id === id)?.checkin.status;
}

beforeAll(async () => {
  server = await startServer({ port: PORT });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the door, on phones', () => {
  it('every link in the e-mails opens the right page in a browser that never visited the site', async () => {
    const { event, people } = await eventWith(1);
    const [guest] = people;
    if (!guest || !server.dataDir) throw new Error('fixtures');
    const outbox = path.join(server.dataDir, 'outbox');
    // The embedded worker writes each e-mail as an .eml file.
    await expect
      .poll(
        () => {
          try {
            return readdirSync(outbox).filter((f) => f.endsWith('.eml')).length;
          } catch {
            return 0;
          }
        },
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0);
    const links = new Set<string>();
    for (const file of readdirSync(outbox).filter((f) => f.endsWith('.eml'))) {
      const mail = await simpleParser(readFileSync(path.join(outbox, file)));
      const html = typeof mail.html === 'string' ? mail.html : '';
      for (const m of html.matchAll(/href="([^"]+)"/g)) links.add(m[1]!.replaceAll('&amp;', '&'));
      for (const m of (mail.text ?? '').matchAll(/https?:\/\/[^\s<>"')]+/g)) links.add(m[0]);
    }
    console.log('[door e2e] links in the e-mails:', [...links].join(' '));
    const own = [...links].filter((l) => l.startsWith(server.baseUrl));
    expect(own).toContain(guest.manageUrl);
    // The manage link carries a signed token with a dot in it: the case that broke.
    expect(new URL(guest.manageUrl).pathname).toMatch(/^\/m\/[^/]+\.[^/]+$/);

    for (const link of links) {
      const url = new URL(link);
      if (url.protocol === 'mailto:' || url.protocol === 'tel:') continue;
      if (url.origin !== server.baseUrl) {
        // Calendar and map links go to other sites (no network here): well-formed, about this event.
        expect(url.protocol).toBe('https:');
        continue;
      }
      // A mail app's in-app browser: fresh, phone-sized, no service worker.
      const context = await browser.newContext({ ...PHONE, locale: 'ko-KR', serviceWorkers: 'block' });
      const page = await context.newPage();
      const response = await page.goto(link);
      expect(response?.status(), link).toBe(200);
      const type = response?.headers()['content-type'] ?? '';
      if (url.pathname.startsWith('/api/')) {
        // Ticket QR images, calendar files: served as themselves, never a JSON 404.
        expect(type, link).not.toContain('json');
      } else {
        expect(type, link).toContain('text/html');
        if (url.pathname.startsWith('/m/')) {
          await page.getByTestId('manage-status').waitFor({ timeout: 20_000 });
        } else if (url.pathname.startsWith('/e/')) {
          await page.getByText(event.name).first().waitFor({ timeout: 20_000 });
        } else if (url.pathname.startsWith('/verify-email/')) {
          // The organizer's own account mail: the address confirmation link confirms it.
          await page.getByTestId('verify-done').waitFor({ timeout: 20_000 });
        } else {
          await page.getByRole('heading').first().waitFor({ timeout: 20_000 });
        }
        expect(await page.getByText('페이지를 찾을 수 없어요').count()).toBe(0);
      }
      await context.close();
    }
  });

  it('a real missing asset is still a 404, an app path with a dot is the app', async () => {
    expect((await fetch(`${server.baseUrl}/assets/missing-abc123.js`)).status).toBe(404);
    const app = await fetch(`${server.baseUrl}/m/AAAA.BBBB`);
    expect(app.status).toBe(200);
    expect(app.headers.get('content-type')).toContain('text/html');
  });

  it('people who are not admitted show their status, are never counted, and a stale device is told', async () => {
    const { organizer, token, event, people } = await eventWith(4);
    const [kang, eul, lee, yu] = people;
    if (!kang || !eul || !lee || !yu) throw new Error('fixtures');
    await call(`/api/events/${event.id}/participants/${eul.id}`, { method: 'DELETE', token });
    const context = await staffContext(organizer);
    const page = await context.newPage();
    await openCheckin(page, event.id);
    // 을지문덕 is cancelled: status on the row, no 체크인 button; the counter is of the admitted.
    await expect.poll(() => row(page, eul.id).getAttribute('data-registration')).toBe('cancelled');
    expect(await row(page, eul.id).getByTestId('checkin-button').count()).toBe(0);
    expect(await row(page, eul.id).getByTestId('row-registration').textContent()).toContain('취소됨');
    await row(page, kang.id).getByTestId('checkin-button').click();
    await expect.poll(() => page.getByTestId('checkin-counter').textContent()).toContain('1 / 3');

    // Cancelled while this phone looked: it learns through the change feed.
    await call(`/api/events/${event.id}/participants/${yu.id}`, { method: 'DELETE', token });
    await expect
      .poll(() => row(page, yu.id).getAttribute('data-registration'), { timeout: 15_000 })
      .toBe('cancelled');
    await expect.poll(() => page.getByTestId('checkin-counter').textContent()).toContain('1 / 2');

    // Cancelled while this phone was offline: its tap is queued, refused by the server, and shown.
    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('sync-banner').getAttribute('data-state')).toBe('offline');
    await call(`/api/events/${event.id}/participants/${lee.id}`, { method: 'DELETE', token });
    await row(page, lee.id).getByTestId('checkin-button').click();
    expect(await pending(page)).toBeGreaterThanOrEqual(0);
    await context.setOffline(false);
    const refusal = page.locator(`[data-testid="refusal-banner"][data-participant-id="${lee.id}"]`);
    await refusal.waitFor({ timeout: 30_000 });
    expect(await refusal.getAttribute('data-kind')).toBe('not_admitted');
    expect(await refusal.textContent()).toContain(lee.name);
    expect(await refusal.textContent()).toContain('취소됨');
    await expect.poll(() => row(page, lee.id).getAttribute('data-registration')).toBe('cancelled');
    await expect.poll(() => pending(page), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('checkin-counter').textContent()).toContain('1 / 1');
    expect(await serverStatus(token, event.id, lee.id)).toBe('not_checked_in');
    await page.screenshot({ path: '/tmp/door-not-admitted.png' });
    await context.close();
  });

  it('named devices; undo asks and sits away from the 체크인 button; an own double tap is not "another device"', async () => {
    const { organizer, token, event, people } = await eventWith(3);
    const [kang, eul] = people;
    if (!kang || !eul) throw new Error('fixtures');
    const contextA = await staffContext(organizer);
    const a = await contextA.newPage();
    await a.goto(`/events/${event.id}/checkin`);
    // First use: a name is asked for, suggested from the signed-in person.
    await a.getByTestId('device-name-prompt').waitFor({ timeout: 30_000 });
    expect(await a.getByTestId('device-name-input').inputValue()).toBe('입구 1 · 김사라');
    await a.getByTestId('device-name-input').fill('입구 2 · 김사라');
    await a.getByTestId('device-name-save').click();
    await expect.poll(() => a.getByTestId('device-name').textContent()).toContain('입구 2 · 김사라');
    const contextB = await staffContext(organizer);
    const b = await contextB.newPage();
    await openCheckin(a, event.id);
    await openCheckin(b, event.id, '입구 1 · 본부');

    const button = row(a, kang.id).getByTestId('checkin-button');
    const before = await button.boundingBox();
    await button.click();
    const undo = row(a, kang.id).getByTestId('undo-button');
    await undo.waitFor();
    const after = await undo.boundingBox();
    if (!before || !after) throw new Error('no boxes');
    // Nothing to undo with where the 체크인 button was a moment ago.
    const overlaps =
      after.x < before.x + before.width &&
      before.x < after.x + after.width &&
      after.y < before.y + before.height &&
      before.y < after.y + after.height;
    expect(overlaps).toBe(false);
    // The other phone's activity names this device.
    await expect
      .poll(() => b.getByTestId('activity-list').textContent(), { timeout: 15_000 })
      .toContain('입구 2 · 김사라');
    // The server's log has the name as well (activity, statistics).
    await expect.poll(() => pending(a), { timeout: 15_000 }).toBe(0);
    const logs = await call<{ items: { device: { name: string } }[] }>(
      `/api/events/${event.id}/checkin-logs?participant_id=${kang.id}`,
      { token },
    );
    expect(logs.items.map((l) => l.device.name)).toEqual(['입구 2 · 김사라']);

    // Undo asks; "no" changes nothing.
    await undo.click();
    const dialog = a.getByRole('dialog');
    await dialog.getByRole('button', { name: '취소', exact: true }).click();
    expect(await row(a, kang.id).getAttribute('data-status')).toBe('checked_in');

    // A double tap on one phone: check in, undo at once. The check-in stays (the 5 s rule), and the
    // notice says it happened on this device.
    await row(a, eul.id).getByTestId('checkin-button').click();
    await row(a, eul.id).getByTestId('undo-button').click();
    await a.getByRole('dialog').getByRole('button', { name: '체크인 취소', exact: true }).click();
    const conflict = a.locator(`[data-testid="conflict-banner"][data-participant-id="${eul.id}"]`);
    await conflict.waitFor({ timeout: 20_000 });
    const text = (await conflict.textContent()) ?? '';
    expect(text).toContain('이 기기');
    expect(text).not.toContain('다른 기기');
    expect(await serverStatus(token, event.id, eul.id)).toBe('checked_in');
    await a.screenshot({ path: '/tmp/door-named-device.png' });
    await contextA.close();
    await contextB.close();
  });

  it('a walk-in registered offline is checked in at once, synced when back online, and seen on a second phone', async () => {
    const { organizer, token, event } = await eventWith(2, { question: true });
    const contextA = await staffContext(organizer);
    const a = await contextA.newPage();
    const b = await (await staffContext(organizer)).newPage();
    await openCheckin(a, event.id);
    await openCheckin(b, event.id);
    // The form is kept for offline use once the screen has read the event.
    await expect
      .poll(() =>
        a.evaluate(
          () =>
            (globalThis as unknown as { __checkinSession?: { formFields: unknown[] | null } })
              .__checkinSession?.formFields?.length ?? 0,
        ),
      )
      .toBe(1);
    await contextA.setOffline(true);
    await expect.poll(() => a.getByTestId('sync-banner').getAttribute('data-state')).toBe('offline');

    await a.getByTestId('walk-in-button').click();
    await a.getByTestId('walk-in-name').fill('세종대왕');
    await a.getByTestId('walk-in-phone').fill('010-2345-6789');
    await a.getByTestId('walk-in-submit').click();
    // The required question is asked for.
    expect(await a.getByTestId('walk-in-done').count()).toBe(0);
    await a.getByLabel('소속').fill('집현전');
    await a.getByTestId('walk-in-submit').click();
    await a.getByTestId('walk-in-done').waitFor();
    await a.getByRole('button', { name: '닫기' }).click();
    await a.getByTestId('checkin-search').fill('세종');
    const local = a.locator('[data-testid="participant-row"]', { hasText: '세종대왕' });
    await local.waitFor();
    expect(await local.getAttribute('data-status')).toBe('checked_in');
    expect(await local.getAttribute('data-pending')).toBe('true');
    await expect.poll(() => a.getByTestId('checkin-counter').textContent()).toContain('1 / 3');
    const id = await local.getAttribute('data-participant-id');
    if (!id) throw new Error('no id');

    await contextA.setOffline(false);
    await expect.poll(() => pending(a), { timeout: 30_000 }).toBe(0);
    expect(await serverStatus(token, event.id, id)).toBe('checked_in');
    // The second phone shows the walk-in, checked in.
    await b.getByTestId('checkin-search').fill('세종');
    await expect.poll(() => row(b, id).getAttribute('data-status'), { timeout: 20_000 }).toBe('checked_in');
    await expect.poll(() => b.getByTestId('checkin-counter').textContent()).toContain('1 / 3');
    // Numbered by the server now.
    await expect.poll(() => row(a, id).textContent()).toContain('#003');
    await a.screenshot({ path: '/tmp/door-walk-in.png' });
    await contextA.close();
    await b.context().close();
  });

  it('the search placeholder fits a 390 px phone', async () => {
    const { organizer, event } = await eventWith(1);
    const context = await staffContext(organizer);
    const page = await context.newPage();
    await openCheckin(page, event.id);
    const fit = await page.getByTestId('checkin-search').evaluate((el) => {
      type Style = Record<'fontWeight' | 'fontSize' | 'fontFamily' | 'paddingLeft' | 'paddingRight', string>;
      type Canvas = { font: string; measureText(text: string): { width: number } };
      const g = globalThis as unknown as {
        getComputedStyle(e: unknown): Style;
        document: { createElement(tag: 'canvas'): { getContext(kind: '2d'): Canvas | null } };
      };
      const input = el as unknown as { clientWidth: number; placeholder: string };
      const style = g.getComputedStyle(el);
      const canvas = g.document.createElement('canvas').getContext('2d');
      if (!canvas) return { text: 0, room: 0 };
      canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room =
        input.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
      return { text: canvas.measureText(input.placeholder).width, room };
    });
    expect(fit.room).toBeGreaterThan(0);
    expect(fit.text).toBeLessThanOrEqual(fit.room);
    await context.close();
  });

  it('the QR scanner shows one result per presentation; a ticket shown again later still warns, with when and where', async () => {
    const { organizer, token, event, people } = await eventWith(2);
    const guest = people[1];
    if (!guest) throw new Error('fixtures');
    const videoDir = mkdtempSync(path.join(tmpdir(), 'em-e2e-door-qr-'));
    const video = path.join(videoDir, 'ticket.y4m');
    writeQrY4m(video, guest.ticket);
    const camera = await launchBrowser({
      args: [
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    try {
      const context = await staffContext(organizer, camera);
      await context.grantPermissions(['camera'], { origin: server.baseUrl });
      const page = await context.newPage();
      await openCheckin(page, event.id, '입구 3 · 김사라');
      await page.getByTestId('scan-button').click();
      const result = page.getByTestId('scan-result');
      await page.locator('[data-testid="scan-result"][data-kind="checked_in"]').waitFor({ timeout: 30_000 });
      // The ticket stays in front of the camera: the scanner keeps seeing it (counted), and the
      // answer stays "✓ checked in" — it never turns into "already checked in".
      await expect
        .poll(async () => Number(await result.getAttribute('data-repeats')), { timeout: 30_000 })
        .toBeGreaterThanOrEqual(60);
      expect(await result.getAttribute('data-kind')).toBe('checked_in');
      expect(await result.textContent()).toContain(guest.name);
      await page.getByTestId('scan-close').click();

      // Shown again (a new presentation, say the ticket passed to a friend): warns, with when and
      // on which device.
      await page.getByTestId('scan-button').click();
      await page.locator('[data-testid="scan-result"][data-kind="already"]').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('scan-already-detail').textContent()).toContain('이 기기');
      await page.getByTestId('scan-close').click();
      await expect.poll(() => pending(page), { timeout: 15_000 }).toBe(0);
      expect(await serverStatus(token, event.id, guest.id)).toBe('checked_in');
      await context.close();
    } finally {
      await camera.close();
      rmSync(videoDir, { recursive: true, force: true });
    }
  });
});
