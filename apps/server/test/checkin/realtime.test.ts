import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { patchEvent } from '../events/fixtures.ts';
import { createTestContext, signupUser } from '../helpers/test-app.ts';
import { changes, mutation, type Setup, setupEvent, syncOk, WsClient } from './fixtures.ts';

// Short intervals so auth and heartbeat deadlines are observable within a test.
const env = { WS_AUTH_TIMEOUT_MS: '400', WS_HEARTBEAT_INTERVAL_MS: '300' };
let ctx: Awaited<ReturnType<typeof createTestContext>>;
let s: Setup;
const open: WsClient[] = [];
const client = async (...args: Parameters<typeof WsClient.connect>) => {
  const c = await WsClient.connect(...args);
  open.push(c);
  return c;
};

beforeAll(async () => {
  ctx = await createTestContext({ listen: true, env });
  s = await setupEvent(ctx.app, 3);
});
afterAll(async () => {
  for (const c of open) c.close();
  await ctx?.close();
});

describe('/realtime', () => {
  it('closes a socket that does not authenticate in time with 4401', async () => {
    const c = new WsClient(ctx.baseUrl);
    open.push(c);
    await c.opened();
    const closed = await c.closed;
    expect(closed.code).toBe(4401);
  });

  it('closes with 4401 on a bad token', async () => {
    const c = new WsClient(ctx.baseUrl);
    open.push(c);
    await c.opened();
    c.send({ type: 'auth', token: 'not-a-token' });
    expect((await c.closed).code).toBe(4401);
  });

  it('answers malformed, unknown, binary and non-JSON frames with an error and stays up', async () => {
    const c = await client(ctx.baseUrl, s.staff.token);
    c.send('this is not json');
    c.send({ type: 'teleport' });
    c.send({ type: 'subscribe_event', eventId: 'nope' });
    c.send('[1,2,3]');
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    c.send({ type: 'heartbeat', timestamp: 1 });
    await c.waitFor((m) => m.type === 'heartbeat');
    const errors = c.messages.filter((m) => m.type === 'error');
    expect(errors).toHaveLength(5);
    expect(errors.every((e) => e.code === 'invalid_message' && typeof e.message === 'string')).toBe(true);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('answers heartbeats with server_time, and closes a socket that misses two', async () => {
    const c = await client(ctx.baseUrl, s.staff.token, undefined, undefined, null);
    c.send({ type: 'heartbeat', timestamp: 1234 });
    const ack = await c.waitFor((m) => m.type === 'heartbeat');
    expect(ack.timestamp).toBe(1234);
    expect(Math.abs(Number(ack.server_time) - Date.now())).toBeLessThan(5_000);
    const closed = await c.closed;
    expect(closed.code).toBe(4408);
  });

  it('refuses to subscribe to an event the user neither organizes nor staffs, and sends nothing of it', async () => {
    const outsider = await signupUser(ctx.app);
    const c = await client(ctx.baseUrl, outsider.token);
    c.send({ type: 'subscribe_event', eventId: s.eventId });
    const err = await c.waitFor((m) => m.type === 'error');
    expect(err).toMatchObject({ code: 'forbidden', eventId: s.eventId });
    const staff = await client(ctx.baseUrl, s.staff.token, s.eventId);
    await syncOk(ctx.app, s.organizer.token, s.eventId, [mutation(s.participants[1]!.id)]);
    await staff.waitFor((m) => m.type === 'checkin_updated');
    expect(c.messages.some((m) => m.type === 'checkin_updated')).toBe(false);
  });

  it('closes a socket that sends an oversized frame', async () => {
    const c = await client(ctx.baseUrl, s.staff.token);
    c.send({ type: 'heartbeat', timestamp: 1, pad: 'x'.repeat(70 * 1024) });
    expect((await c.closed).code).toBe(1009);
  });

  it('sends checkin_updated with version and cursor, and sync_conflict to the losing device only', async () => {
    const a = await client(ctx.baseUrl, s.organizer.token, s.eventId, 'dev-A');
    const b = await client(ctx.baseUrl, s.staff.token, s.eventId, 'dev-B');
    // Someone else claiming the same device id must not receive B's conflicts.
    const impostor = await client(ctx.baseUrl, (await signupUser(ctx.app)).token, undefined, 'dev-B');
    const pid = s.participants[0]!.id;
    const t = Date.now();
    const first = await syncOk(ctx.app, s.organizer.token, s.eventId, [mutation(pid, 'check_in', t)], {
      id: 'dev-A',
      name: '김사라의 iPhone',
    });
    const update = await b.waitFor((m) => m.type === 'checkin_updated' && m.participantId === pid);
    expect(update).toMatchObject({
      eventId: s.eventId,
      status: 'checked_in',
      version: first.results[0]!.state!.version,
      cursor: first.cursor,
      // The human device name, for other devices' activity lists.
      deviceName: '김사라의 iPhone',
    });
    await syncOk(ctx.app, s.staff.token, s.eventId, [mutation(pid, 'undo_check_in', t + 1_500)], {
      id: 'dev-B',
      name: '이민수',
    });
    const conflict = await b.waitFor((m) => m.type === 'sync_conflict');
    expect(conflict.details).toMatchObject({
      participantId: pid,
      winningAction: 'check_in',
      losingAction: 'undo_check_in',
      winningDeviceName: '김사라의 iPhone',
      status: 'checked_in',
    });
    expect(typeof (conflict.details as { reason: { ko: string } }).reason.ko).toBe('string');
    await new Promise((r) => setTimeout(r, 100));
    expect(a.messages.some((m) => m.type === 'sync_conflict')).toBe(false);
    expect(impostor.messages.some((m) => m.type === 'sync_conflict')).toBe(false);
  });

  it("a device's own double tap (check-in, undo within 5 s) is not reported as another device", async () => {
    const b = await client(ctx.baseUrl, s.staff.token, s.eventId, 'dev-own');
    const pid = s.participants[1]!.id;
    const t = Date.now();
    const device = { id: 'dev-own', name: '입구 1 · 이민수' };
    await syncOk(ctx.app, s.staff.token, s.eventId, [mutation(pid, 'check_in', t)], device);
    const undo = await syncOk(
      ctx.app,
      s.staff.token,
      s.eventId,
      [mutation(pid, 'undo_check_in', t + 1_000)],
      device,
    );
    expect(undo.results[0]).toMatchObject({ conflict: true, state: { status: 'checked_in' } });
    const conflict = await b.waitFor(
      (m) => m.type === 'sync_conflict' && (m.details as { participantId: string }).participantId === pid,
    );
    const details = conflict.details as { sameDevice?: boolean; reason: { ko: string; en: string } };
    expect(details.sameDevice).toBe(true);
    expect(details.reason.ko).not.toContain('다른 디바이스');
    expect(details.reason.en).not.toContain('another device');
  });

  it('marks no-shows when the event completes, in the feed and on the socket', async () => {
    const c = await client(ctx.baseUrl, s.staff.token, s.eventId);
    const before = await changes(ctx.app, s.organizer.token, s.eventId);
    for (const status of ['published', 'in_progress', 'completed']) {
      const res = await patchEvent(ctx.app, s.organizer.token, s.eventId, { status });
      expect(res.statusCode, res.body).toBe(200);
    }
    const after = await changes(ctx.app, s.organizer.token, s.eventId, before.cursor);
    const noShows = after.changes.filter((ch) => ch.kind === 'no_show');
    const snapshot = await changes(ctx.app, s.organizer.token, s.eventId);
    const expected = snapshot.snapshot!.filter((p) => p.checkin.status === 'no_show').map((p) => p.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(noShows.map((n) => n.participant_id).sort()).toEqual(expected.sort());
    await c.waitFor((m) => m.type === 'checkin_updated' && m.kind === 'no_show' && m.status === 'no_show');

    // This instance decided earlier syncs from its in-memory ledger of the event, which the
    // completion (another writer) made stale: a sync must still see the no-show, not its old copy.
    const noShow = expected[0]!;
    const undo = await syncOk(ctx.app, s.staff.token, s.eventId, [mutation(noShow, 'undo_check_in')]);
    expect(undo.results[0]!.state).toMatchObject({ status: 'no_show' });
    const late = await syncOk(ctx.app, s.staff.token, s.eventId, [
      mutation(noShow, 'check_in', Date.now() + 10_000),
    ]);
    expect(late.results[0]!.state).toMatchObject({ status: 'checked_in' });
  });
});
