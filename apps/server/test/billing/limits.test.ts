import type { RunningTossSimulator } from '@eventmanager/toss-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { participantsContext } from '../../src/modules/participants/participants.context.ts';
import { registerBatch } from '../../src/modules/participants/registration.batch.ts';
import { NO_PLAN_CAP } from '../../src/modules/participants/registration.rules.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { createLifecycleHooks } from '../../src/platform/hooks.ts';
import { bookClub, createEvent, setTier } from '../events/fixtures.ts';
import { bearer, createTestContext, signupUser, uniqueEmail } from '../helpers/test-app.ts';
import { NOW, publishedEvent, register } from '../participants/fixtures.ts';
import { buy, startToss, tossEnv } from './fixtures.ts';

const clock = new ManualClock(NOW);
let toss: RunningTossSimulator;
let ctx: Awaited<ReturnType<typeof createTestContext>>;

beforeAll(async () => {
  toss = await startToss();
  ctx = await createTestContext({ clock, env: tossEnv(toss) });
});
afterAll(async () => {
  await ctx?.close();
  await toss?.close();
});

/** Fills `count` seats directly through the batch (no plan cap), as an earlier, larger plan would have. */
async function fillSeats(eventId: string, count: number) {
  const deps = {
    db: ctx.platform.database.db,
    clock,
    bus: ctx.platform.bus,
    hooks: createLifecycleHooks(),
    context: participantsContext(),
    eventPlan: async () => NO_PLAN_CAP,
  };
  const outcomes = await registerBatch(
    deps,
    eventId,
    Array.from({ length: count }, () => ({
      name: '참가자',
      email: uniqueEmail('seat'),
      phone: null,
      customResponses: { company: '토스' },
      consents: { privacy: { agreed_at: NOW.toISOString(), version: 'v' }, marketing: null },
      language: 'ko' as const,
      source: 'direct' as const,
      referralCode: null,
      addedBy: null,
      channel: 'organizer' as const,
    })),
  );
  expect(outcomes.every((o) => o.kind === 'created')).toBe(true);
}

const planLimit = (limit: string, plan: string | null) => ({ status: 403, code: 'plan_limit', limit, plan });

describe('admitted participants per event (waitlist not counted)', () => {
  it('refuses the 301st on free with plan_limit when there is no waitlist; basic_premium lifts it', async () => {
    const organizer = await signupUser(ctx.app);
    const { event, code } = await publishedEvent(ctx.app, organizer.token, { max: null, waitlist: false });
    await fillSeats(event.id, 300);
    const refused = await register(ctx.app, code);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({
      ...planLimit('admitted_participants_per_event', 'basic_premium'),
      allowed: 300,
    });
    await setTier(ctx.platform, organizer.userId, 'basic_premium');
    const admitted = await register(ctx.app, code);
    expect(admitted.statusCode).toBe(201);
    expect(admitted.json().participant.registration.status).toBe('registered');
  });

  it('sends new registrants to the waitlist when the plan is full and the waitlist is on', async () => {
    const organizer = await signupUser(ctx.app);
    const { event, code } = await publishedEvent(ctx.app, organizer.token, { max: 1000, waitlist: true });
    await fillSeats(event.id, 300);
    const res = await register(ctx.app, code);
    expect(res.statusCode).toBe(201);
    expect(res.json().participant.registration.status).toBe('waitlist');
  });

  it('lifts one event for a one-event purchase (basic_premium until 30 days after it ends)', async () => {
    const organizer = await signupUser(ctx.app);
    const { event, code } = await publishedEvent(ctx.app, organizer.token, { max: null, waitlist: false });
    await fillSeats(event.id, 300);
    expect((await register(ctx.app, code)).statusCode).toBe(403);
    const { body } = await buy(ctx.app, toss, organizer.token, {
      plan: 'basic_premium',
      billing_cycle: 'per_event',
      event_id: event.id,
    });
    const end = new Date(event.datetime.end ?? event.datetime.start).getTime();
    expect(new Date(body.subscription.current_period_end).getTime()).toBe(end + 30 * 24 * 60 * 60 * 1000);
    expect((await register(ctx.app, code)).statusCode).toBe(201);
    // The account itself stays free: another event is not lifted.
    const me = await ctx.app.inject({ method: 'GET', url: '/api/me', headers: bearer(organizer.token) });
    expect(me.json().tier).toBe('free');
  });
});

describe('staff per event', () => {
  it('refuses the 4th staff member on free with plan_limit naming basic_premium', async () => {
    const organizer = await signupUser(ctx.app);
    const event = await createEvent(ctx.app, organizer.token);
    const invite = async () => {
      const staff = await signupUser(ctx.app);
      return ctx.app.inject({
        method: 'POST',
        url: `/api/events/${event.id}/staff`,
        headers: bearer(organizer.token),
        payload: { email: staff.email },
      });
    };
    for (let i = 0; i < 3; i++) expect((await invite()).statusCode).toBe(201);
    const fourth = await invite();
    expect(fourth.statusCode).toBe(403);
    expect(fourth.json()).toMatchObject({ ...planLimit('staff_per_event', 'basic_premium'), allowed: 3 });
    await setTier(ctx.platform, organizer.userId, 'basic_premium');
    expect((await invite()).statusCode).toBe(201);
  });
});

describe('PLAN_LIMITS=off (load tests and benchmarks)', () => {
  it('enforces no plan limit', async () => {
    const unlimited = await createTestContext({ shared: ctx.shared, clock, env: { PLAN_LIMITS: 'off' } });
    try {
      const organizer = await signupUser(unlimited.app);
      const { event, code } = await publishedEvent(unlimited.app, organizer.token, {
        max: null,
        waitlist: false,
      });
      await fillSeats(event.id, 300);
      expect((await register(unlimited.app, code)).statusCode).toBe(201);
      const brand = { logo_url: 'https://example.com/logo.png', primary_color: '#123456' };
      const branded = await unlimited.app.inject({
        method: 'POST',
        url: '/api/events',
        headers: bearer(organizer.token),
        payload: bookClub({ branding: brand } as never),
      });
      expect(branded.statusCode).toBe(201);
    } finally {
      await unlimited.close();
    }
  });
});

describe('branding, custom domain, add-ons', () => {
  it('refuses branding on free and a custom domain below pro with plan_limit', async () => {
    const organizer = await signupUser(ctx.app);
    const create = (branding: object) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/events',
        headers: bearer(organizer.token),
        payload: bookClub({ branding } as never),
      });
    const brand = { logo_url: 'https://example.com/logo.png', primary_color: '#123456' };
    expect((await create(brand)).json()).toMatchObject(planLimit('branding', 'basic_premium'));
    await setTier(ctx.platform, organizer.userId, 'basic_premium');
    expect((await create(brand)).statusCode).toBe(201);
    expect((await create({ ...brand, custom_domain: 'events.example.com' })).json()).toMatchObject(
      planLimit('custom_domain', 'pro_premium'),
    );
  });

  it('sells add-ons only with a monthly or yearly paid plan', async () => {
    const organizer = await signupUser(ctx.app);
    const event = await createEvent(ctx.app, organizer.token);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/payments/prepare',
      headers: bearer(organizer.token),
      payload: {
        plan: 'basic_premium',
        billing_cycle: 'per_event',
        event_id: event.id,
        addons: ['badge_printing'],
      },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'plan_limit', limit: 'addons' });
    const monthly = await ctx.app.inject({
      method: 'POST',
      url: '/api/payments/prepare',
      headers: bearer(organizer.token),
      payload: { plan: 'basic_premium', billing_cycle: 'monthly', addons: ['badge_printing'] },
    });
    expect(monthly.statusCode).toBe(201);
    expect(monthly.json().amount).toBe(28_900);
  });
});
