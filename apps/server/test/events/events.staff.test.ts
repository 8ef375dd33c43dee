import type { Event, EventListItem, StaffMember } from '@eventmanager/domain/events/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireEventAccess } from '../../src/modules/events/events.access.ts';
import { HttpProblem } from '../../src/platform/problem.ts';
import { bearer, createTestContext, signupUser, type TestContext } from '../helpers/test-app.ts';
import { createEvent, patchEvent } from './fixtures.ts';

type User = Awaited<ReturnType<typeof signupUser>>;
let ctx: TestContext;
let organizer: User;
let staff: User;
let stranger: User;
let event: Event;

const invite = (token: string, eventId: string, payload: object) =>
  ctx.app.inject({ method: 'POST', url: `/api/events/${eventId}/staff`, headers: bearer(token), payload });

beforeAll(async () => {
  ctx = await createTestContext();
  [organizer, staff, stranger] = await Promise.all([
    signupUser(ctx.app, { name: '주최자' }),
    signupUser(ctx.app, { name: '김사라' }),
    signupUser(ctx.app, { name: '낯선 사람' }),
  ]);
  event = await createEvent(ctx.app, organizer.token);
  const res = await invite(organizer.token, event.id, { email: staff.email.toUpperCase(), role: 'staff' });
  expect(res.statusCode).toBe(201);
});
afterAll(async () => {
  await ctx?.close();
});

describe('POST /api/events/:id/staff', () => {
  it('invited the existing user as staff (e-mail matched case-insensitively)', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}/staff`,
      headers: bearer(organizer.token),
    });
    expect(res.statusCode).toBe(200);
    const list = res.json() as StaffMember[];
    expect(list).toEqual([
      {
        event_id: event.id,
        user_id: staff.userId,
        role: 'staff',
        email: staff.email,
        name: '김사라',
        invited_by: organizer.userId,
        created_at: expect.any(String),
      },
    ]);
  });

  it('refuses unknown e-mails (404), duplicates and the organizer (409), bad bodies (400)', async () => {
    const unknown = await invite(organizer.token, event.id, {
      email: 'nobody-here@example.com',
      role: 'staff',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('user_not_found');
    expect((await invite(organizer.token, event.id, { email: staff.email, role: 'staff' })).statusCode).toBe(
      409,
    );
    expect((await invite(organizer.token, event.id, { email: organizer.email })).statusCode).toBe(409);
    const badRole = await invite(organizer.token, event.id, { email: stranger.email, role: 'organizer' });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().errors.map((e: { path: string }) => e.path)).toContain('role');
    expect((await invite(organizer.token, event.id, { email: 'not-an-email' })).statusCode).toBe(400);
  });

  it('may not be used by staff (403) or strangers (404)', async () => {
    expect((await invite(staff.token, event.id, { email: stranger.email })).statusCode).toBe(403);
    expect((await invite(stranger.token, event.id, { email: stranger.email })).statusCode).toBe(404);
  });
});

describe('what staff and strangers may do', () => {
  it('staff read the event and see it on their dashboard with role staff', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}`,
      headers: bearer(staff.token),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(event.id);
    const list = await ctx.app.inject({ method: 'GET', url: '/api/events', headers: bearer(staff.token) });
    const mine = (list.json() as EventListItem[]).find((e) => e.id === event.id);
    expect(mine?.role).toBe('staff');
    const staffList = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}/staff`,
      headers: bearer(staff.token),
    });
    expect(staffList.statusCode).toBe(200);
  });

  it('staff cannot edit, move status, delete or remove staff: 403 and nothing changes', async () => {
    expect((await patchEvent(ctx.app, staff.token, event.id, { name: 'hijacked' })).statusCode).toBe(403);
    expect((await patchEvent(ctx.app, staff.token, event.id, { status: 'published' })).statusCode).toBe(403);
    const branding = { branding: { logo_url: 'https://x.example/l.png', primary_color: '#000000' } };
    const staffBranding = await patchEvent(ctx.app, staff.token, event.id, branding);
    expect(staffBranding.statusCode).toBe(403);
    expect(staffBranding.json().code).toBe('staff_forbidden');
    expect((await patchEvent(ctx.app, stranger.token, event.id, branding)).statusCode).toBe(404);
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/events/${event.id}`,
      headers: bearer(staff.token),
    });
    expect(del.statusCode).toBe(403);
    const rm = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/events/${event.id}/staff/${staff.userId}`,
      headers: bearer(staff.token),
    });
    expect(rm.statusCode).toBe(403);
    const now = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}`,
      headers: bearer(organizer.token),
    });
    expect(now.json()).toEqual(event);
  });

  it('strangers get 404 for the event and everything under it, and do not see it listed', async () => {
    for (const [method, url] of [
      ['GET', `/api/events/${event.id}`],
      ['PATCH', `/api/events/${event.id}`],
      ['DELETE', `/api/events/${event.id}`],
      ['GET', `/api/events/${event.id}/staff`],
      ['DELETE', `/api/events/${event.id}/staff/${staff.userId}`],
    ] as const) {
      const res = await ctx.app.inject({
        method,
        url,
        headers: bearer(stranger.token),
        ...(method === 'PATCH' ? { payload: { name: 'x' } } : {}),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    const list = await ctx.app.inject({ method: 'GET', url: '/api/events', headers: bearer(stranger.token) });
    expect(list.json()).toEqual([]);
  });

  it('requireEventAccess: organizer manages, staff reads and checks in, others 404', async () => {
    const db = ctx.platform.database.db;
    await expect(requireEventAccess(db, event.id, organizer.userId, 'manage')).resolves.toMatchObject({
      role: 'organizer',
      event: { id: event.id },
    });
    for (const need of ['read', 'checkin'] as const) {
      await expect(requireEventAccess(db, event.id, staff.userId, need)).resolves.toMatchObject({
        role: 'staff',
      });
    }
    const status = (p: Promise<unknown>) =>
      p.then(
        () => 200,
        (e: unknown) => (e instanceof HttpProblem ? e.status : 500),
      );
    expect(await status(requireEventAccess(db, event.id, staff.userId, 'manage'))).toBe(403);
    expect(await status(requireEventAccess(db, event.id, stranger.userId, 'read'))).toBe(404);
    expect(await status(requireEventAccess(db, 'garbage', organizer.userId, 'read'))).toBe(404);
  });

  it('removing staff takes their access away; a deleted event is gone for staff too', async () => {
    const other = await createEvent(ctx.app, organizer.token);
    expect((await invite(organizer.token, other.id, { email: stranger.email })).statusCode).toBe(201);
    const read = () =>
      ctx.app.inject({ method: 'GET', url: `/api/events/${other.id}`, headers: bearer(stranger.token) });
    // The change feed and sync answer from a short-lived per-instance memo of the caller's role:
    // removal and deletion must still bite at once.
    const feed = () =>
      ctx.app.inject({
        method: 'GET',
        url: `/api/events/${other.id}/changes?since=0`,
        headers: bearer(stranger.token),
      });
    expect((await read()).statusCode).toBe(200);
    expect((await feed()).statusCode).toBe(200);
    const rm = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/events/${other.id}/staff/${stranger.userId}`,
      headers: bearer(organizer.token),
    });
    expect(rm.statusCode).toBe(204);
    expect((await read()).statusCode).toBe(404);
    expect((await feed()).statusCode).toBe(404);
    expect((await invite(organizer.token, other.id, { email: stranger.email })).statusCode).toBe(201);
    expect((await feed()).statusCode).toBe(200);
    await ctx.app.inject({
      method: 'DELETE',
      url: `/api/events/${other.id}`,
      headers: bearer(organizer.token),
    });
    expect((await read()).statusCode).toBe(404);
    expect((await feed()).statusCode).toBe(404);
    await expect(
      requireEventAccess(ctx.platform.database.db, other.id, organizer.userId, 'read'),
    ).rejects.toBeInstanceOf(HttpProblem);
  });
});
