import type { AddressInfo } from 'node:net';
import { buildSimulatorApp } from './app.ts';
import type { TossErrorCode } from './errors.ts';
import type { PaymentMethod, TossPayment } from './model.ts';
import { type FailureTarget, TossSimulator } from './simulator.ts';
import { TOSS_RETRY_DELAYS_MS, type WebhookDelivery } from './webhooks.ts';

export type { TossErrorCode } from './errors.ts';
export { TOSS_ERRORS, TossError } from './errors.ts';
export type { PaymentMethod, TossBilling, TossPayment } from './model.ts';
export { TEST_CARDS } from './model.ts';
export type { FailureTarget } from './simulator.ts';
export type { DepositCallbackBody, PaymentStatusChangedBody, WebhookDelivery } from './webhooks.ts';
export { TOSS_RETRY_DELAYS_MS } from './webhooks.ts';

export interface StartTossSimulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  host?: string;
  secretKeys: string[];
  clientKeys: string[];
  webhookUrl?: string | string[];
  /** Delays between webhook retries; Toss's schedule (1 min … 4096 min) unless given. */
  webhookRetryDelaysMs?: readonly number[];
  virtualAccountDueDays?: number;
}

export interface TossSimulatorControl {
  /** The next matching call(s) fail with this Toss error code. */
  failNext(code: TossErrorCode, target?: FailureTarget, count?: number): void;
  /** Completes the payment window without a browser, as the success redirect would: returns its parameters. */
  checkout(input: {
    orderId: string;
    amount: number;
    orderName: string;
    method?: PaymentMethod;
    customerKey?: string;
    customerName?: string;
    cardId?: string;
  }): { paymentKey: string; orderId: string; amount: number };
  /** Completes the card-registration window without a browser: returns the success redirect's parameters. */
  billingAuth(customerKey: string, cardId?: string): { customerKey: string; authKey: string };
  payments(): TossPayment[];
  deposit(paymentKey: string): TossPayment;
  expire(paymentKey: string): TossPayment;
  webhooks(): WebhookDelivery[];
  setWebhookUrls(urls: string[], retryDelaysMs?: readonly number[]): void;
  advanceClock(ms: number): void;
  setLatency(ms: number): void;
  reset(): void;
}

export interface RunningTossSimulator {
  /** Base URL: use it as TOSS_API_URL (the API is under /v1, the hosted pages under /simulator). */
  url: string;
  checkoutUrl: string;
  billingAuthUrl: string;
  control: TossSimulatorControl;
  close(): Promise<void>;
}

export async function startTossSimulator(options: StartTossSimulatorOptions): Promise<RunningTossSimulator> {
  if (options.secretKeys.length === 0)
    throw new Error('startTossSimulator: at least one secret key is required');
  if (options.clientKeys.length === 0)
    throw new Error('startTossSimulator: at least one client key is required');
  const webhookUrls =
    options.webhookUrl === undefined
      ? []
      : Array.isArray(options.webhookUrl)
        ? options.webhookUrl
        : [options.webhookUrl];
  const sim = new TossSimulator({
    secretKeys: options.secretKeys,
    clientKeys: options.clientKeys,
    webhookUrls,
    webhookRetryDelaysMs: options.webhookRetryDelaysMs ?? TOSS_RETRY_DELAYS_MS,
    virtualAccountDueDays: options.virtualAccountDueDays,
  });
  const app = buildSimulatorApp(sim);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const { port } = app.server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  sim.baseUrl = url;
  return {
    url,
    checkoutUrl: `${url}/simulator/checkout`,
    billingAuthUrl: `${url}/simulator/billing-auth`,
    control: {
      failNext: (code, target = 'any', count = 1) => sim.failNext(code, target, count),
      checkout: (input) => {
        const p = sim.authorizeCheckout(input);
        return { paymentKey: p.paymentKey, orderId: p.orderId, amount: p.totalAmount };
      },
      billingAuth: (customerKey, cardId) => ({ customerKey, authKey: sim.issueAuthKey(customerKey, cardId) }),
      payments: () => sim.listPayments(),
      deposit: (paymentKey) => sim.deposit(paymentKey),
      expire: (paymentKey) => sim.expire(paymentKey),
      webhooks: () => sim.listWebhooks(),
      setWebhookUrls: (urls, retryDelaysMs) => {
        sim.webhooks.urls = urls;
        if (retryDelaysMs) sim.webhooks.retryDelaysMs = retryDelaysMs;
      },
      advanceClock: (ms) => sim.advanceClock(ms),
      setLatency: (ms) => {
        sim.latencyMs = ms;
      },
      reset: () => sim.reset(),
    },
    close: async () => {
      await sim.webhooks.close();
      await app.close();
    },
  };
}
