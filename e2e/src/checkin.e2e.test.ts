import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningServer, startServer } from './harness.ts';
import { callApi } from './support/api.ts';
import { writeQrY4m } from './support/fake-camera.ts';

/**
 * Offline-first check-in on two staff devices (two browser contexts) against the real server: two
 * instances sharing PostgreSQL + Redis when DATABASE_URL and REDIS_URL are set, one embedded
 * instance otherwise. Device A talks to the first instance, device B to the second.
 */
const PORTS = [4701, 4702] as const;
const multi = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
const sharedEnv: Record<string, string> = multi
  ? {
      DATABASE_URL: process.env.DATABASE_URL ?? '',
      REDIS_URL: process.env.REDIS_URL ?? '',
      JWT_SECRET: randomBytes(48).toString('base64'),
      PII_KEYS: `e2e:${randomBytes(32).toString('base64')}`,
      EMBEDDED_WORKER: 'false',
    }
  : {};

let servers: RunningServer[] = [];
let browser: Browser;
let dataDir: string | undefined;

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
}

function baseUrl(device: 'A' | 'B'): string {
  const server = device === 'A' ? servers[0] : (servers[1] ?? servers[0]);
  if (!server) throw new Error('no server');
  return server.baseUrl;
}

const call = callApi;

async function startInstance(index: 0 | 1): Promise<RunningServer> {
  const env = multi ? sharedEnv : { DATA_DIR: dataDir };
  return startServer({ port: PORTS[index], env });
}

/** An organizer with a published event and `count` registered participants. */
async function eventWithParticipants(count: number) {
  const api = baseUrl('A');
  const organizer = await call<Session>(`${api}/api/auth/signup`, {
    body: {
      email: `checkin-e2e-${Date.now()}-${count}@example.com`,
      password: 'correct-horse-battery',
      name: '주최자',
      accept_terms: true,
    },
  });
  const token = organizer.access_token;
  const event = await call<{ id: string; share_url: string }>(`${api}/api/events`, {
    token,
    body: {
      name: '체크인 E2E 밋업',
      location: { type: 'physical', address: '서울 성수동' },
      datetime: { start: new Date(Date.now() + 3600_000).toISOString(), timezone: 'Asia/Seoul' },
      capacity: { max_participants: 1000, waitlist_enabled: false },
      features: { checkin_enabled: true, prize_drawing_enabled: false, anonymous_mode: false },
    },
  });
  await call(`${api}/api/events/${event.id}`, { method: 'PATCH', token, body: { status: 'published' } });
  const code = event.share_url.split('/').pop();
  const people: Registered[] = [];
  for (let i = 0; i < count; i++) {
    const name = i === 0 ? '홍길동' : `참가자${String(i + 1).padStart(2, '0')}`;
    const res = await call<{
      participant: { id: string; registration: { number: number } };
      ticket_code: string;
    }>(`${api}/api/public/events/${code}/registrations`, {
      body: {
        identity: { name, email: `guest${i}-${Date.now()}@example.com` },
        custom_responses: {},
        consents: { privacy: true },
      },
    });
    people.push({
      id: res.participant.id,
      number: res.participant.registration.number,
      name,
      ticket: res.ticket_code,
    });
  }
  return { organizer, token, eventId: event.id, people };
}

async function deviceContext(
  session: Session,
  device: 'A' | 'B',
  b: Browser = browser,
): Promise<BrowserContext> {
  const context = await b.newContext({
    locale: 'ko-KR',
    viewport: { width: 430, height: 900 },
    baseURL: baseUrl(device),
  });
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

/** What the tests read from the page's check-in session (exposed as window.__checkinSession). */
type PageSession = {
  eventId: string;
  sync: { phase: string; pending: number };
  connection: string;
  cursor: number | null;
  counters: { checkedIn: number };
  participants(): readonly { id: string }[];
  statusOf(id: string): string;
  checkIn(id: string): unknown;
};
type SessionWindow = { __checkinSession?: PageSession };

type PageState = {
  phase: string;
  pending: number;
  connection: string;
  cursor: number | null;
  checkedIn: number;
};

function pageState(page: Page): Promise<PageState> {
  return page.evaluate(() => {
    const s = (globalThis as unknown as SessionWindow).__checkinSession;
    if (!s) return { phase: 'none', pending: -1, connection: 'none', cursor: null, checkedIn: -1 };
    return {
      phase: s.sync.phase,
      pending: s.sync.pending,
      connection: s.connection,
      cursor: s.cursor,
      checkedIn: s.counters.checkedIn,
    };
  });
}

/** Every participant's status as the screen's session holds it (the same data the rows render). */
function statuses(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const s = (globalThis as unknown as SessionWindow).__checkinSession;
    const out: Record<string, string> = {};
    if (s) for (const p of s.participants()) out[p.id] = s.statusOf(p.id);
    return out;
  });
}

async function openCheckin(page: Page, eventId: string): Promise<void> {
  await page.goto(`/events/${eventId}/checkin`);
  await page.getByTestId('participant-list').waitFor({ timeout: 30_000 });
  // First use of this device: take the suggested name.
  const name = page.getByTestId('device-name-save');
  if (await name.isVisible()) {
    await name.click();
    await name.waitFor({ state: 'detached' });
  }
}

async function waitLive(page: Page): Promise<void> {
  await expect.poll(async () => (await pageState(page)).connection, { timeout: 20_000 }).toBe('open');
}

/** Search by registration number, then press the row's button. */
async function tap(page: Page, person: Registered, action: 'checkin' | 'undo'): Promise<void> {
  await page.getByTestId('checkin-search').fill(`#${person.number}`);
  const row = page.locator(`[data-participant-id="${person.id}"]`);
  await row.getByTestId(action === 'checkin' ? 'checkin-button' : 'undo-button').click();
  // An undo asks first.
  if (action === 'undo')
    await page.getByRole('dialog').getByRole('button', { name: '체크인 취소', exact: true }).click();
  await row
    .locator(`[data-status="${action === 'checkin' ? 'checked_in' : 'not_checked_in'}"]`)
    .or(row)
    .waitFor();
}

beforeAll(async () => {
  if (!multi) dataDir = mkdtempSync(path.join(tmpdir(), 'em-e2e-checkin-'));
  servers = [await startInstance(0)];
  if (multi) servers.push(await startInstance(1));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe(`check-in on two devices (${multi ? 'two instances, PostgreSQL + Redis' : 'one embedded instance'})`, () => {
  it('1. a check-in on A shows on B within a second', async () => {
    const { organizer, eventId, people } = await eventWithParticipants(5);
    const a = await (await deviceContext(organizer, 'A')).newPage();
    const b = await (await deviceContext(organizer, 'B')).newPage();
    await openCheckin(a, eventId);
    await openCheckin(b, eventId);
    await waitLive(a);
    await waitLive(b);
    const target = people[2];
    if (!target) throw new Error('no participant');
    await b.getByTestId('checkin-search').fill(`#${target.number}`);
    await a.getByTestId('checkin-search').fill(`#${target.number}`);
    const shownOnB = b.locator(`[data-participant-id="${target.id}"][data-status="checked_in"]`);
    const started = Date.now();
    await a.locator(`[data-participant-id="${target.id}"]`).getByTestId('checkin-button').click();
    await shownOnB.waitFor({ timeout: 5_000 });
    const elapsed = Date.now() - started;
    console.log(`[checkin e2e] A → B propagation: ${elapsed} ms`);
    expect(elapsed).toBeLessThan(1_000);
    expect(await b.getByTestId('checked-in-count').textContent()).toBe('1');
    await a.context().close();
    await b.context().close();
  });

  it('2. A offline checks in 20 and reloads; B undoes one > 5 s later and checks in another; both converge', async () => {
    const { organizer, token, eventId, people } = await eventWithParticipants(25);
    const contextA = await deviceContext(organizer, 'A');
    const a = await contextA.newPage();
    const b = await (await deviceContext(organizer, 'B')).newPage();
    await openCheckin(a, eventId);
    await openCheckin(b, eventId);
    await waitLive(a);
    await waitLive(b);
    // The service worker must hold the shell before the network goes away.
    await a.evaluate(() =>
      (
        globalThis as unknown as { navigator: { serviceWorker: { ready: Promise<unknown> } } }
      ).navigator.serviceWorker.ready.then(() => true),
    );

    await contextA.setOffline(true);
    await expect.poll(() => a.getByTestId('sync-banner').getAttribute('data-state')).toBe('offline');
    const first20 = people.slice(0, 20);
    const tappedAt = Date.now();
    for (const person of first20) await tap(a, person, 'checkin');
    expect(await a.getByTestId('checked-in-count').textContent()).toBe('20');
    expect((await pageState(a)).pending).toBe(20);
    expect(await a.getByTestId('sync-banner').textContent()).toContain('20');

    // Reload with no network: the shell comes from the service worker, the state from IndexedDB.
    await a.reload();
    await a.getByTestId('participant-list').waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await pageState(a)).pending).toBe(20);
    const afterReload = await statuses(a);
    for (const person of first20) expect(afterReload[person.id]).toBe('checked_in');
    expect(await a.getByTestId('checked-in-count').textContent()).toBe('20');
    expect(await a.getByTestId('sync-banner').getAttribute('data-state')).toBe('offline');
    const [hong] = first20;
    const other = people[22];
    if (!hong || !other) throw new Error('fixtures');
    await a.getByTestId('checkin-search').fill(`#${hong.number}`);
    expect(await a.locator(`[data-participant-id="${hong.id}"]`).getAttribute('data-pending')).toBe('true');

    // B, online, never saw A's taps: it checks 홍길동 in, and undoes that more than 5 s after A's tap
    // and after its own check-in (an undo within 5 s of a check-in loses by the sync rule).
    await tap(b, hong, 'checkin');
    await b.waitForTimeout(Math.max(6_000 - (Date.now() - tappedAt), 0) + 6_000);
    await tap(b, hong, 'undo');
    await tap(b, other, 'checkin');
    await expect.poll(async () => (await pageState(b)).pending, { timeout: 15_000 }).toBe(0);

    await contextA.setOffline(false);
    await expect.poll(async () => (await pageState(a)).pending, { timeout: 30_000 }).toBe(0);
    await expect
      .poll(async () => JSON.stringify(await statuses(a)) === JSON.stringify(await statuses(b)), {
        timeout: 15_000,
      })
      .toBe(true);
    const final = await statuses(a);
    expect(final[hong.id]).toBe('not_checked_in');
    expect(final[other.id]).toBe('checked_in');
    expect(Object.values(final).filter((x) => x === 'checked_in')).toHaveLength(20);
    await a
      .locator(`[data-testid="conflict-banner"][data-participant-id="${hong.id}"]`)
      .waitFor({ timeout: 10_000 });
    expect(await a.getByTestId('conflict-banner').first().textContent()).toContain(hong.name);
    expect(await a.getByTestId('checked-in-count').textContent()).toBe('20');
    expect(await b.getByTestId('checked-in-count').textContent()).toBe('20');
    await a.screenshot({ path: '/tmp/h7-checkin-conflict.png' });

    // And the server agrees.
    const snapshot = await call<{ snapshot: { id: string; checkin: { status: string } }[] }>(
      `${baseUrl('B')}/api/events/${eventId}/changes`,
      { token },
    );
    const server = Object.fromEntries(snapshot.snapshot.map((p) => [p.id, p.checkin.status]));
    expect(server).toEqual(final);
    await contextA.close();
    await b.context().close();
  });

  it('3. QR scan with a fake camera finds the ticket in the offline cache', async () => {
    const { organizer, token, eventId, people } = await eventWithParticipants(4);
    const guest = people[3];
    if (!guest) throw new Error('fixtures');
    // Chromium's fake camera plays a Y4M file: render the guest's ticket QR (the bare ticket code,
    // as the ticket e-mail and /api/public/tickets/:code/qr.png encode it) into one.
    const videoDir = mkdtempSync(path.join(tmpdir(), 'em-e2e-qr-'));
    const video = path.join(videoDir, 'ticket.y4m');
    writeQrY4m(video, guest.ticket);
    const cameraBrowser = await launchBrowser({
      args: [
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    try {
      const context = await deviceContext(organizer, 'A', cameraBrowser);
      await context.grantPermissions(['camera'], { origin: baseUrl('A') });
      const page = await context.newPage();
      await openCheckin(page, eventId);
      await waitLive(page);
      // No network from here: the ticket must be found in IndexedDB.
      await context.setOffline(true);
      await expect.poll(() => page.getByTestId('sync-banner').getAttribute('data-state')).toBe('offline');
      await page.getByTestId('scan-button').click();
      const result = page.locator('[data-testid="scan-result"][data-kind="checked_in"]');
      await result.waitFor({ timeout: 30_000 }).catch(async (e) => {
        await page.screenshot({ path: '/tmp/h7-scan-fail.png' });
        const kind = await page.getByTestId('scan-result').getAttribute('data-kind');
        const hasTicket = await page.evaluate(
          (code) =>
            Boolean(
              (
                globalThis as unknown as { __checkinSession?: { findByTicketCode(c: string): unknown } }
              ).__checkinSession?.findByTicketCode(code),
            ),
          guest.ticket,
        );
        throw new Error(`scan failed: kind=${kind} ticketCached=${hasTicket} ${String(e)}`);
      });
      expect(await result.textContent()).toContain(guest.name);
      await page.getByTestId('scan-close').click();
      await page.getByTestId('checkin-search').fill(`#${guest.number}`);
      expect(await page.locator(`[data-participant-id="${guest.id}"]`).getAttribute('data-status')).toBe(
        'checked_in',
      );
      await expect.poll(async () => (await pageState(page)).pending).toBe(1);

      await context.setOffline(false);
      await expect.poll(async () => (await pageState(page)).pending, { timeout: 30_000 }).toBe(0);
      const snapshot = await call<{ snapshot: { id: string; checkin: { status: string } }[] }>(
        `${baseUrl('A')}/api/events/${eventId}/changes`,
        { token },
      );
      expect(snapshot.snapshot.find((p) => p.id === guest.id)?.checkin.status).toBe('checked_in');
      expect(snapshot.snapshot.filter((p) => p.checkin.status === 'checked_in')).toHaveLength(1);
      await context.close();
    } finally {
      await cameraBrowser.close();
      rmSync(videoDir, { recursive: true, force: true });
    }
  });

  it('5. two tabs on one device share one outbox and never send a mutation twice', async () => {
    const { organizer, token, eventId, people } = await eventWithParticipants(20);
    const context = await deviceContext(organizer, 'A');
    const tab1 = await context.newPage();
    const tab2 = await context.newPage();
    await openCheckin(tab1, eventId);
    await openCheckin(tab2, eventId);
    await waitLive(tab1);
    await waitLive(tab2);
    // Every /sync request of both tabs with its lifetime: two requests in flight at the same time must
    // never carry the same mutation (a retry after a failed request may, one after the other).
    const requests: { ids: string[]; start: number; end: number }[] = [];
    for (const tab of [tab1, tab2]) {
      tab.on('request', (request) => {
        if (!request.url().includes('/sync')) return;
        const body = request.postDataJSON() as { mutations: { id: string }[] };
        const entry = {
          ids: body.mutations.map((m) => m.id),
          start: Date.now(),
          end: Number.POSITIVE_INFINITY,
        };
        requests.push(entry);
        const done = () => {
          entry.end = Date.now();
        };
        void request.response().then(done, done);
      });
    }
    await context.setOffline(true);
    await expect.poll(() => tab2.getByTestId('sync-banner').getAttribute('data-state')).toBe('offline');
    const checkIn = (tab: Page, ids: string[]) =>
      tab.evaluate((list) => {
        const s = (globalThis as unknown as SessionWindow).__checkinSession;
        for (const id of list) s?.checkIn(id);
      }, ids);
    await checkIn(
      tab1,
      people.slice(0, 10).map((p) => p.id),
    );
    await checkIn(
      tab2,
      people.slice(10, 20).map((p) => p.id),
    );
    // Each tab sees the other's taps at once (BroadcastChannel) and the shared queue of 20.
    await expect.poll(async () => (await pageState(tab1)).pending).toBe(20);
    await expect.poll(async () => (await pageState(tab2)).checkedIn).toBe(20);

    await context.setOffline(false);
    await expect.poll(async () => (await pageState(tab1)).pending, { timeout: 30_000 }).toBe(0);
    await expect.poll(async () => (await pageState(tab2)).pending, { timeout: 30_000 }).toBe(0);
    const sent = requests.flatMap((r) => r.ids);
    expect(new Set(sent).size).toBe(20);
    for (const [i, a] of requests.entries()) {
      for (const b of requests.slice(i + 1)) {
        const overlap = a.start < b.end && b.start < a.end;
        if (overlap) expect(a.ids.filter((id) => b.ids.includes(id))).toEqual([]);
      }
    }
    const logs = await call<{ items: { participant_id: string }[] }>(
      `${baseUrl('A')}/api/events/${eventId}/checkin-logs?limit=100`,
      { token },
    );
    expect(logs.items).toHaveLength(20);
    await context.close();
  });

  it('4. the server is killed and restarted during a sync: no check-in lost or doubled', async () => {
    const { organizer, token, eventId, people } = await eventWithParticipants(30);
    const contextA = await deviceContext(organizer, 'A');
    const a = await contextA.newPage();
    await openCheckin(a, eventId);
    await waitLive(a);
    await contextA.setOffline(true);
    await expect.poll(() => a.getByTestId('sync-banner').getAttribute('data-state')).toBe('offline');
    await a.evaluate(
      (ids) => {
        const s = (globalThis as unknown as SessionWindow).__checkinSession;
        for (const id of ids) s?.checkIn(id);
      },
      people.map((p) => p.id),
    );
    await expect.poll(async () => (await pageState(a)).pending).toBe(30);

    // Kill the instance the moment the batch leaves the browser: it may or may not have committed.
    let killed: Promise<void> | null = null;
    a.on('request', (request) => {
      if (!killed && request.url().includes('/sync')) killed = servers[0]?.kill() ?? null;
    });
    await contextA.setOffline(false);
    await expect.poll(() => killed !== null, { timeout: 15_000 }).toBe(true);
    await killed;
    await expect
      .poll(async () => (await pageState(a)).pending, { timeout: 3_000 })
      .toBeGreaterThan(0)
      .catch(() => {});
    servers[0] = await startInstance(0);

    await expect.poll(async () => (await pageState(a)).pending, { timeout: 90_000 }).toBe(0);
    const logs = await call<{ items: { id: string; participant_id: string; action: string }[] }>(
      `${baseUrl('A')}/api/events/${eventId}/checkin-logs?limit=500`,
      { token },
    );
    expect(logs.items).toHaveLength(30);
    expect(new Set(logs.items.map((l) => l.participant_id)).size).toBe(30);
    const snapshot = await call<{ snapshot: { checkin: { status: string } }[] }>(
      `${baseUrl('A')}/api/events/${eventId}/changes`,
      { token },
    );
    expect(snapshot.snapshot.filter((p) => p.checkin.status === 'checked_in')).toHaveLength(30);
    await expect.poll(async () => (await pageState(a)).checkedIn).toBe(30);
    await contextA.close();
  });
});
