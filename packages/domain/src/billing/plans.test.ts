import { describe, expect, it } from 'vitest';
import { CartError, cartPrice, PLANS, perEventEnd, periodEnd, planLifting, prorateUpgrade } from './plans.ts';

describe('plans table', () => {
  it('holds the prices and limits of every plan', () => {
    expect(PLANS.basic_premium.prices).toEqual({ monthly: 19_000, yearly: 190_000, per_event: 25_000 });
    expect(PLANS.pro_premium.prices).toEqual({ monthly: 49_000, yearly: 490_000 });
    expect(PLANS.free.limits.admitted_participants_per_event).toBe(300);
    expect(PLANS.pro_premium.limits.staff_per_event).toBeNull();
    expect(PLANS.basic_premium.limits.custom_domain).toBe(false);
  });
});

describe('cartPrice', () => {
  it('adds monthly add-ons for every month of the cycle', () => {
    expect(cartPrice({ plan: 'basic_premium', billing_cycle: 'monthly' })).toBe(19_000);
    expect(cartPrice({ plan: 'basic_premium', billing_cycle: 'monthly', addons: ['badge_printing'] })).toBe(
      28_900,
    );
    expect(
      cartPrice({
        plan: 'pro_premium',
        billing_cycle: 'yearly',
        addons: ['badge_printing', 'payment_collection'],
      }),
    ).toBe(490_000 + 2 * 9_900 * 12);
    // The same add-on twice is charged once.
    expect(
      cartPrice({
        plan: 'pro_premium',
        billing_cycle: 'monthly',
        addons: ['badge_printing', 'badge_printing'],
      }),
    ).toBe(58_900);
  });

  it('refuses a cycle the plan is not sold in and add-ons with a one-event purchase', () => {
    expect(() => cartPrice({ plan: 'pro_premium', billing_cycle: 'per_event' })).toThrow(CartError);
    expect(() =>
      cartPrice({ plan: 'basic_premium', billing_cycle: 'per_event', addons: ['badge_printing'] }),
    ).toThrow(CartError);
    expect(cartPrice({ plan: 'basic_premium', billing_cycle: 'per_event' })).toBe(25_000);
  });
});

describe('prorateUpgrade', () => {
  const periodStart = new Date('2026-03-01T00:00:00Z');
  const end = new Date('2026-03-31T00:00:00Z');
  it('charges the difference for the share of the period left', () => {
    const at = new Date('2026-03-16T00:00:00Z'); // half of 30 days
    expect(
      prorateUpgrade({
        current: { plan: 'basic_premium', billing_cycle: 'monthly' },
        next: { plan: 'pro_premium', billing_cycle: 'monthly' },
        periodStart,
        periodEnd: end,
        at,
      }),
    ).toBe(15_000);
  });
  it('is never negative and nothing after the period', () => {
    const args = { periodStart, periodEnd: end };
    expect(
      prorateUpgrade({
        ...args,
        current: { plan: 'pro_premium', billing_cycle: 'monthly' },
        next: { plan: 'basic_premium', billing_cycle: 'monthly' },
        at: periodStart,
      }),
    ).toBe(0);
    expect(
      prorateUpgrade({
        ...args,
        current: { plan: 'basic_premium', billing_cycle: 'monthly' },
        next: { plan: 'pro_premium', billing_cycle: 'monthly' },
        at: new Date('2026-04-02T00:00:00Z'),
      }),
    ).toBe(0);
  });
});

describe('planLifting', () => {
  it('names the cheapest plan that allows the value or feature', () => {
    expect(planLifting('admitted_participants_per_event', 301)).toBe('basic_premium');
    expect(planLifting('admitted_participants_per_event', 3_001)).toBe('pro_premium');
    expect(planLifting('admitted_participants_per_event', 30_001)).toBeNull();
    expect(planLifting('staff_per_event', 21, 'basic_premium')).toBe('pro_premium');
    expect(planLifting('branding')).toBe('basic_premium');
    expect(planLifting('custom_domain')).toBe('pro_premium');
    expect(planLifting('custom_domain', 1, 'pro_premium')).toBeNull();
  });
});

describe('periods', () => {
  it('adds calendar months, clamped to the month end', () => {
    expect(periodEnd(new Date('2026-01-31T10:00:00Z'), 'monthly').toISOString()).toBe(
      '2026-02-28T10:00:00.000Z',
    );
    expect(periodEnd(new Date('2026-05-15T00:00:00Z'), 'yearly').toISOString()).toBe(
      '2027-05-15T00:00:00.000Z',
    );
    expect(perEventEnd(new Date('2026-05-01T00:00:00Z')).toISOString()).toBe('2026-05-31T00:00:00.000Z');
  });
});
