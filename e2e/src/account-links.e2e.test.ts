import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import koAccount from '../../apps/web/src/i18n/locales/ko/account.json' with { type: 'json' };
import koAuth from '../../apps/web/src/i18n/locales/ko/auth.json' with { type: 'json' };
import { launchBrowser, PHONE, type RunningServer, startServer } from './harness.ts';
import { callApi } from './support/api.ts';
import { waitForMailedLink } from './support/mailbox.ts';

/**
 * Every link the platform e-mails to a person (verification, staff invitation, password reset),
 * opened as that person would: from the mail (the server's outbox), in a fresh phone browser with
 * no session and no service worker (a first visit from the mail app).
 */
const PORT = 4630;
let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function freshPhone(): Promise<Page> {
  const context = await browser.newContext({ ...PHONE, locale: 'ko-KR', serviceWorkers: 'block' });
  contexts.push(context);
  return context.newPage();
}

const call = <T>(path: string, init: Parameters<typeof callApi>[1] = {}) =>
  callApi<T>(`${server.baseUrl}${path}`, init);

type Session = { access_token: string; refresh_token: string; user: { id: string; email: string } };
const signup = (email: string, password = 'correct-horse-battery') =>
  call<Session>('/api/auth/signup', { body: { email, password, name: '주최자', accept_terms: true } });

beforeAll(async () => {
  server = await startServer({ port: PORT });
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
});

describe('e-mailed links open in a fresh phone browser', () => {
  it('the verification link confirms the address', async () => {
    const email = `verify-${Date.now()}@example.com`;
    const { access_token } = await signup(email);
    const link = await waitForMailedLink(server.dataDir!, email, '/verify-email');
    expect(link.startsWith(`${server.baseUrl}/verify-email/`)).toBe(true);
    const page = await freshPhone();
    const res = await page.goto(link);
    expect(res?.status()).toBe(200);
    await page.getByTestId('verify-done').waitFor();
    expect(await page.getByTestId('verify-done').textContent()).toBe(koAccount.verify.done);
    const me = await call<{ email_verified: boolean }>('/api/me', { token: access_token });
    expect(me.email_verified).toBe(true);
  });

  it('the invitation link, logged out: sign up with the consent box, confirm the address, accept', async () => {
    const organizer = await signup(`host-${Date.now()}@example.com`);
    const event = await call<{ id: string }>('/api/events', {
      token: organizer.access_token,
      body: {
        name: '봉사자 모임',
        location: { type: 'physical', address: '서울 성수동' },
        datetime: { start: new Date(Date.now() + 86_400_000).toISOString(), timezone: 'Asia/Seoul' },
      },
    });
    const volunteer = `volunteer-${Date.now()}@example.com`;
    await call(`/api/events/${event.id}/staff`, {
      token: organizer.access_token,
      body: { email: volunteer, role: 'staff' },
    });
    const invitation = await waitForMailedLink(server.dataDir!, volunteer, '/invitations');
    const page = await freshPhone();
    await page.goto(invitation);
    await page.getByRole('link', { name: koAccount.invitation.signup }).click();
    await page.getByLabel(koAuth.field.name).fill('자원봉사자');
    await page.getByLabel(koAuth.field.email).fill(volunteer);
    await page.getByLabel(koAuth.field.password).fill('volunteer-secret-1');
    // Without the consent box the form does not go out.
    await page.getByRole('button', { name: koAuth.signup.submit }).click();
    await page.getByText(koAccount.terms.required).waitFor();
    await page.getByTestId('accept-terms').check();
    await page.getByRole('button', { name: koAuth.signup.submit }).click();
    // Back on the invitation; accepting before the address is confirmed is refused.
    await page.waitForURL(`**/invitations/**`);
    await page.getByRole('button', { name: koAccount.invitation.accept }).click();
    await page.getByRole('button', { name: koAccount.verify.resend }).waitFor();
    const verify = await waitForMailedLink(server.dataDir!, volunteer, '/verify-email');
    await page.goto(verify);
    await page.getByTestId('verify-done').waitFor();
    await page.goto(invitation);
    await page.getByRole('button', { name: koAccount.invitation.accept }).click();
    await page.getByTestId('invitation-accepted').waitFor();
    await page.getByRole('link', { name: koAccount.invitation.open }).click();
    await page.waitForURL(`**/events/${event.id}`);
  });

  it('the password-reset link sets a new password and ends every session', async () => {
    const email = `reset-${Date.now()}@example.com`;
    const before = await signup(email);
    const page = await freshPhone();
    await page.goto(`${server.baseUrl}/login`);
    await page.getByRole('link', { name: koAccount.forgot.link }).click();
    await page.getByLabel(koAuth.field.email).fill(email);
    await page.getByRole('button', { name: koAccount.forgot.submit }).click();
    await page.getByTestId('reset-sent').waitFor();
    const link = await waitForMailedLink(server.dataDir!, email, '/reset-password');
    const other = await freshPhone();
    await other.goto(link);
    await other.getByLabel(koAuth.field.password).fill('a-brand-new-secret');
    await other.getByRole('button', { name: koAccount.reset.submit }).click();
    await other.getByTestId('reset-done').waitFor();
    const me = await fetch(`${server.baseUrl}/api/me`, {
      headers: { authorization: `Bearer ${before.access_token}` },
    });
    expect(me.status).toBe(401);
    const login = await call<Session>('/api/auth/login', { body: { email, password: 'a-brand-new-secret' } });
    expect(login.user.email).toBe(email);
  });
});
