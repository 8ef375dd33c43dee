import type { AddonId, BillingCycle, PaidPlan, SubscriptionStatus } from '@eventmanager/domain/billing/plans';
import { bigint, boolean, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const billingCustomers = pgTable('billing_customers', {
  userId: uuid('user_id').primaryKey(),
  customerKey: text('customer_key').notNull(),
  billingKeyEnc: text('billing_key_enc'),
  cardCompany: text('card_company'),
  cardLast4: text('card_last4'),
  cardRegisteredAt: timestamp('card_registered_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
export type CustomerRow = typeof billingCustomers.$inferSelect;

export const subscriptions = pgTable('subscriptions', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id').notNull(),
  plan: text('plan').$type<PaidPlan>().notNull(),
  billingCycle: text('billing_cycle').$type<BillingCycle>().notNull(),
  addons: jsonb('addons').$type<AddonId[]>().notNull(),
  price: integer('price').notNull(),
  status: text('status').$type<SubscriptionStatus>().notNull(),
  currentPeriodStart: timestamp('current_period_start', { withTimezone: true }).notNull(),
  currentPeriodEnd: timestamp('current_period_end', { withTimezone: true }).notNull(),
  cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
  eventId: uuid('event_id'),
  retryCount: integer('retry_count').notNull().default(0),
  nextRetryAt: timestamp('next_retry_at', { withTimezone: true }),
  renewalLeaseUntil: timestamp('renewal_lease_until', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export type SubscriptionRow = typeof subscriptions.$inferSelect;

export const subscriptionHistory = pgTable('subscription_history', {
  id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity().primaryKey(),
  subscriptionId: uuid('subscription_id').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  change: text('change').notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status'),
  detail: jsonb('detail').$type<Record<string, unknown>>().notNull(),
});
export type HistoryRow = typeof subscriptionHistory.$inferSelect;

export type PaymentKind = 'purchase' | 'upgrade' | 'renewal';
export type PaymentStatus = 'pending' | 'confirming' | 'succeeded' | 'failed' | 'refunded';

export const billingPayments = pgTable('billing_payments', {
  id: uuid('id').primaryKey().defaultRandom(),
  orderId: text('order_id').notNull(),
  userId: uuid('user_id').notNull(),
  subscriptionId: uuid('subscription_id'),
  kind: text('kind').$type<PaymentKind>().notNull(),
  plan: text('plan').$type<PaidPlan>().notNull(),
  billingCycle: text('billing_cycle').$type<BillingCycle>().notNull(),
  addons: jsonb('addons').$type<AddonId[]>().notNull(),
  eventId: uuid('event_id'),
  amount: integer('amount').notNull(),
  orderName: text('order_name').notNull(),
  status: text('status').$type<PaymentStatus>().notNull().default('pending'),
  confirmLeaseUntil: timestamp('confirm_lease_until', { withTimezone: true }),
  idempotencyKey: text('idempotency_key').notNull(),
  paymentKey: text('payment_key'),
  tossStatus: text('toss_status'),
  method: text('method'),
  cardLast4: text('card_last4'),
  receiptUrl: text('receipt_url'),
  failureCode: text('failure_code'),
  failureReason: text('failure_reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  succeededAt: timestamp('succeeded_at', { withTimezone: true }),
});
export type PaymentRow = typeof billingPayments.$inferSelect;
export type NewPaymentRow = typeof billingPayments.$inferInsert;
