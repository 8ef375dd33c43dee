import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningServer, startServer } from './harness.ts';

/**
 * The Content-Security-Policy the server sends is one the web app really passes: every screen is
 * opened in Chromium and any `securitypolicyviolation` event, or console report of a refused
 * resource, fails the test. The check-in screen also opens the camera scanner, whose decoder runs in
 * a Worker made from a blob: URL.
 */
const PORT = 4430;

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

/** Violations seen by a page: DOM events (from an init script) and console reports. */
async function watchedContext(session?: Session): Promise<{ context: BrowserContext; console: string[] }> {
  const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 800 } });
  const stored = session
    ? JSON.stringify({
        accessToken: session.access_token,
        refreshToken: session.refresh_token,
        userId: session.user.id,
      })
    : '';
  // Runs in the page before its own scripts (a string: this package has no DOM types).
  await context.addInitScript(`
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(
        event.effectiveDirective + ' blocked ' + (event.blockedURI || '(inline)') + ' at ' + event.sourceFile,
      );
    });
    if (${JSON.stringify(stored)}) localStorage.setItem('em.session', ${JSON.stringify(stored)});
  `);
  const console: string[] = [];
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) console.push(message.text());
  });
  return { context, console };
}

async function visit(page: Page, url: string): Promise<string[]> {
  const response = await page.goto(`${server.baseUrl}${url}`);
  expect(response?.headers()['content-security-policy'], url).toContain("frame-ancestors 'none'");
  // A locator, not waitForFunction: a string predicate is evaluated with eval, which the policy
  // under test forbids.
  const rendered = await page
    .locator('#root > *')
    .first()
    .waitFor({ timeout: 20_000 })
    .then(() => true)
    .catch(() => false);
  if (rendered) await page.waitForLoadState('networkidle');
  const violations = await page.evaluate<string[]>('window.__cspViolations');
  // A screen that never rendered fails with what the policy blocked, the likeliest reason.
  expect({ url, rendered, violations }).toEqual({ url, rendered: true, violations });
  return violations;
}

beforeAll(async () => {
  // With the request limits on, as in production: the screens must work within them too.
  server = await startServer({ port: PORT, env: { RATE_LIMITS: 'on' } });
  browser = await launchBrowser({
    args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('content security policy', () => {
  it('is passed by every screen of the web app', async () => {
    const organizer = await call<Session>('/api/auth/signup', {
      body: {
        email: `csp-${Date.now()}@example.com`,
        password: 'correct-horse-battery',
        accept_terms: true,
        name: '주최자',
      },
    });
    const token = organizer.access_token;
    const start = new Date(Date.now() + 24 * 3600_000);
    const event = await call<{ id: string; share_url: string }>('/api/events', {
      token,
      body: {
        name: 'CSP 밋업',
        location: { type: 'physical', address: '서울 성수동' },
        datetime: { start: start.toISOString(), timezone: 'Asia/Seoul' },
        features: { checkin_enabled: true, prize_drawing_enabled: true, anonymous_mode: false },
      },
    });
    await call(`/api/events/${event.id}`, { method: 'PATCH', token, body: { status: 'published' } });
    const code = event.share_url.split('/').pop();
    const registered = await call<{ manage_url: string }>(`/api/public/events/${code}/registrations`, {
      body: {
        identity: { name: '김민준', email: `guest-${Date.now()}@example.com` },
        custom_responses: {},
        consents: { privacy: true },
      },
    });
    const drawing = await call<{ id: string }>(`/api/events/${event.id}/drawings`, {
      token,
      body: { config: { participant_pool: 'all' } },
    });
    const managePath = new URL(registered.manage_url).pathname;

    const found: Record<string, string[]> = {};
    const guest = await watchedContext();
    const guestPage = await guest.context.newPage();
    for (const url of [`/e/${code}`, managePath, `/drawings/${drawing.id}/verify`, '/login', '/signup']) {
      found[url] = await visit(guestPage, url);
    }

    const staff = await watchedContext(organizer);
    const page = await staff.context.newPage();
    for (const url of [
      '/',
      '/events/new',
      `/events/${event.id}`,
      `/events/${event.id}/edit`,
      `/events/${event.id}/participants`,
      `/events/${event.id}/drawings`,
      `/events/${event.id}/drawings/projector?pool=all`,
      '/settings',
      `/events/${event.id}/checkin`,
    ]) {
      found[url] = await visit(page, url);
    }
    // First use of this device: take the suggested device name (the question is a modal).
    const deviceName = page.getByTestId('device-name-save');
    await deviceName.waitFor({ timeout: 10_000 });
    await deviceName.click();
    await deviceName.waitFor({ state: 'detached' });
    // The scanner: its decoder Worker comes from a blob: URL the policy must allow.
    await Promise.all([
      page.waitForEvent('worker', { timeout: 30_000 }),
      page.getByTestId('scan-button').click(),
    ]);
    found.scanner = await page.evaluate<string[]>('window.__cspViolations');

    const violations = Object.entries(found).filter(([, list]) => list.length > 0);
    expect(violations).toEqual([]);
    expect([...guest.console, ...staff.console]).toEqual([]);
    await guest.context.close();
    await staff.context.close();
  });
});
