import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestContext, signupUser } from '../helpers/test-app.ts';
import { changes, mutation, type Setup, setupEvent, syncOk, syncRaw } from './fixtures.ts';

let ctx: Awaited<ReturnType<typeof createTestContext>>;
let s: Setup;
beforeAll(async () => {
  ctx = await createTestContext();
  s = await setupEvent(ctx.app, 6);
});
afterAll(async () => ctx?.close());

const pid = (i: number) => s.participants[i]!.id;

describe('POST /api/events/:id/sync', () => {
  it('applies a check-in, bumps the version and the cursor', async () => {
    const before = await changes(ctx.app, s.organizer.token, s.eventId, 0);
    const m = mutation(pid(1));
    const res = await syncOk(ctx.app, s.staff.token, s.eventId, [m], undefined, { sent_at: Date.now() });
    expect(res.results).toEqual([
      expect.objectContaining({
        id: m.id,
        applied: true,
        duplicate: false,
        state: expect.objectContaining({
          status: 'checked_in',
          participant_id: pid(1),
          checked_by: s.staff.userId,
          device_id: 'device-a',
        }),
      }),
    ]);
    expect(res.results[0]!.state!.version).toBeGreaterThan(s.participants[1]!.version);
    expect(res.cursor).toBe(before.cursor + 1);
    const feed = await changes(ctx.app, s.organizer.token, s.eventId, before.cursor);
    expect(feed.changes.map((c) => [c.cursor, c.kind, c.participant_id, c.checkin.status])).toEqual([
      [res.cursor, 'checkin', pid(1), 'checked_in'],
    ]);
  });

  it('answers a resent batch without applying it twice (lost acknowledgement)', async () => {
    const batch = [mutation(pid(2)), mutation(pid(3))];
    const first = await syncOk(ctx.app, s.staff.token, s.eventId, batch);
    const again = await syncOk(ctx.app, s.staff.token, s.eventId, batch);
    expect(again.results.map((r) => [r.applied, r.duplicate])).toEqual([
      [false, true],
      [false, true],
    ]);
    expect(again.results.map((r) => r.state)).toEqual(first.results.map((r) => r.state));
    expect(again.cursor).toBe(first.cursor);
    const logs = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${s.eventId}/checkin-logs?participant_id=${pid(2)}`,
      headers: bearer(s.organizer.token),
    });
    expect(logs.json().items).toHaveLength(1);
  });

  it('the seed scenario: A checks 홍길동 in, B undoes within 5 s → checked_in; B gets the conflict', async () => {
    const t = Date.now();
    const a = await syncOk(
      ctx.app,
      s.organizer.token,
      s.eventId,
      [mutation(pid(0), 'check_in', t)],
      { id: 'A', name: '김사라의 iPhone' },
      { sent_at: t },
    );
    const b = await syncOk(
      ctx.app,
      s.staff.token,
      s.eventId,
      [mutation(pid(0), 'undo_check_in', t + 2_000)],
      { id: 'B', name: '이민수' },
      { sent_at: Date.now() },
    );
    expect(a.results[0]!.state!.status).toBe('checked_in');
    expect(b.results[0]).toMatchObject({
      applied: true,
      conflict: true,
      state: { status: 'checked_in', device_id: 'A' },
    });
    // A genuine undo more than 5 s later wins.
    const c = await syncOk(
      ctx.app,
      s.staff.token,
      s.eventId,
      [mutation(pid(0), 'undo_check_in', t + 9_000)],
      { id: 'B', name: '이민수' },
      { sent_at: Date.now() },
    );
    expect(c.results[0]).toMatchObject({ applied: true, state: { status: 'not_checked_in' } });
    expect(c.results[0]!.conflict).toBeUndefined();
  });

  it('rejects only the bad items: unknown participant, another event’s participant, non-uuid id', async () => {
    const other = await setupEvent(ctx.app, 1);
    const good = mutation(pid(4));
    const res = await syncOk(ctx.app, s.staff.token, s.eventId, [
      mutation(randomUUID()),
      good,
      mutation(other.participants[0]!.id),
      { ...mutation(pid(4)), participant_id: 'not-a-uuid' },
    ]);
    expect(res.results.map((r) => [r.applied, r.error?.code ?? null])).toEqual([
      [false, 'unknown_participant'],
      [true, null],
      [false, 'unknown_participant'],
      [false, 'unknown_participant'],
    ]);
  });

  it('validates the batch: malformed mutation → 400, over 1,000 → 413, outsider → 404', async () => {
    const bad = await syncRaw(ctx.app, s.staff.token, s.eventId, [
      { id: 'x', type: 'teleport', participant_id: pid(1) },
    ]);
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const many = Array.from({ length: 1_001 }, () => mutation(pid(1)));
    expect((await syncRaw(ctx.app, s.staff.token, s.eventId, many)).statusCode).toBe(413);
    const huge = Array.from({ length: 10_000 }, () => mutation(pid(1)));
    expect((await syncRaw(ctx.app, s.staff.token, s.eventId, huge)).statusCode).toBe(413);
    const outsider = await signupUser(ctx.app);
    expect((await syncRaw(ctx.app, outsider.token, s.eventId, [mutation(pid(1))])).statusCode).toBe(404);
    expect((await syncRaw(ctx.app, 'nope', s.eventId, [mutation(pid(1))])).statusCode).toBe(401);
  });

  it('clamps and flags timestamps absurdly far in the future or past', async () => {
    const now = Date.now();
    const future = mutation(pid(5), 'check_in', now + 400 * 86_400_000);
    const res = await syncOk(
      ctx.app,
      s.staff.token,
      s.eventId,
      [future],
      { id: 'C', name: 'C' },
      { sent_at: now },
    );
    expect(res.results[0]).toMatchObject({ applied: true, clamped: true });
    const ts = Date.parse(res.results[0]!.state!.timestamp!);
    expect(Math.abs(ts - Date.parse(res.server_time))).toBeLessThan(1_000);
    const past = mutation(pid(5), 'undo_check_in', '1971-01-01T00:00:00Z');
    const res2 = await syncOk(
      ctx.app,
      s.staff.token,
      s.eventId,
      [past],
      { id: 'C', name: 'C' },
      { sent_at: now },
    );
    expect(res2.results[0]).toMatchObject({ applied: true, clamped: true });
  });

  it('corrects a device clock by the offset measured from sent_at', async () => {
    const skew = -3 * 3_600_000; // the device runs three hours slow
    const now = Date.now();
    const m = mutation(pid(3), 'undo_check_in', now + skew - 60_000);
    const res = await syncOk(
      ctx.app,
      s.staff.token,
      s.eventId,
      [m],
      { id: 'slow', name: 'slow' },
      { sent_at: now + skew },
    );
    expect(Math.abs(res.clock_offset_ms + skew)).toBeLessThan(2_000);
    const logs = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${s.eventId}/checkin-logs?participant_id=${pid(3)}`,
      headers: bearer(s.organizer.token),
    });
    const log = logs.json().items.find((l: { id: string }) => l.id === m.id);
    expect(Math.abs(Date.parse(log.timestamp) - (now - 60_000))).toBeLessThan(2_000);
    expect(Date.parse(log.sync_metadata.local_timestamp)).toBe(now + skew - 60_000);
  });

  it('single check-in and undo routes go through the same path', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/events/${s.eventId}/participants/${pid(4)}/checkin`,
      headers: bearer(s.staff.token),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().results[0].state.status).toBe('checked_in');
    const undo = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/events/${s.eventId}/participants/${pid(4)}/checkin`,
      headers: bearer(s.staff.token),
      payload: { local_timestamp: Date.now() + 10_000 },
    });
    expect(undo.statusCode).toBe(200);
    expect(undo.json().results[0].state.status).toBe('not_checked_in');
  });
});

describe('concurrent sync requests (group commit)', () => {
  it('share transactions, yet each device is answered as if alone; a resent id applies once', async () => {
    const g = await setupEvent(ctx.app, 10);
    // Read as the staff member first: their role is then known (memo), so all thirteen requests
    // reach the queue together.
    const before = await changes(ctx.app, g.staff.token, g.eventId, 0);
    const now = Date.now();
    // Ten devices, each its own clock (device i runs i minutes slow), each checking one person in.
    const requests = g.participants.map((p, i) => ({
      device: { id: `door-${i}`, name: `door ${i}` },
      m: mutation(p.id, 'check_in', now - i * 60_000 - 1_000),
      sentAt: now - i * 60_000,
    }));
    const resent = requests[0]!;
    const q0 = ctx.platform.database.stats.queries;
    const answers = await Promise.all([
      ...requests.map((r) =>
        syncOk(ctx.app, g.staff.token, g.eventId, [r.m], r.device, { sent_at: r.sentAt }),
      ),
      // The first device resends its mutation three times while it is in flight (lost answers).
      ...[1, 2, 3].map(() =>
        syncOk(ctx.app, g.staff.token, g.eventId, [resent.m], resent.device, { sent_at: resent.sentAt }),
      ),
    ]);
    const statements = ctx.platform.database.stats.queries - q0;

    answers.slice(0, 10).forEach((a, i) => {
      expect(a.results).toHaveLength(1);
      expect(a.results[0]!.id).toBe(requests[i]!.m.id);
      expect(a.results[0]!.state).toMatchObject({
        participant_id: g.participants[i]!.id,
        status: 'checked_in',
        device_id: `door-${i}`,
      });
      expect(Math.abs(a.clock_offset_ms - i * 60_000)).toBeLessThan(2_000);
    });
    const sameId = [answers[0]!, ...answers.slice(10)].map((a) => a.results[0]!);
    expect(sameId.filter((r) => r.applied)).toHaveLength(1);
    expect(sameId.filter((r) => r.duplicate)).toHaveLength(3);

    // One change per participant, dense cursors, and every answer's cursor covers its own change.
    const feed = await changes(ctx.app, g.organizer.token, g.eventId, before.cursor);
    expect(feed.changes.map((c) => c.cursor)).toEqual(
      Array.from({ length: 10 }, (_, i) => before.cursor + i + 1),
    );
    for (const [i, a] of answers.slice(0, 10).entries()) {
      const own = feed.changes.find((c) => c.participant_id === g.participants[i]!.id)!;
      expect(a.cursor).toBeGreaterThanOrEqual(own.cursor);
    }
    // Each action time was corrected with its own device's offset.
    const logs = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${g.eventId}/checkin-logs?limit=100`,
      headers: bearer(g.organizer.token),
    });
    const items = logs.json().items as { participant_id: string; timestamp: string }[];
    expect(items).toHaveLength(10);
    for (const item of items)
      expect(Math.abs(Date.parse(item.timestamp) - (now - 1_000))).toBeLessThan(2_000);
    // Thirteen requests one after another would send at least 13 × 6 statements. (Embedded PGlite
    // runs each statement synchronously in this process, so there requests seldom overlap at all.)
    if (process.env.TEST_DB_ENGINE === 'postgres') expect(statements).toBeLessThan(13 * 4);
  });
});

describe('GET /api/events/:id/changes', () => {
  it('without since: a full snapshot with the current cursor; pages after a cursor in order', async () => {
    const snap = await changes(ctx.app, s.staff.token, s.eventId);
    expect(snap.snapshot).toHaveLength(6);
    const raw = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${s.eventId}/changes`,
      headers: bearer(s.staff.token),
    });
    expect(raw.headers['content-type']).toContain('application/json');
    const all = await changes(ctx.app, s.staff.token, s.eventId, 0, 3);
    expect(all.changes.map((c) => c.cursor)).toEqual([1, 2, 3]);
    expect(all.has_more).toBe(true);
    const rest = await changes(ctx.app, s.staff.token, s.eventId, all.cursor, 5_000);
    const cursors = [...all.changes, ...rest.changes].map((c) => c.cursor);
    expect(cursors).toEqual(Array.from({ length: snap.cursor }, (_, i) => i + 1));
    // Registrations are in the feed with the whole participant.
    expect(all.changes[0]).toMatchObject({ kind: 'registered', participant: { id: pid(0) } });
  });
});

describe('OpenAPI', () => {
  it('documents the check-in routes', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const p of [
      '/api/events/{id}/sync',
      '/api/events/{id}/changes',
      '/api/events/{id}/checkin-logs',
      '/api/events/{id}/participants/{pid}/checkin',
    ]) {
      expect(paths).toContain(p);
    }
  });
});
