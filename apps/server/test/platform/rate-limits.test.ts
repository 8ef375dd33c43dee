import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { bearer, createTestContext, signupUser, type TestContext, uniqueEmail } from '../helpers/test-app.ts';
import { NOW, publishedEvent, registration } from '../participants/fixtures.ts';

/** Each context turns the limits on with small bounds, so a test reaches them in a few requests. */
const LIMITS = {
  RATE_LIMITS: 'on',
  RATE_LIMIT_LOGIN_EMAIL: '10/1m',
  RATE_LIMIT_LOGIN_IP: '1000/1m',
  RATE_LIMIT_SIGNUP_IP: '1000/1h',
  RATE_LIMIT_REGISTER_IP: '3/1m',
  RATE_LIMIT_REGISTER_EVENT: '5/1m',
  RATE_LIMIT_PUBLIC_PAGE_IP: '4/1m',
  RATE_LIMIT_LOOKUP_IP: '3/1m',
  RATE_LIMIT_LOOKUP_TARGET: '3/1m',
  RATE_LIMIT_EMAIL_SEND_USER: '2/1m',
};

function expectLimited(
  res: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  windowSeconds = 60,
) {
  expect(res.statusCode).toBe(429);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  expect(res.json()).toMatchObject({ status: 429, code: 'rate_limited' });
}

describe('rate limits', () => {
  let ctx: TestContext;
  const clock = new ManualClock(NOW);
  beforeAll(async () => {
    ctx = await createTestContext({ clock, env: LIMITS });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const login = (email: string, password: string, remoteAddress = '198.51.100.1') =>
    ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress });

  it('lets at most the limit of 128 concurrent wrong passwords reach the password check', async () => {
    const u = await signupUser(ctx.app);
    const results = await Promise.all(
      Array.from({ length: 128 }, (_, i) => login(u.email, `wrong-password-${i}`)),
    );
    const checked = results.filter((r) => r.statusCode === 401).length;
    const limited = results.filter((r) => r.statusCode === 429);
    // A 401 is an attempt whose password was checked; every other attempt was refused before it.
    expect(checked).toBe(10);
    expect(limited).toHaveLength(118);
    expectLimited(limited[0]!);
    // The right password is refused too while the e-mail is locked (no oracle for the guesser),
    // and the count is per e-mail: another account logs in from the same address.
    expect((await login(u.email, u.password)).statusCode).toBe(429);
    const other = await signupUser(ctx.app);
    expect((await login(other.email, other.password)).statusCode).toBe(200);
  });

  it('counts an e-mail however it is spelt', async () => {
    const u = await signupUser(ctx.app);
    for (let i = 0; i < 10; i++) {
      const spelt = i % 2 === 0 ? u.email.toUpperCase() : ` ${u.email}`;
      expect((await login(spelt, `nope-${i}-password`)).statusCode).toBe(401);
    }
    expectLimited(await login(u.email, u.password));
  });

  it('bounds public registration per address and per event', async () => {
    const organizer = await signupUser(ctx.app);
    const first = await publishedEvent(ctx.app, organizer.token, { max: null });
    const second = await publishedEvent(ctx.app, organizer.token, { max: null });
    const register = (code: string, remoteAddress: string) =>
      ctx.app.inject({
        method: 'POST',
        url: `/api/public/events/${code}/registrations`,
        payload: registration(),
        remoteAddress,
      });
    // One address: three registrations, then refused (on any event).
    for (let i = 0; i < 3; i++) expect((await register(first.code, '203.0.113.7')).statusCode).toBe(201);
    expectLimited(await register(second.code, '203.0.113.7'));
    // Many addresses into one event: five in the window, then refused; the other event is open.
    for (let i = 0; i < 2; i++)
      expect((await register(first.code, `203.0.113.${20 + i}`)).statusCode).toBe(201);
    expectLimited(await register(first.code, '203.0.113.40'));
    expect((await register(second.code, '203.0.113.41')).statusCode).toBe(201);
    const list = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${first.event.id}/participants?limit=100`,
      headers: bearer(organizer.token),
    });
    expect((list.json() as { items: unknown[] }).items).toHaveLength(5);
  });

  it('bounds public event pages and ticket / manage-link lookups per address', async () => {
    const organizer = await signupUser(ctx.app);
    const { code } = await publishedEvent(ctx.app, organizer.token);
    const get = (url: string, remoteAddress: string) => ctx.app.inject({ method: 'GET', url, remoteAddress });
    for (let i = 0; i < 4; i++)
      expect((await get(`/api/public/events/${code}`, '192.0.2.1')).statusCode).toBe(200);
    expectLimited(await get(`/api/public/events/${code}/calendar.ics`, '192.0.2.1'));
    expect((await get(`/api/public/events/${code}`, '192.0.2.2')).statusCode).toBe(200);

    for (let i = 0; i < 3; i++) {
      const url =
        i % 2 === 0 ? `/api/public/tickets/guess-${i}/qr.svg` : `/api/public/manage/guessed-token-${i}`;
      expect((await get(url, '192.0.2.3')).statusCode).toBe(404);
    }
    expectLimited(await get('/api/public/tickets/guess-9/qr.png', '192.0.2.3'));
    expectLimited(await get('/api/public/manage/guessed-token-9', '192.0.2.3'));
  });

  it('bounds lookups of one manage link from many addresses', async () => {
    const get = (remoteAddress: string) =>
      ctx.app.inject({ method: 'GET', url: '/api/public/manage/one-leaked-token', remoteAddress });
    for (let i = 0; i < 3; i++) expect((await get(`198.51.100.${20 + i}`)).statusCode).toBe(404);
    expectLimited(await get('198.51.100.30'));
    // Another link from the same address is counted apart.
    expect(
      (
        await ctx.app.inject({
          method: 'GET',
          url: '/api/public/manage/another-token',
          remoteAddress: '198.51.100.30',
        })
      ).statusCode,
    ).toBe(404);
  });

  it('bounds e-mail-sending actions per user', async () => {
    const organizer = await signupUser(ctx.app);
    const { event } = await publishedEvent(ctx.app, organizer.token);
    const retry = () =>
      ctx.app.inject({
        method: 'POST',
        url: `/api/events/${event.id}/emails/00000000-0000-4000-8000-000000000000/retry`,
        headers: bearer(organizer.token),
      });
    for (let i = 0; i < 2; i++) expect((await retry()).statusCode).toBe(409);
    expectLimited(await retry());
  });

  it('bounds password-reset requests per e-mail and the verification resend per user', async () => {
    const u = await signupUser(ctx.app);
    const reset = (email: string, remoteAddress: string) =>
      ctx.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email }, remoteAddress });
    // Three reset e-mails an hour to one address, whichever addresses ask (RATE_LIMIT_PASSWORD_RESET_EMAIL).
    for (let i = 0; i < 3; i++) expect((await reset(u.email, `192.0.2.${60 + i}`)).statusCode).toBe(202);
    expectLimited(await reset(u.email, '192.0.2.70'), 3600);
    // Another address is not affected by the first one's count.
    expect((await reset(uniqueEmail('nobody'), '192.0.2.70')).statusCode).toBe(202);
    const resend = () =>
      ctx.app.inject({ method: 'POST', url: '/api/auth/verify-email/resend', headers: bearer(u.token) });
    for (let i = 0; i < 2; i++) expect((await resend()).statusCode).toBe(202);
    expectLimited(await resend());
  });

  it('bounds sign-ups per address', async () => {
    const local = await createTestContext({ env: { ...LIMITS, RATE_LIMIT_SIGNUP_IP: '2/1h' } });
    try {
      const signupLocal = (remoteAddress: string) =>
        local.app.inject({
          method: 'POST',
          url: '/api/auth/signup',
          payload: {
            email: uniqueEmail('s'),
            password: 'correct-horse-battery',
            name: 'Kim',
            accept_terms: true,
          },
          remoteAddress,
        });
      expect((await signupLocal('192.0.2.50')).statusCode).toBe(201);
      expect((await signupLocal('192.0.2.50')).statusCode).toBe(201);
      expectLimited(await signupLocal('192.0.2.50'), 3600);
      expect((await signupLocal('192.0.2.51')).statusCode).toBe(201);
    } finally {
      await local.close();
    }
  });
});

describe('RATE_LIMITS=off', () => {
  it('turns every limit off', async () => {
    const ctx = await createTestContext({ env: { ...LIMITS, RATE_LIMITS: 'off' } });
    try {
      const u = await signupUser(ctx.app);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          ctx.app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { email: u.email, password: `wrong-password-${i}` },
          }),
        ),
      );
      expect(results.every((r) => r.statusCode === 401)).toBe(true);
    } finally {
      await ctx.close();
    }
  });
});

describe('TRUST_PROXY', () => {
  /** Five logins for five different e-mails with a per-address bound of 3. */
  async function attempts(env: Record<string, string>, forwardedFor: (i: number) => string) {
    const ctx = await createTestContext({ env: { ...LIMITS, RATE_LIMIT_LOGIN_IP: '3/1m', ...env } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await ctx.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: uniqueEmail('p'), password: 'wrong-password' },
          remoteAddress: '10.0.0.5',
          headers: { 'x-forwarded-for': forwardedFor(i) },
        });
        codes.push(res.statusCode);
      }
      return codes;
    } finally {
      await ctx.close();
    }
  }
  // What a client forges comes first; the proxy in front appends the address it saw.
  const forged = (i: number) => `198.51.100.${i}, 203.0.113.99`;

  it('with a hop count, a forged X-Forwarded-For does not escape the per-address limit', async () => {
    expect(await attempts({ TRUST_PROXY: '1' }, forged)).toEqual([401, 401, 401, 429, 429]);
  });

  it('with the proxy listed, only the proxy-appended address counts', async () => {
    expect(await attempts({ TRUST_PROXY: '10.0.0.0/8' }, forged)).toEqual([401, 401, 401, 429, 429]);
  });

  it('with a proxy-appended address, distinct clients behind the proxy are counted apart', async () => {
    expect(await attempts({ TRUST_PROXY: '1' }, (i) => `203.0.113.${i}`)).toEqual([401, 401, 401, 401, 401]);
  });

  it('without a trusted proxy, X-Forwarded-For is ignored', async () => {
    expect(await attempts({ TRUST_PROXY: 'false' }, (i) => `203.0.113.${i}`)).toEqual([
      401, 401, 401, 429, 429,
    ]);
  });
});
