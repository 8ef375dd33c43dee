import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import koDesk from '../../apps/web/src/i18n/locales/ko/desk.json' with { type: 'json' };
import koParticipants from '../../apps/web/src/i18n/locales/ko/participants.json' with { type: 'json' };
import { launchBrowser, PHONE, type RunningServer, repoRoot, startServer } from './harness.ts';
import { seriousViolations } from './support/axe.ts';

/**
 * The organizer's desk in real Chromium: on a laptop the participants page is a full-width sortable
 * table with search by spaced names and phone digits, chosen answer columns, bulk approval, the
 * participant panel (history, logged phone reveal, notes and tags) and a message to everyone; on a
 * phone it stays a list whose rows open the same panel.
 */
const PORT = 4470;
const SHOTS = path.join(repoRoot, 'docs/screenshots');

async function shoot(page: Page, name: string): Promise<void> {
  await page.evaluate('document.fonts.ready');
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

interface Session {
  access_token: string;
  refresh_token: string;
  user: { id: string };
}

async function call<T>(
  url: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? (init.body ? 'POST' : 'GET'),
    headers: {
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function signedInContext(
  session: Session,
  options: Parameters<Browser['newContext']>[0],
): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'ko-KR', timezoneId: 'Asia/Seoul', ...options });
  contexts.push(context);
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

const people = [
  { name: '홍길동', phone: '010-2345-5678', company: '네이버' },
  { name: '김사라', phone: '010-9999-1111', company: '카카오' },
  { name: '이민수', phone: null, company: '라인' },
  { name: '박지성', phone: '02-555-7777', company: '토스' },
];

let session: Session;
let eventPath = '';

beforeAll(async () => {
  server = await startServer({ port: PORT });
  browser = await launchBrowser();
  const api = server.baseUrl;
  session = await call<Session>(`${api}/api/auth/signup`, {
    body: {
      email: `desk-e2e-${Date.now()}@example.com`,
      password: 'correct-horse-battery',
      accept_terms: true,
      name: '김주최',
    },
  });
  const token = session.access_token;
  const event = await call<{ id: string; share_url: string }>(`${api}/api/events`, {
    token,
    body: {
      name: '데스크 E2E 밋업',
      location: { type: 'physical', address: '서울 성수동' },
      datetime: { start: new Date(Date.now() + 86_400_000).toISOString(), timezone: 'Asia/Seoul' },
      capacity: { max_participants: 100, waitlist_enabled: true },
      registration: {
        requires_approval: true,
        form_fields: [{ id: 'company', type: 'text', label: '회사', required: true }],
      },
    },
  });
  await call(`${api}/api/events/${event.id}`, { method: 'PATCH', token, body: { status: 'published' } });
  const code = event.share_url.split('/').pop();
  for (const [i, p] of people.entries()) {
    await call(`${api}/api/public/events/${code}/registrations`, {
      body: {
        identity: {
          name: p.name,
          email: `desk${i}-${Date.now()}@example.com`,
          ...(p.phone ? { phone: p.phone } : {}),
        },
        custom_responses: { company: p.company },
        consents: { privacy: true },
      },
    });
  }
  eventPath = `/events/${event.id}/participants`;
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

const rowNames = (page: Page) =>
  page
    .getByTestId('participant-row')
    .evaluateAll((rows) => rows.map((r) => r.querySelector('strong')?.textContent));

describe('the desk on a laptop', () => {
  let page: Page;
  const afterChecks: (() => void)[] = [];
  afterAll(() => {
    for (const check of afterChecks) check();
  });

  it('shows a full-width sortable table, found by spaced names and phone digits', async () => {
    const context = await signedInContext(session, { viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    afterChecks.push(() => expect(errors, 'uncaught page errors').toEqual([]));
    await page.goto(`${server.baseUrl}${eventPath}`);
    const table = page.getByTestId('participant-table');
    await table.waitFor();
    await expect.poll(() => page.getByTestId('participant-row').count()).toBe(4);
    // The page uses the laptop's width, not a phone column.
    expect((await table.boundingBox())!.width).toBeGreaterThan(1000);
    // Masked phone in its own column.
    await page.getByRole('cell', { name: '010-****-5678' }).waitFor();

    await page.getByRole('button', { name: koDesk.col.name, exact: true }).click();
    await expect.poll(() => rowNames(page)).toEqual(['김사라', '박지성', '이민수', '홍길동']);
    await page.getByRole('button', { name: koDesk.col.name, exact: true }).click();
    await expect.poll(() => rowNames(page)).toEqual(['홍길동', '이민수', '박지성', '김사라']);

    const search = page.getByLabel(koParticipants.search, { exact: true });
    await search.fill('홍 길동');
    await expect.poll(() => rowNames(page)).toEqual(['홍길동']);
    // Digits behind the mask: matched by the server over the real numbers.
    await search.fill('010-2345');
    await expect.poll(() => rowNames(page)).toEqual(['홍길동']);
    await search.fill('7777');
    await expect.poll(() => rowNames(page)).toEqual(['박지성']);
    await search.fill('');
    await expect.poll(() => page.getByTestId('participant-row').count()).toBe(4);

    // An answer column the organizer picks.
    await page.getByText(koDesk.columns.replace('{{count}}', '0')).click();
    await page.getByRole('checkbox', { name: '회사' }).check();
    await page.getByRole('columnheader', { name: '회사' }).waitFor();
    await page.getByRole('cell', { name: '카카오' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, '12-participants-laptop');
  });

  it('approves a selection in bulk', async () => {
    await page.getByRole('checkbox', { name: koDesk.selectAll }).check();
    const bar = page.getByTestId('bulk-bar');
    await bar.getByText(koDesk.bulk.selected_other.replace('{{count}}', '4')).waitFor();
    await bar.getByRole('button', { name: koDesk.action.approve, exact: true }).click();
    await page
      .getByTestId('bulk-result')
      .filter({ hasText: koDesk.bulk.result.replace('{{ok}}', '4').replace('{{failed}}', '0') })
      .waitFor();
    await expect
      .poll(() => page.getByTestId('participant-table').locator('.badge-registered').count())
      .toBe(4);
  });

  it('opens the participant panel: history, logged phone reveal, notes and tags', async () => {
    await page.getByRole('button', { name: koDesk.openName.replace('{{name}}', '홍길동') }).click();
    const panel = page.getByTestId('participant-panel');
    await panel.waitFor();
    const history = panel.getByTestId('status-history').locator('li');
    await expect.poll(() => history.count()).toBe(2);
    expect(await history.nth(1).textContent()).toContain(koDesk.reason.approved);
    await panel.getByText('네이버').waitFor();
    expect(await panel.getByTestId('panel-phone').textContent()).toBe('010-****-5678');
    await panel.getByRole('button', { name: koDesk.revealPhone }).click();
    await expect.poll(() => panel.getByTestId('panel-phone').textContent()).toBe('010-2345-5678');
    await panel.getByTestId('email-history').waitFor();

    await panel.getByLabel(koDesk.note).fill('휠체어 좌석');
    await panel.getByLabel(koDesk.tags).fill('VIP, 연사');
    await panel.getByRole('button', { name: koDesk.saveNotes }).click();
    await panel.getByText(koDesk.saved).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, '13-participant-panel');
    await panel.getByRole('button', { name: '닫기' }).click();
    await panel.waitFor({ state: 'detached' });

    // The tag is a filter now.
    await page.getByLabel(koDesk.filterTag, { exact: true }).selectOption('VIP');
    await expect.poll(() => rowNames(page)).toEqual(['홍길동']);
    await page.getByLabel(koDesk.filterTag, { exact: true }).selectOption('');
  });

  it('sends a message to everyone through the e-mail queue', async () => {
    await page.getByRole('button', { name: koDesk.message.open }).click();
    const dialog = page.locator('dialog[open]');
    await dialog
      .getByTestId('message-recipients')
      .filter({ hasText: koDesk.message.recipients_other.replace('{{n}}', '4') })
      .waitFor();
    await dialog.getByLabel(koDesk.message.subject).fill('주차 안내');
    await dialog.getByLabel(koDesk.message.body).fill('지하 2층에 주차할 수 있어요.\n\n입구는 정문입니다.');
    await dialog.getByRole('button', { name: koDesk.message.preview }).click();
    await dialog.getByTestId('message-preview').getByText('입구는 정문입니다.').waitFor();
    await dialog.getByRole('button', { name: koDesk.message.sendTo_other.replace('{{n}}', '4') }).click();
    await dialog.getByTestId('message-sent').filter({ hasText: '4' }).waitFor();
  });
});

describe('the desk on a phone', () => {
  it('stays a list whose rows open the participant panel', async () => {
    const context = await signedInContext(session, { ...PHONE, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}${eventPath}`);
    await page.getByTestId('participant-row').first().waitFor();
    await expect.poll(() => page.getByTestId('participant-row').count()).toBe(4);
    expect(await page.getByTestId('participant-table').count()).toBe(0);
    const search = page.getByLabel(koParticipants.search, { exact: true });
    await search.fill('5678');
    await expect.poll(() => page.getByTestId('participant-row').count()).toBe(1);
    await page.getByRole('button', { name: koDesk.openName.replace('{{name}}', '홍길동') }).click();
    const panel = page.getByTestId('participant-panel');
    await panel.waitFor();
    const box = (await panel.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(390);
    await panel.getByTestId('status-history').waitFor();
  });

  it('the check-in desk finds people by spaced names and by phone digits behind the mask', async () => {
    const context = await signedInContext(session, { ...PHONE, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}${eventPath.replace(/participants$/, 'checkin')}`);
    const rows = page.getByTestId('participant-row');
    await rows.first().waitFor();
    // First use of this device: take the suggested device name (the question is a modal).
    const deviceName = page.getByTestId('device-name-save');
    await deviceName.waitFor({ timeout: 10_000 });
    await deviceName.click();
    await deviceName.waitFor({ state: 'detached' });
    const names = () => rows.evaluateAll((list) => list.map((r) => r.querySelector('span')?.textContent));
    const search = page.getByTestId('checkin-search');
    await search.fill('김 사라');
    await expect.poll(names).toEqual(['김사라']);
    await search.fill('7777');
    await expect.poll(names).toEqual(['박지성']);
    // The device holds masked phones: these middle digits are matched by the server.
    await search.fill('010-2345');
    await expect.poll(names, { timeout: 10_000 }).toEqual(['홍길동']);
  });
});
