import { z } from 'zod';
import { type Tier, tierSchema } from '../accounts/schema.ts';

/**
 * The one table of plans, prices and limits. The server enforces it (403 `plan_limit`), the web
 * app renders the pricing page from it, and `GET /api/plans` serves it. Prices are KRW, VAT
 * included, whole won.
 */
export const billingCycleSchema = z.enum(['monthly', 'yearly', 'per_event']);
export type BillingCycle = z.infer<typeof billingCycleSchema>;

export const addonIdSchema = z.enum(['payment_collection', 'badge_printing']);
export type AddonId = z.infer<typeof addonIdSchema>;

export const paidPlanSchema = z.enum(['basic_premium', 'pro_premium']);
export type PaidPlan = z.infer<typeof paidPlanSchema>;

/** Every limit the server enforces; numbers are maxima (null = unlimited), booleans are features. */
export const limitNameSchema = z.enum([
  'admitted_participants_per_event',
  'staff_per_event',
  'retention_days',
  'branding',
  'custom_domain',
  'statistics',
  'report_export',
  'addons',
]);
export type LimitName = z.infer<typeof limitNameSchema>;

export interface PlanLimits {
  /** Registered participants per event; the waitlist is not counted. */
  admitted_participants_per_event: number | null;
  staff_per_event: number | null;
  /** Days personal data is kept after the event ends; null = until deleted. */
  retention_days: number | null;
  branding: boolean;
  custom_domain: boolean;
  statistics: boolean;
  report_export: boolean;
  /** Whether add-ons can be bought with this plan. */
  addons: boolean;
}

export interface Plan {
  id: Tier;
  /** KRW, VAT included, per billing cycle; a cycle absent here is not sold for this plan. */
  prices: Partial<Record<BillingCycle, number>>;
  limits: PlanLimits;
}

export interface Addon {
  id: AddonId;
  /** KRW per month, VAT included. */
  monthly_price: number;
}

export const PLANS: Record<Tier, Plan> = {
  free: {
    id: 'free',
    prices: {},
    limits: {
      admitted_participants_per_event: 300,
      staff_per_event: 3,
      retention_days: 90,
      branding: false,
      custom_domain: false,
      statistics: true,
      report_export: false,
      addons: false,
    },
  },
  basic_premium: {
    id: 'basic_premium',
    prices: { monthly: 19_000, yearly: 190_000, per_event: 25_000 },
    limits: {
      admitted_participants_per_event: 3_000,
      staff_per_event: 20,
      retention_days: 365,
      branding: true,
      custom_domain: false,
      statistics: true,
      report_export: true,
      addons: true,
    },
  },
  pro_premium: {
    id: 'pro_premium',
    prices: { monthly: 49_000, yearly: 490_000 },
    limits: {
      admitted_participants_per_event: 30_000,
      staff_per_event: null,
      retention_days: null,
      branding: true,
      custom_domain: true,
      statistics: true,
      report_export: true,
      addons: true,
    },
  },
};

export const ADDONS: Record<AddonId, Addon> = {
  payment_collection: { id: 'payment_collection', monthly_price: 9_900 },
  badge_printing: { id: 'badge_printing', monthly_price: 9_900 },
};

/** Plans from cheapest to most capable: "which plan lifts a limit" walks this order. */
export const PLAN_ORDER: readonly Tier[] = ['free', 'basic_premium', 'pro_premium'];

/** A per-event purchase counts as this plan for its one event until this many days after it ends. */
export const PER_EVENT_GRACE_DAYS = 30;

/** The plan's limits (free when the tier is unknown to this table). */
export function limitsOf(tier: Tier): PlanLimits {
  return PLANS[tier].limits;
}

/** Whether `value` (a count that would exist after the action) fits the limit. */
export function withinLimit(limit: number | null, value: number): boolean {
  return limit === null || value <= limit;
}

/**
 * The cheapest plan above `current` that allows the feature, or `value` of the counted limit;
 * null when no plan does.
 */
export function planLifting(limit: LimitName, value = 1, current: Tier = 'free'): Tier | null {
  const from = PLAN_ORDER.indexOf(current);
  for (const tier of PLAN_ORDER.slice(from + 1)) {
    const allowed = PLANS[tier].limits[limit];
    if (typeof allowed === 'boolean' ? allowed : withinLimit(allowed, value)) return tier;
  }
  return null;
}

export const cartSchema = z.strictObject({
  plan: paidPlanSchema,
  billing_cycle: billingCycleSchema,
  addons: z.array(addonIdSchema).max(2).optional(),
});
export type Cart = z.infer<typeof cartSchema>;

export class CartError extends Error {
  readonly code: 'cycle_not_sold' | 'addons_not_per_event';
  constructor(code: 'cycle_not_sold' | 'addons_not_per_event', message: string) {
    super(message);
    this.code = code;
  }
}

/** Months an add-on is charged for within one billing cycle. */
const ADDON_MONTHS: Record<Exclude<BillingCycle, 'per_event'>, number> = { monthly: 1, yearly: 12 };

/**
 * The price of a cart in KRW: the plan's price for the cycle plus each add-on's monthly price for
 * every month of the cycle. Add-ons are monthly services, so a one-event purchase carries none.
 */
export function cartPrice(cart: Cart): number {
  const price = PLANS[cart.plan].prices[cart.billing_cycle];
  if (price === undefined) {
    throw new CartError('cycle_not_sold', `${cart.plan} is not sold ${cart.billing_cycle}`);
  }
  const addons = [...new Set(cart.addons ?? [])];
  if (addons.length === 0) return price;
  if (cart.billing_cycle === 'per_event') {
    throw new CartError('addons_not_per_event', 'Add-ons are sold with a monthly or yearly plan');
  }
  const months = ADDON_MONTHS[cart.billing_cycle];
  return price + addons.reduce((sum, id) => sum + ADDONS[id].monthly_price * months, 0);
}

/** The end of a period that starts at `start` (calendar months/years in UTC, clamped to month end). */
export function periodEnd(start: Date, cycle: Exclude<BillingCycle, 'per_event'>): Date {
  const months = cycle === 'monthly' ? 1 : 12;
  const y = start.getUTCFullYear();
  const m = start.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const end = new Date(start);
  end.setUTCDate(1);
  end.setUTCFullYear(y, m, Math.min(start.getUTCDate(), lastDay));
  return end;
}

/** When a per-event purchase stops lifting its event: the grace period after the event ends. */
export function perEventEnd(eventEnd: Date): Date {
  return new Date(eventEnd.getTime() + PER_EVENT_GRACE_DAYS * 24 * 60 * 60 * 1000);
}

/**
 * What an upgrade costs mid-period: the difference between the new and the current cart's price,
 * for the share of the period still left (by the second, rounded to the won; never negative). The
 * period itself does not move.
 */
export function prorateUpgrade(input: {
  current: Cart;
  next: Cart;
  periodStart: Date;
  periodEnd: Date;
  at: Date;
}): number {
  const total = input.periodEnd.getTime() - input.periodStart.getTime();
  const left = Math.min(Math.max(input.periodEnd.getTime() - input.at.getTime(), 0), total);
  if (total <= 0) return 0;
  const difference = cartPrice(input.next) - cartPrice(input.current);
  if (difference <= 0) return 0;
  return Math.round((difference * left) / total);
}

// ---- API shapes (seed `Subscription` and `Payment`, snake_case) ----

export const subscriptionStatusSchema = z.enum(['active', 'cancelled', 'past_due', 'expired']);
export type SubscriptionStatus = z.infer<typeof subscriptionStatusSchema>;

export const paymentMethodSchema = z.object({
  type: z.enum(['card', 'toss', 'kakao', 'naver']),
  last_4_digits: z.string().nullable(),
  expiry: z.string().nullable(),
});

export const subscriptionSchema = z.object({
  id: z.uuid(),
  user_id: z.uuid(),
  plan: z.object({
    tier: paidPlanSchema,
    billing_cycle: billingCycleSchema,
    price: z.number().int(),
    currency: z.literal('KRW'),
  }),
  billing_cycle: billingCycleSchema,
  addons: z.array(addonIdSchema),
  status: subscriptionStatusSchema,
  current_period_start: z.string(),
  current_period_end: z.string(),
  cancel_at_period_end: z.boolean(),
  /** For `per_event`: the one event the purchase lifts. */
  event_id: z.uuid().nullable(),
  payment_method: paymentMethodSchema.nullable(),
  /** Set while a renewal keeps failing: when the next attempt is due. */
  next_retry_at: z.string().nullable(),
  created_at: z.string(),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

export const paymentStatusSchema = z.enum(['pending', 'succeeded', 'failed', 'refunded']);

export const paymentSchema = z.object({
  id: z.uuid(),
  subscription_id: z.uuid().nullable(),
  order_id: z.string(),
  order_name: z.string(),
  kind: z.enum(['purchase', 'upgrade', 'renewal']),
  amount: z.number().int(),
  currency: z.literal('KRW'),
  status: paymentStatusSchema,
  provider: z.literal('toss'),
  provider_payment_id: z.string().nullable(),
  receipt_url: z.string().nullable(),
  created_at: z.string(),
  succeeded_at: z.string().nullable(),
  failure_reason: z.string().nullable(),
});
export type Payment = z.infer<typeof paymentSchema>;

export const planViewSchema = z.object({
  id: tierSchema,
  prices: z.object({
    monthly: z.number().int().optional(),
    yearly: z.number().int().optional(),
    per_event: z.number().int().optional(),
  }),
  limits: z.object({
    admitted_participants_per_event: z.number().int().nullable(),
    staff_per_event: z.number().int().nullable(),
    retention_days: z.number().int().nullable(),
    branding: z.boolean(),
    custom_domain: z.boolean(),
    statistics: z.boolean(),
    report_export: z.boolean(),
    addons: z.boolean(),
  }),
});

export const plansResponseSchema = z.object({
  currency: z.literal('KRW'),
  vat_included: z.literal(true),
  billing_cycles: z.array(billingCycleSchema),
  plans: z.array(planViewSchema),
  addons: z.array(z.object({ id: addonIdSchema, monthly_price: z.number().int() })),
  per_event_grace_days: z.number().int(),
  /** False when the server has no payment keys (production without Toss configured). */
  payments_enabled: z.boolean(),
  /** True when payments go to a local test simulator: nothing is really charged. */
  test_mode: z.boolean(),
});
export type PlansResponse = z.infer<typeof plansResponseSchema>;

export const subscriptionViewSchema = z.object({
  tier: tierSchema,
  subscription: z
    .object({
      plan: paidPlanSchema,
      billing_cycle: billingCycleSchema,
      status: subscriptionStatusSchema,
      current_period_start: z.string(),
      current_period_end: z.string(),
      cancel_at_period_end: z.boolean(),
      addons: z.array(addonIdSchema),
      payment_method: paymentMethodSchema.nullable(),
      event_id: z.uuid().nullable(),
      next_charge: z.object({ at: z.string(), amount: z.number().int() }).nullable(),
    })
    .nullable(),
  usage: z.object({
    events: z.number().int(),
    max_admitted_participants_in_an_event: z.number().int(),
    max_staff_in_an_event: z.number().int(),
  }),
  limits: planViewSchema.shape.limits,
});
export type SubscriptionView = z.infer<typeof subscriptionViewSchema>;

export const prepareBodySchema = z.strictObject({
  plan: paidPlanSchema,
  billing_cycle: billingCycleSchema,
  addons: z.array(addonIdSchema).max(2).optional(),
  event_id: z.uuid().optional(),
});
export type PrepareBody = z.infer<typeof prepareBodySchema>;

export const prepareResponseSchema = z.object({
  order_id: z.string(),
  amount: z.number().int(),
  order_name: z.string(),
  customer_email: z.string(),
  customer_key: z.string(),
  client_key: z.string(),
  kind: z.enum(['purchase', 'upgrade']),
  test_mode: z.boolean(),
  /** A hosted payment page to redirect to (the local test simulator); null = open Toss's SDK window. */
  checkout_url: z.string().nullable(),
});

export const confirmBodySchema = z.strictObject({
  paymentKey: z.string().min(1).max(200),
  orderId: z.string().min(6).max(64),
  amount: z.coerce.number().int().min(0),
});
export type ConfirmBody = z.infer<typeof confirmBodySchema>;

export const billingKeyBodySchema = z.strictObject({
  authKey: z.string().min(1).max(300),
  customerKey: z.string().min(2).max(300),
});

export const cancelBodySchema = z.strictObject({ at_period_end: z.boolean() });

/** The 403 body's extra members when a plan limit refuses a request. */
export interface PlanLimitProblem {
  code: 'plan_limit';
  limit: LimitName;
  /** The cheapest plan that lifts it, null when none does. */
  plan: Tier | null;
  current_plan: Tier;
  allowed: number | boolean | null;
}
