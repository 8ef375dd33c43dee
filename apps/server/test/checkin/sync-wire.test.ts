import { decidingLogs, orderLogs } from '@eventmanager/domain/checkin/resolve';
import type { CheckinState } from '@eventmanager/domain/checkin/sync.schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { addStaffMember, createTestContext, signupUser } from '../helpers/test-app.ts';
import { NOW } from '../participants/fixtures.ts';
import { changes, mutation, type Setup, setupEvent, syncOk, syncRaw, WsClient } from './fixtures.ts';

/**
 * What a sync sends beyond the state itself: the logs a device folds its pending taps into, the
 * clock offset measured from the request's arrival (not from whenever authentication finished),
 * and the protocol version check.
 */
let ctx: Awaited<ReturnType<typeof createTestContext>>;
let s: Setup;
const clock = new ManualClock(NOW);

beforeAll(async () => {
  ctx = await createTestContext({ clock, listen: true });
  s = await setupEvent(ctx.app, 6);
}, 120_000);
afterAll(async () => {
  await ctx?.close();
});

const T = () => clock.now().getTime();
const device = { id: 'phone-wire', name: 'Wire' };

describe('the state carries the logs it was decided from', () => {
  it('in sync answers, live checkin_updated messages, /changes and the snapshot', async () => {
    const pid = s.participants[0]!.id;
    const live = await WsClient.connect(ctx.baseUrl, s.staff.token, s.eventId, 'other-phone');
    try {
      const { cursor: before } = await changes(ctx.app, s.staff.token, s.eventId, 0);
      const t0 = T();
      const ci = mutation(pid, 'check_in', t0);
      const undo = mutation(pid, 'undo_check_in', t0 + 6_000);
      const res = await syncOk(ctx.app, s.staff.token, s.eventId, [ci, undo], device, { sent_at: t0 });
      const expected = [
        { id: ci.id, action: 'check_in', at: t0 },
        { id: undo.id, action: 'undo_check_in', at: t0 + 6_000 },
      ];
      const state = res.results[1]!.state as CheckinState;
      expect(state.status).toBe('not_checked_in');
      expect(state.logs).toEqual(expected);

      const msg = await live.waitFor((m) => m.type === 'checkin_updated' && m.participantId === pid);
      expect(msg.logs).toEqual(expected);

      const feed = await changes(ctx.app, s.staff.token, s.eventId, before);
      expect(feed.changes.find((c) => c.participant_id === pid)?.checkin.logs).toEqual(expected);

      const snapshot = await changes(ctx.app, s.staff.token, s.eventId);
      const held = snapshot.snapshot?.find((p) => p.id === pid);
      expect(held?.checkin_logs).toEqual(expected);
      expect(snapshot.snapshot?.find((p) => p.id === s.participants[1]!.id)?.checkin_logs).toEqual([]);
    } finally {
      live.close();
    }
  });

  it('a feed entry carries the deciding logs of those up to its own version, not later ones', async () => {
    const pid = s.participants[2]!.id;
    const { cursor: before } = await changes(ctx.app, s.staff.token, s.eventId, 0);
    const t0 = T();
    const first = mutation(pid, 'check_in', t0);
    await syncOk(ctx.app, s.staff.token, s.eventId, [first], device, { sent_at: t0 });
    const second = mutation(pid, 'undo_check_in', t0 + 10_000);
    await syncOk(ctx.app, s.staff.token, s.eventId, [second], device, { sent_at: t0 });
    const third = mutation(pid, 'check_in', t0 + 20_000);
    await syncOk(ctx.app, s.staff.token, s.eventId, [third], device, { sent_at: t0 });
    const feed = (await changes(ctx.app, s.staff.token, s.eventId, before)).changes.filter(
      (c) => c.participant_id === pid,
    );
    // The deciding logs only: the last check-in and the last undo, at most two.
    expect(feed.map((c) => c.checkin.logs?.map((l) => l.id))).toEqual([
      [first.id],
      [first.id, second.id],
      [second.id, third.id],
    ]);
  });
});

describe('the snapshot picks the deciding logs in the database', () => {
  it('as the domain picks them, identical times and ids included', async () => {
    const pid = s.participants[3]!.id;
    const t0 = T();
    const logs = [
      mutation(pid, 'check_in', t0),
      mutation(pid, 'check_in', t0),
      mutation(pid, 'undo_check_in', t0),
      mutation(pid, 'undo_check_in', t0),
      mutation(pid, 'check_in', t0 - 3_000),
    ];
    await syncOk(ctx.app, s.staff.token, s.eventId, logs, device, { sent_at: t0 });
    const expected = decidingLogs(
      orderLogs(logs.map((m) => ({ id: m.id, action: m.type, timestamp: Number(m.local_timestamp) }))),
    ).map((l) => ({ id: l.id, action: l.action, at: l.timestamp }));
    expect(expected).toHaveLength(2);
    const snapshot = await changes(ctx.app, s.staff.token, s.eventId);
    expect(snapshot.snapshot?.find((p) => p.id === pid)?.checkin_logs).toEqual(expected);
  });
});

describe('the clock offset is measured from the request’s arrival', () => {
  it('is not shifted when authentication waits on a stalled cache', async () => {
    // A session this instance has not seen yet: authenticating it asks the cache, which stalls.
    const member = await signupUser(ctx.app);
    await addStaffMember(ctx.app, s.organizer.token, s.eventId, member);
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: member.email, password: member.password },
    });
    expect(login.statusCode).toBe(200);
    const user = { token: (login.json() as { access_token: string }).access_token };
    const cache = ctx.platform.cache;
    const get = cache.get.bind(cache);
    let reached!: () => void;
    const stalled = new Promise<void>((resolve) => {
      reached = resolve;
    });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    cache.get = async <V>(key: string): Promise<V | undefined> => {
      if (key.startsWith('session:')) {
        reached();
        await gate;
      }
      return get<V>(key);
    };
    try {
      const arrival = T();
      const tap = mutation(s.participants[4]!.id, 'check_in', arrival - 1_000);
      const pending = syncRaw(
        ctx.app,
        user.token,
        s.eventId,
        [tap],
        { id: 'stalled', name: 'S' },
        {
          sent_at: arrival,
        },
      );
      await stalled;
      // Ten seconds pass while the request waits on the cache.
      clock.advance(10_000);
      release();
      const res = await pending;
      expect(res.statusCode).toBe(200);
      const body = res.json() as {
        clock_offset_ms: number;
        server_time: string;
        results: { state: CheckinState }[];
      };
      expect(body.clock_offset_ms).toBe(0);
      expect(body.server_time).toBe(new Date(arrival).toISOString());
      expect(body.results[0]!.state.logs).toEqual([{ id: tap.id, action: 'check_in', at: arrival - 1_000 }]);
    } finally {
      cache.get = get;
    }
  });
});

describe('protocol version', () => {
  it('absent or current is accepted; another is refused with a clear 400, never read', async () => {
    const pid = s.participants[5]!.id;
    const ok = await syncRaw(ctx.app, s.staff.token, s.eventId, [], device, { protocol_version: 1 });
    expect(ok.statusCode).toBe(200);
    const other = await syncRaw(ctx.app, s.staff.token, s.eventId, [mutation(pid)], device, {
      protocol_version: 2,
    });
    expect(other.statusCode).toBe(400);
    expect(other.headers['content-type']).toContain('application/problem+json');
    expect(other.json()).toMatchObject({ status: 400, code: 'unsupported_protocol_version' });
    // Nothing of the refused request was applied.
    const snapshot = await changes(ctx.app, s.staff.token, s.eventId);
    expect(snapshot.snapshot?.find((p) => p.id === pid)?.checkin.status).toBe('not_checked_in');
  });
});
