import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-app.ts';
import { DeviceSim, serverHash, until } from './device-sim.ts';
import { addParticipants, changes, mutation, type Setup, setupEvent, syncOk, WsClient } from './fixtures.ts';

// Two server instances over one database and (with REDIS_URL) one Redis: the integration tests.
let a: Awaited<ReturnType<typeof createTestContext>>;
let b: TestContext;
let s: Setup;
const cleanup: (() => void)[] = [];

beforeAll(async () => {
  a = await createTestContext({ listen: true });
  b = await createTestContext({ listen: true, shared: a.shared });
  s = await setupEvent(a.app, 0);
  s.participants = await addParticipants(a.app, s.organizer.token, s.eventId, 170, 8);
}, 180_000);
afterAll(async () => {
  for (const c of cleanup) c();
  await b?.close();
  await a?.close();
});

describe('two devices on two instances', () => {
  it('a check-in on instance A reaches a device on instance B in under 1 s', async () => {
    const onB = await WsClient.connect(b.baseUrl, s.staff.token, s.eventId, 'phone-b');
    cleanup.push(() => onB.close());
    const pid = s.participants[10]!.id;
    const started = performance.now();
    const res = await syncOk(a.app, s.organizer.token, s.eventId, [mutation(pid)], {
      id: 'phone-a',
      name: 'A',
    });
    const msg = await onB.waitFor((m) => m.type === 'checkin_updated' && m.participantId === pid, 1_000);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(1_000);
    expect(msg).toMatchObject({
      status: 'checked_in',
      cursor: res.cursor,
      version: res.results[0]!.state!.version,
    });
  });

  it('lost acknowledgement: the batch commits, the answer is dropped, the resend (to the other instance) applies nothing', async () => {
    const batch = s.participants.slice(20, 30).map((p) => mutation(p.id));
    const first = await syncOk(a.app, s.staff.token, s.eventId, batch, { id: 'phone-b', name: 'B' });
    // The device never saw `first`; it resends the same batch through the other instance.
    const resent = await syncOk(b.app, s.staff.token, s.eventId, batch, { id: 'phone-b', name: 'B' });
    expect(resent.results.every((r) => r.duplicate && !r.applied)).toBe(true);
    expect(resent.results.map((r) => r.state)).toEqual(first.results.map((r) => r.state));
    expect(resent.cursor).toBe(first.cursor);
    // Both at once (a retry racing the original): exactly one applies each mutation.
    const race = s.participants.slice(30, 40).map((p) => mutation(p.id));
    const [x, y] = await Promise.all([
      syncOk(a.app, s.staff.token, s.eventId, race, { id: 'phone-b', name: 'B' }),
      syncOk(b.app, s.staff.token, s.eventId, race, { id: 'phone-b', name: 'B' }),
    ]);
    for (let i = 0; i < race.length; i++) {
      expect([x.results[i]!.applied, y.results[i]!.applied].filter(Boolean)).toHaveLength(1);
    }
  });

  it('500 queued offline mutations vs 20 undos and 30 check-ins elsewhere: server and both devices converge', async () => {
    const pool = s.participants.slice(40);
    const devA = new DeviceSim('offline-a', '김사라의 iPhone', s.organizer.token, s.eventId);
    const devB = new DeviceSim('online-b', '이민수', s.staff.token, s.eventId);
    await devA.snapshot(a.baseUrl);
    await devB.connect(b.baseUrl);
    cleanup.push(() => devB.disconnect());

    // A goes offline and queues 500 mutations: 100 people, each checked in, undone, checked in,
    // undone and checked in again, 10 s apart on A's clock (so each ends checked_in).
    const t0 = Date.now();
    const actions = ['check_in', 'undo_check_in', 'check_in', 'undo_check_in', 'check_in'] as const;
    const queued = pool
      .slice(0, 100)
      .flatMap((p) => actions.map((type, k) => mutation(p.id, type, t0 - 50_000 + k * 10_000)));
    expect(queued).toHaveLength(500);

    // Meanwhile B, online, undoes 20 of those people a minute later (genuine undos that must win)
    // and checks in 30 people A never touched.
    const undone = pool.slice(0, 20);
    await devB.sync(undone.map((p) => mutation(p.id, 'undo_check_in', t0 + 60_000)));
    await devB.sync(pool.slice(100, 130).map((p) => mutation(p.id, 'check_in', t0)));

    // A reconnects to the other instance, pushes its queue, and catches up.
    await devA.connect(a.baseUrl);
    cleanup.push(() => devA.disconnect());
    const pushed = await devA.sync(queued);
    expect(pushed.results.every((r) => r.applied)).toBe(true);
    await devA.catchUp();

    const expected = await serverHash(a.baseUrl, s.organizer.token, s.eventId);
    await until(() => devB.hash() === expected, 10_000, 'device B to converge');
    await until(() => devA.hash() === expected, 10_000, 'device A to converge');
    // The genuine undos (10 s after A's check-ins) won; A's other check-ins stand.
    expect(devA.states.get(undone[0]!.id)!.status).toBe('not_checked_in');
    expect(devA.states.get(pool[50]!.id)!.status).toBe('checked_in');
    expect(devB.states.get(pool[120]!.id)!.status).toBe('checked_in');
    expect(devB.cursor).toBe(devA.cursor);
  });

  it('both instances deciding on the same people at once: no state is ever decided on a stale set of logs', async () => {
    // Each round, A checks five people in and B undoes them 3 s later (device time), both at once.
    // Within 5 s the check-in wins, so everyone must end checked in. An instance that decided on the
    // logs it read before the other committed (B without A's check-in: "undo wins") and wrote anyway
    // would leave someone not checked in; the compare-and-set makes it read again instead.
    const people = await addParticipants(a.app, s.organizer.token, s.eventId, 5);
    const { cursor: before } = await changes(a.app, s.organizer.token, s.eventId);
    const base = Date.now() - 600_000;
    for (let round = 0; round < 25; round++) {
      const at = base + round * 20_000;
      await Promise.all([
        syncOk(
          a.app,
          s.organizer.token,
          s.eventId,
          people.map((p) => mutation(p.id, 'check_in', at)),
          { id: 'door-a', name: 'A' },
        ),
        syncOk(
          b.app,
          s.staff.token,
          s.eventId,
          people.map((p) => mutation(p.id, 'undo_check_in', at + 3_000)),
          { id: 'door-b', name: 'B' },
        ),
      ]);
    }
    const snapshot = await changes(a.app, s.organizer.token, s.eventId);
    const feed = await changes(a.app, s.organizer.token, s.eventId, before, 5_000);
    for (const p of people) {
      const held = snapshot.snapshot!.find((x) => x.id === p.id)!;
      expect(held.checkin.status).toBe('checked_in');
      // The feed tells every device the same: its last entry for the person is the stored state,
      // and versions only grow along it.
      const mine = feed.changes.filter((c) => c.participant_id === p.id);
      expect(mine.at(-1)!.checkin).toMatchObject({ status: 'checked_in', version: held.version });
      const versions = mine.map((c) => c.checkin.version);
      expect(versions).toEqual([...versions].sort((x, y) => x - y));
      expect(new Set(versions).size).toBe(versions.length);
    }
  });

  it('bad input in a batch never affects the good items (wrong event id → 404 for the whole batch)', async () => {
    const res = await a.app.inject({
      method: 'POST',
      url: `/api/events/${randomUUID()}/sync`,
      headers: { authorization: `Bearer ${s.staff.token}` },
      payload: { device: { id: 'x', name: 'x' }, mutations: [mutation(s.participants[0]!.id)] },
    });
    expect(res.statusCode).toBe(404);
  });
});
