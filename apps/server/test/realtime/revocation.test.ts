import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { addParticipants, type Setup, setupEvent, WsClient } from '../checkin/fixtures.ts';
import { bearer, createTestContext, mailedToken, signupUser, type TestContext } from '../helpers/test-app.ts';

// Access taken away ends on every instance at once: two instances over one database and (with
// REDIS_URL) one Redis; in-process, they share one bus. Sockets are on one instance, the change
// that takes access away is made through the other.
const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
let a: Awaited<ReturnType<typeof createTestContext>>;
let b: TestContext;
const open: WsClient[] = [];
const connect = async (...args: Parameters<typeof WsClient.connect>) => {
  const c = await WsClient.connect(...args);
  open.push(c);
  return c;
};

// The tests move the clock by minutes to pass token expiries; with the default 30 s heartbeat a sweep
// between such a jump and the socket's next message would close it for silence instead.
const env = { WS_HEARTBEAT_INTERVAL_MS: String(24 * 60 * 60 * 1000) };

beforeAll(async () => {
  a = await createTestContext({ listen: true, clock, env });
  b = await createTestContext({ listen: true, clock, shared: a.shared, env });
}, 120_000);
afterAll(async () => {
  for (const c of open) c.close();
  await b?.close();
  await a?.close();
});

const login = async (ctx: TestContext, email: string, password: string) => {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  expect(res.statusCode).toBe(200);
  return res.json() as { access_token: string; refresh_token: string };
};
const ofEvent = (eventId: string) => (m: Record<string, unknown>) => m.eventId === eventId;

describe('session revocation closes the session’s sockets on every instance (4401)', () => {
  it('logout through instance B closes the socket held by instance A, and only that session’s', async () => {
    const u = await signupUser(a.app);
    const other = await login(a, u.email, u.password);
    const ws = await connect(a.baseUrl, u.token);
    const otherWs = await connect(a.baseUrl, other.access_token);
    const out = await b.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(u.token) });
    expect(out.statusCode).toBe(204);
    expect((await ws.closed).code).toBe(4401);
    otherWs.send({ type: 'heartbeat', timestamp: 1 });
    await otherWs.waitFor((m) => m.type === 'heartbeat' && m.timestamp === 1);
    expect(otherWs.ws.readyState).toBe(otherWs.ws.OPEN);
  });

  it('refresh-token reuse revokes the session and closes its socket on the other instance', async () => {
    const u = await signupUser(a.app);
    const ws = await connect(b.baseUrl, u.token);
    const refresh = (ctx: TestContext) =>
      ctx.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refresh_token: u.refresh } });
    expect((await refresh(a)).statusCode).toBe(200);
    expect((await refresh(a)).statusCode).toBe(401);
    expect((await ws.closed).code).toBe(4401);
  });

  it('a password reset closes every socket of the account', async () => {
    const u = await signupUser(a.app);
    const second = await login(b, u.email, u.password);
    const onA = await connect(a.baseUrl, u.token);
    const onB = await connect(b.baseUrl, second.access_token);
    await a.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: u.email } });
    const token = await mailedToken(a.app, 'password_reset', u.email);
    const res = await b.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: 'a-brand-new-secret' },
    });
    expect(res.statusCode).toBe(204);
    expect((await onA.closed).code).toBe(4401);
    expect((await onB.closed).code).toBe(4401);
  });
});

describe('access-token expiry', () => {
  it('closes a socket at its token’s expiry unless it sent auth with a fresh token before', async () => {
    const u = await signupUser(a.app);
    const stale = await connect(a.baseUrl, u.token);
    const renewed = await connect(a.baseUrl, u.token);
    clock.advance(10 * 60 * 1000);
    const fresh = await login(a, u.email, u.password);
    renewed.send({ type: 'auth', token: fresh.access_token });
    await renewed.waitFor(
      (m) => m.type === 'auth_ok' && renewed.messages.filter((x) => x.type === 'auth_ok').length === 2,
    );
    // Past the first token's 15 minutes: one sweep closes the socket that kept it, and the same
    // sweep looked at the renewed one.
    clock.advance(6 * 60 * 1000);
    expect((await stale.closed).code).toBe(4401);
    renewed.send({ type: 'heartbeat', timestamp: 2 });
    await renewed.waitFor((m) => m.type === 'heartbeat' && m.timestamp === 2);
    expect(renewed.ws.readyState).toBe(renewed.ws.OPEN);
    // A token for another user cannot take over the socket.
    const v = await signupUser(a.app);
    renewed.send({ type: 'auth', token: v.token });
    expect((await renewed.closed).code).toBe(4401);
  });
});

describe('event access ends on every instance', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setupEvent(a.app, 0);
  }, 60_000);

  it('removing a staff member unsubscribes their sockets (reason staff_removed); nothing of the event follows', async () => {
    const staffWs = await connect(b.baseUrl, s.staff.token, s.eventId);
    const organizerWs = await connect(b.baseUrl, s.organizer.token, s.eventId);
    const rm = await a.app.inject({
      method: 'DELETE',
      url: `/api/events/${s.eventId}/staff/${s.staff.userId}`,
      headers: bearer(s.organizer.token),
    });
    expect(rm.statusCode).toBe(204);
    const told = await staffWs.waitFor((m) => m.type === 'unsubscribed');
    expect(told).toEqual({ type: 'unsubscribed', eventId: s.eventId, reason: 'staff_removed' });
    const [added] = await addParticipants(a.app, s.organizer.token, s.eventId, 1);
    // Both sockets are on instance B: the organizer's copy arriving means the staff socket's would have.
    await organizerWs.waitFor((m) => m.type === 'participant_registered');
    const after = staffWs.messages.slice(staffWs.messages.indexOf(told) + 1);
    expect(after.filter(ofEvent(s.eventId))).toEqual([]);
    expect(JSON.stringify(staffWs.messages)).not.toContain(added!.id);
    // Subscribing again is refused.
    staffWs.send({ type: 'subscribe_event', eventId: s.eventId });
    const refused = await staffWs.waitFor((m) => m.type === 'error' && m.eventId === s.eventId);
    expect(refused.code).toBe('forbidden');
  });

  it('a re-sent subscribe is checked again, not answered from the socket’s own list', async () => {
    const t = await setupEvent(a.app, 0);
    const staffWs = await connect(a.baseUrl, t.staff.token, t.eventId);
    const organizerWs = await connect(a.baseUrl, t.organizer.token, t.eventId);
    // Access ends without any message reaching this instance (as when the bus was down).
    await a.platform.database.db.execute(
      sql`delete from event_staff where event_id = ${t.eventId} and user_id = ${t.staff.userId}`,
    );
    staffWs.send({ type: 'subscribe_event', eventId: t.eventId });
    const refused = await staffWs.waitFor((m) => m.type === 'error' && m.eventId === t.eventId);
    expect(refused.code).toBe('forbidden');
    const mark = staffWs.messages.length;
    await addParticipants(a.app, t.organizer.token, t.eventId, 1);
    await organizerWs.waitFor((m) => m.type === 'participant_registered');
    expect(staffWs.messages.slice(mark).filter(ofEvent(t.eventId))).toEqual([]);
  });

  it('deleting the event unsubscribes every socket following it (reason event_deleted)', async () => {
    const t = await setupEvent(a.app, 0);
    const staffWs = await connect(a.baseUrl, t.staff.token, t.eventId);
    const organizerWs = await connect(b.baseUrl, t.organizer.token, t.eventId);
    const del = await b.app.inject({
      method: 'DELETE',
      url: `/api/events/${t.eventId}`,
      headers: bearer(t.organizer.token),
    });
    expect(del.statusCode).toBe(204);
    for (const ws of [staffWs, organizerWs]) {
      expect(await ws.waitFor((m) => m.type === 'unsubscribed')).toEqual({
        type: 'unsubscribed',
        eventId: t.eventId,
        reason: 'event_deleted',
      });
    }
    organizerWs.send({ type: 'subscribe_event', eventId: t.eventId });
    expect((await organizerWs.waitFor((m) => m.type === 'error')).code).toBe('forbidden');
  });
});
