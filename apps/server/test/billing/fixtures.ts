import { type RunningTossSimulator, startTossSimulator } from '@eventmanager/toss-simulator';
import type { App } from '../../src/app.ts';
import { createBillingService } from '../../src/modules/billing/billing.service.ts';
import { createTossClient } from '../../src/modules/billing/toss-client.ts';
import { queryRows, sql } from '../../src/platform/db/database.ts';
import { createPiiCipher } from '../../src/platform/pii.ts';
import type { Platform } from '../../src/platform/platform.ts';
import { bearer } from '../helpers/test-app.ts';

export const SECRET_KEY = 'test_sk_billing_0000000000';
export const CLIENT_KEY = 'test_ck_billing_0000000000';

/** Toss, as a separate HTTP server the app reaches only through TOSS_API_URL. */
export function startToss(): Promise<RunningTossSimulator> {
  return startTossSimulator({ secretKeys: [SECRET_KEY], clientKeys: [CLIENT_KEY] });
}

export const tossEnv = (toss: RunningTossSimulator) => ({
  TOSS_API_URL: toss.url,
  TOSS_SECRET_KEY: SECRET_KEY,
  TOSS_CLIENT_KEY: CLIENT_KEY,
});

/** A billing service over the same database and Toss (a second instance's renewal run). */
export function billingInstance(
  platform: Platform,
  toss: RunningTossSimulator,
  publicUrl = 'http://localhost:3000',
) {
  return createBillingService({
    db: platform.database.db,
    clock: platform.clock,
    cipher: createPiiCipher(platform.secrets),
    payments: {
      client: createTossClient({ apiUrl: toss.url, secretKey: SECRET_KEY }),
      clientKey: CLIENT_KEY,
      testMode: true,
      checkoutUrl: null,
      billingAuthUrl: null,
    },
    publicUrl,
  });
}

export interface Prepared {
  order_id: string;
  amount: number;
  order_name: string;
  customer_email: string;
  customer_key: string;
  client_key: string;
  kind: 'purchase' | 'upgrade';
}

export async function prepare(app: App, token: string, payload: object): Promise<Prepared> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/payments/prepare',
    headers: bearer(token),
    payload,
  });
  if (res.statusCode !== 201) throw new Error(`prepare failed: ${res.statusCode} ${res.body}`);
  return res.json() as Prepared;
}

/** The payment window, completed as a customer would (card approved), then the success redirect's parameters. */
export function payInWindow(toss: RunningTossSimulator, order: Prepared, cardId?: string) {
  return toss.control.checkout({
    orderId: order.order_id,
    amount: order.amount,
    orderName: order.order_name,
    customerKey: order.customer_key,
    ...(cardId ? { cardId } : {}),
  });
}

export function confirm(
  app: App,
  token: string,
  payload: { paymentKey: string; orderId: string; amount: number },
) {
  return app.inject({ method: 'POST', url: '/api/payments/confirm', headers: bearer(token), payload });
}

/** Prepare, pay and confirm: the whole one-time flow. */
export async function buy(app: App, toss: RunningTossSimulator, token: string, payload: object) {
  const order = await prepare(app, token, payload);
  const redirect = payInWindow(toss, order);
  const res = await confirm(app, token, redirect);
  if (res.statusCode !== 200) throw new Error(`confirm failed: ${res.statusCode} ${res.body}`);
  return {
    order,
    redirect,
    body: res.json() as { subscription: { id: string; current_period_end: string } },
  };
}

export async function mailsOf(platform: Platform, type: string, recipient: string) {
  return queryRows<{ data: Record<string, unknown> }>(
    platform.database.db,
    sql`select data from email_queue where type = ${type} and recipient = ${recipient} order by created_at, id`,
  );
}

export async function countRows(
  platform: Platform,
  table: 'subscriptions' | 'billing_payments',
  userId: string,
) {
  const [row] = await queryRows<{ n: number }>(
    platform.database.db,
    sql`select count(*)::int as n from ${sql.identifier(table)} where user_id = ${userId}`,
  );
  return row!.n;
}
