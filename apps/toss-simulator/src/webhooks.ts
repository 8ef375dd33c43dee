import type { TossPayment } from './model.ts';

/**
 * Toss's webhook retry schedule: when the receiver does not answer 200 (within 10 seconds), Toss sends
 * the same event again up to 7 times, 1, 4, 16, 64, 256, 1024 and 4096 minutes after the previous try.
 */
export const TOSS_RETRY_DELAYS_MS: readonly number[] = [1, 4, 16, 64, 256, 1024, 4096].map((m) => m * 60_000);
const RESPONSE_TIMEOUT_MS = 10_000;

export interface PaymentStatusChangedBody {
  eventType: 'PAYMENT_STATUS_CHANGED';
  createdAt: string;
  data: TossPayment;
}

/** The virtual-account deposit notification: no event type, the payment's `secret` proves it is Toss. */
export interface DepositCallbackBody {
  createdAt: string;
  secret: string;
  orderId: string;
  status: 'DONE' | 'CANCELED' | 'WAITING_FOR_DEPOSIT';
  transactionKey: string;
}

export type WebhookBody = PaymentStatusChangedBody | DepositCallbackBody;

export interface WebhookAttempt {
  at: string;
  /** HTTP status of the receiver's answer, or null when it could not be reached or timed out. */
  status: number | null;
  error: string | null;
}

export interface WebhookDelivery {
  id: number;
  url: string;
  kind: 'PAYMENT_STATUS_CHANGED' | 'DEPOSIT_CALLBACK';
  body: WebhookBody;
  attempts: WebhookAttempt[];
  state: 'pending' | 'delivered' | 'failed';
}

export class WebhookSender {
  urls: string[];
  retryDelaysMs: readonly number[];
  private readonly deliveries: WebhookDelivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private nextId = 1;
  private closed = false;

  constructor(urls: string[], retryDelaysMs: readonly number[]) {
    this.urls = urls;
    this.retryDelaysMs = retryDelaysMs;
  }

  send(kind: WebhookDelivery['kind'], body: WebhookBody): void {
    for (const url of this.urls) {
      const delivery: WebhookDelivery = {
        id: this.nextId++,
        url,
        kind,
        body: structuredClone(body),
        attempts: [],
        state: 'pending',
      };
      this.deliveries.push(delivery);
      this.attempt(delivery);
    }
  }

  list(): WebhookDelivery[] {
    return structuredClone(this.deliveries);
  }

  clear(): void {
    this.cancelTimers();
    this.deliveries.length = 0;
  }

  /** Stops retries and waits for requests already on the wire, so a closed simulator sends nothing more. */
  async close(): Promise<void> {
    this.closed = true;
    this.cancelTimers();
    await Promise.allSettled([...this.inFlight]);
  }

  private cancelTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private attempt(delivery: WebhookDelivery): void {
    if (this.closed) return;
    const run = this.post(delivery).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  private async post(delivery: WebhookDelivery): Promise<void> {
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(delivery.body),
        signal: AbortSignal.timeout(RESPONSE_TIMEOUT_MS),
      });
      status = res.status;
      await res.body?.cancel();
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    delivery.attempts.push({ at: new Date().toISOString(), status, error });
    if (status === 200) {
      delivery.state = 'delivered';
      return;
    }
    const delay = this.retryDelaysMs[delivery.attempts.length - 1];
    if (delay === undefined || this.closed) {
      delivery.state = 'failed';
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.attempt(delivery);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }
}
