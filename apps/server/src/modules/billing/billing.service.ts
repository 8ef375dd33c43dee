import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Tier } from '@eventmanager/domain/accounts/schema';
import {
  ADDONS,
  type AddonId,
  type Cart,
  CartError,
  type ConfirmBody,
  cartPrice,
  limitsOf,
  type Payment,
  PER_EVENT_GRACE_DAYS,
  PLAN_ORDER,
  PLANS,
  type PlansResponse,
  type PrepareBody,
  perEventEnd,
  periodEnd,
  prorateUpgrade,
  type Subscription,
  type SubscriptionView,
} from '@eventmanager/domain/billing/plans';
import type { Language } from '@eventmanager/domain/common/schema';
import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { PiiCipher } from '../../platform/pii.ts';
import { conflict, HttpProblem, notFound } from '../../platform/problem.ts';
import { getBillingContact, setTier } from '../accounts/accounts.api.ts';
import { getEvent, listDashboard, listStaff } from '../events/events.repository.ts';
import { enqueueMail } from '../notifications/notifications.api.ts';
import { planLimitError } from './billing.api.ts';
import { billingRepository as repo } from './billing.repository.ts';
import type { CustomerRow, PaymentRow, SubscriptionRow } from './billing.tables.ts';
import { lastDigits, type TossClient, TossError, type TossPayment } from './toss-client.ts';

/** Payments through Toss, when configured; null means billing answers "payments are not configured". */
export interface PaymentsSetup {
  client: TossClient;
  clientKey: string;
  /** True when the Toss endpoint is a local test simulator (nothing is really charged). */
  testMode: boolean;
  /** Hosted payment and card-registration pages to redirect to; null = Toss's SDK window. */
  checkoutUrl: string | null;
  billingAuthUrl: string | null;
}

export interface BillingDeps {
  db: Db;
  clock: Clock;
  cipher: PiiCipher;
  payments: PaymentsSetup | null;
  publicUrl: string;
}

/** What a webhook body may name (nothing else in it is read: the payment is re-read from Toss). */
const webhookBodySchema = z.object({
  orderId: z.string().min(1).max(64).optional(),
  data: z
    .object({
      paymentKey: z.string().min(1).max(200).optional(),
      orderId: z.string().min(1).max(64).optional(),
    })
    .optional(),
});

/** How long one confirm may talk to Toss before another request may take the order over. */
const CONFIRM_LEASE_MS = 90_000;
/** How long a renewal run holds a subscription it is charging. */
const RENEWAL_LEASE_MS = 5 * 60_000;
/** A failed renewal is retried this many days after the period's end, then the subscription expires. */
export const RETRY_DAYS = [1, 3, 7] as const;
const DAY_MS = 24 * 60 * 60 * 1000;
/** How often a confirm that lost the race looks at the winner's outcome. */
const WAIT_POLL_MS = 100;
/** Marks a paid order that found its plan already bought (it is refunded, not applied). */
const DUPLICATE = 'DUPLICATE_SUBSCRIPTION';

const PLAN_NAMES: Record<Language, Record<Tier, string>> = {
  ko: { free: '무료', basic_premium: '베이직 프리미엄', pro_premium: '프로 프리미엄' },
  en: { free: 'Free', basic_premium: 'Basic Premium', pro_premium: 'Pro Premium' },
};
const CYCLE_NAMES: Record<Language, Record<Cart['billing_cycle'], string>> = {
  ko: { monthly: '월간', yearly: '연간', per_event: '이벤트 1회' },
  en: { monthly: 'monthly', yearly: 'yearly', per_event: 'one event' },
};

const byOrder = (a: Tier, b: Tier) => PLAN_ORDER.indexOf(a) - PLAN_ORDER.indexOf(b);

export function toSubscription(row: SubscriptionRow, customer: CustomerRow | undefined): Subscription {
  return {
    id: row.id,
    user_id: row.userId,
    plan: { tier: row.plan, billing_cycle: row.billingCycle, price: row.price, currency: 'KRW' },
    billing_cycle: row.billingCycle,
    addons: row.addons,
    status: row.status,
    current_period_start: row.currentPeriodStart.toISOString(),
    current_period_end: row.currentPeriodEnd.toISOString(),
    cancel_at_period_end: row.cancelAtPeriodEnd,
    event_id: row.eventId,
    payment_method: customer?.cardLast4
      ? { type: 'card', last_4_digits: customer.cardLast4, expiry: null }
      : null,
    next_retry_at: row.nextRetryAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

export function toPayment(row: PaymentRow): Payment {
  const status = row.status === 'confirming' ? 'pending' : row.status;
  return {
    id: row.id,
    subscription_id: row.subscriptionId,
    order_id: row.orderId,
    order_name: row.orderName,
    kind: row.kind,
    amount: row.amount,
    currency: 'KRW',
    status,
    provider: 'toss',
    provider_payment_id: row.paymentKey,
    receipt_url: row.receiptUrl,
    created_at: row.createdAt.toISOString(),
    succeeded_at: row.succeededAt?.toISOString() ?? null,
    failure_reason: row.failureReason,
  };
}

function paymentsNotConfigured(): HttpProblem {
  return new HttpProblem(503, 'Payments are not configured on this server', {
    code: 'payments_not_configured',
  });
}

/** Toss refused the payment: its code and message travel to the browser, which words them per language. */
function tossRefusal(code: string, message: string): HttpProblem {
  return new HttpProblem(402, message, {
    code: 'payment_failed',
    title: 'Payment Required',
    extensions: { toss_code: code },
  });
}

/** Errors that say Toss did not decide (retrying with the same Idempotency-Key is safe). */
const undecided = (e: TossError) =>
  e.status === 0 || e.status >= 500 || e.code === 'IDEMPOTENT_REQUEST_PROCESSING';

export function createBillingService(deps: BillingDeps) {
  const { db, clock, cipher, payments } = deps;

  function requirePayments(): PaymentsSetup {
    if (!payments) throw paymentsNotConfigured();
    return payments;
  }

  async function contactOf(userId: string) {
    const contact = await getBillingContact(db, userId);
    if (!contact) throw notFound('User');
    return contact;
  }

  async function customerOf(userId: string): Promise<CustomerRow> {
    return repo.ensureCustomer(db, userId, `cus_${randomBytes(18).toString('base64url')}`);
  }

  /** The account's tier from its running plan subscription (one-event purchases lift only their event). */
  async function syncTier(tx: Db, userId: string, now: Date): Promise<Tier> {
    const live = await repo.livePlanSubscription(tx, userId);
    const tier: Tier = live ? live.plan : 'free';
    await setTier(tx, userId, tier, now);
    return tier;
  }

  function orderName(language: Language, cart: Cart, kind: PaymentRow['kind']): string {
    const plan = PLAN_NAMES[language][cart.plan];
    const cycle = CYCLE_NAMES[language][cart.billing_cycle];
    const addons = (cart.addons ?? []).length > 0 ? (language === 'ko' ? ' + 부가 기능' : ' + add-ons') : '';
    const prefix = kind === 'upgrade' ? (language === 'ko' ? '업그레이드: ' : 'Upgrade: ') : '';
    return `eventManager ${prefix}${plan} (${cycle})${addons}`;
  }

  async function queueMail(
    tx: Db,
    userId: string,
    type: 'billing_receipt' | 'billing_payment_failed',
    payment: PaymentRow,
    extra: { nextRetryAt?: Date | null; expired?: boolean } = {},
  ): Promise<void> {
    const contact = await getBillingContact(tx, userId);
    if (!contact) return;
    await enqueueMail(tx, {
      type,
      recipient: contact.email,
      data: {
        language: contact.language,
        recipient_name: contact.name,
        branding: null,
        order_name: payment.orderName,
        amount: payment.amount,
        receipt_url: payment.receiptUrl,
        paid_at: (payment.succeededAt ?? clock.now()).toISOString(),
        failure_reason: payment.failureReason,
        next_retry_at: extra.nextRetryAt?.toISOString() ?? null,
        expired: extra.expired ?? false,
        subscription_url: `${deps.publicUrl}/settings/subscription`,
      },
      scheduledAt: clock.now(),
      dedupeKey: `${type}:${payment.id}`,
    });
  }

  /**
   * Applies a payment Toss reported DONE, once: the order moves to `succeeded` only if it was not
   * already (the conditional update decides between racing writers — a confirm and a webhook, or
   * two confirms), and only that writer activates the subscription, sets the tier and queues the
   * receipt, all in one transaction.
   */
  async function applyDone(payment: PaymentRow, toss: TossPayment): Promise<void> {
    const now = clock.now();
    const duplicate = await db.transaction(async (tx) => {
      const moved = await repo.movePayment(tx, payment.id, ['pending', 'confirming'], {
        status: 'succeeded',
        paymentKey: toss.paymentKey,
        tossStatus: toss.status,
        method: toss.method ?? null,
        cardLast4: lastDigits(toss.card?.number),
        receiptUrl: toss.receipt?.url ?? null,
        confirmLeaseUntil: null,
        succeededAt: toss.approvedAt ? new Date(toss.approvedAt) : now,
        updatedAt: now,
      });
      if (!moved) return undefined;
      const cart: Cart = { plan: moved.plan, billing_cycle: moved.billingCycle, addons: moved.addons };
      // Two orders prepared side by side (two tabs) can both be paid: the second finds the plan (or
      // the event's upgrade) already bought, activates nothing and is refunded at Toss below.
      const already =
        moved.kind === 'purchase' &&
        (moved.eventId
          ? (await repo.liveEventSubscriptions(tx, moved.eventId, now)).length > 0
          : (await repo.livePlanSubscription(tx, moved.userId, true)) !== undefined);
      if (already) {
        return repo.movePayment(tx, moved.id, ['succeeded'], {
          failureCode: DUPLICATE,
          failureReason: 'Already subscribed: refunded',
        });
      }
      let subscription: SubscriptionRow;
      if (moved.kind === 'upgrade' && moved.subscriptionId) {
        const current = await repo.findSubscription(tx, moved.subscriptionId);
        if (!current) throw new Error('upgrade of a missing subscription');
        subscription = (await repo.updateSubscription(tx, current.id, {
          plan: moved.plan,
          addons: moved.addons,
          price: cartPrice(cart),
          updatedAt: now,
        }))!;
        await repo.addHistory(tx, {
          subscriptionId: current.id,
          at: now,
          change: 'upgraded',
          fromStatus: current.status,
          toStatus: current.status,
          detail: {
            from_plan: current.plan,
            to_plan: moved.plan,
            addons: moved.addons,
            charged: moved.amount,
          },
        });
      } else if (moved.billingCycle === 'per_event') {
        const event = moved.eventId ? await getEvent(tx, moved.eventId) : undefined;
        const ends = event ? new Date(event.datetime.end ?? event.datetime.start) : now;
        subscription = await repo.insertSubscription(tx, {
          userId: moved.userId,
          plan: moved.plan,
          billingCycle: 'per_event',
          addons: [],
          price: moved.amount,
          status: 'active',
          currentPeriodStart: now,
          currentPeriodEnd: perEventEnd(ends),
          eventId: moved.eventId,
          createdAt: now,
          updatedAt: now,
        });
        await repo.addHistory(tx, {
          subscriptionId: subscription.id,
          at: now,
          change: 'created',
          fromStatus: null,
          toStatus: 'active',
          detail: { order_id: moved.orderId, event_id: moved.eventId },
        });
      } else {
        const cycle = moved.billingCycle;
        subscription = await repo.insertSubscription(tx, {
          userId: moved.userId,
          plan: moved.plan,
          billingCycle: cycle,
          addons: moved.addons,
          price: cartPrice(cart),
          status: 'active',
          currentPeriodStart: now,
          currentPeriodEnd: periodEnd(now, cycle),
          createdAt: now,
          updatedAt: now,
        });
        await repo.addHistory(tx, {
          subscriptionId: subscription.id,
          at: now,
          change: 'created',
          fromStatus: null,
          toStatus: 'active',
          detail: { order_id: moved.orderId },
        });
      }
      const withSub = (await repo.movePayment(tx, moved.id, ['succeeded'], {
        subscriptionId: subscription.id,
      }))!;
      await syncTier(tx, moved.userId, now);
      await queueMail(tx, moved.userId, 'billing_receipt', withSub);
      return undefined;
    });
    if (duplicate) await refundDuplicate(duplicate);
  }

  /** Refunds a paid order that found its plan already bought (same Idempotency-Key on every retry). */
  async function refundDuplicate(payment: PaymentRow): Promise<void> {
    if (!payment.paymentKey || !payments) return;
    try {
      await payments.client.cancelPayment(
        payment.paymentKey,
        { cancelReason: 'Duplicate subscription order' },
        `cancel:${payment.orderId}`,
      );
      await repo.movePayment(db, payment.id, ['succeeded'], { status: 'refunded', updatedAt: clock.now() });
    } catch {
      // Left paid-but-unapplied with its reason; the next confirm of the order retries the refund.
    }
  }

  async function markFailed(payment: PaymentRow, code: string, reason: string): Promise<void> {
    await repo.movePayment(db, payment.id, ['pending', 'confirming'], {
      status: 'failed',
      failureCode: code,
      failureReason: reason,
      confirmLeaseUntil: null,
      updatedAt: clock.now(),
    });
  }

  async function confirmResult(orderId: string): Promise<{ subscription: Subscription; payment: Payment }> {
    const payment = (await repo.findPaymentByOrderId(db, orderId))!;
    if (payment.failureCode === DUPLICATE) {
      if (payment.status === 'succeeded') await refundDuplicate(payment);
      throw conflict(
        'This plan was already bought in another order; this payment is refunded',
        'already_subscribed',
      );
    }
    if (payment.status === 'failed') {
      throw tossRefusal(
        payment.failureCode ?? 'UNKNOWN_ERROR',
        payment.failureReason ?? 'The payment failed',
      );
    }
    const sub = payment.subscriptionId ? await repo.findSubscription(db, payment.subscriptionId) : undefined;
    if (!sub)
      throw new HttpProblem(409, 'The payment is still being confirmed', { code: 'payment_in_progress' });
    return {
      subscription: toSubscription(sub, await repo.findCustomer(db, payment.userId)),
      payment: toPayment(payment),
    };
  }

  /** Waits for the confirm that holds the order's lease to finish (a double-clicked redirect, two tabs). */
  async function waitForOutcome(orderId: string): Promise<PaymentRow> {
    const deadline = Date.now() + CONFIRM_LEASE_MS;
    for (;;) {
      const row = (await repo.findPaymentByOrderId(db, orderId))!;
      if (row.status !== 'confirming' || Date.now() > deadline) return row;
      if (row.confirmLeaseUntil && row.confirmLeaseUntil < clock.now()) return row;
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
  }

  async function usageOf(userId: string): Promise<SubscriptionView['usage']> {
    const mine = (await listDashboard(db, userId)).filter((e) => e.role === 'organizer');
    let maxStaff = 0;
    for (const e of mine.slice(0, 200)) maxStaff = Math.max(maxStaff, (await listStaff(db, e.row.id)).length);
    return {
      events: mine.length,
      max_admitted_participants_in_an_event: mine.reduce((m, e) => Math.max(m, e.participantCount), 0),
      max_staff_in_an_event: maxStaff,
    };
  }

  async function endSubscription(
    row: SubscriptionRow,
    to: 'cancelled' | 'expired',
    change: string,
    now: Date,
    detail: Record<string, unknown> = {},
  ): Promise<void> {
    await db.transaction(async (tx) => {
      await repo.updateSubscription(tx, row.id, {
        status: to,
        nextRetryAt: null,
        renewalLeaseUntil: null,
        updatedAt: now,
      });
      await repo.addHistory(tx, {
        subscriptionId: row.id,
        at: now,
        change,
        fromStatus: row.status,
        toStatus: to,
        detail,
      });
      if (row.eventId === null) await syncTier(tx, row.userId, now);
    });
  }

  /** Charges one due subscription's card (the caller holds its renewal lease). */
  async function renewOne(
    row: SubscriptionRow,
    now: Date,
  ): Promise<'renewed' | 'failed' | 'expired' | 'ended' | 'deferred'> {
    if (row.cancelAtPeriodEnd) {
      await endSubscription(row, 'cancelled', 'ended', now, { reason: 'cancelled_at_period_end' });
      return 'ended';
    }
    if (row.billingCycle === 'per_event') return 'deferred';
    const customer = await repo.findCustomer(db, row.userId);
    if (!customer?.billingKeyEnc || !payments) {
      await endSubscription(row, 'expired', 'expired', now, { reason: 'no_card' });
      return 'expired';
    }
    const contact = await contactOf(row.userId);
    const cart: Cart = { plan: row.plan, billing_cycle: row.billingCycle, addons: row.addons };
    const attemptKey = `${row.id}:${row.currentPeriodEnd.toISOString()}:${row.retryCount}`;
    // One order per subscription, period and attempt (a digest: Toss order ids are at most 64 characters).
    const orderId = `rn_${createHash('sha256').update(attemptKey).digest('hex').slice(0, 48)}`;
    let payment = await repo.findPaymentByOrderId(db, orderId);
    payment ??= await repo.insertPayment(db, {
      orderId,
      userId: row.userId,
      subscriptionId: row.id,
      kind: 'renewal',
      plan: row.plan,
      billingCycle: row.billingCycle,
      addons: row.addons,
      amount: row.price,
      orderName: orderName(contact.language, cart, 'renewal'),
      status: 'confirming',
      idempotencyKey: `renewal:${attemptKey}`,
      createdAt: now,
      updatedAt: now,
    });
    if (payment.status === 'succeeded' || payment.status === 'failed') {
      // A previous run decided this attempt but stopped before moving the subscription on.
      return payment.status === 'succeeded'
        ? applyRenewalSuccess(row, payment, now)
        : applyRenewalFailure(row, payment, now);
    }
    let toss: TossPayment;
    try {
      toss = await payments.client.chargeBillingKey(
        cipher.decrypt(customer.billingKeyEnc),
        {
          customerKey: customer.customerKey,
          amount: payment.amount,
          orderId,
          orderName: payment.orderName,
          customerEmail: contact.email,
          customerName: contact.name,
        },
        payment.idempotencyKey,
      );
    } catch (err) {
      if (!(err instanceof TossError) || undecided(err)) {
        await repo.updateSubscription(db, row.id, { renewalLeaseUntil: null });
        return 'deferred';
      }
      const failed = (await repo.movePayment(db, payment.id, ['confirming', 'pending'], {
        status: 'failed',
        failureCode: err.code,
        failureReason: err.message,
        updatedAt: now,
      }))!;
      return applyRenewalFailure(row, failed, now);
    }
    if (toss.status !== 'DONE') {
      const failed = (await repo.movePayment(db, payment.id, ['confirming', 'pending'], {
        status: 'failed',
        failureCode: toss.status,
        failureReason: `Toss answered ${toss.status}`,
        updatedAt: now,
      }))!;
      return applyRenewalFailure(row, failed, now);
    }
    const paid = (await repo.movePayment(db, payment.id, ['confirming', 'pending'], {
      status: 'succeeded',
      paymentKey: toss.paymentKey,
      tossStatus: toss.status,
      method: toss.method ?? null,
      cardLast4: lastDigits(toss.card?.number),
      receiptUrl: toss.receipt?.url ?? null,
      succeededAt: toss.approvedAt ? new Date(toss.approvedAt) : now,
      updatedAt: now,
    }))!;
    return applyRenewalSuccess(row, paid, now);
  }

  async function applyRenewalSuccess(row: SubscriptionRow, paid: PaymentRow, now: Date): Promise<'renewed'> {
    const cycle = row.billingCycle === 'yearly' ? 'yearly' : 'monthly';
    await db.transaction(async (tx) => {
      await repo.updateSubscription(tx, row.id, {
        status: 'active',
        currentPeriodStart: row.currentPeriodEnd,
        currentPeriodEnd: periodEnd(row.currentPeriodEnd, cycle),
        retryCount: 0,
        nextRetryAt: null,
        renewalLeaseUntil: null,
        updatedAt: now,
      });
      await repo.addHistory(tx, {
        subscriptionId: row.id,
        at: now,
        change: 'renewed',
        fromStatus: row.status,
        toStatus: 'active',
        detail: { order_id: paid.orderId, amount: paid.amount },
      });
      await syncTier(tx, row.userId, now);
      await queueMail(tx, row.userId, 'billing_receipt', paid);
    });
    return 'renewed';
  }

  async function applyRenewalFailure(
    row: SubscriptionRow,
    failed: PaymentRow,
    now: Date,
  ): Promise<'failed' | 'expired'> {
    const retry = row.retryCount + 1;
    const days = RETRY_DAYS[retry - 1];
    const expired = days === undefined;
    const nextRetryAt = expired ? null : new Date(row.currentPeriodEnd.getTime() + days * DAY_MS);
    await db.transaction(async (tx) => {
      await repo.updateSubscription(tx, row.id, {
        status: expired ? 'expired' : 'past_due',
        retryCount: retry,
        nextRetryAt,
        renewalLeaseUntil: null,
        updatedAt: now,
      });
      await repo.addHistory(tx, {
        subscriptionId: row.id,
        at: now,
        change: expired ? 'expired' : 'renewal_failed',
        fromStatus: row.status,
        toStatus: expired ? 'expired' : 'past_due',
        detail: { order_id: failed.orderId, code: failed.failureCode, attempt: retry },
      });
      // Expiry only moves the tier: nothing is deleted; what exceeds the free plan becomes read-only.
      await syncTier(tx, row.userId, now);
      await queueMail(tx, row.userId, 'billing_payment_failed', failed, { nextRetryAt, expired });
    });
    return expired ? 'expired' : 'failed';
  }

  return {
    plans(): PlansResponse {
      return {
        currency: 'KRW',
        vat_included: true,
        billing_cycles: ['monthly', 'yearly', 'per_event'],
        plans: PLAN_ORDER.map((id) => ({ id, prices: PLANS[id].prices, limits: PLANS[id].limits })),
        addons: Object.values(ADDONS).map((a) => ({ id: a.id, monthly_price: a.monthly_price })),
        per_event_grace_days: PER_EVENT_GRACE_DAYS,
        payments_enabled: payments !== null,
        test_mode: payments?.testMode ?? false,
      };
    },

    /** What the browser needs to open Toss's card registration for this account. */
    async cardRegistration(userId: string) {
      const setup = requirePayments();
      const customer = await customerOf(userId);
      return {
        customer_key: customer.customerKey,
        client_key: setup.clientKey,
        billing_auth_url: setup.billingAuthUrl,
        test_mode: setup.testMode,
      };
    },

    async getSubscription(userId: string): Promise<SubscriptionView> {
      const live = await repo.livePlanSubscription(db, userId);
      const customer = await repo.findCustomer(db, userId);
      const tier: Tier = live?.plan ?? 'free';
      const chargeable =
        live && live.status === 'active' && !live.cancelAtPeriodEnd && Boolean(customer?.billingKeyEnc);
      return {
        tier,
        subscription: live
          ? {
              plan: live.plan,
              billing_cycle: live.billingCycle,
              status: live.status,
              current_period_start: live.currentPeriodStart.toISOString(),
              current_period_end: live.currentPeriodEnd.toISOString(),
              cancel_at_period_end: live.cancelAtPeriodEnd,
              addons: live.addons,
              payment_method: toSubscription(live, customer).payment_method,
              event_id: live.eventId,
              next_charge: chargeable
                ? { at: live.currentPeriodEnd.toISOString(), amount: live.price }
                : null,
            }
          : null,
        usage: await usageOf(userId),
        limits: limitsOf(tier),
      };
    },

    /** The user's running plan subscription as the `User.subscription` summary. */
    async summaryFor(userId: string) {
      const live = await repo.livePlanSubscription(db, userId);
      if (!live) return null;
      return {
        status: live.status === 'past_due' ? ('active' as const) : live.status,
        current_period_start: live.currentPeriodStart.toISOString(),
        current_period_end: live.currentPeriodEnd.toISOString(),
        payment_method_id: null,
      };
    },

    async prepare(userId: string, body: PrepareBody) {
      const setup = requirePayments();
      const contact = await contactOf(userId);
      const cart: Cart = {
        plan: body.plan,
        billing_cycle: body.billing_cycle,
        addons: [...new Set(body.addons ?? [])],
      };
      let amount: number;
      try {
        amount = cartPrice(cart);
      } catch (err) {
        if (!(err instanceof CartError)) throw err;
        if (err.code === 'addons_not_per_event') throw planLimitError('addons', 'free');
        throw new HttpProblem(400, err.message, { code: 'cycle_not_sold' });
      }
      const now = clock.now();
      const live = await repo.livePlanSubscription(db, userId);
      let kind: 'purchase' | 'upgrade' = 'purchase';
      let subscriptionId: string | null = null;
      if (cart.billing_cycle === 'per_event') {
        if (!body.event_id)
          throw new HttpProblem(400, 'A one-event purchase names its event', { code: 'event_required' });
        const event = await getEvent(db, body.event_id);
        if (!event || event.organizer_id !== userId) throw notFound('Event');
        if (live) throw conflict('Your plan already covers every event', 'already_subscribed');
        if ((await repo.liveEventSubscriptions(db, event.id, now)).length > 0) {
          throw conflict('This event is already upgraded', 'already_subscribed');
        }
      } else if (live) {
        if (live.status !== 'active' || live.cancelAtPeriodEnd) {
          throw conflict(
            'Resume or settle the current subscription before changing it',
            'subscription_not_active',
          );
        }
        if (live.billingCycle !== cart.billing_cycle) {
          throw conflict(
            'The billing cycle changes at renewal, not mid-period',
            'cycle_change_not_supported',
          );
        }
        const current: Cart = { plan: live.plan, billing_cycle: live.billingCycle, addons: live.addons };
        const downgrade =
          byOrder(cart.plan, live.plan) < 0 || live.addons.some((a) => !cart.addons?.includes(a));
        amount = prorateUpgrade({
          current,
          next: cart,
          periodStart: live.currentPeriodStart,
          periodEnd: live.currentPeriodEnd,
          at: now,
        });
        if (downgrade || amount <= 0) {
          throw conflict(
            'Only upgrades are bought mid-period; cancel to move to a smaller plan',
            'not_an_upgrade',
          );
        }
        kind = 'upgrade';
        subscriptionId = live.id;
      }
      const customer = await customerOf(userId);
      const orderId = `em_${randomUUID().replaceAll('-', '')}`;
      const name = orderName(contact.language, cart, kind);
      await repo.insertPayment(db, {
        orderId,
        userId,
        subscriptionId,
        kind,
        plan: cart.plan,
        billingCycle: cart.billing_cycle,
        addons: (cart.addons ?? []) as AddonId[],
        eventId: body.event_id ?? null,
        amount,
        orderName: name,
        idempotencyKey: `confirm:${orderId}`,
        createdAt: now,
        updatedAt: now,
      });
      return {
        order_id: orderId,
        amount,
        order_name: name,
        customer_email: contact.email,
        customer_key: customer.customerKey,
        client_key: setup.clientKey,
        kind,
        test_mode: setup.testMode,
        checkout_url: setup.checkoutUrl,
      };
    },

    async confirm(
      userId: string,
      body: ConfirmBody,
    ): Promise<{ subscription: Subscription; payment: Payment }> {
      const setup = requirePayments();
      const order = await repo.findPaymentByOrderId(db, body.orderId);
      if (!order || order.userId !== userId || order.kind === 'renewal') throw notFound('Order');
      // The amount comes back through the browser: anything but the stored amount is refused here,
      // before Toss is asked to move money.
      if (body.amount !== order.amount) {
        throw new HttpProblem(400, 'The amount does not match the order', { code: 'amount_mismatch' });
      }
      if (order.status === 'succeeded' || order.status === 'failed') {
        if (order.paymentKey !== body.paymentKey) {
          throw conflict('This order was already paid with another payment', 'already_processed');
        }
        return confirmResult(order.orderId);
      }
      const now = clock.now();
      const claimed = await repo.claimConfirm(
        db,
        order.orderId,
        body.paymentKey,
        now,
        new Date(now.getTime() + CONFIRM_LEASE_MS),
      );
      if (!claimed) {
        const outcome = await waitForOutcome(order.orderId);
        if (outcome.paymentKey !== body.paymentKey) {
          throw conflict('This order was already paid with another payment', 'already_processed');
        }
        if (outcome.status === 'confirming') {
          throw new HttpProblem(409, 'The payment is still being confirmed', { code: 'payment_in_progress' });
        }
        return confirmResult(order.orderId);
      }
      let toss: TossPayment;
      try {
        toss = await setup.client.confirmPayment(
          { paymentKey: body.paymentKey, orderId: order.orderId, amount: order.amount },
          claimed.idempotencyKey,
        );
      } catch (err) {
        if (err instanceof TossError && err.code === 'ALREADY_PROCESSED_PAYMENT') {
          toss = await setup.client.getPayment(body.paymentKey);
        } else if (err instanceof TossError && !undecided(err)) {
          await markFailed(claimed, err.code, err.message);
          throw tossRefusal(err.code, err.message);
        } else {
          // Outcome unknown: the order stays leased-but-free so a retry confirms it again with the
          // same Idempotency-Key (Toss then answers the first call's result, charging nothing more).
          await repo.movePayment(db, claimed.id, ['confirming'], { confirmLeaseUntil: now });
          throw new HttpProblem(502, 'Toss could not be reached; try again', { code: 'toss_unavailable' });
        }
      }
      if (toss.orderId !== order.orderId || toss.totalAmount !== order.amount || toss.status !== 'DONE') {
        await markFailed(claimed, 'UNEXPECTED_PAYMENT', `Toss reported ${toss.status} for ${toss.orderId}`);
        throw tossRefusal('UNEXPECTED_PAYMENT', 'The payment was not completed');
      }
      await applyDone(claimed, toss);
      return confirmResult(order.orderId);
    },

    async registerCard(userId: string, body: { authKey: string; customerKey: string }) {
      const setup = requirePayments();
      const customer = await customerOf(userId);
      if (body.customerKey !== customer.customerKey) {
        throw new HttpProblem(400, "The customer key is not this account's", {
          code: 'customer_key_mismatch',
        });
      }
      let billing: Awaited<ReturnType<TossClient['issueBillingKey']>>;
      try {
        billing = await setup.client.issueBillingKey(body, `billing-key:${body.authKey}`);
      } catch (err) {
        if (err instanceof TossError && !undecided(err)) throw tossRefusal(err.code, err.message);
        throw new HttpProblem(502, 'Toss could not be reached; try again', { code: 'toss_unavailable' });
      }
      const last4 = lastDigits(billing.card?.number ?? billing.cardNumber);
      await repo.setCard(db, userId, {
        billingKeyEnc: cipher.encrypt(billing.billingKey),
        cardCompany: billing.cardCompany ?? null,
        cardLast4: last4,
        at: clock.now(),
      });
      return { payment_method: { type: 'card' as const, last_4_digits: last4, expiry: null } };
    },

    async setCancelAtPeriodEnd(userId: string, cancel: boolean): Promise<Subscription> {
      const now = clock.now();
      const result = await db.transaction(async (tx) => {
        const live = await repo.livePlanSubscription(tx, userId, true);
        if (!live) throw notFound('Subscription');
        if (live.cancelAtPeriodEnd === cancel) return live;
        const updated = (await repo.updateSubscription(tx, live.id, {
          cancelAtPeriodEnd: cancel,
          updatedAt: now,
        }))!;
        await repo.addHistory(tx, {
          subscriptionId: live.id,
          at: now,
          change: cancel ? 'cancel_requested' : 'resumed',
          fromStatus: live.status,
          toStatus: live.status,
        });
        return updated;
      });
      return toSubscription(result, await repo.findCustomer(db, userId));
    },

    async listPayments(userId: string): Promise<Payment[]> {
      return (await repo.listPayments(db, userId)).map(toPayment);
    },

    /**
     * A Toss webhook: the body only says which payment to look at. The payment is read back from
     * Toss and only what Toss answers is acted on, so a forged or replayed body changes nothing that
     * Toss does not confirm, and a repeated delivery finds the order already applied.
     */
    async webhook(body: unknown): Promise<'applied' | 'ignored'> {
      if (!payments) return 'ignored';
      const parsed = webhookBodySchema.safeParse(body);
      if (!parsed.success) return 'ignored';
      // PAYMENT_STATUS_CHANGED names the payment in `data`; DEPOSIT_CALLBACK names only the order.
      const orderId = parsed.data.data?.orderId ?? parsed.data.orderId;
      const order =
        (parsed.data.data?.paymentKey
          ? await repo.findPaymentByPaymentKey(db, parsed.data.data.paymentKey)
          : undefined) ?? (orderId ? await repo.findPaymentByOrderId(db, orderId) : undefined);
      const paymentKey = parsed.data.data?.paymentKey ?? order?.paymentKey;
      if (!order || !paymentKey) return 'ignored';
      let toss: TossPayment;
      try {
        toss = await payments.client.getPayment(paymentKey);
      } catch {
        return 'ignored';
      }
      if (toss.orderId !== order.orderId) return 'ignored';
      if (toss.status === 'DONE' && toss.totalAmount === order.amount && order.kind !== 'renewal') {
        if (order.status === 'pending' || order.status === 'confirming') {
          await applyDone(order, toss);
          return 'applied';
        }
        return 'ignored';
      }
      if ((toss.status === 'ABORTED' || toss.status === 'EXPIRED') && order.status === 'pending') {
        await markFailed(order, toss.status, `Toss reported ${toss.status}`);
        return 'applied';
      }
      if (
        (toss.status === 'CANCELED' || toss.status === 'PARTIAL_CANCELED') &&
        order.status === 'succeeded'
      ) {
        await repo.movePayment(db, order.id, ['succeeded'], {
          status: 'refunded',
          tossStatus: toss.status,
          updatedAt: clock.now(),
        });
        return 'applied';
      }
      return 'ignored';
    },

    /**
     * One renewal pass: ends one-event purchases past their grace period, ends subscriptions
     * cancelled at period end, and charges every due card (first attempt at period end, retries on
     * days 1, 3 and 7, then expiry). Several instances may run it at once: each subscription is
     * charged only by the run whose compare-and-set took its lease, and the charge's Idempotency-Key
     * is derived from the subscription, period and attempt, so even a run that lost its lease
     * mid-charge cannot make Toss charge twice.
     */
    async runRenewals(now: Date = clock.now()) {
      const counts = { renewed: 0, failed: 0, expired: 0, ended: 0, deferred: 0 };
      for (const row of await repo.dueEventEnds(db, now, 100)) {
        if (!(await repo.claimRenewal(db, row, now, new Date(now.getTime() + RENEWAL_LEASE_MS)))) continue;
        await endSubscription(row, 'expired', 'ended', now, { reason: 'event_grace_over' });
        counts.ended++;
      }
      for (const row of await repo.dueForRenewal(db, now, 100)) {
        if (!(await repo.claimRenewal(db, row, now, new Date(now.getTime() + RENEWAL_LEASE_MS)))) continue;
        counts[await renewOne(row, now)]++;
      }
      return counts;
    },

    async history(subscriptionId: string) {
      return repo.history(db, subscriptionId);
    },
  };
}

export type BillingService = ReturnType<typeof createBillingService>;
