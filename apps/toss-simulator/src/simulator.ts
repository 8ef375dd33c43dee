import { setTimeout as sleep } from 'node:timers/promises';
import { TossError, type TossErrorCode } from './errors.ts';
import {
  API_VERSION,
  CUSTOMER_KEY_PATTERN,
  kst,
  newPaymentKey,
  newTransactionKey,
  ORDER_ID_PATTERN,
  type PaymentMethod,
  randomString,
  TEST_CARDS,
  TEST_MID,
  type TestCard,
  type TossBilling,
  type TossCancel,
  type TossCard,
  type TossPayment,
  type TossRefundReceiveAccount,
  testCard,
  vatSplit,
} from './model.ts';
import { type WebhookDelivery, WebhookSender } from './webhooks.ts';

/** Which API call a queued failure applies to. */
export type FailureTarget = 'confirm' | 'billing' | 'cancel' | 'billing-auth' | 'any';

export interface QueuedFailure {
  code: TossErrorCode;
  target: FailureTarget;
}

export interface CheckoutInput {
  orderId: string;
  amount: number;
  orderName: string;
  method?: PaymentMethod;
  customerKey?: string | null;
  customerName?: string | null;
  cardId?: string;
}

export interface ConfirmInput {
  paymentKey: string;
  orderId: string;
  amount: number;
}

export interface CancelInput {
  cancelReason: string;
  cancelAmount?: number;
  refundReceiveAccount?: TossRefundReceiveAccount;
  taxFreeAmount?: number;
}

export interface BillingChargeInput {
  customerKey: string;
  amount: number;
  orderId: string;
  orderName: string;
  customerEmail?: string;
  customerName?: string;
  customerMobilePhone?: string;
  taxFreeAmount?: number;
  taxExemptionAmount?: number;
  cardInstallmentPlan?: number;
}

interface PaymentRecord {
  payment: TossPayment;
  card: TestCard;
  customerKey: string | null;
  /** Name the virtual account is issued to. */
  customerName: string;
}

interface AuthKeyRecord {
  customerKey: string;
  card: TestCard;
  used: boolean;
}

interface BillingRecord {
  billing: TossBilling;
  card: TestCard;
}

export interface SimulatorOptions {
  secretKeys: string[];
  clientKeys: string[];
  webhookUrls: string[];
  webhookRetryDelaysMs: readonly number[];
  /** Days a virtual account waits for the deposit. */
  virtualAccountDueDays?: number;
}

const DEFAULT_DUE_DAYS = 7;

/**
 * An order id is used up once a payment for it was approved (or is waiting for its deposit); after a
 * refused or expired attempt the same order id may be paid again.
 */
function settled(status: TossPayment['status']): boolean {
  return status !== 'READY' && status !== 'IN_PROGRESS' && status !== 'ABORTED' && status !== 'EXPIRED';
}

/**
 * The simulator's in-memory Toss: payments, card registrations, billing keys and the test controls.
 * Everything here follows the documented behaviour of Toss's core API; the HTTP layer only maps it.
 */
export class TossSimulator {
  readonly secretKeys: string[];
  readonly clientKeys: string[];
  readonly webhooks: WebhookSender;
  /** Public base URL (set once the server listens), used for receipt and checkout links. */
  baseUrl = '';
  latencyMs = 0;
  private clockOffsetMs = 0;
  private readonly dueDays: number;
  private payments = new Map<string, PaymentRecord>();
  private authKeys = new Map<string, AuthKeyRecord>();
  private billings = new Map<string, BillingRecord>();
  private failures: QueuedFailure[] = [];
  /** Payment keys and order ids whose approval is under way, so a concurrent second call is refused. */
  private busy = new Set<string>();

  constructor(options: SimulatorOptions) {
    this.secretKeys = options.secretKeys;
    this.clientKeys = options.clientKeys;
    this.dueDays = options.virtualAccountDueDays ?? DEFAULT_DUE_DAYS;
    this.webhooks = new WebhookSender(options.webhookUrls, options.webhookRetryDelaysMs);
  }

  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  private readonly resetHooks: (() => void)[] = [];

  /** Lets the HTTP layer drop its own state (idempotency keys) when the simulator is reset. */
  onReset(hook: () => void): void {
    this.resetHooks.push(hook);
  }

  reset(): void {
    for (const hook of this.resetHooks) hook();
    this.payments.clear();
    this.authKeys.clear();
    this.billings.clear();
    this.failures = [];
    this.busy.clear();
    this.latencyMs = 0;
    this.clockOffsetMs = 0;
    this.webhooks.clear();
  }

  failNext(code: TossErrorCode, target: FailureTarget = 'any', count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push({ code, target });
  }

  queuedFailures(): QueuedFailure[] {
    return [...this.failures];
  }

  private takeFailure(target: Exclude<FailureTarget, 'any'>): TossErrorCode | null {
    const i = this.failures.findIndex((f) => f.target === target || f.target === 'any');
    if (i < 0) return null;
    const [failure] = this.failures.splice(i, 1);
    return failure!.code;
  }

  listPayments(): TossPayment[] {
    return [...this.payments.values()].map((r) => structuredClone(r.payment));
  }

  listWebhooks(): WebhookDelivery[] {
    return this.webhooks.list();
  }

  /** The customer finished the payment window: the payment exists and waits for the merchant's confirm. */
  authorizeCheckout(input: CheckoutInput): TossPayment {
    if (!ORDER_ID_PATTERN.test(input.orderId)) throw new TossError('INVALID_ORDER_ID');
    if (input.orderName.length === 0 || input.orderName.length > 100)
      throw new TossError('INVALID_ORDER_NAME');
    if (!Number.isInteger(input.amount) || input.amount < 100) throw new TossError('BELOW_MINIMUM_AMOUNT');
    if (input.customerKey && !CUSTOMER_KEY_PATTERN.test(input.customerKey)) {
      throw new TossError('INVALID_CUSTOMER_KEY');
    }
    if (this.findByOrderId(input.orderId, (r) => settled(r.payment.status))) {
      throw new TossError('DUPLICATED_ORDER_ID');
    }
    const card = testCard(input.cardId) ?? TEST_CARDS[0]!;
    const method = input.method ?? '카드';
    const now = this.now();
    const paymentKey = newPaymentKey(now);
    const payment = this.newPayment({
      paymentKey,
      orderId: input.orderId,
      orderName: input.orderName,
      amount: input.amount,
      method,
      type: 'NORMAL',
      requestedAt: now,
    });
    payment.status = 'IN_PROGRESS';
    this.payments.set(paymentKey, {
      payment,
      card,
      customerKey: input.customerKey ?? null,
      customerName: input.customerName ?? '테스트',
    });
    return structuredClone(payment);
  }

  async confirm(input: ConfirmInput): Promise<TossPayment> {
    const record = this.payments.get(input.paymentKey);
    if (!record || record.payment.orderId !== input.orderId) throw new TossError('NOT_FOUND_PAYMENT');
    const { payment } = record;
    if (payment.status === 'EXPIRED') throw new TossError('NOT_FOUND_PAYMENT_SESSION');
    const orderLock = `order:${payment.orderId}`;
    if (payment.status !== 'IN_PROGRESS' || this.busy.has(input.paymentKey)) {
      throw new TossError('ALREADY_PROCESSED_PAYMENT');
    }
    // Toss refuses an approval whose amount differs from the one the payment window was opened with.
    if (input.amount !== payment.totalAmount) throw new TossError('INVALID_REQUEST');
    // One order is approved once, even when the window was opened twice (two tabs) and both confirm.
    if (this.busy.has(orderLock) || this.findByOrderId(payment.orderId, (r) => settled(r.payment.status))) {
      throw new TossError('DUPLICATED_ORDER_ID');
    }
    this.busy.add(input.paymentKey);
    this.busy.add(orderLock);
    try {
      if (this.latencyMs > 0) await sleep(this.latencyMs);
      const failure = this.takeFailure('confirm');
      if (failure) {
        this.abort(record, failure);
        throw new TossError(failure);
      }
      const now = this.now();
      payment.lastTransactionKey = newTransactionKey();
      if (payment.method === '가상계좌') {
        payment.status = 'WAITING_FOR_DEPOSIT';
        payment.secret = `ps_${randomString(24)}`;
        payment.virtualAccount = {
          accountType: '일반',
          accountNumber: `X${randomString(13, '0123456789')}`,
          bankCode: '20',
          customerName: record.customerName,
          dueDate: kst(new Date(now.getTime() + this.dueDays * 86_400_000)),
          refundStatus: 'NONE',
          expired: false,
          settlementStatus: 'INCOMPLETED',
          refundReceiveAccount: null,
          depositorName: null,
        };
      } else {
        payment.status = 'DONE';
        payment.approvedAt = kst(now);
        payment.card = this.cardOf(record.card, payment.totalAmount);
        if (payment.method === '간편결제')
          payment.easyPay = { provider: '토스페이', amount: 0, discountAmount: 0 };
      }
      this.statusChanged(payment);
      return structuredClone(payment);
    } finally {
      this.busy.delete(input.paymentKey);
      this.busy.delete(orderLock);
    }
  }

  getPayment(paymentKey: string): TossPayment {
    const record = this.payments.get(paymentKey);
    if (!record) throw new TossError('NOT_FOUND_PAYMENT');
    return structuredClone(record.payment);
  }

  getPaymentByOrderId(orderId: string): TossPayment {
    const record = this.findByOrderId(orderId, () => true);
    if (!record) throw new TossError('NOT_FOUND_PAYMENT');
    return structuredClone(record.payment);
  }

  cancel(paymentKey: string, input: CancelInput): TossPayment {
    const record = this.payments.get(paymentKey);
    if (!record) throw new TossError('NOT_FOUND_PAYMENT');
    const { payment } = record;
    if (payment.status === 'CANCELED') throw new TossError('ALREADY_CANCELED_PAYMENT');
    const waiting = payment.status === 'WAITING_FOR_DEPOSIT';
    if (!waiting && payment.status !== 'DONE' && payment.status !== 'PARTIAL_CANCELED') {
      throw new TossError('NOT_CANCELABLE_PAYMENT');
    }
    const amount = input.cancelAmount ?? payment.balanceAmount;
    if (!Number.isInteger(amount) || amount <= 0 || amount > payment.balanceAmount) {
      throw new TossError('NOT_CANCELABLE_AMOUNT');
    }
    if (waiting && amount !== payment.balanceAmount) {
      throw new TossError('NOT_ALLOWED_PARTIAL_REFUND_WAITING_DEPOSIT');
    }
    // Money that reached a virtual account can only go back to an account the customer names.
    if (payment.method === '가상계좌' && !waiting && !input.refundReceiveAccount) {
      throw new TossError('INVALID_REQUEST');
    }
    const failure = this.takeFailure('cancel');
    if (failure) throw new TossError(failure);
    const transactionKey = newTransactionKey();
    const cancel: TossCancel = {
      transactionKey,
      cancelReason: input.cancelReason,
      taxExemptionAmount: 0,
      canceledAt: kst(this.now()),
      transferDiscountAmount: 0,
      easyPayDiscountAmount: 0,
      receiptKey: null,
      cancelAmount: amount,
      taxFreeAmount: input.taxFreeAmount ?? 0,
      refundableAmount: payment.balanceAmount - amount,
      cancelStatus: 'DONE',
      cancelRequestId: null,
    };
    payment.cancels = [...(payment.cancels ?? []), cancel];
    payment.balanceAmount -= amount;
    payment.lastTransactionKey = transactionKey;
    payment.status = payment.balanceAmount === 0 ? 'CANCELED' : 'PARTIAL_CANCELED';
    if (payment.card) payment.card.acquireStatus = payment.status === 'CANCELED' ? 'CANCELED' : 'READY';
    if (payment.virtualAccount && !waiting && input.refundReceiveAccount) {
      payment.virtualAccount.refundReceiveAccount = input.refundReceiveAccount;
      payment.virtualAccount.refundStatus = 'COMPLETED';
    }
    this.statusChanged(payment);
    if (waiting) this.depositCallback(payment, 'CANCELED');
    return structuredClone(payment);
  }

  /** The customer registered a card in the billing-authorisation window; Toss hands out a one-time authKey. */
  issueAuthKey(customerKey: string, cardId?: string): string {
    if (!CUSTOMER_KEY_PATTERN.test(customerKey)) throw new TossError('INVALID_CUSTOMER_KEY');
    const card = testCard(cardId);
    if (!card) throw new TossError('INVALID_CARD_NUMBER');
    const authKey = `bln_${randomString(12)}`;
    this.authKeys.set(authKey, { customerKey, card, used: false });
    return authKey;
  }

  issueBillingKey(authKey: string, customerKey: string): TossBilling {
    const auth = this.authKeys.get(authKey);
    if (!auth || auth.used) throw new TossError('INVALID_BILLING_AUTH');
    if (auth.customerKey !== customerKey) throw new TossError('NOT_MATCHES_CUSTOMER_KEY');
    const failure = this.takeFailure('billing-auth');
    if (failure) throw new TossError(failure);
    auth.used = true;
    const billing: TossBilling = {
      mId: TEST_MID,
      customerKey,
      authenticatedAt: kst(this.now()),
      method: '카드',
      billingKey: randomString(50),
      card: {
        issuerCode: auth.card.issuerCode,
        acquirerCode: auth.card.issuerCode,
        number: auth.card.number,
        cardType: auth.card.cardType,
        ownerType: '개인',
      },
      cardCompany: auth.card.company,
      cardNumber: auth.card.number,
    };
    this.billings.set(billing.billingKey, { billing, card: auth.card });
    return structuredClone(billing);
  }

  async chargeBilling(billingKey: string, input: BillingChargeInput): Promise<TossPayment> {
    const record = this.billings.get(billingKey);
    if (!record) throw new TossError('NOT_FOUND_BILLING');
    if (record.billing.customerKey !== input.customerKey) throw new TossError('NOT_MATCHES_CUSTOMER_KEY');
    if (!ORDER_ID_PATTERN.test(input.orderId)) throw new TossError('INVALID_ORDER_ID');
    if (input.orderName.length === 0 || input.orderName.length > 100)
      throw new TossError('INVALID_ORDER_NAME');
    if (!Number.isInteger(input.amount) || input.amount < 100) throw new TossError('BELOW_MINIMUM_AMOUNT');
    if (this.busy.has(`order:${input.orderId}`)) throw new TossError('ALREADY_PROCESSED_PAYMENT');
    if (this.findByOrderId(input.orderId, (r) => settled(r.payment.status))) {
      throw new TossError('DUPLICATED_ORDER_ID');
    }
    this.busy.add(`order:${input.orderId}`);
    try {
      if (this.latencyMs > 0) await sleep(this.latencyMs);
      const now = this.now();
      const payment = this.newPayment({
        paymentKey: newPaymentKey(now),
        orderId: input.orderId,
        orderName: input.orderName,
        amount: input.amount,
        method: '카드',
        type: 'BILLING',
        requestedAt: now,
        taxFreeAmount: input.taxFreeAmount ?? 0,
        taxExemptionAmount: input.taxExemptionAmount ?? 0,
      });
      const stored: PaymentRecord = {
        payment,
        card: record.card,
        customerKey: input.customerKey,
        customerName: input.customerName ?? '',
      };
      const failure = this.takeFailure('billing') ?? record.card.declines;
      if (failure) {
        this.payments.set(payment.paymentKey, stored);
        this.abort(stored, failure);
        throw new TossError(failure);
      }
      payment.status = 'DONE';
      payment.approvedAt = kst(now);
      payment.lastTransactionKey = newTransactionKey();
      payment.card = this.cardOf(record.card, input.amount);
      this.payments.set(payment.paymentKey, stored);
      this.statusChanged(payment);
      return structuredClone(payment);
    } finally {
      this.busy.delete(`order:${input.orderId}`);
    }
  }

  /** Test control: the customer pays into the virtual account. */
  deposit(paymentKey: string): TossPayment {
    const record = this.payments.get(paymentKey);
    if (!record) throw new TossError('NOT_FOUND_PAYMENT');
    const { payment } = record;
    if (payment.status !== 'WAITING_FOR_DEPOSIT' || !payment.virtualAccount) {
      throw new TossError('NOT_CANCELABLE_PAYMENT');
    }
    payment.status = 'DONE';
    payment.approvedAt = kst(this.now());
    payment.lastTransactionKey = newTransactionKey();
    payment.virtualAccount.depositorName = payment.virtualAccount.customerName;
    this.depositCallback(payment, 'DONE');
    this.statusChanged(payment);
    return structuredClone(payment);
  }

  /** Test control: the deposit deadline passes without money, or a payment window session times out. */
  expire(paymentKey: string): TossPayment {
    const record = this.payments.get(paymentKey);
    if (!record) throw new TossError('NOT_FOUND_PAYMENT');
    const { payment } = record;
    if (payment.status !== 'WAITING_FOR_DEPOSIT' && payment.status !== 'IN_PROGRESS') {
      throw new TossError('NOT_CANCELABLE_PAYMENT');
    }
    payment.status = 'EXPIRED';
    if (payment.virtualAccount) payment.virtualAccount.expired = true;
    this.statusChanged(payment);
    return structuredClone(payment);
  }

  private depositCallback(payment: TossPayment, status: 'DONE' | 'CANCELED'): void {
    if (!payment.secret || !payment.lastTransactionKey) return;
    this.webhooks.send('DEPOSIT_CALLBACK', {
      createdAt: kst(this.now()),
      secret: payment.secret,
      orderId: payment.orderId,
      status,
      transactionKey: payment.lastTransactionKey,
    });
  }

  private statusChanged(payment: TossPayment): void {
    this.webhooks.send('PAYMENT_STATUS_CHANGED', {
      eventType: 'PAYMENT_STATUS_CHANGED',
      createdAt: `${kst(this.now()).slice(0, 19)}.000000`,
      data: payment,
    });
  }

  private abort(record: PaymentRecord, code: TossErrorCode): void {
    record.payment.status = 'ABORTED';
    record.payment.failure = { code, message: new TossError(code).message };
    this.statusChanged(record.payment);
  }

  private findByOrderId(orderId: string, accept: (r: PaymentRecord) => boolean): PaymentRecord | undefined {
    let found: PaymentRecord | undefined;
    for (const r of this.payments.values()) if (r.payment.orderId === orderId && accept(r)) found = r;
    return found;
  }

  private cardOf(card: TestCard, amount: number): TossCard {
    return {
      amount,
      issuerCode: card.issuerCode,
      acquirerCode: card.issuerCode,
      number: card.number,
      installmentPlanMonths: 0,
      approveNo: randomString(8, '0123456789'),
      useCardPoint: false,
      cardType: card.cardType,
      ownerType: '개인',
      acquireStatus: 'READY',
      isInterestFree: false,
      interestPayer: null,
    };
  }

  private newPayment(p: {
    paymentKey: string;
    orderId: string;
    orderName: string;
    amount: number;
    method: PaymentMethod;
    type: 'NORMAL' | 'BILLING';
    requestedAt: Date;
    taxFreeAmount?: number;
    taxExemptionAmount?: number;
  }): TossPayment {
    const taxFreeAmount = p.taxFreeAmount ?? 0;
    return {
      mId: TEST_MID,
      lastTransactionKey: null,
      paymentKey: p.paymentKey,
      orderId: p.orderId,
      orderName: p.orderName,
      taxExemptionAmount: p.taxExemptionAmount ?? 0,
      status: 'READY',
      requestedAt: kst(p.requestedAt),
      approvedAt: null,
      useEscrow: false,
      cultureExpense: false,
      card: null,
      virtualAccount: null,
      transfer: null,
      mobilePhone: null,
      giftCertificate: null,
      cashReceipt: null,
      cashReceipts: null,
      discount: null,
      cancels: null,
      secret: null,
      type: p.type,
      easyPay: null,
      country: 'KR',
      failure: null,
      isPartialCancelable: true,
      receipt: { url: `${this.baseUrl}/simulator/receipt/${p.paymentKey}` },
      checkout: { url: `${this.baseUrl}/v1/payments/${p.paymentKey}/checkout` },
      currency: 'KRW',
      totalAmount: p.amount,
      balanceAmount: p.amount,
      ...vatSplit(p.amount, taxFreeAmount),
      taxFreeAmount,
      method: p.method,
      version: API_VERSION,
      metadata: null,
    };
  }
}
