import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailDataSchemas } from '../src/modules/notifications/mail-data.ts';
import { renderMail } from '../src/modules/notifications/templates/render.ts';
import { ManualClock } from '../src/platform/clock.ts';
import {
  bearer,
  createTestContext,
  mailedToken,
  signupUser,
  type TestContext,
  uniqueEmail,
  verifyEmail,
} from './helpers/test-app.ts';

let ctx: TestContext;
const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
beforeAll(async () => {
  ctx = await createTestContext({ clock });
});
afterAll(async () => {
  await ctx?.close();
});

const rows = async <T>(query: ReturnType<typeof sql>) =>
  ((await ctx.platform.database.db.execute(query)) as unknown as { rows: T[] }).rows;
const me = (token: string) => ctx.app.inject({ method: 'GET', url: '/api/me', headers: bearer(token) });
const login = (email: string, password: string) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });

describe('sign-up consent and password strength', () => {
  it('stores when and which version of the terms was accepted', async () => {
    const u = await signupUser(ctx.app);
    const [row] = await rows<{ terms_accepted_at: string; terms_version: string }>(
      sql`select terms_accepted_at, terms_version from users where id = ${u.userId}`,
    );
    expect(new Date(row!.terms_accepted_at).toISOString()).toBe(clock.now().toISOString());
    expect(row!.terms_version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('refuses a common password with code weak_password and a field error', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { email: uniqueEmail(), password: 'iloveyou', name: 'A', accept_terms: true },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('weak_password');
    expect(res.json().errors).toEqual([{ path: 'password', message: expect.any(String) }]);
  });
});

describe('e-mail verification', () => {
  it('sign-up queues a verification link; the link verifies once', async () => {
    const u = await signupUser(ctx.app);
    expect((await me(u.token)).json().email_verified).toBe(false);
    const [job] = await rows<{ data: unknown; type: string }>(
      sql`select type, data from email_queue where recipient = ${u.email} and type = 'email_verification'`,
    );
    const data = mailDataSchemas.email_verification.parse(job!.data);
    expect(data.link).toMatch(/^http:\/\/localhost:3000\/verify-email\/[A-Za-z0-9_-]{43}$/);
    const rendered = await renderMail(
      { type: 'email_verification', data },
      { publicUrl: 'http://localhost:3000', now: clock.now() },
    );
    expect(rendered.subject).toBe('이메일 주소를 확인해 주세요');
    expect(rendered.text).toContain(data.link);
    const token = await mailedToken(ctx.app, 'email_verification', u.email);
    const verified = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/verify-email',
      payload: { token },
    });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({ id: u.userId, email_verified: true });
    expect((await me(u.token)).json().email_verified).toBe(true);
    const again = await ctx.app.inject({ method: 'POST', url: '/api/auth/verify-email', payload: { token } });
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('invalid_or_expired_token');
  });

  it('a resent link replaces the old one; verified accounts get 409', async () => {
    const u = await signupUser(ctx.app);
    const old = await mailedToken(ctx.app, 'email_verification', u.email);
    const resend = () =>
      ctx.app.inject({ method: 'POST', url: '/api/auth/verify-email/resend', headers: bearer(u.token) });
    expect((await resend()).statusCode).toBe(202);
    const fresh = await mailedToken(ctx.app, 'email_verification', u.email);
    expect(fresh).not.toBe(old);
    expect(
      (await ctx.app.inject({ method: 'POST', url: '/api/auth/verify-email', payload: { token: old } }))
        .statusCode,
    ).toBe(400);
    await verifyEmail(ctx.app, u.email);
    expect((await resend()).statusCode).toBe(409);
  });

  it('refuses an expired link', async () => {
    const u = await signupUser(ctx.app);
    const token = await mailedToken(ctx.app, 'email_verification', u.email);
    clock.advance(3 * 24 * 60 * 60 * 1000 + 1);
    try {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/verify-email', payload: { token } });
      expect(res.statusCode).toBe(400);
    } finally {
      clock.advance(-(3 * 24 * 60 * 60 * 1000 + 1));
    }
    expect((await me(u.token)).json().email_verified).toBe(false);
  });
});

describe('password reset', () => {
  it('answers 202 for any address and mails only existing accounts', async () => {
    const nobody = uniqueEmail('nobody');
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: nobody },
    });
    expect(res.statusCode).toBe(202);
    expect(await rows(sql`select 1 from email_queue where recipient = ${nobody}`)).toEqual([]);
    const u = await signupUser(ctx.app);
    const known = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: u.email },
    });
    expect(known.statusCode).toBe(202);
    // The same answer either way: nothing tells which addresses have accounts.
    expect(known.body).toBe(res.body);
    expect(known.headers['content-type']).toBe(res.headers['content-type']);
    expect(await mailedToken(ctx.app, 'password_reset', u.email)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('sets the new password, revokes every session, and works once; tokens are stored hashed', async () => {
    const u = await signupUser(ctx.app);
    const second = (await login(u.email, u.password)).json() as {
      access_token: string;
      refresh_token: string;
    };
    await ctx.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: u.email } });
    const token = await mailedToken(ctx.app, 'password_reset', u.email);
    expect(await rows(sql`select 1 from account_tokens where token_hash = ${token}`)).toEqual([]);
    const confirm = (password: string) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/auth/password-reset/confirm',
        payload: { token, password },
      });
    const weak = await confirm('password1');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().code).toBe('weak_password');
    expect((await me(u.token)).statusCode).toBe(200);
    const done = await confirm('a-brand-new-secret');
    expect(done.statusCode).toBe(204);
    expect((await me(u.token)).statusCode).toBe(401);
    expect((await me(second.access_token)).statusCode).toBe(401);
    const refreshed = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refresh_token: second.refresh_token },
    });
    expect(refreshed.statusCode).toBe(401);
    expect((await login(u.email, u.password)).statusCode).toBe(401);
    expect((await login(u.email, 'a-brand-new-secret')).statusCode).toBe(200);
    // Reading the link proved the address.
    expect((await login(u.email, 'a-brand-new-secret')).json().user.email_verified).toBe(true);
    expect((await confirm('yet-another-secret')).statusCode).toBe(400);
  });

  it('a reset link expires after an hour', async () => {
    const u = await signupUser(ctx.app);
    await ctx.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: u.email } });
    const token = await mailedToken(ctx.app, 'password_reset', u.email);
    clock.advance(60 * 60 * 1000);
    try {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/auth/password-reset/confirm',
        payload: { token, password: 'a-brand-new-secret' },
      });
      expect(res.statusCode).toBe(400);
    } finally {
      clock.advance(-60 * 60 * 1000);
    }
    expect((await me(u.token)).statusCode).toBe(200);
  });
});
