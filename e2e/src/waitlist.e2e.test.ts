import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import koEvents from '../../apps/web/src/i18n/locales/ko/events.json' with { type: 'json' };
import koIdentity from '../../apps/web/src/i18n/locales/ko/identity.json' with { type: 'json' };
import koPublic from '../../apps/web/src/i18n/locales/ko/public.json' with { type: 'json' };
import koSeats from '../../apps/web/src/i18n/locales/ko/seats.json' with { type: 'json' };
import { launchBrowser, PHONE, type RunningServer, startServer } from './harness.ts';

/**
 * Seats and the waitlist as a participant sees them on a phone: availability on the public page,
 * the waitlist position after registering and on the manage page, the waitlist moving when the
 * organizer raises capacity, the built-in phone field in the editor and on the form, and the first
 * error brought into view on submit.
 */
const PORT = 4470;
/** A 1×1 PNG: the server still makes a 1200×630 cover of it. */
const ONE_PIXEL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

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

async function phone(session?: Session): Promise<Page> {
  const ctx = await browser.newContext({
    ...PHONE,
    deviceScaleFactor: 1,
    locale: 'ko-KR',
    timezoneId: 'Asia/Seoul',
  });
  contexts.push(ctx);
  if (session) {
    const stored = JSON.stringify({
      accessToken: session.access_token,
      refreshToken: session.refresh_token,
      userId: session.user.id,
    });
    await ctx.addInitScript((value) => {
      if (!localStorage.getItem('em.session')) localStorage.setItem('em.session', value);
    }, stored);
  }
  return ctx.newPage();
}

/** A label exactly this text, with or without the required-field asterisk. */
function exactLabel(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);
}

let organizer: Session;

async function isFocused(page: Page, input: Locator): Promise<boolean> {
  const id = await input.getAttribute('id');
  return id !== null && (await page.evaluate('document.activeElement && document.activeElement.id')) === id;
}

/**
 * Opens an app path by navigating inside the app (loaded from `entry` first). A manage token holds
 * a dot, which the server's page fallback is not asked to handle here; this test is about what the
 * page shows.
 */
async function openInApp(page: Page, entry: string, path: string): Promise<void> {
  await page.goto(`${server.baseUrl}${entry}`);
  await page.getByTestId('register-submit').or(page.getByTestId('registration-closed')).first().waitFor();
  await page.evaluate(
    `window.history.pushState({}, '', ${JSON.stringify(path)}); window.dispatchEvent(new PopStateEvent('popstate'))`,
  );
}

async function publishedEvent(capacity: { max_participants: number; waitlist_enabled: boolean }) {
  const event = await call<{ id: string; share_url: string }>('/api/events', {
    token: organizer.access_token,
    body: {
      name: '성수 러닝 크루 모임',
      location: { type: 'physical', address: '서울 성동구 성수이로 113' },
      datetime: { start: new Date(Date.now() + 7 * 86_400_000).toISOString(), timezone: 'Asia/Seoul' },
      capacity,
      registration: {
        deadline: new Date(Date.now() + 6 * 86_400_000).toISOString(),
        requires_approval: false,
        form_fields: [],
      },
      contact: { email: 'host@example.com', phone: '010-2222-3333' },
    },
  });
  await call(`/api/events/${event.id}`, {
    method: 'PATCH',
    token: organizer.access_token,
    body: { status: 'published' },
  });
  return { id: event.id, code: event.share_url.split('/').pop()! };
}

async function fillRegistration(page: Page, name: string, email: string, phoneNumber?: string) {
  await page.getByLabel(exactLabel(koPublic.form.name)).fill(name);
  await page.getByLabel(exactLabel(koPublic.form.email)).fill(email);
  if (phoneNumber) await page.getByLabel(exactLabel(koIdentity.phoneRequired)).fill(phoneNumber);
  await page.getByLabel(koPublic.consent.all).check();
}

beforeAll(async () => {
  server = await startServer({ port: PORT });
  browser = await launchBrowser();
  organizer = await call<Session>('/api/auth/signup', {
    body: {
      email: `waitlist-e2e-${Date.now()}@example.com`,
      password: 'correct-horse-battery',
      accept_terms: true,
      name: '김주최',
    },
  });
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('seats and the waitlist on a phone', () => {
  it('the editor shows name, e-mail and phone as built-in fields and offers no second phone question', async () => {
    const { id, code } = await publishedEvent({ max_participants: 1, waitlist_enabled: true });
    const page = await phone(organizer);
    await page.goto(`${server.baseUrl}/events/${id}/edit`);
    const identity = page.getByTestId('identity-fields');
    await identity.waitFor();
    expect(await identity.getByText(koIdentity.name, { exact: true }).count()).toBe(1);
    expect(await identity.getByText(koIdentity.email, { exact: true }).count()).toBe(1);
    const phoneSetting = identity.getByLabel(exactLabel(koIdentity.phone));
    expect(await phoneSetting.inputValue()).toBe('optional');
    // A new question cannot be a phone field: the phone is the built-in one.
    await page.getByRole('button', { name: koEvents.builder.add }).click();
    const typeSelect = page.getByTestId('builder-field').first().locator('select').first();
    const types = await Promise.all(
      (await typeSelect.locator('option').all()).map((o) => o.getAttribute('value')),
    );
    expect(types).not.toContain('phone');
    expect(types).toContain('text');
    await page
      .getByTestId('builder-field')
      .first()
      .getByLabel(exactLabel(koEvents.builder.label))
      .fill('러닝 경력');
    await phoneSetting.selectOption('required');
    // A cover image: chosen on the phone, resized by the server, previewed at once.
    await page
      .getByTestId('cover-field')
      .locator('input[type="file"]')
      .setInputFiles({
        name: 'cover.png',
        mimeType: 'image/png',
        buffer: Buffer.from(ONE_PIXEL_PNG, 'base64'),
      });
    await page.getByTestId('cover-preview').waitFor();
    await page.getByRole('button', { name: koEvents.editor.save }).click();
    await page.waitForURL(`${server.baseUrl}/events/${id}`);
    const saved = await call<{ registration: { phone: string } }>(`/api/public/events/${code}`);
    expect(saved.registration.phone).toBe('required');

    // The public form follows it: the phone is asked, required, once.
    const visitor = await phone();
    await visitor.goto(`${server.baseUrl}/e/${code}`);
    await visitor.getByTestId('register-submit').waitFor();
    const cover = visitor.getByTestId('event-cover');
    await expect
      .poll(() => cover.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(1200);
    expect(await visitor.locator('input[type="tel"]').count()).toBe(1);
    await fillRegistration(visitor, '이하나', `hana-${Date.now()}@example.com`);
    await visitor.getByLabel('러닝 경력').fill('3년');
    await visitor.getByTestId('register-submit').click();
    // Without the phone the form refuses and brings the phone field to focus.
    const phoneInput = visitor.getByLabel(exactLabel(koIdentity.phoneRequired));
    await expect.poll(() => isFocused(visitor, phoneInput)).toBe(true);
    await phoneInput.fill('010-1234-5678');
    await visitor.getByTestId('register-submit').click();
    await visitor.getByTestId('done-title').waitFor();
  });

  it('shows seats, full with a waitlist, the position, and the waitlist moving when capacity is raised', async () => {
    const { id, code } = await publishedEvent({ max_participants: 1, waitlist_enabled: true });
    const first = await phone();
    await first.goto(`${server.baseUrl}/e/${code}`);
    expect(await first.getByTestId('seats').textContent()).toBe(koSeats.seatsLeft.replace('{{count}}', '1'));
    expect(await first.getByTestId('deadline').count()).toBe(1);
    // Organizer contact and map links from the address.
    expect(await first.getByTestId('organizer-contact').textContent()).toContain('host@example.com');
    const maps = first.getByTestId('map-links').locator('a');
    expect(await Promise.all((await maps.all()).map((a) => a.getAttribute('href')))).toEqual([
      `https://map.kakao.com/link/search/${encodeURIComponent('서울 성동구 성수이로 113')}`,
      `https://map.naver.com/p/search/${encodeURIComponent('서울 성동구 성수이로 113')}`,
    ]);

    // Submitting empty brings the first error (the name) into view, focused.
    await first.evaluate('window.scrollTo(0, document.body.scrollHeight)');
    await first.getByTestId('register-submit').click();
    const nameInput = first.getByLabel(exactLabel(koPublic.form.name));
    await expect.poll(() => isFocused(first, nameInput)).toBe(true);
    const box = await nameInput.boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(844);

    await fillRegistration(first, '박첫째', `first-${Date.now()}@example.com`);
    await first.getByTestId('register-submit').click();
    await first.getByTestId('done-title').waitFor();

    const second = await phone();
    await second.goto(`${server.baseUrl}/e/${code}`);
    expect(await second.getByTestId('seats').textContent()).toBe(koSeats.fullWaitlist);
    expect(await second.getByTestId('register-submit').textContent()).toBe(koSeats.waitlistSubmit);
    await fillRegistration(second, '최둘째', `second-${Date.now()}@example.com`);
    await second.getByTestId('register-submit').click();
    await second.getByTestId('done-title').waitFor();
    expect(await second.getByTestId('done-title').textContent()).toBe(koPublic.done.title.waitlist);
    expect(await second.getByTestId('waitlist-position').textContent()).toBe(
      `${koSeats.position} ${koSeats.positionValue.replace('{{position}}', '1')}`,
    );

    const third = await call<{ manage_url: string; waitlist_position: number }>(
      `/api/public/events/${code}/registrations`,
      {
        body: {
          identity: { name: '정셋째', email: `third-${Date.now()}@example.com` },
          custom_responses: {},
          consents: { privacy: true },
        },
      },
    );
    expect(third.waitlist_position).toBe(2);
    const manage = await phone();
    const managePath = new URL(third.manage_url).pathname;
    await openInApp(manage, `/e/${code}`, managePath);
    expect(await manage.getByTestId('waitlist-position').textContent()).toBe(
      koSeats.positionBody.replace('{{position}}', '2'),
    );

    // The organizer raises capacity: both waiting people get seats at once.
    await call(`/api/events/${id}`, {
      method: 'PATCH',
      token: organizer.access_token,
      body: { capacity: { max_participants: 5 } },
    });
    await openInApp(manage, `/e/${code}`, managePath);
    await manage
      .getByTestId('manage-status')
      .filter({ hasText: koPublic.manage.status.registered })
      .waitFor();
    expect(await manage.getByTestId('waitlist-position').count()).toBe(0);
    await second.goto(`${server.baseUrl}/e/${code}`);
    expect(await second.getByTestId('seats').textContent()).toBe(koSeats.seatsLeft.replace('{{count}}', '2'));
  });

  it('a full event without a waitlist says 마감 and takes no registration', async () => {
    const { code } = await publishedEvent({ max_participants: 1, waitlist_enabled: false });
    await call(`/api/public/events/${code}/registrations`, {
      body: {
        identity: { name: '김자리', email: `seat-${Date.now()}@example.com` },
        custom_responses: {},
        consents: { privacy: true },
      },
    });
    const page = await phone();
    await page.goto(`${server.baseUrl}/e/${code}`);
    await page.getByTestId('registration-closed').waitFor();
    expect(await page.getByTestId('seats').textContent()).toBe(koSeats.full);
    expect(await page.getByTestId('register-submit').count()).toBe(0);
  });
});
