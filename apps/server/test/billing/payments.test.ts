import type { RunningTossSimulator } from '@eventmanager/toss-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { createEvent } from '../events/fixtures.ts';
import { bearer, createTestContext, signupUser, type TestContext } from '../helpers/test-app.ts';
import {
  billingInstance,
  buy,
  CLIENT_KEY,
  confirm,
  countRows,
  mailsOf,
  payInWindow,
  prepare,
  SECRET_KEY,
  startToss,
  tossEnv,
} from './fixtures.ts';

const DAY = 24 * 60 * 60 * 1000;
const clock = new ManualClock(new Date('2026-03-01T00:00:00Z'));
let toss: RunningTossSimulator;
let ctx: TestContext;

beforeAll(async () => {
  toss = await startToss();
  ctx = await createTestContext({ clock, env: tossEnv(toss) });
});
afterAll(async () => {
  await ctx?.close();
  await toss?.close();
});

const get = (url: string, token: string) => ctx.app.inject({ method: 'GET', url, headers: bearer(token) });
const tossPayments = () => toss.control.payments();

describe('GET /api/plans', () => {
  it('serves the plans table publicly, in KRW with VAT, marked as a test setup', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/plans' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ currency: 'KRW', vat_included: true, payments_enabled: true });
    expect(body.plans.map((p: { id: string }) => p.id)).toEqual(['free', 'basic_premium', 'pro_premium']);
    expect(body.plans[1].prices).toEqual({ monthly: 19_000, yearly: 190_000, per_event: 25_000 });
    expect(body.addons).toEqual([
      { id: 'payment_collection', monthly_price: 9_900 },
      { id: 'badge_printing', monthly_price: 9_900 },
    ]);
  });
});

describe('one-time payment (prepare → Toss window → confirm)', () => {
  it('activates the plan, updates the tier, lists the payment with its receipt and queues the receipt e-mail', async () => {
    const user = await signupUser(ctx.app);
    const order = await prepare(ctx.app, user.token, { plan: 'basic_premium', billing_cycle: 'monthly' });
    expect(order).toMatchObject({
      amount: 19_000,
      client_key: CLIENT_KEY,
      customer_email: user.email,
      kind: 'purchase',
    });
    expect(order.order_id).toMatch(/^[A-Za-z0-9_-]{6,64}$/);
    const redirect = payInWindow(toss, order);
    const res = await confirm(ctx.app, user.token, redirect);
    expect(res.statusCode).toBe(200);
    const { subscription, payment } = res.json();
    expect(subscription).toMatchObject({
      plan: { tier: 'basic_premium', billing_cycle: 'monthly', price: 19_000, currency: 'KRW' },
      status: 'active',
      cancel_at_period_end: false,
      current_period_start: '2026-03-01T00:00:00.000Z',
      current_period_end: '2026-04-01T00:00:00.000Z',
    });
    expect(payment).toMatchObject({
      amount: 19_000,
      status: 'succeeded',
      provider_payment_id: redirect.paymentKey,
    });
    expect(payment.receipt_url).toMatch(/^http/);
    expect(tossPayments().find((p) => p.orderId === order.order_id)?.status).toBe('DONE');

    const me = (await get('/api/me', user.token)).json();
    expect(me.tier).toBe('basic_premium');
    expect(me.subscription).toMatchObject({
      status: 'active',
      current_period_end: '2026-04-01T00:00:00.000Z',
    });
    const view = (await get('/api/subscription', user.token)).json();
    expect(view).toMatchObject({
      tier: 'basic_premium',
      subscription: { plan: 'basic_premium', status: 'active' },
    });
    expect(view.limits.admitted_participants_per_event).toBe(3_000);
    const list = (await get('/api/payments', user.token)).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ order_id: order.order_id, receipt_url: payment.receipt_url });
    const mails = await mailsOf(ctx.platform, 'billing_receipt', user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.data).toMatchObject({
      amount: 19_000,
      receipt_url: payment.receipt_url,
      language: 'ko',
    });
  });

  it('refuses a tampered amount with 400 amount_mismatch without calling Toss', async () => {
    const user = await signupUser(ctx.app);
    const order = await prepare(ctx.app, user.token, { plan: 'pro_premium', billing_cycle: 'yearly' });
    expect(order.amount).toBe(490_000);
    const redirect = payInWindow(toss, order);
    const tampered = await confirm(ctx.app, user.token, { ...redirect, amount: 100 });
    expect(tampered.statusCode).toBe(400);
    expect(tampered.json().code).toBe('amount_mismatch');
    // Toss was never asked to confirm: the payment is still waiting there.
    expect(tossPayments().find((p) => p.orderId === order.order_id)?.status).not.toBe('DONE');
    expect((await get('/api/me', user.token)).json().tier).toBe('free');
  });

  it('charges and activates once when the same order is confirmed several times at once, and answers the same', async () => {
    const user = await signupUser(ctx.app);
    const order = await prepare(ctx.app, user.token, { plan: 'basic_premium', billing_cycle: 'yearly' });
    const redirect = payInWindow(toss, order);
    toss.control.setLatency(200);
    const answers = await Promise.all([1, 2, 3].map(() => confirm(ctx.app, user.token, redirect)));
    toss.control.setLatency(0);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    const ids = new Set(answers.map((a) => `${a.json().subscription.id}/${a.json().payment.id}`));
    expect(ids.size).toBe(1);
    const again = await confirm(ctx.app, user.token, redirect);
    expect(again.json().payment.id).toBe(answers[0]!.json().payment.id);
    expect(tossPayments().filter((p) => p.orderId === order.order_id && p.status === 'DONE')).toHaveLength(1);
    expect(await countRows(ctx.platform, 'subscriptions', user.userId)).toBe(1);
    expect(await mailsOf(ctx.platform, 'billing_receipt', user.email)).toHaveLength(1);
  });

  it('refunds the second of two orders paid side by side (two tabs) and keeps one subscription', async () => {
    const user = await signupUser(ctx.app);
    const first = await prepare(ctx.app, user.token, { plan: 'basic_premium', billing_cycle: 'monthly' });
    const second = await prepare(ctx.app, user.token, { plan: 'basic_premium', billing_cycle: 'monthly' });
    const paidFirst = payInWindow(toss, first);
    const paidSecond = payInWindow(toss, second);
    expect((await confirm(ctx.app, user.token, paidFirst)).statusCode).toBe(200);
    const dup = await confirm(ctx.app, user.token, paidSecond);
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('already_subscribed');
    expect(tossPayments().find((p) => p.paymentKey === paidSecond.paymentKey)?.status).toBe('CANCELED');
    expect(await countRows(ctx.platform, 'subscriptions', user.userId)).toBe(1);
    const items = (await get('/api/payments', user.token)).json().items;
    expect(items.map((p: { status: string }) => p.status).sort()).toEqual(['refunded', 'succeeded']);
  });

  it('shows a card refusal from Toss as payment_failed with Toss code and activates nothing', async () => {
    const user = await signupUser(ctx.app);
    const order = await prepare(ctx.app, user.token, { plan: 'basic_premium', billing_cycle: 'monthly' });
    const redirect = payInWindow(toss, order);
    toss.control.failNext('REJECT_CARD_COMPANY', 'confirm');
    const res = await confirm(ctx.app, user.token, redirect);
    expect(res.statusCode).toBe(402);
    expect(res.json()).toMatchObject({ code: 'payment_failed', toss_code: 'REJECT_CARD_COMPANY' });
    expect((await get('/api/me', user.token)).json().tier).toBe('free');
  });
});

describe('POST /api/payments/webhook', () => {
  const webhook = (body: object) =>
    ctx.app.inject({ method: 'POST', url: '/api/payments/webhook', payload: body });
  const statusChanged = (paymentKey: string, orderId: string, status: string) => ({
    eventType: 'PAYMENT_STATUS_CHANGED',
    createdAt: new Date().toISOString(),
    data: { paymentKey, orderId, status, totalAmount: 19_000 },
  });

  it('applies a payment Toss reports DONE (the browser never came back), once however often it is replayed', async () => {
    const user = await signupUser(ctx.app);
    const order = await prepare(ctx.app, user.token, { plan: 'basic_premium', billing_cycle: 'monthly' });
    const redirect = payInWindow(toss, order);
    // The confirm reached Toss but its answer was lost on the way back.
    const direct = await fetch(`${toss.url}/v1/payments/confirm`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${SECRET_KEY}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(redirect),
    });
    expect(direct.status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const res = await webhook(statusChanged(redirect.paymentKey, order.order_id, 'DONE'));
      expect(res.statusCode).toBe(200);
    }
    expect((await get('/api/me', user.token)).json().tier).toBe('basic_premium');
    expect(await countRows(ctx.platform, 'subscriptions', user.userId)).toBe(1);
    expect(await mailsOf(ctx.platform, 'billing_receipt', user.email)).toHaveLength(1);
    // The user's late confirm answers the same result without a second charge.
    const late = await confirm(ctx.app, user.token, redirect);
    expect(late.statusCode).toBe(200);
    expect(await countRows(ctx.platform, 'subscriptions', user.userId)).toBe(1);
  });

  it('ignores a forged body that claims DONE for a payment Toss has not approved', async () => {
    const user = await signupUser(ctx.app);
    const order = await prepare(ctx.app, user.token, { plan: 'pro_premium', billing_cycle: 'monthly' });
    const redirect = payInWindow(toss, order);
    const forged = await webhook(statusChanged(redirect.paymentKey, order.order_id, 'DONE'));
    expect(forged.statusCode).toBe(200);
    const unknown = await webhook(statusChanged('tgen_forged_key_000000000', order.order_id, 'DONE'));
    expect(unknown.statusCode).toBe(200);
    const garbage = await webhook({ eventType: 'PAYMENT_STATUS_CHANGED', data: 'x' });
    expect(garbage.statusCode).toBe(200);
    expect((await get('/api/me', user.token)).json().tier).toBe('free');
    expect(await countRows(ctx.platform, 'subscriptions', user.userId)).toBe(0);
    // The real confirm still goes through afterwards.
    expect((await confirm(ctx.app, user.token, redirect)).statusCode).toBe(200);
  });
});

describe('automatic renewal', () => {
  async function subscribedWithCard() {
    const user = await signupUser(ctx.app);
    const { order, body } = await buy(ctx.app, toss, user.token, {
      plan: 'basic_premium',
      billing_cycle: 'monthly',
    });
    const auth = toss.control.billingAuth(order.customer_key);
    const card = await ctx.app.inject({
      method: 'POST',
      url: '/api/subscription/billing-key',
      headers: bearer(user.token),
      payload: auth,
    });
    expect(card.statusCode).toBe(200);
    expect(card.json().payment_method.type).toBe('card');
    return { user, periodEnd: new Date(body.subscription.current_period_end) };
  }
  /** Renewal charges Toss has recorded (renewal order ids start with `rn_`). */
  const billingCharges = () => tossPayments().filter((p) => p.orderId.startsWith('rn_'));

  it('charges the card at period end and moves the period on', async () => {
    const { user, periodEnd } = await subscribedWithCard();
    const view = (await get('/api/subscription', user.token)).json();
    expect(view.subscription.next_charge).toEqual({ at: periodEnd.toISOString(), amount: 19_000 });
    const before = billingCharges().length;
    const billing = billingInstance(ctx.platform, toss);
    expect((await billing.runRenewals(new Date(periodEnd.getTime() - 1000))).renewed).toBe(0);
    const counts = await billing.runRenewals(periodEnd);
    expect(counts.renewed).toBeGreaterThanOrEqual(1);
    expect(billingCharges().length).toBe(before + counts.renewed);
    const after = (await get('/api/subscription', user.token)).json();
    expect(after.subscription).toMatchObject({
      status: 'active',
      current_period_start: periodEnd.toISOString(),
      current_period_end: '2026-05-01T00:00:00.000Z',
    });
    const payments = (await get('/api/payments', user.token)).json().items;
    expect(payments[0]).toMatchObject({ kind: 'renewal', status: 'succeeded', amount: 19_000 });
    expect(await mailsOf(ctx.platform, 'billing_receipt', user.email)).toHaveLength(2);
    // The next month is a new charge of its own, not the first renewal's order again.
    const chargesBefore = billingCharges().length;
    await billing.runRenewals(new Date('2026-05-01T00:00:00.000Z'));
    expect(billingCharges().length).toBeGreaterThan(chargesBefore);
    const renewed = (await get('/api/subscription', user.token)).json().subscription;
    expect(renewed.current_period_end).toBe('2026-06-01T00:00:00.000Z');
    const renewals = (await get('/api/payments', user.token))
      .json()
      .items.filter((p: { kind: string }) => p.kind === 'renewal');
    expect(new Set(renewals.map((p: { provider_payment_id: string }) => p.provider_payment_id)).size).toBe(2);
  });

  it('charges once when two instances run the renewal at the same moment', async () => {
    const { user, periodEnd } = await subscribedWithCard();
    const a = billingInstance(ctx.platform, toss);
    const b = billingInstance(ctx.platform, toss);
    toss.control.setLatency(100);
    const [ra, rb] = await Promise.all([a.runRenewals(periodEnd), b.runRenewals(periodEnd)]);
    toss.control.setLatency(0);
    expect(ra.renewed + rb.renewed).toBe(1);
    const renewals = (await get('/api/payments', user.token))
      .json()
      .items.filter((p: { kind: string }) => p.kind === 'renewal');
    expect(renewals).toHaveLength(1);
    const keys = new Set(renewals.map((p: { provider_payment_id: string }) => p.provider_payment_id));
    expect(tossPayments().filter((p) => keys.has(p.paymentKey))).toHaveLength(1);
  });

  it('failure → past_due → retries on days 1, 3 and 7 with an e-mail each → expired on free, data intact', async () => {
    const { user, periodEnd } = await subscribedWithCard();
    const event = await createEvent(ctx.app, user.token);
    const billing = billingInstance(ctx.platform, toss);
    const at = (days: number) => new Date(periodEnd.getTime() + days * DAY);
    toss.control.failNext('REJECT_CARD_COMPANY', 'billing', 4);

    await billing.runRenewals(at(0));
    let view = (await get('/api/subscription', user.token)).json();
    expect(view.subscription).toMatchObject({ status: 'past_due' });
    expect(view.tier).toBe('basic_premium');
    expect(await mailsOf(ctx.platform, 'billing_payment_failed', user.email)).toHaveLength(1);
    // Nothing is due before the first retry day.
    expect((await billing.runRenewals(at(0.5))).failed).toBe(0);

    for (const [day, mails] of [
      [1, 2],
      [3, 3],
    ] as const) {
      await billing.runRenewals(at(day));
      view = (await get('/api/subscription', user.token)).json();
      expect(view.subscription.status).toBe('past_due');
      expect(await mailsOf(ctx.platform, 'billing_payment_failed', user.email)).toHaveLength(mails);
    }
    await billing.runRenewals(at(7));
    view = (await get('/api/subscription', user.token)).json();
    expect(view).toMatchObject({ tier: 'free', subscription: null });
    const failed = await mailsOf(ctx.platform, 'billing_payment_failed', user.email);
    expect(failed).toHaveLength(4);
    expect(failed[3]!.data).toMatchObject({ expired: true });
    expect((await get('/api/me', user.token)).json().tier).toBe('free');
    // The data is kept: the event is still there for its organizer.
    const kept = await get(`/api/events/${event.id}`, user.token);
    expect(kept.statusCode).toBe(200);
  });

  it('cancel at period end keeps the plan until then, resume undoes it, and the period end ends it without a charge', async () => {
    const { user, periodEnd } = await subscribedWithCard();
    const cancel = (at_period_end: boolean) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/subscription/cancel',
        headers: bearer(user.token),
        payload: { at_period_end },
      });
    expect((await cancel(true)).json().subscription.cancel_at_period_end).toBe(true);
    expect((await get('/api/subscription', user.token)).json().subscription.next_charge).toBeNull();
    expect((await cancel(false)).json().subscription.cancel_at_period_end).toBe(false);
    expect((await cancel(true)).statusCode).toBe(200);
    expect((await get('/api/me', user.token)).json().tier).toBe('basic_premium');
    const charges = billingCharges().length;
    const counts = await billingInstance(ctx.platform, toss).runRenewals(periodEnd);
    expect(counts.ended).toBeGreaterThanOrEqual(1);
    expect(billingCharges().length).toBe(charges);
    expect((await get('/api/me', user.token)).json()).toMatchObject({ tier: 'free', subscription: null });
  });
});

describe('upgrade mid-period', () => {
  it('charges the prorated difference and keeps the period', async () => {
    clock.set(new Date('2026-06-01T00:00:00Z'));
    const user = await signupUser(ctx.app);
    await buy(ctx.app, toss, user.token, { plan: 'basic_premium', billing_cycle: 'monthly' });
    // June has 30 days: 15 days later half the period is left (and the first session has expired).
    clock.set(new Date('2026-06-16T00:00:00Z'));
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: user.password },
    });
    user.token = login.json().access_token;
    const order = await prepare(ctx.app, user.token, { plan: 'pro_premium', billing_cycle: 'monthly' });
    expect(order).toMatchObject({ kind: 'upgrade', amount: 15_000 });
    const res = await confirm(ctx.app, user.token, payInWindow(toss, order));
    expect(res.statusCode).toBe(200);
    expect(res.json().subscription).toMatchObject({
      plan: { tier: 'pro_premium', price: 49_000 },
      current_period_start: '2026-06-01T00:00:00.000Z',
      current_period_end: '2026-07-01T00:00:00.000Z',
    });
    expect((await get('/api/me', user.token)).json().tier).toBe('pro_premium');
    // A smaller plan is not bought mid-period.
    const down = await ctx.app.inject({
      method: 'POST',
      url: '/api/payments/prepare',
      headers: bearer(user.token),
      payload: { plan: 'basic_premium', billing_cycle: 'monthly' },
    });
    expect(down.statusCode).toBe(409);
    clock.set(new Date('2026-03-01T00:00:00Z'));
  });
});
