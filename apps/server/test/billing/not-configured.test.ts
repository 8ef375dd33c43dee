import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer, createTestContext, signupUser, type TestContext } from '../helpers/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ env: { NODE_ENV: 'production' } });
});
afterAll(async () => {
  await ctx?.close();
});

it('says payments are not configured when the server has no Toss keys, and still serves plans', async () => {
  const plans = await ctx.app.inject({ method: 'GET', url: '/api/plans' });
  expect(plans.json()).toMatchObject({ payments_enabled: false, test_mode: false });
  const user = await signupUser(ctx.app);
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/payments/prepare',
    headers: bearer(user.token),
    payload: { plan: 'basic_premium', billing_cycle: 'monthly' },
  });
  expect(res.statusCode).toBe(503);
  expect(res.json().code).toBe('payments_not_configured');
  const view = await ctx.app.inject({ method: 'GET', url: '/api/subscription', headers: bearer(user.token) });
  expect(view.json()).toMatchObject({ tier: 'free', subscription: null });
});
