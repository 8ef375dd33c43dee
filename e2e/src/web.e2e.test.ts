import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import enDashboard from '../../apps/web/src/i18n/locales/en/dashboard.json' with { type: 'json' };
import koAuth from '../../apps/web/src/i18n/locales/ko/auth.json' with { type: 'json' };
import koDashboard from '../../apps/web/src/i18n/locales/ko/dashboard.json' with { type: 'json' };
import koEvents from '../../apps/web/src/i18n/locales/ko/events.json' with { type: 'json' };
import koParticipants from '../../apps/web/src/i18n/locales/ko/participants.json' with { type: 'json' };
import koPublic from '../../apps/web/src/i18n/locales/ko/public.json' with { type: 'json' };
import { launchBrowser, PHONE, type RunningServer, repoRoot, startServer } from './harness.ts';
import { seriousViolations } from './support/axe.ts';

/**
 * The organizer and participant journeys in real Chromium against the real server serving the built
 * web app (run `npm run build:web` first). Every main screen is checked with axe and photographed
 * at phone size into docs/screenshots/.
 */
const PORT = 4410;
const SHOTS = path.join(repoRoot, 'docs/screenshots');

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function phoneContext(): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    ...PHONE,
    deviceScaleFactor: 1,
    locale: 'ko-KR',
    timezoneId: 'Asia/Seoul',
  });
  contexts.push(ctx);
  return ctx;
}

/** A label exactly this text, with or without the required-field asterisk. */
function exactLabel(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);
}

async function shoot(page: Page, name: string): Promise<void> {
  // Let fonts and lazy chunks settle so screenshots show the real thing.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.evaluate('document.fonts.ready');
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

async function expectAccessible(page: Page, screen: string): Promise<void> {
  const found = await seriousViolations(page);
  expect(found, `axe on ${screen}`).toEqual([]);
}

beforeAll(async () => {
  server = await startServer({ port: PORT });
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('web app', () => {
  const email = `org-${Date.now()}@example.com`;
  const password = 'correct horse battery';
  let organizer: Page;
  let eventPath = '';

  it('signs up, creates an event with two custom fields and publishes it', async () => {
    const ctx = await phoneContext();
    organizer = await ctx.newPage();
    await organizer.goto(`${server.baseUrl}/signup`);
    await organizer.getByRole('heading', { name: koAuth.signup.title }).waitFor();
    await expectAccessible(organizer, 'signup');
    await shoot(organizer, '01-signup');

    await organizer.getByLabel(exactLabel(koAuth.field.name)).fill('김주최');
    await organizer.getByLabel(exactLabel(koAuth.field.email)).fill(email);
    await organizer.getByLabel(exactLabel(koAuth.field.password)).fill(password);
    await organizer.getByTestId('accept-terms').check();
    await organizer.getByRole('button', { name: koAuth.signup.submit }).click();

    await organizer.getByRole('heading', { name: koDashboard.empty.title }).waitFor();
    await expectAccessible(organizer, 'dashboard (empty)');
    await shoot(organizer, '02-dashboard-empty');

    await organizer.getByRole('link', { name: koDashboard.empty.action }).click();
    await organizer.getByRole('heading', { name: koEvents.editor.newTitle }).waitFor();

    // Submitting empty shows client-side errors from the shared schema.
    await organizer.getByRole('button', { name: koEvents.editor.create }).click();
    await organizer.getByText(koEvents.editor.name).first().waitFor();
    expect(await organizer.locator('[aria-invalid="true"]').count()).toBeGreaterThan(0);

    await organizer.getByLabel(exactLabel(koEvents.editor.name)).fill('판교 개발자 밋업');
    // Errors follow the input once shown: the fixed field is valid again without resubmitting.
    await expect
      .poll(() => organizer.getByLabel(exactLabel(koEvents.editor.name)).getAttribute('aria-invalid'))
      .toBe('false');
    await organizer
      .getByLabel(exactLabel(koEvents.editor.description))
      .fill('매달 열리는 개발자 모임이에요.\n피자와 음료가 준비돼요.');
    await organizer.getByLabel(exactLabel(koEvents.editor.start)).fill('2030-03-20T19:00');
    await organizer.getByLabel(exactLabel(koEvents.editor.end)).fill('2030-03-20T21:00');
    await organizer.getByLabel(exactLabel(koEvents.editor.address)).fill('경기도 성남시 분당구 판교역로 166');
    await organizer.getByLabel(exactLabel(koEvents.editor.capacity)).fill('50');

    await organizer.getByRole('button', { name: koEvents.builder.add }).click();
    await organizer.getByRole('button', { name: koEvents.builder.add }).click();
    const questions = organizer.getByTestId('builder-field');
    await questions.nth(0).getByLabel(exactLabel(koEvents.builder.label)).fill('소속 회사');
    await questions.nth(0).getByLabel(exactLabel(koEvents.builder.required)).check();
    await questions.nth(1).getByLabel(exactLabel(koEvents.builder.label)).fill('관심 분야');
    await questions.nth(1).getByLabel(exactLabel(koEvents.builder.type)).selectOption('single_choice');
    await questions
      .nth(1)
      .getByLabel(exactLabel(koEvents.builder.optionN.replace('{{n}}', '1')))
      .fill('프론트엔드');
    await questions.nth(1).getByRole('button', { name: koEvents.builder.addOption }).click();
    await questions
      .nth(1)
      .getByLabel(exactLabel(koEvents.builder.optionN.replace('{{n}}', '2')))
      .fill('백엔드');
    await organizer.getByRole('button', { name: koEvents.editor.showPreview }).click();
    await expectAccessible(organizer, 'event editor');
    await shoot(organizer, '03-event-editor');

    await organizer.getByRole('button', { name: koEvents.editor.create }).click();
    await organizer.getByTestId('event-status').waitFor();
    eventPath = new URL(organizer.url()).pathname;
    expect(eventPath).toMatch(/^\/events\/[0-9a-f-]{36}$/);
    expect(await organizer.getByTestId('event-status').textContent()).toBe(koEvents.status.draft);

    await organizer.getByRole('button', { name: koEvents.detail.to.published }).click();
    await organizer
      .locator('dialog[open]')
      .getByRole('button', { name: koEvents.detail.to.published })
      .click();
    await organizer.getByTestId('event-status').filter({ hasText: koEvents.status.published }).waitFor();
    await organizer.getByRole('heading', { name: koEvents.detail.calendar }).waitFor();
    await expectAccessible(organizer, 'event detail');
    await shoot(organizer, '04-event-detail');
  });

  let shareUrl = '';

  it('a participant registers through the share link in another browser context', async () => {
    shareUrl = await organizer.getByTestId('share-url').inputValue();
    expect(shareUrl).toMatch(/\/e\/[\w-]+$/);

    const ctx = await phoneContext();
    const guest = await ctx.newPage();
    await guest.goto(shareUrl);
    await guest.getByRole('heading', { name: '판교 개발자 밋업' }).waitFor();
    await expectAccessible(guest, 'registration');
    await shoot(guest, '05-registration');

    // Required consent missing → a clear error, nothing sent.
    await guest.getByLabel(exactLabel(koPublic.form.name)).fill('홍길동');
    await guest.getByLabel(exactLabel(koPublic.form.email)).fill('hong@example.com');
    await guest.getByLabel(exactLabel(koPublic.form.phone)).fill('010-1234-5678');
    await guest.getByTestId('register-submit').click();
    await guest.getByText(koPublic.consent.requiredError).waitFor();
    await guest
      .getByText(/필수 항목이에요/)
      .first()
      .waitFor();

    await guest.getByLabel(exactLabel('소속 회사')).fill('판교전자');
    await guest.getByLabel(exactLabel('백엔드')).check();
    await guest.getByTestId('consent-all').check();
    expect(await guest.getByTestId('consent-privacy').isChecked()).toBe(true);
    expect(await guest.getByTestId('consent-age14').isChecked()).toBe(true);
    expect(await guest.getByTestId('consent-marketing').isChecked()).toBe(true);
    // Optional marketing can be refused on its own.
    await guest.getByTestId('consent-marketing').uncheck();
    await guest.getByTestId('register-submit').click();

    await guest.getByTestId('done-title').waitFor();
    expect(await guest.getByTestId('done-title').textContent()).toBe(koPublic.done.title.registered);
    // The organizer's open event page follows /realtime: the counter moves without a reload, well
    // before the 5 s polling fallback (which is off while the socket is open).
    await organizer.locator('section[data-live="true"]').waitFor({ timeout: 10_000 });
    await organizer
      .getByTestId('count-registered')
      .filter({ hasText: /^1(?!\d)/ })
      .waitFor({ timeout: 4_000 });
    expect(await guest.getByTestId('registration-number').textContent()).toBe('#001');
    const qr = guest.getByAltText(koPublic.done.qrAlt);
    await qr.waitFor();
    await guest.waitForFunction(
      `(() => { const img = document.querySelector('img[src*="/qr.svg"]'); return Boolean(img && img.complete && img.naturalWidth > 0); })()`,
    );
    await expectAccessible(guest, 'registration done');
    await shoot(guest, '06-registration-done');

    await guest.getByTestId('manage-link').click();
    await guest.getByTestId('manage-status').waitFor();
    expect(await guest.getByTestId('manage-status').textContent()).toBe(koPublic.manage.status.registered);
    await expectAccessible(guest, 'self-service');
    await shoot(guest, '07-manage');

    // Edit through the self-service page.
    await guest.getByTestId('manage-edit').click();
    await guest.getByLabel(exactLabel('소속 회사')).fill('판교전자 연구소');
    await guest.getByRole('button', { name: '저장' }).click();
    await guest.getByText(koPublic.manage.saved).waitFor();
    await guest.getByText('판교전자 연구소').waitFor();
  });

  it('the participant appears in the organizer list and the CSV export', async () => {
    await organizer.goto(`${server.baseUrl}${eventPath}/participants`);
    const row = organizer.getByTestId('participant-row').filter({ hasText: '홍길동' });
    await row.waitFor();
    expect(await row.textContent()).toContain('#001');

    // 초성 search finds him; a non-matching query hides him.
    const search = organizer.getByLabel(exactLabel(koParticipants.search));
    await search.fill('ㅎㄱㄷ');
    await row.waitFor();
    await search.fill('ㅋㅋㅋ');
    await organizer.getByText(koParticipants.noMatch).waitFor();
    await search.fill('');
    await row.waitFor();
    await expectAccessible(organizer, 'participants');
    await shoot(organizer, '08-participants');

    const [download] = await Promise.all([
      organizer.waitForEvent('download'),
      organizer.getByRole('button', { name: koParticipants.exportCsv }).click(),
    ]);
    const file = await download.path();
    const csv = readFileSync(file, 'utf8');
    expect(csv.charCodeAt(0), 'UTF-8 BOM for Excel').toBe(0xfeff);
    expect(csv).toContain('홍길동');
    expect(csv).toContain('hong@example.com');
    expect(csv).toContain('판교전자 연구소');
    expect(csv).toContain('백엔드');
    expect(csv).toContain('소속 회사');
  });

  it('imports a CSV with a progress bar and a result for every row', async () => {
    await organizer.getByRole('button', { name: koParticipants.import.open }).click();
    const dialog = organizer.locator('dialog[open]');
    await dialog.getByRole('heading', { name: koParticipants.import.title }).waitFor();
    const csv = [
      'name,email,phone,소속 회사',
      '이순신,yi@example.com,010-2222-3333,한산상사',
      '홍길동,hong@example.com,,판교전자',
      '엉터리,not-an-email,,없음',
    ].join('\n');
    await dialog.getByLabel(exactLabel(koParticipants.import.file)).setInputFiles({
      name: 'people.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`\uFEFF${csv}`, 'utf8'),
    });
    const summary = dialog.getByText(/추가 1 · 중복 1 · 오류 1/);
    await summary.waitFor();
    expect(await dialog.locator('progress').getAttribute('value')).toBe('3');
    const table = await dialog.locator('table').textContent();
    expect(table).toContain(koParticipants.import.outcomes.duplicate);
    expect(table).toContain(koParticipants.import.outcomes.invalid);
    await expectAccessible(organizer, 'CSV import');
    await dialog.getByRole('button', { name: '닫기' }).click();
    await organizer.getByTestId('participant-row').filter({ hasText: '이순신' }).waitFor();
  });

  it('dashboard shows the event card with counts', async () => {
    await organizer.goto(`${server.baseUrl}/`);
    const card = organizer.getByTestId('event-card');
    await card.waitFor();
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('판교 개발자 밋업');
    expect(text).toMatch(/신청\s*2\s*\/\s*50/);
    expect(text).toMatch(/3월 20일 \(수\) 오후 7:00/);
    await expectAccessible(organizer, 'dashboard');
    await shoot(organizer, '09-dashboard');
  });

  it('settings page is accessible', async () => {
    await organizer.goto(`${server.baseUrl}/settings`);
    await organizer.getByRole('heading', { name: '설정', exact: true }).waitFor();
    await expectAccessible(organizer, 'settings');
    await shoot(organizer, '10-settings');
  });

  it('switches language and keeps the choice after a reload', async () => {
    await organizer.goto(`${server.baseUrl}/`);
    await organizer.getByRole('heading', { name: koDashboard.title }).waitFor();
    await organizer.getByTestId('language-toggle').click();
    await organizer.getByRole('heading', { name: enDashboard.title }).waitFor();
    expect(await organizer.evaluate('document.documentElement.lang')).toBe('en');
    await organizer.reload();
    await organizer.getByRole('heading', { name: enDashboard.title }).waitFor();
    await shoot(organizer, '11-dashboard-en');
    // Back to Korean for whoever comes next.
    await organizer.getByTestId('language-toggle').click();
    await organizer.getByRole('heading', { name: koDashboard.title }).waitFor();
  });

  it('the login page is accessible', async () => {
    const ctx = await phoneContext();
    const page = await ctx.newPage();
    await page.goto(`${server.baseUrl}/login`);
    // A browser that never signed in here is greeted as a newcomer, not "welcome back".
    await page.getByRole('heading', { name: koAuth.login.titleNew }).waitFor();
    await expectAccessible(page, 'login');
    await page.getByLabel(exactLabel(koAuth.field.email)).fill(email);
    await page.getByLabel(exactLabel(koAuth.field.password)).fill('wrong password');
    await page.getByRole('button', { name: koAuth.login.submit }).click();
    await page.getByText(koAuth.login.wrong).waitFor();
    await page.getByLabel(exactLabel(koAuth.field.password)).fill(password);
    await page.getByRole('button', { name: koAuth.login.submit }).click();
    await page.getByRole('heading', { name: koDashboard.title }).waitFor();
    // Signed out again, the same browser is now greeted as returning.
    await page.evaluate("localStorage.removeItem('em.session')");
    await page.goto(`${server.baseUrl}/login`);
    await page.getByRole('heading', { name: koAuth.login.title }).waitFor();
  });

  it('reloads the app shell offline after one visit', async () => {
    const ctx = await phoneContext();
    const page = await ctx.newPage();
    await page.goto(shareUrl);
    await page.getByRole('heading', { name: '판교 개발자 밋업' }).waitFor();
    // Wait until the service worker is active and has precached the shell.
    await page.evaluate('navigator.serviceWorker.ready');
    await page.waitForFunction(`caches.keys().then((keys) => keys.some((k) => k.includes('precache')))`);
    await ctx.setOffline(true);
    await page.goto(`${server.baseUrl}/login`);
    await page.getByRole('heading', { name: koAuth.login.titleNew }).waitFor();
    expect(await page.locator('#root').innerHTML()).not.toBe('');
    await ctx.setOffline(false);
  });
});
