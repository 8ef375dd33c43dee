import { z } from 'zod';

/**
 * Toss Payments API v1 over HTTP: Basic auth with `base64(secretKey + ":")`, JSON bodies, errors as
 * `{code, message}`. Every call that moves money carries an `Idempotency-Key`: Toss answers a
 * repeated key with the first call's result instead of charging again, which is what makes a retried
 * confirm or a renewal run on two instances charge once.
 */
export const tossPaymentSchema = z.looseObject({
  paymentKey: z.string(),
  orderId: z.string(),
  orderName: z.string().nullish(),
  status: z.string(),
  totalAmount: z.number(),
  balanceAmount: z.number().nullish(),
  method: z.string().nullish(),
  approvedAt: z.string().nullish(),
  requestedAt: z.string().nullish(),
  card: z.looseObject({ number: z.string().nullish() }).nullish(),
  receipt: z.looseObject({ url: z.string().nullish() }).nullish(),
  failure: z.looseObject({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});
export type TossPayment = z.infer<typeof tossPaymentSchema>;

export const tossBillingSchema = z.looseObject({
  billingKey: z.string(),
  customerKey: z.string(),
  cardCompany: z.string().nullish(),
  cardNumber: z.string().nullish(),
  card: z.looseObject({ number: z.string().nullish() }).nullish(),
});
export type TossBilling = z.infer<typeof tossBillingSchema>;

const tossErrorSchema = z.object({ code: z.string(), message: z.string() });

/** Toss refused (or could not be reached: code `NETWORK_ERROR`, status 0). */
export class TossError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export interface TossClientOptions {
  apiUrl: string;
  secretKey: string;
  fetch?: typeof fetch;
  /** Per request; Toss's own guidance allows up to a minute for a confirm. */
  timeoutMs?: number;
}

export function createTossClient(options: TossClientOptions) {
  const base = options.apiUrl.replace(/\/$/, '');
  const auth = `Basic ${Buffer.from(`${options.secretKey}:`).toString('base64')}`;
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 60_000;

  async function call<T>(
    method: 'GET' | 'POST',
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<T> {
    const headers: Record<string, string> = { authorization: auth };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new TossError(0, 'NETWORK_ERROR', err instanceof Error ? err.message : String(err));
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const error = tossErrorSchema.safeParse(json);
      throw error.success
        ? new TossError(response.status, error.data.code, error.data.message)
        : new TossError(response.status, 'UNKNOWN_ERROR', `Toss answered ${response.status}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new TossError(502, 'INVALID_RESPONSE', 'Toss answered an unexpected body');
    return parsed.data;
  }

  return {
    confirmPayment(
      input: { paymentKey: string; orderId: string; amount: number },
      idempotencyKey: string,
    ): Promise<TossPayment> {
      return call('POST', '/v1/payments/confirm', tossPaymentSchema, input, idempotencyKey);
    },
    getPayment(paymentKey: string): Promise<TossPayment> {
      return call('GET', `/v1/payments/${encodeURIComponent(paymentKey)}`, tossPaymentSchema);
    },
    issueBillingKey(
      input: { authKey: string; customerKey: string },
      idempotencyKey: string,
    ): Promise<TossBilling> {
      return call('POST', '/v1/billing/authorizations/issue', tossBillingSchema, input, idempotencyKey);
    },
    chargeBillingKey(
      billingKey: string,
      input: {
        customerKey: string;
        amount: number;
        orderId: string;
        orderName: string;
        customerEmail?: string;
        customerName?: string;
      },
      idempotencyKey: string,
    ): Promise<TossPayment> {
      return call(
        'POST',
        `/v1/billing/${encodeURIComponent(billingKey)}`,
        tossPaymentSchema,
        input,
        idempotencyKey,
      );
    },
    cancelPayment(
      paymentKey: string,
      input: { cancelReason: string; cancelAmount?: number },
      idempotencyKey: string,
    ): Promise<TossPayment> {
      return call(
        'POST',
        `/v1/payments/${encodeURIComponent(paymentKey)}/cancel`,
        tossPaymentSchema,
        input,
        idempotencyKey,
      );
    },
  };
}

export type TossClient = ReturnType<typeof createTossClient>;

/** The last four digits a masked Toss card number shows (`43301234****123*` → `123*` is not digits). */
export function lastDigits(masked: string | null | undefined): string | null {
  if (!masked) return null;
  const tail = masked.replace(/[^0-9*]/g, '').slice(-4);
  return tail.length === 4 ? tail : null;
}
