import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CHECKED_IN, DEMO_PARTICIPANTS, seedDemo } from '../src/cli/demo-data.ts';
import { bearer, createTestContext, type TestContext } from './helpers/test-app.ts';

// `npm run demo` must leave a living app: a published event with 300 participants, some checked in,
// visible on the demo organizer's dashboard; running it twice changes nothing.
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

describe('demo data', () => {
  it('creates a published event with 300 participants and 120 check-ins, once', async () => {
    const first = await seedDemo(ctx.app, ctx.platform);
    expect(first.created).toBe(true);
    const again = await seedDemo(ctx.app, ctx.platform);
    expect(again).toMatchObject({ created: false, eventId: first.eventId });

    const login = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: first.email, password: first.password },
    });
    const events = (
      await ctx.app.inject({ method: 'GET', url: '/api/events', headers: bearer(login.json().access_token) })
    ).json() as { id: string; status: string; participant_count: number; checked_in_count: number }[];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      id: first.eventId,
      status: 'published',
      participant_count: DEMO_PARTICIPANTS,
      checked_in_count: DEMO_CHECKED_IN,
    });
  }, 120_000);
});
