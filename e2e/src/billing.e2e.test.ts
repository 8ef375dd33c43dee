import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import enBilling from '../../apps/web/src/i18n/locales/en/billing.json' with { type: 'json' };
import { launchBrowser, type RunningServer, startServer } from './harness.ts';

/**
 * An organizer upgrades from free to Basic Premium in the browser: the pricing page, the Toss
 * payment window (in development without Toss keys the server runs its local Toss simulator, whose
 * hosted checkout page stands in for Toss's), the success redirect that confirms the payment, and
 * "my subscription" showing the new plan with its receipt.
 */
let server: RunningServer;
let browser: Browser;

interface Session {
  access_token: string;
  refresh_token: string;
  user: { id: string };
}

beforeAll(async () => {
  server = await startServer({ port: 4795, env: { NODE_ENV: 'development', EMBEDDED_WORKER: 'false' } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedInContext(session: Session): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const stored = JSON.stringify({
    accessToken: session.access_token,
    refreshToken: session.refresh_token,
    userId: session.user.id,
  });
  await context.addInitScript((value) => {
    localStorage.setItem('em.session', value);
    localStorage.setItem('em.language', 'en');
  }, stored);
  return context;
}

describe('upgrade through the Toss payment window', () => {
  it('goes from free to Basic Premium and shows the new plan', async () => {
    const res = await fetch(`${server.baseUrl}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `pay.${Date.now()}@example.com`,
        password: 'correct-horse-battery',
        accept_terms: true,
        name: 'Kim',
        language: 'en',
      }),
    });
    expect(res.status).toBe(201);
    const context = await signedInContext((await res.json()) as Session);
    const page = await context.newPage();

    await page.goto(`${server.baseUrl}/pricing`);
    await page.getByTestId('billing-test-mode').waitFor();
    const free = page.locator('[data-plan="free"]');
    await free.getByText(enBilling.pricing.current).waitFor();
    await page.locator('[data-plan="basic_premium"]').getByText('₩19,000').waitFor();
    await page.getByRole('button', { name: 'Get Basic Premium' }).click();

    // Toss's window (the simulator's hosted page): pay with the approving test card.
    await page.waitForURL(/\/simulator\/checkout/);
    await page.getByRole('button', { name: /Pay/ }).click();

    await page.waitForURL(/\/billing\/success/);
    await page.getByTestId('payment-success').waitFor();
    await page.getByRole('heading', { name: enBilling.success.title }).waitFor();
    await page.getByRole('link', { name: enBilling.success.manage }).click();
    await page.waitForURL(/\/settings\/subscription/);
    await page.getByTestId('current-tier').getByText('Basic Premium').waitFor();
    await page.getByRole('link', { name: enBilling.subscription.receipt }).waitFor();
    expect(await page.getByText('₩19,000').count()).toBeGreaterThan(0);

    // Card registration for automatic renewal through Toss's (the simulator's) registration page.
    await page.getByRole('button', { name: enBilling.card.register }).click();
    await page.waitForURL(/\/simulator\/billing-auth/);
    await page.getByRole('button', { name: /Register card/ }).click();
    await page.waitForURL(/\/billing\/card/);
    await page.getByRole('heading', { name: enBilling.card.registered }).waitFor();
    await page.getByRole('link', { name: enBilling.success.manage }).click();
    await page.getByText(/ending in/).waitFor();
    await page
      .getByText(/₩19,000/)
      .first()
      .waitFor();

    // Back towards free: cancel at period end, then keep it after all.
    await page.getByRole('button', { name: enBilling.subscription.cancel }).click();
    await page.getByRole('button', { name: enBilling.subscription.resume }).waitFor();
    await page.getByText(/ends on/).waitFor();
    await page.getByRole('button', { name: enBilling.subscription.resume }).click();
    await page.getByRole('button', { name: enBilling.subscription.cancel }).waitFor();

    // The plan is what the server now says too.
    await page.goto(`${server.baseUrl}/pricing`);
    await page.locator('[data-plan="basic_premium"]').getByText(enBilling.pricing.current).waitFor();
    await context.close();
  });
});
