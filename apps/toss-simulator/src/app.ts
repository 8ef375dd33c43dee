import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  isTossErrorCode,
  languageOf,
  messageOf,
  TOSS_ERRORS,
  TossError,
  type TossErrorCode,
} from './errors.ts';
import type { PaymentMethod } from './model.ts';
import { billingAuthPage, checkoutPage, errorPage, receiptPage } from './pages.ts';
import type { TossSimulator } from './simulator.ts';

/** How long Toss keeps an idempotency key: 15 days from its first use. */
const IDEMPOTENCY_RETENTION_MS = 15 * 86_400_000;
const MAX_IDEMPOTENCY_KEY_LENGTH = 300;

type IdempotencyEntry =
  | { state: 'processing'; at: number }
  | { state: 'done'; at: number; status: number; body: unknown };

const amount = z.number().int();

const confirmBody = z.object({ paymentKey: z.string().min(1), orderId: z.string().min(1), amount });
const cancelBody = z.object({
  cancelReason: z.string().min(1).max(200),
  cancelAmount: amount.positive().optional(),
  taxFreeAmount: amount.nonnegative().optional(),
  refundReceiveAccount: z
    .object({
      bank: z.string().min(1),
      accountNumber: z.string().min(1).max(20),
      holderName: z.string().min(1),
    })
    .optional(),
});
const issueBody = z.object({ authKey: z.string().min(1), customerKey: z.string().min(1) });
const chargeBody = z.object({
  customerKey: z.string().min(1),
  amount,
  orderId: z.string().min(1),
  orderName: z.string().min(1),
  customerEmail: z.email().optional(),
  customerName: z.string().optional(),
  customerMobilePhone: z.string().optional(),
  taxFreeAmount: amount.nonnegative().optional(),
  taxExemptionAmount: amount.nonnegative().optional(),
  cardInstallmentPlan: z.number().int().min(0).max(12).optional(),
});

const METHOD_ALIASES: Record<string, PaymentMethod> = {
  카드: '카드',
  CARD: '카드',
  간편결제: '간편결제',
  EASY_PAY: '간편결제',
  TOSSPAY: '간편결제',
  가상계좌: '가상계좌',
  VIRTUAL_ACCOUNT: '가상계좌',
};

export function parseMethod(value: string | undefined): PaymentMethod | undefined {
  return value ? METHOD_ALIASES[value] : undefined;
}

const checkoutQuery = z.object({
  clientKey: z.string().min(1),
  amount: z.string().min(1),
  orderId: z.string().min(1),
  orderName: z.string().min(1),
  successUrl: z.url({ protocol: /^https?$/ }),
  failUrl: z.url({ protocol: /^https?$/ }),
  customerKey: z.string().optional(),
  customerName: z.string().optional(),
  method: z.string().optional(),
  lang: z.string().optional(),
});

const checkoutForm = checkoutQuery.extend({
  action: z.enum(['pay', 'decline', 'cancel']),
  cardId: z.string().optional(),
});

const billingAuthQuery = z.object({
  clientKey: z.string().min(1),
  customerKey: z.string().min(1),
  successUrl: z.url({ protocol: /^https?$/ }),
  failUrl: z.url({ protocol: /^https?$/ }),
  lang: z.string().optional(),
});

const billingAuthForm = billingAuthQuery.extend({
  action: z.enum(['register', 'cancel']),
  cardId: z.string().optional(),
});

const failNextBody = z.object({
  code: z.enum(Object.keys(TOSS_ERRORS) as [TossErrorCode, ...TossErrorCode[]]),
  target: z.enum(['confirm', 'billing', 'cancel', 'billing-auth', 'any']).default('any'),
  count: z.number().int().min(1).max(100).default(1),
});
const controlCheckoutBody = z.object({
  orderId: z.string(),
  amount,
  orderName: z.string(),
  method: z.string().optional(),
  customerKey: z.string().optional(),
  customerName: z.string().optional(),
  cardId: z.string().optional(),
});
const controlBillingAuthBody = z.object({ customerKey: z.string(), cardId: z.string().optional() });
const webhooksBody = z.object({
  urls: z.array(z.url({ protocol: /^https?$/ })),
  retryDelaysMs: z.array(z.number().int().nonnegative()).max(20).optional(),
});

function redirectTo(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

/** Decodes `Authorization: Basic base64(secretKey + ":")` the way Toss checks it. */
function secretKeyOf(header: string | undefined, secretKeys: readonly string[]): string {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) throw new TossError('UNAUTHORIZED_KEY');
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new TossError('INCORRECT_BASIC_AUTH_FORMAT');
  const key = decoded.slice(0, colon);
  if (!secretKeys.includes(key)) throw new TossError('UNAUTHORIZED_KEY');
  return key;
}

export function buildSimulatorApp(sim: TossSimulator): FastifyInstance {
  const app = Fastify({ logger: false });
  const idempotency = new Map<string, IdempotencyEntry>();
  sim.onReset(() => idempotency.clear());

  // The hosted pages post ordinary HTML forms.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.setErrorHandler((err, req, reply) => {
    const language = languageOf(req.headers['accept-language']);
    if (err instanceof TossError) return reply.status(err.status).send(err.body(language));
    // Bodies that do not parse or validate (zod, malformed JSON, unsupported content type) are Toss's
    // INVALID_REQUEST; anything else is the simulator's own fault.
    const status =
      typeof err === 'object' && err !== null && 'statusCode' in err ? err.statusCode : undefined;
    if (err instanceof z.ZodError || (typeof status === 'number' && status < 500)) {
      return reply.status(400).send(new TossError('INVALID_REQUEST').body(language));
    }
    return reply.status(500).send(new TossError('FAILED_INTERNAL_SYSTEM_PROCESSING').body(language));
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send(new TossError('NOT_FOUND').body(languageOf(req.headers['accept-language'])));
  });

  /**
   * Every core API call: Basic auth, the test header Toss honours for test keys (`TossPayments-Test-Code`
   * answers that error without doing anything), and for POSTs the `Idempotency-Key` contract — the same
   * key on the same API key, URL and method within 15 days gets the first answer again without a second
   * effect (whatever the body), and a repeat while the first is still running gets 409.
   */
  async function api(req: FastifyRequest, reply: FastifyReply, run: () => unknown): Promise<FastifyReply> {
    const language = languageOf(req.headers['accept-language']);
    const secretKey = secretKeyOf(req.headers.authorization, sim.secretKeys);
    const execute = async (): Promise<{ status: number; body: unknown }> => {
      try {
        const testCode = req.headers['tosspayments-test-code'];
        if (typeof testCode === 'string' && secretKey.startsWith('test_')) {
          throw new TossError(isTossErrorCode(testCode) ? testCode : 'INVALID_TEST_CODE');
        }
        return { status: 200, body: await run() };
      } catch (err) {
        if (err instanceof TossError) return { status: err.status, body: err.body(language) };
        if (err instanceof z.ZodError)
          return { status: 400, body: new TossError('INVALID_REQUEST').body(language) };
        throw err;
      }
    };
    const key = req.headers['idempotency-key'];
    if (req.method !== 'POST' || key === undefined) {
      const result = await execute();
      return reply.status(result.status).send(result.body);
    }
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw new TossError('INVALID_IDEMPOTENCY_KEY');
    }
    const id = JSON.stringify([secretKey, req.method, req.url, key]);
    const now = sim.now().getTime();
    const seen = idempotency.get(id);
    if (seen && now - seen.at < IDEMPOTENCY_RETENTION_MS) {
      if (seen.state === 'processing') throw new TossError('IDEMPOTENT_REQUEST_PROCESSING');
      return reply.status(seen.status).send(seen.body);
    }
    idempotency.set(id, { state: 'processing', at: now });
    try {
      const result = await execute();
      idempotency.set(id, { state: 'done', at: now, ...result });
      return reply.status(result.status).send(result.body);
    } catch (err) {
      idempotency.delete(id);
      throw err;
    }
  }

  app.post('/v1/payments/confirm', (req, reply) =>
    api(req, reply, () => sim.confirm(confirmBody.parse(req.body))),
  );

  app.get<{ Params: { orderId: string } }>('/v1/payments/orders/:orderId', (req, reply) =>
    api(req, reply, () => sim.getPaymentByOrderId(req.params.orderId)),
  );

  app.get<{ Params: { paymentKey: string } }>('/v1/payments/:paymentKey', (req, reply) =>
    api(req, reply, () => sim.getPayment(req.params.paymentKey)),
  );

  app.post<{ Params: { paymentKey: string } }>('/v1/payments/:paymentKey/cancel', (req, reply) =>
    api(req, reply, () => {
      const body = cancelBody.parse(req.body);
      const account = body.refundReceiveAccount;
      return sim.cancel(req.params.paymentKey, {
        cancelReason: body.cancelReason,
        cancelAmount: body.cancelAmount,
        taxFreeAmount: body.taxFreeAmount,
        refundReceiveAccount: account
          ? { bankCode: account.bank, accountNumber: account.accountNumber, holderName: account.holderName }
          : undefined,
      });
    }),
  );

  app.post('/v1/billing/authorizations/issue', (req, reply) =>
    api(req, reply, () => {
      const body = issueBody.parse(req.body);
      return sim.issueBillingKey(body.authKey, body.customerKey);
    }),
  );

  app.post<{ Params: { billingKey: string } }>('/v1/billing/:billingKey', (req, reply) =>
    api(req, reply, () => {
      const parsed = chargeBody.safeParse(req.body);
      if (!parsed.success) {
        const emailIssue = parsed.error.issues.some((i) => i.path[0] === 'customerEmail');
        throw new TossError(emailIssue ? 'INVALID_EMAIL' : 'INVALID_REQUEST');
      }
      return sim.chargeBilling(req.params.billingKey, parsed.data);
    }),
  );

  // ---- Hosted pages -------------------------------------------------------------------------------

  app.get('/simulator/info', () => ({
    simulator: true,
    apiUrl: sim.baseUrl,
    checkoutUrl: `${sim.baseUrl}/simulator/checkout`,
    billingAuthUrl: `${sim.baseUrl}/simulator/billing-auth`,
    clientKeys: sim.clientKeys,
    checkoutParams: [
      'clientKey',
      'amount',
      'orderId',
      'orderName',
      'successUrl',
      'failUrl',
      'customerKey',
      'method',
    ],
    billingAuthParams: ['clientKey', 'customerKey', 'successUrl', 'failUrl'],
  }));

  function pageError(reply: FastifyReply, code: TossErrorCode, lang: string | undefined): FastifyReply {
    const language = lang === 'en' ? 'en' : 'ko';
    return reply
      .status(TOSS_ERRORS[code][0])
      .type('text/html; charset=utf-8')
      .send(errorPage(code, messageOf(code, language)));
  }

  function failRedirect(
    reply: FastifyReply,
    failUrl: string,
    code: TossErrorCode,
    lang: string | undefined,
    orderId?: string,
  ): FastifyReply {
    const params: Record<string, string> = { code, message: messageOf(code, lang === 'en' ? 'en' : 'ko') };
    if (orderId !== undefined) params.orderId = orderId;
    return reply.redirect(redirectTo(failUrl, params), 303);
  }

  app.get('/simulator/checkout', (req, reply) => {
    const parsed = checkoutQuery.safeParse(req.query);
    const raw = req.query as Record<string, string | undefined>;
    if (!parsed.success) return pageError(reply, 'INVALID_REQUEST', raw.lang);
    const q = parsed.data;
    if (!sim.clientKeys.includes(q.clientKey)) return pageError(reply, 'INVALID_CLIENT_KEY', q.lang);
    const method = q.method === undefined ? '카드' : parseMethod(q.method);
    if (!method) return failRedirect(reply, q.failUrl, 'INVALID_REQUEST', q.lang, q.orderId);
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(q)) if (typeof v === 'string' && k !== 'method') fields[k] = v;
    return reply.type('text/html; charset=utf-8').send(checkoutPage(fields, method));
  });

  app.post('/simulator/checkout', (req, reply) => {
    const parsed = checkoutForm.safeParse(req.body);
    if (!parsed.success) return pageError(reply, 'INVALID_REQUEST', undefined);
    const f = parsed.data;
    if (!sim.clientKeys.includes(f.clientKey)) return pageError(reply, 'INVALID_CLIENT_KEY', f.lang);
    if (f.action === 'cancel')
      return failRedirect(reply, f.failUrl, 'PAY_PROCESS_CANCELED', f.lang, f.orderId);
    if (f.action === 'decline')
      return failRedirect(reply, f.failUrl, 'REJECT_CARD_COMPANY', f.lang, f.orderId);
    const amountValue = Number(f.amount);
    try {
      const payment = sim.authorizeCheckout({
        orderId: f.orderId,
        orderName: f.orderName,
        amount: amountValue,
        method: parseMethod(f.method) ?? '카드',
        customerKey: f.customerKey ?? null,
        customerName: f.customerName ?? null,
        cardId: f.cardId,
      });
      return reply.redirect(
        redirectTo(f.successUrl, {
          paymentType: 'NORMAL',
          orderId: payment.orderId,
          paymentKey: payment.paymentKey,
          amount: String(payment.totalAmount),
        }),
        303,
      );
    } catch (err) {
      if (err instanceof TossError) return failRedirect(reply, f.failUrl, err.code, f.lang, f.orderId);
      throw err;
    }
  });

  app.get('/simulator/billing-auth', (req, reply) => {
    const parsed = billingAuthQuery.safeParse(req.query);
    const raw = req.query as Record<string, string | undefined>;
    if (!parsed.success) return pageError(reply, 'INVALID_REQUEST', raw.lang);
    const q = parsed.data;
    if (!sim.clientKeys.includes(q.clientKey)) return pageError(reply, 'INVALID_CLIENT_KEY', q.lang);
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(q)) if (typeof v === 'string') fields[k] = v;
    return reply.type('text/html; charset=utf-8').send(billingAuthPage(fields));
  });

  app.post('/simulator/billing-auth', (req, reply) => {
    const parsed = billingAuthForm.safeParse(req.body);
    if (!parsed.success) return pageError(reply, 'INVALID_REQUEST', undefined);
    const f = parsed.data;
    if (!sim.clientKeys.includes(f.clientKey)) return pageError(reply, 'INVALID_CLIENT_KEY', f.lang);
    if (f.action === 'cancel') return failRedirect(reply, f.failUrl, 'PAY_PROCESS_CANCELED', f.lang);
    try {
      const authKey = sim.issueAuthKey(f.customerKey, f.cardId);
      return reply.redirect(redirectTo(f.successUrl, { customerKey: f.customerKey, authKey }), 303);
    } catch (err) {
      if (err instanceof TossError) return failRedirect(reply, f.failUrl, err.code, f.lang);
      throw err;
    }
  });

  app.get<{ Params: { paymentKey: string } }>('/simulator/receipt/:paymentKey', (req, reply) => {
    try {
      return reply.type('text/html; charset=utf-8').send(receiptPage(sim.getPayment(req.params.paymentKey)));
    } catch (err) {
      if (err instanceof TossError) return pageError(reply, err.code, undefined);
      throw err;
    }
  });

  // ---- Test controls (simulator-only) ----------------------------------------------------------------

  app.post('/simulator/control/fail-next', (req) => {
    const body = failNextBody.parse(req.body);
    sim.failNext(body.code, body.target, body.count);
    return { queued: sim.queuedFailures() };
  });

  app.get('/simulator/control/payments', () => ({ payments: sim.listPayments() }));

  app.post('/simulator/control/checkout', (req) => {
    const body = controlCheckoutBody.parse(req.body);
    const method = body.method === undefined ? '카드' : parseMethod(body.method);
    if (!method) throw new TossError('INVALID_REQUEST');
    const payment = sim.authorizeCheckout({ ...body, method });
    return { paymentKey: payment.paymentKey, orderId: payment.orderId, amount: payment.totalAmount };
  });

  app.post('/simulator/control/billing-auth', (req) => {
    const body = controlBillingAuthBody.parse(req.body);
    return { customerKey: body.customerKey, authKey: sim.issueAuthKey(body.customerKey, body.cardId) };
  });

  app.post<{ Params: { paymentKey: string } }>('/simulator/control/payments/:paymentKey/deposit', (req) =>
    sim.deposit(req.params.paymentKey),
  );

  app.post<{ Params: { paymentKey: string } }>('/simulator/control/payments/:paymentKey/expire', (req) =>
    sim.expire(req.params.paymentKey),
  );

  app.get('/simulator/control/webhooks', () => ({
    urls: sim.webhooks.urls,
    retryDelaysMs: sim.webhooks.retryDelaysMs,
    deliveries: sim.listWebhooks(),
  }));

  app.put('/simulator/control/webhooks', (req) => {
    const body = webhooksBody.parse(req.body);
    sim.webhooks.urls = body.urls;
    if (body.retryDelaysMs) sim.webhooks.retryDelaysMs = body.retryDelaysMs;
    return { urls: sim.webhooks.urls, retryDelaysMs: sim.webhooks.retryDelaysMs };
  });

  app.post('/simulator/control/clock', (req) => {
    const body = z.object({ advanceMs: z.number().int().nonnegative() }).parse(req.body);
    sim.advanceClock(body.advanceMs);
    return { now: sim.now().toISOString() };
  });

  app.post('/simulator/control/latency', (req) => {
    const body = z.object({ ms: z.number().int().min(0).max(60_000) }).parse(req.body);
    sim.latencyMs = body.ms;
    return { latencyMs: sim.latencyMs };
  });

  app.post('/simulator/control/reset', () => {
    sim.reset();
    return { reset: true };
  });

  return app;
}
