import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningTossSimulator, startTossSimulator } from './index.ts';

const SK = 'test_sk_browser000000000000000';
const CK = 'test_ck_browser000000000000000';

let sim: RunningTossSimulator;
let shop: Server;
let shopUrl: string;
let browser: Browser;

beforeAll(async () => {
  sim = await startTossSimulator({ port: 0, secretKeys: [SK], clientKeys: [CK] });
  // A stand-in merchant site: its success and fail pages just show where the browser landed.
  shop = createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><title>shop</title><p id="landed">${req.url}</p>`);
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sim?.close();
  await new Promise((resolve) => shop?.close(resolve));
});

describe('hosted pages in Chromium', () => {
  it('pays through the checkout page and lands on successUrl with a confirmable payment', {
    timeout: 90_000,
  }, async () => {
    const page = await browser.newPage();
    const orderId = `browser-order-${Date.now()}`;
    const query = new URLSearchParams({
      clientKey: CK,
      amount: '29000',
      orderId,
      orderName: '프로 플랜 1개월',
      successUrl: `${shopUrl}/success`,
      failUrl: `${shopUrl}/fail`,
    });
    await page.goto(`${sim.checkoutUrl}?${query}`);
    await expect(page.getByTestId('test-banner').textContent()).resolves.toContain('TEST PAYMENT');
    await expect(page.getByTestId('amount').textContent()).resolves.toContain('29,000원');
    await page.getByLabel(/Toss Pay/).check();
    await page.getByTestId('pay').click();
    await page.waitForURL(/\/success\?/);

    const landed = new URL(page.url());
    expect(landed.searchParams.get('orderId')).toBe(orderId);
    expect(landed.searchParams.get('amount')).toBe('29000');
    const paymentKey = landed.searchParams.get('paymentKey')!;
    const res = await fetch(`${sim.url}/v1/payments/confirm`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${SK}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ paymentKey, orderId, amount: 29000 }),
    });
    const payment = (await res.json()) as { status: string; method: string };
    expect(payment).toMatchObject({ status: 'DONE', method: '간편결제' });
    await page.close();
  });

  it('registers a chosen test card and lands on successUrl with an authKey', {
    timeout: 90_000,
  }, async () => {
    const page = await browser.newPage();
    const query = new URLSearchParams({
      clientKey: CK,
      customerKey: 'browser-customer',
      successUrl: `${shopUrl}/billing/success`,
      failUrl: `${shopUrl}/billing/fail`,
    });
    await page.goto(`${sim.billingAuthUrl}?${query}`);
    await page.getByLabel(/Insufficient funds/).check();
    await page.getByRole('button', { name: /Register card/ }).click();
    await page.waitForURL(/\/billing\/success\?/);
    const landed = new URL(page.url());
    expect(landed.searchParams.get('customerKey')).toBe('browser-customer');
    expect(landed.searchParams.get('authKey')).toMatch(/^bln_/);
    await page.close();
  });
});
