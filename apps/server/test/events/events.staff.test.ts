import type { Event, EventListItem, StaffMember } from '@eventmanager/domain/events/schema';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireEventAccess } from '../../src/modules/events/events.access.ts';
import { HttpProblem } from '../../src/platform/problem.ts';
import {
  addStaffMember,
  bearer,
  createTestContext,
  mailedToken,
  signupUser,
  type TestContext,
  uniqueEmail,
  verifyEmail,
} from '../helpers/test-app.ts';
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
  await addStaffMember(ctx.app, organizer.token, event.id, staff);
});

const accept = (token: string, linkToken: string) =>
  ctx.app.inject({ method: 'POST', url: `/api/invitations/${linkToken}/accept`, headers: bearer(token) });
const participantsOf = (token: string, eventId: string) =>
  ctx.app.inject({ method: 'GET', url: `/api/events/${eventId}/participants`, headers: bearer(token) });
afterAll(async () => {
  await ctx?.close();
});

describe('POST /api/events/:id/staff', () => {
  it('the accepted invitee is listed as staff', async () => {
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

  it('answers 201 with an invitation (status invited) and e-mails a link; no access until accepted', async () => {
    const other = await createEvent(ctx.app, organizer.token);
    const invitee = await signupUser(ctx.app, { name: '자원봉사자' });
    await verifyEmail(ctx.app, invitee.email);
    const res = await invite(organizer.token, other.id, {
      email: invitee.email.toUpperCase(),
      role: 'staff',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      event_id: other.id,
      email: invitee.email,
      role: 'staff',
      status: 'invited',
      invited_by: organizer.userId,
    });
    const expires = Date.parse(res.json().expires_at) - Date.parse(res.json().created_at);
    expect(expires).toBe(7 * 24 * 60 * 60 * 1000);
    expect((await participantsOf(invitee.token, other.id)).statusCode).toBe(404);
    const link = await mailedToken(ctx.app, 'staff_invitation', invitee.email);
    expect(link).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const accepted = await accept(invitee.token, link);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ event_id: other.id, staff: { user_id: invitee.userId } });
    expect((await participantsOf(invitee.token, other.id)).statusCode).toBe(200);
    // The link is single-use.
    expect((await accept(invitee.token, link)).statusCode).toBe(404);
  });

  it('an attacker who signed up first with the volunteer address gets nothing', async () => {
    const other = await createEvent(ctx.app, organizer.token);
    const volunteerAddress = uniqueEmail('volunteer');
    // The attacker cannot prove the address: the verification link goes to the volunteer's inbox.
    const attacker = await signupUser(ctx.app, { email: volunteerAddress, name: '공격자' });
    const res = await invite(organizer.token, other.id, { email: volunteerAddress, role: 'staff' });
    expect(res.statusCode).toBe(201);
    expect((await participantsOf(attacker.token, other.id)).statusCode).toBe(404);
    const events = await ctx.app.inject({
      method: 'GET',
      url: '/api/events',
      headers: bearer(attacker.token),
    });
    expect(events.json()).toEqual([]);
    // Even holding the invitation link (forwarded, guessed from a shared inbox), an unverified
    // account cannot accept it.
    const link = await mailedToken(ctx.app, 'staff_invitation', volunteerAddress);
    const refused = await accept(attacker.token, link);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('email_not_verified');
    expect((await participantsOf(attacker.token, other.id)).statusCode).toBe(404);
  });

  it('only the invited address may accept', async () => {
    const other = await createEvent(ctx.app, organizer.token);
    const invitee = await signupUser(ctx.app);
    const someoneElse = await signupUser(ctx.app);
    await verifyEmail(ctx.app, someoneElse.email);
    await invite(organizer.token, other.id, { email: invitee.email });
    const link = await mailedToken(ctx.app, 'staff_invitation', invitee.email);
    const refused = await accept(someoneElse.token, link);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('invitation_email_mismatch');
    expect((await participantsOf(someoneElse.token, other.id)).statusCode).toBe(404);
  });

  it('an address without an account can be invited; it signs up, verifies, then accepts', async () => {
    const other = await createEvent(ctx.app, organizer.token);
    const address = uniqueEmail('newcomer');
    expect((await invite(organizer.token, other.id, { email: address })).statusCode).toBe(201);
    const newcomer = await signupUser(ctx.app, { email: address });
    const link = await mailedToken(ctx.app, 'staff_invitation', address);
    expect((await accept(newcomer.token, link)).statusCode).toBe(403);
    await verifyEmail(ctx.app, address);
    expect((await accept(newcomer.token, link)).statusCode).toBe(200);
    expect((await participantsOf(newcomer.token, other.id)).statusCode).toBe(200);
  });

  it('lists, resends (old link dead) and revokes pending invitations', async () => {
    const other = await createEvent(ctx.app, organizer.token);
    const invitee = await signupUser(ctx.app);
    await verifyEmail(ctx.app, invitee.email);
    const first = (await invite(organizer.token, other.id, { email: invitee.email })).json();
    const oldLink = await mailedToken(ctx.app, 'staff_invitation', invitee.email);
    const list = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${other.id}/staff/invitations`,
      headers: bearer(organizer.token),
    });
    expect(list.json()).toEqual([expect.objectContaining({ id: first.id, status: 'invited' })]);
    const staffView = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}/staff/invitations`,
      headers: bearer(staff.token),
    });
    expect(staffView.statusCode).toBe(403);
    const resent = await ctx.app.inject({
      method: 'POST',
      url: `/api/events/${other.id}/staff/invitations/${first.id}/resend`,
      headers: bearer(organizer.token),
    });
    expect(resent.statusCode).toBe(200);
    expect(resent.json().id).toBe(first.id);
    const newLink = await mailedToken(ctx.app, 'staff_invitation', invitee.email);
    expect(newLink).not.toBe(oldLink);
    expect((await accept(invitee.token, oldLink)).statusCode).toBe(404);
    const revoked = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/events/${other.id}/staff/invitations/${first.id}`,
      headers: bearer(organizer.token),
    });
    expect(revoked.statusCode).toBe(204);
    expect((await accept(invitee.token, newLink)).statusCode).toBe(404);
    expect((await participantsOf(invitee.token, other.id)).statusCode).toBe(404);
  });

  it('an expired invitation is refused (410)', async () => {
    const other = await createEvent(ctx.app, organizer.token);
    const invitee = await signupUser(ctx.app);
    await verifyEmail(ctx.app, invitee.email);
    await invite(organizer.token, other.id, { email: invitee.email });
    const link = await mailedToken(ctx.app, 'staff_invitation', invitee.email);
    await ctx.platform.database.db.execute(
      sql`update event_staff_invitations set expires_at = now() - interval '1 minute' where email = ${invitee.email}`,
    );
    const res = await accept(invitee.token, link);
    expect(res.statusCode).toBe(410);
    expect(res.json().code).toBe('invitation_expired');
  });

  it('refuses current staff and the organizer (409), bad bodies (400)', async () => {
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
    await addStaffMember(ctx.app, organizer.token, other.id, stranger);
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
    await addStaffMember(ctx.app, organizer.token, other.id, stranger);
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
