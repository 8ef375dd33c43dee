import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestContext, signupUser, type TestContext, uniqueEmail } from './helpers/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const countUsers = async () => {
  const res = await ctx.platform.database.db.execute('select count(*)::int as n from users' as never);
  return (res as unknown as { rows: { n: number }[] }).rows[0]!.n;
};

describe('signup', () => {
  it('creates a user with a session and normalises the e-mail', async () => {
    const email = uniqueEmail('Mixed.Case');
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: {
        email: `  ${email.toUpperCase()} `,
        password: 'long-enough-pw',
        name: '김사라',
        accept_terms: true,
      },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.user.email).toBe(email.toLowerCase());
    expect(body.user.profile.name).toBe('김사라');
    expect(body.user.tier).toBe('free');
    expect(body.user.preferences).toEqual({ language: 'ko', notifications: true, timezone: 'Asia/Seoul' });
    expect(body.user).not.toHaveProperty('password_hash');
    expect(body.user.email_verified).toBe(false);
    expect(typeof body.access_token).toBe('string');
    expect(typeof body.refresh_token).toBe('string');
  });

  it('answers 409 for an existing e-mail, case-insensitively, and creates nothing', async () => {
    const { email } = await signupUser(ctx.app);
    const before = await countUsers();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { email: email.toUpperCase(), password: 'another-password', name: 'X', accept_terms: true },
    });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await countUsers()).toBe(before);
  });

  it('gives one 201 and one 409 when the same e-mail signs up twice at once', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        ctx.app.inject({
          method: 'POST',
          url: '/api/auth/signup',
          payload: { email, password: 'pw-12345678', name: 'A', accept_terms: true },
        }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
  });

  it.each([
    [{ password: 'long-enough', name: 'A', accept_terms: true }, 'email'],
    [{ email: 'not-an-email', password: 'long-enough', name: 'A', accept_terms: true }, 'email'],
    [{ email: 'a@b.co', password: 'short', name: 'A', accept_terms: true }, 'password'],
    [{ email: 'a@b.co', password: 12345678, name: 'A', accept_terms: true }, 'password'],
    [{ email: 'a@b.co', password: 'long-enough', name: '', accept_terms: true }, 'name'],
    [{ email: 'a@b.co', password: 'long-enough', name: 'A', accept_terms: true, admin: true }, ''],
    [{ email: 'a@b.co', password: 'long-enough', name: 'A' }, 'accept_terms'],
    [{ email: 'a@b.co', password: 'long-enough', name: 'A', accept_terms: false }, 'accept_terms'],
    [{ email: 'a@b.co', password: 'password', name: 'A', accept_terms: true }, 'password'],
    [{ email: 'a@b.co', password: '12345678', name: 'A', accept_terms: true }, 'password'],
    [{ email: 'a@b.co', password: '        ', name: 'A', accept_terms: true }, 'password'],
    [{ email: 'a@b.co', password: 'Qwerty123', name: 'A', accept_terms: true }, 'password'],
  ])('refuses %j with 400 naming %s, and changes nothing', async (payload, path) => {
    const before = await countUsers();
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/signup', payload });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body.status).toBe(400);
    expect(body.title).toBe('Bad Request');
    expect(Array.isArray(body.errors)).toBe(true);
    expect(body.errors.some((e: { path: string }) => e.path === path)).toBe(true);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
    expect(await countUsers()).toBe(before);
  });

  it('refuses malformed JSON with 400 and an oversized body with 413', async () => {
    const bad = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@b.co", ',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/JSON/);
    const big = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(2_000_000), name: 'A' }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('login, refresh, logout', () => {
  it('logs in, records last_login, and refuses a wrong password with 401', async () => {
    const u = await signupUser(ctx.app);
    const ok = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: u.email, password: u.password },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.last_login).not.toBeNull();
    const wrong = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: u.email, password: 'wrong-password' },
    });
    expect(wrong.statusCode).toBe(401);
    const unknown = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: uniqueEmail('nobody'), password: 'whatever-pw' },
    });
    expect(unknown.statusCode).toBe(401);
  });

  it('rotates refresh tokens: the old one stops working and its reuse revokes the session', async () => {
    const u = await signupUser(ctx.app);
    const first = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refresh_token: u.refresh },
    });
    expect(first.statusCode).toBe(200);
    const pair = first.json();
    expect(pair.refresh_token).not.toBe(u.refresh);
    const me = await ctx.app.inject({ method: 'GET', url: '/api/me', headers: bearer(pair.access_token) });
    expect(me.statusCode).toBe(200);

    // The old token again: reuse. It is refused and the whole session family dies.
    const reuse = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refresh_token: u.refresh },
    });
    expect(reuse.statusCode).toBe(401);
    const newer = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refresh_token: pair.refresh_token },
    });
    expect(newer.statusCode).toBe(401);
    const after = await ctx.app.inject({ method: 'GET', url: '/api/me', headers: bearer(pair.access_token) });
    expect(after.statusCode).toBe(401);
  });

  it('logout revokes the session: access and refresh tokens stop working', async () => {
    const u = await signupUser(ctx.app);
    const out = await ctx.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(u.token) });
    expect(out.statusCode).toBe(204);
    expect(
      (await ctx.app.inject({ method: 'GET', url: '/api/me', headers: bearer(u.token) })).statusCode,
    ).toBe(401);
    const refresh = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refresh_token: u.refresh },
    });
    expect(refresh.statusCode).toBe(401);
  });
});

describe('me', () => {
  it('reads and patches profile and preferences', async () => {
    const u = await signupUser(ctx.app);
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: bearer(u.token),
      payload: {
        profile: { organization: '북클럽' },
        preferences: { language: 'en', timezone: 'Europe/Berlin' },
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().profile.organization).toBe('북클럽');
    expect(res.json().preferences).toEqual({
      language: 'en',
      notifications: true,
      timezone: 'Europe/Berlin',
    });
    const me = await ctx.app.inject({ method: 'GET', url: '/api/me', headers: bearer(u.token) });
    expect(me.json().preferences.language).toBe('en');
  });

  it('refuses an unknown time zone or language with 400 and keeps the old values', async () => {
    const u = await signupUser(ctx.app);
    for (const preferences of [{ timezone: 'Mars/Olympus' }, { language: 'fr' }, { notifications: 'yes' }]) {
      const res = await ctx.app.inject({
        method: 'PATCH',
        url: '/api/me',
        headers: bearer(u.token),
        payload: { preferences },
      });
      expect(res.statusCode).toBe(400);
    }
    const me = await ctx.app.inject({ method: 'GET', url: '/api/me', headers: bearer(u.token) });
    expect(me.json().preferences).toEqual({ language: 'ko', notifications: true, timezone: 'Asia/Seoul' });
  });

  it.each([
    ['no header', {}],
    ['garbage token', { authorization: 'Bearer abc.def.ghi' }],
    ['wrong scheme', { authorization: 'Basic Zm9vOmJhcg==' }],
  ])('answers 401 problem+json with %s', async (_name, headers) => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/me', headers });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers every request, refusals too, with its request id (given or made)', async () => {
    const given = await ctx.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { 'x-request-id': 'trace-123' },
    });
    expect(given.statusCode).toBe(401);
    expect(given.headers['x-request-id']).toBe('trace-123');
    const made = await ctx.app.inject({ method: 'GET', url: '/healthz' });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('platform routes', () => {
  it('serves health, readiness and the OpenAPI document', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await ctx.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    const doc = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/signup', '/api/me']));
    expect((await ctx.app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBeLessThan(400);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const post = await ctx.app.inject({ method: 'POST', url: '/api/nope', payload: {} });
    expect(post.statusCode).toBe(404);
  });
});
