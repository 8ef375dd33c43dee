import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestContext, signupUser, type TestContext, testEngine } from './helpers/test-app.ts';

/** Request limits are shared through Redis; without it each instance counts on its own. */
const sharedLimits = testEngine() === 'postgres' && Boolean(process.env.REDIS_URL);
const env = { RATE_LIMITS: 'on', RATE_LIMIT_SIGNUP_IP: '1000/1h' };

// Two server instances over one database (and one Redis when configured): any instance serves any
// account, and revocation on one is seen by the other at once (the session cache is shared or absent).
let a: Awaited<ReturnType<typeof createTestContext>>;
let b: TestContext;
beforeAll(async () => {
  a = await createTestContext({ env });
  b = await createTestContext({ env, shared: a.shared });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

describe('two instances', () => {
  it('accept each other’s tokens, rotate refresh tokens across instances, and share logout', async () => {
    const u = await signupUser(a.app);
    const me = await b.app.inject({ method: 'GET', url: '/api/me', headers: bearer(u.token) });
    expect(me.statusCode).toBe(200);
    expect(me.json().id).toBe(u.userId);

    const refreshed = await b.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refresh_token: u.refresh },
    });
    expect(refreshed.statusCode).toBe(200);
    const reuseOnA = await a.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refresh_token: u.refresh },
    });
    expect(reuseOnA.statusCode).toBe(401);

    const v = await signupUser(b.app);
    expect((await a.app.inject({ method: 'GET', url: '/api/me', headers: bearer(v.token) })).statusCode).toBe(
      200,
    );
    expect(
      (await b.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(v.token) })).statusCode,
    ).toBe(204);
    expect((await a.app.inject({ method: 'GET', url: '/api/me', headers: bearer(v.token) })).statusCode).toBe(
      401,
    );
  });

  it.runIf(sharedLimits)('share the login attempt counter through Redis', async () => {
    const u = await signupUser(a.app);
    for (let i = 0; i < 10; i++) {
      const target = i % 2 === 0 ? a : b;
      await target.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: u.email, password: `nope-${i}-xx` },
      });
    }
    const res = await b.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: u.email, password: u.password },
    });
    expect(res.statusCode).toBe(429);
  });
});
