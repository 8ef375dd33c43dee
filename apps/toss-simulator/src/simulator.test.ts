import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type RunningTossSimulator, startTossSimulator, type TossPayment } from './index.ts';

const SK = 'test_sk_simulator0000000000000';
const CK = 'test_ck_simulator0000000000000';
const KST_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/;

let sim: RunningTossSimulator;

beforeEach(async () => {
  sim = await startTossSimulator({ port: 0, secretKeys: [SK], clientKeys: [CK] });
});

afterEach(async () => {
  await sim.close();
});

function basic(key: string): string {
  return `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
}

interface Answer<T> {
  status: number;
  body: T;
}

async function call<T = Record<string, unknown>>(
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: {
      authorization: basic(SK),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

let orderSeq = 0;
function orderId(): string {
  orderSeq += 1;
  return `order-${Date.now()}-${orderSeq}`;
}

function checkout(
  amount = 15_000,
  extra: { method?: '카드' | '간편결제' | '가상계좌'; cardId?: string } = {},
) {
  return sim.control.checkout({ orderId: orderId(), amount, orderName: 'basic_premium 1개월', ...extra });
}

async function confirmed(amount = 15_000): Promise<TossPayment> {
  const p = checkout(amount);
  const res = await call<TossPayment>('POST', '/v1/payments/confirm', p);
  expect(res.status).toBe(200);
  return res.body;
}

/** A webhook receiver that answers with the given statuses in turn (the last one repeats). */
async function receiver(statuses: number[]): Promise<{ url: string; bodies: unknown[]; server: Server }> {
  const bodies: unknown[] = [];
  let i = 0;
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => {
      data += chunk;
    });
    req.on('end', () => {
      bodies.push(JSON.parse(data));
      res.statusCode = statuses[Math.min(i, statuses.length - 1)]!;
      i += 1;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/webhook`, bodies, server };
}

describe('authentication', () => {
  it('accepts Basic base64(secretKey + ":") and refuses anything else the way Toss does', async () => {
    const p = checkout();
    expect((await call('GET', `/v1/payments/${p.paymentKey}`)).status).toBe(200);

    const missing = await call('GET', `/v1/payments/${p.paymentKey}`, undefined, { authorization: '' });
    expect(missing).toEqual({
      status: 401,
      body: { code: 'UNAUTHORIZED_KEY', message: '인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.' },
    });
    const wrong = await call('GET', `/v1/payments/${p.paymentKey}`, undefined, {
      authorization: basic('test_sk_other'),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('UNAUTHORIZED_KEY');

    const noColon = `Basic ${Buffer.from(SK).toString('base64')}`;
    const badFormat = await call('GET', `/v1/payments/${p.paymentKey}`, undefined, {
      authorization: noColon,
    });
    expect(badFormat.status).toBe(403);
    expect(badFormat.body.code).toBe('INCORRECT_BASIC_AUTH_FORMAT');
  });

  it('answers in English when asked with Accept-Language', async () => {
    const res = await call('GET', '/v1/payments/nope', undefined, { 'accept-language': 'en-US' });
    expect(res).toEqual({
      status: 404,
      body: { code: 'NOT_FOUND_PAYMENT', message: 'The payment does not exist.' },
    });
  });
});

describe('hosted payment page', () => {
  const successUrl = 'http://shop.test/pay/success?plan=basic';
  const failUrl = 'http://shop.test/pay/fail';

  function pageQuery(id: string, extra: Record<string, string> = {}): URLSearchParams {
    return new URLSearchParams({
      clientKey: CK,
      amount: '15000',
      orderId: id,
      orderName: '베이직 프리미엄',
      customerKey: 'customer-1',
      successUrl,
      failUrl,
      ...extra,
    });
  }

  async function submit(form: URLSearchParams): Promise<URL> {
    const res = await fetch(`${sim.url}/simulator/checkout`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    return new URL(res.headers.get('location')!);
  }

  it('shows a clearly marked test payment page for a known client key only', async () => {
    const ok = await fetch(`${sim.url}/simulator/checkout?${pageQuery(orderId())}`);
    expect(ok.status).toBe(200);
    const html = await ok.text();
    expect(html).toContain('테스트 결제');
    expect(html).toContain('TEST PAYMENT');
    expect(html).toContain('15,000원');
    expect(html).toContain('베이직 프리미엄');

    const bad = await fetch(
      `${sim.url}/simulator/checkout?${pageQuery(orderId(), { clientKey: 'test_ck_unknown' })}`,
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('INVALID_CLIENT_KEY');
  });

  it('Pay redirects to successUrl with paymentKey, orderId, amount and paymentType, and the key confirms', async () => {
    const id = orderId();
    const location = await submit(
      new URLSearchParams({ ...Object.fromEntries(pageQuery(id)), action: 'pay' }),
    );
    expect(`${location.origin}${location.pathname}`).toBe('http://shop.test/pay/success');
    expect(location.searchParams.get('plan')).toBe('basic');
    expect(location.searchParams.get('orderId')).toBe(id);
    expect(location.searchParams.get('amount')).toBe('15000');
    expect(location.searchParams.get('paymentType')).toBe('NORMAL');
    const paymentKey = location.searchParams.get('paymentKey')!;
    expect(paymentKey).toMatch(/^tviva\d{14}[A-Za-z0-9]{5}$/);

    const res = await call<TossPayment>('POST', '/v1/payments/confirm', {
      paymentKey,
      orderId: id,
      amount: 15000,
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('DONE');
  });

  it('Cancel and Decline redirect to failUrl with code, message and orderId', async () => {
    const id = orderId();
    const canceled = await submit(
      new URLSearchParams({ ...Object.fromEntries(pageQuery(id)), action: 'cancel' }),
    );
    expect(`${canceled.origin}${canceled.pathname}`).toBe(failUrl);
    expect(canceled.searchParams.get('code')).toBe('PAY_PROCESS_CANCELED');
    expect(canceled.searchParams.get('message')).toBe('사용자에 의해 결제가 취소되었습니다.');
    expect(canceled.searchParams.get('orderId')).toBe(id);

    const declined = await submit(
      new URLSearchParams({ ...Object.fromEntries(pageQuery(id)), action: 'decline', lang: 'en' }),
    );
    expect(declined.searchParams.get('code')).toBe('REJECT_CARD_COMPANY');
    expect(declined.searchParams.get('message')).toBe('Payment confirm is rejected');
    expect(sim.control.payments()).toEqual([]);
  });

  it('an order id that was already paid is refused with DUPLICATED_ORDER_ID on failUrl', async () => {
    const paid = await confirmed();
    const location = await submit(
      new URLSearchParams({ ...Object.fromEntries(pageQuery(paid.orderId)), action: 'pay' }),
    );
    expect(location.searchParams.get('code')).toBe('DUPLICATED_ORDER_ID');
  });
});

describe('POST /v1/payments/confirm', () => {
  it('answers the Payment object with Toss field names', async () => {
    const p = checkout(9026);
    const res = await call<TossPayment>('POST', '/v1/payments/confirm', p);
    expect(res.status).toBe(200);
    const payment = res.body;
    expect(payment).toMatchObject({
      mId: 'tvivarepublica',
      paymentKey: p.paymentKey,
      orderId: p.orderId,
      orderName: 'basic_premium 1개월',
      status: 'DONE',
      type: 'NORMAL',
      method: '카드',
      currency: 'KRW',
      country: 'KR',
      version: '2022-11-16',
      totalAmount: 9026,
      balanceAmount: 9026,
      suppliedAmount: 8205,
      vat: 821,
      taxFreeAmount: 0,
      cancels: null,
      failure: null,
      virtualAccount: null,
      easyPay: null,
      isPartialCancelable: true,
    });
    expect(payment.requestedAt).toMatch(KST_TIMESTAMP);
    expect(payment.approvedAt).toMatch(KST_TIMESTAMP);
    expect(payment.lastTransactionKey).toMatch(/^txrd_[a-z0-9]{27}$/);
    expect(payment.card).toMatchObject({ amount: 9026, issuerCode: '61', number: '43301234****123*' });
    expect(payment.card!.approveNo).toMatch(/^\d{8}$/);
    expect(payment.receipt!.url).toBe(`${sim.url}/simulator/receipt/${p.paymentKey}`);
    const receipt = await fetch(payment.receipt!.url);
    expect(await receipt.text()).toContain('9,026원');
  });

  it('reports easy pay with its provider', async () => {
    const p = checkout(15_000, { method: '간편결제' });
    const res = await call<TossPayment>('POST', '/v1/payments/confirm', p);
    expect(res.body.method).toBe('간편결제');
    expect(res.body.easyPay).toEqual({ provider: '토스페이', amount: 0, discountAmount: 0 });
  });

  it('refuses an amount that differs from the payment window and leaves the payment confirmable', async () => {
    const p = checkout(15_000);
    const tampered = await call('POST', '/v1/payments/confirm', { ...p, amount: 100 });
    expect(tampered).toEqual({
      status: 400,
      body: { code: 'INVALID_REQUEST', message: '잘못된 요청입니다.' },
    });
    expect((await call<TossPayment>('GET', `/v1/payments/${p.paymentKey}`)).body.status).toBe('IN_PROGRESS');
    expect((await call<TossPayment>('POST', '/v1/payments/confirm', p)).body.status).toBe('DONE');
  });

  it('answers ALREADY_PROCESSED_PAYMENT to a second confirm and NOT_FOUND_PAYMENT to an unknown key', async () => {
    const p = checkout();
    await call('POST', '/v1/payments/confirm', p);
    const again = await call('POST', '/v1/payments/confirm', p);
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('ALREADY_PROCESSED_PAYMENT');

    const unknown = await call('POST', '/v1/payments/confirm', {
      ...p,
      paymentKey: 'tviva20260101000000zzzzz',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('NOT_FOUND_PAYMENT');
    const otherOrder = await call('POST', '/v1/payments/confirm', { ...p, orderId: 'another-order' });
    expect(otherOrder.body.code).toBe('NOT_FOUND_PAYMENT');
  });

  it('fails the next confirm with a queued Toss error and records it on the payment', async () => {
    sim.control.failNext('REJECT_CARD_COMPANY', 'confirm');
    const p = checkout();
    const res = await call('POST', '/v1/payments/confirm', p);
    expect(res).toEqual({
      status: 403,
      body: { code: 'REJECT_CARD_COMPANY', message: '결제 승인이 거절되었습니다.' },
    });
    const stored = (await call<TossPayment>('GET', `/v1/payments/${p.paymentKey}`)).body;
    expect(stored.status).toBe('ABORTED');
    expect(stored.failure).toEqual({ code: 'REJECT_CARD_COMPANY', message: '결제 승인이 거절되었습니다.' });
    // Only the next one: the same order paid again goes through.
    const retry = sim.control.checkout({ orderId: p.orderId, amount: 15_000, orderName: 'retry' });
    expect((await call<TossPayment>('POST', '/v1/payments/confirm', retry)).body.status).toBe('DONE');
    expect((await call<TossPayment>('GET', `/v1/payments/orders/${p.orderId}`)).body.paymentKey).toBe(
      retry.paymentKey,
    );
  });

  it('refuses an expired payment window session', async () => {
    const p = checkout();
    sim.control.expire(p.paymentKey);
    const res = await call('POST', '/v1/payments/confirm', p);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND_PAYMENT_SESSION');
  });

  it('approves once when two confirms of one payment race', async () => {
    sim.control.setLatency(50);
    const p = checkout();
    const [a, b] = await Promise.all([
      call('POST', '/v1/payments/confirm', p),
      call('POST', '/v1/payments/confirm', p),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    expect([a.body.code, b.body.code]).toContain('ALREADY_PROCESSED_PAYMENT');
  });

  it('approves an order once when its window was opened twice and both payments are confirmed', async () => {
    const first = checkout();
    const second = sim.control.checkout({ orderId: first.orderId, amount: 15_000, orderName: 'second tab' });
    expect((await call<TossPayment>('POST', '/v1/payments/confirm', first)).body.status).toBe('DONE');
    const again = await call('POST', '/v1/payments/confirm', second);
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('DUPLICATED_ORDER_ID');

    sim.control.setLatency(50);
    const a = checkout();
    const b = sim.control.checkout({ orderId: a.orderId, amount: 15_000, orderName: 'second tab' });
    const answers = await Promise.all([
      call('POST', '/v1/payments/confirm', a),
      call('POST', '/v1/payments/confirm', b),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 400]);
    const done = sim.control.payments().filter((p) => p.orderId === a.orderId && p.status === 'DONE');
    expect(done).toHaveLength(1);
  });

  it('honours the TossPayments-Test-Code header for test keys', async () => {
    const p = checkout();
    const res = await call('POST', '/v1/payments/confirm', p, {
      'tosspayments-test-code': 'INVALID_STOPPED_CARD',
    });
    expect(res).toEqual({
      status: 400,
      body: { code: 'INVALID_STOPPED_CARD', message: '정지된 카드 입니다.' },
    });
    expect((await call<TossPayment>('GET', `/v1/payments/${p.paymentKey}`)).body.status).toBe('IN_PROGRESS');
    const invalid = await call('POST', '/v1/payments/confirm', p, {
      'tosspayments-test-code': 'NO_SUCH_CODE',
    });
    expect(invalid.body.code).toBe('INVALID_TEST_CODE');
  });

  it('answers INVALID_REQUEST to a malformed body', async () => {
    const res = await call('POST', '/v1/payments/confirm', { paymentKey: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_REQUEST');
    const notJson = await fetch(`${sim.url}/v1/payments/confirm`, {
      method: 'POST',
      headers: { authorization: basic(SK), 'content-type': 'application/json' },
      body: '{"paymentKey":',
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ code: 'INVALID_REQUEST', message: '잘못된 요청입니다.' });
  });
});

describe('GET /v1/payments', () => {
  it('finds a payment by paymentKey and by orderId', async () => {
    const paid = await confirmed();
    expect((await call<TossPayment>('GET', `/v1/payments/${paid.paymentKey}`)).body).toEqual(paid);
    expect((await call<TossPayment>('GET', `/v1/payments/orders/${paid.orderId}`)).body).toEqual(paid);
    const missing = await call('GET', '/v1/payments/orders/no-such-order');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND_PAYMENT');
  });
});

describe('Idempotency-Key', () => {
  it('replays the first answer for the same key without a second effect', async () => {
    const paid = await confirmed(10_000);
    const headers = { 'idempotency-key': 'cancel-once-1' };
    const body = { cancelReason: '고객 요청', cancelAmount: 3000 };
    const first = await call<TossPayment>('POST', `/v1/payments/${paid.paymentKey}/cancel`, body, headers);
    const second = await call<TossPayment>('POST', `/v1/payments/${paid.paymentKey}/cancel`, body, headers);
    expect(first.status).toBe(200);
    expect(second).toEqual(first);
    const stored = (await call<TossPayment>('GET', `/v1/payments/${paid.paymentKey}`)).body;
    expect(stored.balanceAmount).toBe(7000);
    expect(stored.cancels).toHaveLength(1);
  });

  it('answers the first request again even when the body differs, as Toss documents', async () => {
    const p = checkout();
    const headers = { 'idempotency-key': 'confirm-key-1' };
    const first = await call<TossPayment>('POST', '/v1/payments/confirm', p, headers);
    const other = checkout();
    const reused = await call<TossPayment>('POST', '/v1/payments/confirm', other, headers);
    expect(reused).toEqual(first);
    expect((await call<TossPayment>('GET', `/v1/payments/${other.paymentKey}`)).body.status).toBe(
      'IN_PROGRESS',
    );
  });

  it('replays errors too, and scopes keys by URL', async () => {
    sim.control.failNext('PROVIDER_ERROR', 'confirm');
    const p = checkout();
    const headers = { 'idempotency-key': 'confirm-key-2' };
    const first = await call('POST', '/v1/payments/confirm', p, headers);
    expect(first.body.code).toBe('PROVIDER_ERROR');
    expect(await call('POST', '/v1/payments/confirm', p, headers)).toEqual(first);
    // Same key on another URL is another request.
    const paid = await confirmed();
    const cancel = await call(
      'POST',
      `/v1/payments/${paid.paymentKey}/cancel`,
      { cancelReason: 'x' },
      headers,
    );
    expect(cancel.status).toBe(200);
  });

  it('answers 409 IDEMPOTENT_REQUEST_PROCESSING while the first request is still running', async () => {
    sim.control.setLatency(100);
    const p = checkout();
    const headers = { 'idempotency-key': 'confirm-key-3' };
    const [a, b] = await Promise.all([
      call('POST', '/v1/payments/confirm', p, headers),
      call('POST', '/v1/payments/confirm', p, headers),
    ]);
    const codes = [a.status, b.status].sort();
    expect(codes).toEqual([200, 409]);
    expect([a.body.code, b.body.code]).toContain('IDEMPOTENT_REQUEST_PROCESSING');
  });

  it('refuses keys longer than 300 characters and forgets keys after 15 days', async () => {
    const paid = await confirmed(10_000);
    const long = await call(
      'POST',
      `/v1/payments/${paid.paymentKey}/cancel`,
      { cancelReason: 'x', cancelAmount: 1000 },
      {
        'idempotency-key': 'k'.repeat(301),
      },
    );
    expect(long.status).toBe(400);
    expect(long.body.code).toBe('INVALID_IDEMPOTENCY_KEY');

    const headers = { 'idempotency-key': 'k'.repeat(300) };
    const body = { cancelReason: 'x', cancelAmount: 1000 };
    await call('POST', `/v1/payments/${paid.paymentKey}/cancel`, body, headers);
    await call('POST', `/v1/payments/${paid.paymentKey}/cancel`, body, headers);
    expect((await call<TossPayment>('GET', `/v1/payments/${paid.paymentKey}`)).body.balanceAmount).toBe(9000);
    sim.control.advanceClock(15 * 86_400_000);
    await call('POST', `/v1/payments/${paid.paymentKey}/cancel`, body, headers);
    expect((await call<TossPayment>('GET', `/v1/payments/${paid.paymentKey}`)).body.balanceAmount).toBe(8000);
  });
});

describe('POST /v1/payments/{paymentKey}/cancel', () => {
  it('cancels partially, then fully, with cancels[] entries', async () => {
    const paid = await confirmed(15_000);
    const partial = await call<TossPayment>('POST', `/v1/payments/${paid.paymentKey}/cancel`, {
      cancelReason: '부분 환불',
      cancelAmount: 5000,
    });
    expect(partial.status).toBe(200);
    expect(partial.body.status).toBe('PARTIAL_CANCELED');
    expect(partial.body.balanceAmount).toBe(10_000);
    expect(partial.body.cancels).toHaveLength(1);
    expect(partial.body.cancels![0]).toMatchObject({
      cancelAmount: 5000,
      cancelReason: '부분 환불',
      refundableAmount: 10_000,
      cancelStatus: 'DONE',
    });
    expect(partial.body.cancels![0]!.canceledAt).toMatch(KST_TIMESTAMP);
    expect(partial.body.lastTransactionKey).toBe(partial.body.cancels![0]!.transactionKey);

    const tooMuch = await call('POST', `/v1/payments/${paid.paymentKey}/cancel`, {
      cancelReason: 'x',
      cancelAmount: 10_001,
    });
    expect(tooMuch.status).toBe(403);
    expect(tooMuch.body.code).toBe('NOT_CANCELABLE_AMOUNT');

    const rest = await call<TossPayment>('POST', `/v1/payments/${paid.paymentKey}/cancel`, {
      cancelReason: '전액',
    });
    expect(rest.body.status).toBe('CANCELED');
    expect(rest.body.balanceAmount).toBe(0);
    expect(rest.body.cancels).toHaveLength(2);

    const again = await call('POST', `/v1/payments/${paid.paymentKey}/cancel`, { cancelReason: 'again' });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('ALREADY_CANCELED_PAYMENT');
  });

  it('requires a cancel reason and a cancelable payment', async () => {
    const paid = await confirmed();
    expect((await call('POST', `/v1/payments/${paid.paymentKey}/cancel`, {})).body.code).toBe(
      'INVALID_REQUEST',
    );
    const pending = checkout();
    const res = await call('POST', `/v1/payments/${pending.paymentKey}/cancel`, { cancelReason: 'x' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('NOT_CANCELABLE_PAYMENT');
    expect((await call('POST', '/v1/payments/nope/cancel', { cancelReason: 'x' })).status).toBe(404);
  });
});

describe('virtual accounts', () => {
  it('waits for the deposit, sends DEPOSIT_CALLBACK when it arrives, and refunds to a named account', async () => {
    const hook = await receiver([200]);
    try {
      sim.control.setWebhookUrls([hook.url]);
      const p = checkout(30_000, { method: '가상계좌' });
      const waiting = (await call<TossPayment>('POST', '/v1/payments/confirm', p)).body;
      expect(waiting.status).toBe('WAITING_FOR_DEPOSIT');
      expect(waiting.method).toBe('가상계좌');
      expect(waiting.approvedAt).toBeNull();
      expect(waiting.secret).toMatch(/^ps_/);
      expect(waiting.virtualAccount).toMatchObject({
        accountType: '일반',
        bankCode: '20',
        expired: false,
        refundStatus: 'NONE',
        settlementStatus: 'INCOMPLETED',
      });
      expect(waiting.virtualAccount!.dueDate).toMatch(KST_TIMESTAMP);

      const partial = await call('POST', `/v1/payments/${p.paymentKey}/cancel`, {
        cancelReason: 'x',
        cancelAmount: 1,
      });
      expect(partial.body.code).toBe('NOT_ALLOWED_PARTIAL_REFUND_WAITING_DEPOSIT');

      const done = sim.control.deposit(p.paymentKey);
      expect(done.status).toBe('DONE');
      await vi.waitFor(() => expect(hook.bodies.some((b) => !('eventType' in (b as object)))).toBe(true));
      const callback = hook.bodies.find((b) => !('eventType' in (b as object)));
      expect(callback).toEqual({
        createdAt: expect.stringMatching(KST_TIMESTAMP),
        secret: waiting.secret,
        orderId: p.orderId,
        status: 'DONE',
        transactionKey: done.lastTransactionKey,
      });

      const noAccount = await call('POST', `/v1/payments/${p.paymentKey}/cancel`, { cancelReason: '환불' });
      expect(noAccount.body.code).toBe('INVALID_REQUEST');
      const refunded = await call<TossPayment>('POST', `/v1/payments/${p.paymentKey}/cancel`, {
        cancelReason: '환불',
        refundReceiveAccount: { bank: '88', accountNumber: '110123456789', holderName: '김토스' },
      });
      expect(refunded.body.status).toBe('CANCELED');
      expect(refunded.body.virtualAccount).toMatchObject({
        refundStatus: 'COMPLETED',
        refundReceiveAccount: { bankCode: '88', accountNumber: '110123456789', holderName: '김토스' },
      });
    } finally {
      hook.server.close();
    }
  });

  it('expires an unpaid virtual account', async () => {
    const p = checkout(30_000, { method: '가상계좌' });
    await call('POST', '/v1/payments/confirm', p);
    const res = await fetch(`${sim.url}/simulator/control/payments/${p.paymentKey}/expire`, {
      method: 'POST',
    });
    const expired = (await res.json()) as TossPayment;
    expect(expired.status).toBe('EXPIRED');
    expect(expired.virtualAccount!.expired).toBe(true);
  });
});

describe('billing (automatic payments)', () => {
  async function registerCard(customerKey: string, cardId = 'ok'): Promise<string> {
    const form = new URLSearchParams({
      clientKey: CK,
      customerKey,
      successUrl: 'http://shop.test/billing/success',
      failUrl: 'http://shop.test/billing/fail',
      cardId,
      action: 'register',
    });
    const res = await fetch(`${sim.url}/simulator/billing-auth`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('http://shop.test/billing/success');
    expect(location.searchParams.get('customerKey')).toBe(customerKey);
    return location.searchParams.get('authKey')!;
  }

  it('serves a marked card-registration page and its cancel goes to failUrl', async () => {
    const q = new URLSearchParams({
      clientKey: CK,
      customerKey: 'cust-page',
      successUrl: 'http://shop.test/s',
      failUrl: 'http://shop.test/f',
    });
    const page = await fetch(`${sim.url}/simulator/billing-auth?${q}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('TEST PAYMENT');
    const res = await fetch(`${sim.url}/simulator/billing-auth`, {
      method: 'POST',
      body: new URLSearchParams({ ...Object.fromEntries(q), action: 'cancel' }),
      redirect: 'manual',
    });
    expect(new URL(res.headers.get('location')!).searchParams.get('code')).toBe('PAY_PROCESS_CANCELED');
  });

  it('issues a billing key from an authKey once, and charges it', async () => {
    const authKey = await registerCard('cust-1');
    expect(authKey).toMatch(/^bln_/);
    const issued = await call('POST', '/v1/billing/authorizations/issue', { authKey, customerKey: 'cust-1' });
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({
      mId: 'tvivarepublica',
      customerKey: 'cust-1',
      method: '카드',
      cardCompany: '현대',
      cardNumber: '43301234****123*',
      card: {
        issuerCode: '61',
        acquirerCode: '61',
        number: '43301234****123*',
        cardType: '신용',
        ownerType: '개인',
      },
    });
    expect(issued.body.authenticatedAt).toMatch(KST_TIMESTAMP);
    const billingKey = issued.body.billingKey as string;

    const reused = await call('POST', '/v1/billing/authorizations/issue', { authKey, customerKey: 'cust-1' });
    expect(reused.body.code).toBe('INVALID_BILLING_AUTH');

    const id = orderId();
    const charge = {
      customerKey: 'cust-1',
      amount: 9900,
      orderId: id,
      orderName: '정기결제',
      customerEmail: 'a@b.kr',
    };
    const paid = await call<TossPayment>('POST', `/v1/billing/${billingKey}`, charge);
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({
      type: 'BILLING',
      status: 'DONE',
      method: '카드',
      orderId: id,
      totalAmount: 9900,
    });
    expect(paid.body.card!.number).toBe('43301234****123*');

    const duplicate = await call('POST', `/v1/billing/${billingKey}`, charge);
    expect(duplicate.body.code).toBe('DUPLICATED_ORDER_ID');
    const otherCustomer = await call('POST', `/v1/billing/${billingKey}`, {
      ...charge,
      orderId: orderId(),
      customerKey: 'x-2',
    });
    expect(otherCustomer.body.code).toBe('NOT_MATCHES_CUSTOMER_KEY');
    const unknown = await call('POST', '/v1/billing/no-such-key', { ...charge, orderId: orderId() });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('NOT_FOUND_BILLING');
    const badEmail = await call('POST', `/v1/billing/${billingKey}`, {
      ...charge,
      orderId: orderId(),
      customerEmail: 'x',
    });
    expect(badEmail.body.code).toBe('INVALID_EMAIL');
  });

  it('refuses an authKey issued to another customer', async () => {
    const authKey = sim.control.billingAuth('cust-a').authKey;
    const res = await call('POST', '/v1/billing/authorizations/issue', { authKey, customerKey: 'cust-b' });
    expect(res.body.code).toBe('NOT_MATCHES_CUSTOMER_KEY');
  });

  it('fails the next charge on demand, and a declining test card fails every charge', async () => {
    const { authKey } = sim.control.billingAuth('cust-2');
    const billing = await call('POST', '/v1/billing/authorizations/issue', {
      authKey,
      customerKey: 'cust-2',
    });
    const billingKey = billing.body.billingKey as string;
    sim.control.failNext('REJECT_CARD_PAYMENT', 'billing');
    const failedOrder = orderId();
    const failed = await call('POST', `/v1/billing/${billingKey}`, {
      customerKey: 'cust-2',
      amount: 9900,
      orderId: failedOrder,
      orderName: '정기결제',
    });
    expect(failed).toEqual({
      status: 403,
      body: { code: 'REJECT_CARD_PAYMENT', message: '한도초과 혹은 잔액부족으로 결제에 실패했습니다.' },
    });
    expect((await call<TossPayment>('GET', `/v1/payments/orders/${failedOrder}`)).body.status).toBe(
      'ABORTED',
    );
    // The aborted order id may be charged again (a retry).
    const retried = await call<TossPayment>('POST', `/v1/billing/${billingKey}`, {
      customerKey: 'cust-2',
      amount: 9900,
      orderId: failedOrder,
      orderName: '정기결제',
    });
    expect(retried.body.status).toBe('DONE');

    const declining = sim.control.billingAuth('cust-3', 'insufficient');
    const key3 = (await call('POST', '/v1/billing/authorizations/issue', { ...declining })).body
      .billingKey as string;
    for (let i = 0; i < 2; i++) {
      const res = await call('POST', `/v1/billing/${key3}`, {
        customerKey: 'cust-3',
        amount: 9900,
        orderId: orderId(),
        orderName: '정기결제',
      });
      expect(res.body.code).toBe('REJECT_CARD_PAYMENT');
    }
  });
});

describe('webhooks', () => {
  it('sends PAYMENT_STATUS_CHANGED and retries until the receiver answers 200', async () => {
    const hook = await receiver([500, 503, 200]);
    try {
      sim.control.setWebhookUrls([hook.url], [5, 5, 5]);
      const paid = await confirmed();
      await vi.waitFor(() => expect(sim.control.webhooks()[0]?.state).toBe('delivered'));
      const [delivery] = sim.control.webhooks();
      expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
      expect(hook.bodies).toHaveLength(3);
      expect(hook.bodies[2]).toEqual({
        eventType: 'PAYMENT_STATUS_CHANGED',
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/),
        data: paid,
      });
    } finally {
      hook.server.close();
    }
  });

  it('reports a refused approval as ABORTED', async () => {
    const hook = await receiver([200]);
    try {
      sim.control.setWebhookUrls([hook.url]);
      sim.control.failNext('REJECT_CARD_COMPANY', 'confirm');
      const p = checkout();
      await call('POST', '/v1/payments/confirm', p);
      await vi.waitFor(() => expect(hook.bodies).toHaveLength(1));
      expect(hook.bodies[0]).toMatchObject({
        eventType: 'PAYMENT_STATUS_CHANGED',
        data: { paymentKey: p.paymentKey, status: 'ABORTED', failure: { code: 'REJECT_CARD_COMPANY' } },
      });
    } finally {
      hook.server.close();
    }
  });

  it('gives up after the retry schedule runs out', async () => {
    const hook = await receiver([500]);
    try {
      sim.control.setWebhookUrls([hook.url], [5, 5]);
      await confirmed();
      await vi.waitFor(() => expect(sim.control.webhooks()[0]?.state).toBe('failed'));
      expect(sim.control.webhooks()[0]!.attempts).toHaveLength(3);
    } finally {
      hook.server.close();
    }
  });

  it("follows Toss's documented retry schedule by default", async () => {
    const { TOSS_RETRY_DELAYS_MS } = await import('./index.ts');
    expect(TOSS_RETRY_DELAYS_MS.map((ms) => ms / 60_000)).toEqual([1, 4, 16, 64, 256, 1024, 4096]);
  });
});

describe('HTTP test controls', () => {
  it('describes itself, queues failures, lists payments, completes checkouts and resets', async () => {
    const info = await (await fetch(`${sim.url}/simulator/info`)).json();
    expect(info).toMatchObject({
      simulator: true,
      apiUrl: sim.url,
      checkoutUrl: `${sim.url}/simulator/checkout`,
    });

    const queued = await call('POST', '/simulator/control/fail-next', {
      code: 'REJECT_CARD_COMPANY',
      target: 'confirm',
    });
    expect(queued.status).toBe(200);
    const unknownCode = await call('POST', '/simulator/control/fail-next', { code: 'NOPE' });
    expect(unknownCode.status).toBe(400);

    const started = await call<{ paymentKey: string; orderId: string; amount: number }>(
      'POST',
      '/simulator/control/checkout',
      { orderId: orderId(), amount: 5000, orderName: 'x' },
    );
    const refused = await call('POST', '/v1/payments/confirm', started.body);
    expect(refused.body.code).toBe('REJECT_CARD_COMPANY');

    const listed = await call<{ payments: TossPayment[] }>('GET', '/simulator/control/payments');
    expect(listed.body.payments.map((p) => p.paymentKey)).toEqual([started.body.paymentKey]);

    await call('POST', '/simulator/control/reset', {});
    expect(
      (await call<{ payments: TossPayment[] }>('GET', '/simulator/control/payments')).body.payments,
    ).toEqual([]);
  });

  it('sets webhook URLs over HTTP', async () => {
    const hook = await receiver([200]);
    try {
      const set = await call('PUT', '/simulator/control/webhooks', { urls: [hook.url], retryDelaysMs: [5] });
      expect(set.status).toBe(200);
      await confirmed();
      await vi.waitFor(() => expect(hook.bodies).toHaveLength(1));
      const listed = await call<{ deliveries: { state: string }[] }>('GET', '/simulator/control/webhooks');
      expect(listed.body.deliveries.map((d) => d.state)).toEqual(['delivered']);
    } finally {
      hook.server.close();
    }
  });
});
