import type { Participant } from '@eventmanager/domain/participants/participant.schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestContext, uniqueEmail } from '../helpers/test-app.ts';
import { publishedEvent, registerOk, registration } from '../participants/fixtures.ts';
import { changes, mutation, type Setup, setupEvent, syncOk } from './fixtures.ts';

let ctx: Awaited<ReturnType<typeof createTestContext>>;
let s: Setup;
beforeAll(async () => {
  ctx = await createTestContext();
  s = await setupEvent(ctx.app, 4);
  // Warm this instance's in-memory ledger of the event: later groups decide from memory.
  await syncOk(ctx.app, s.staff.token, s.eventId, [mutation(s.participants[0]!.id)]);
});
afterAll(async () => ctx?.close());

/** An event that needs approval: public registrations come in as `pending`. */
let approval: { id: string; code: string };
async function addPending(name: string): Promise<Participant> {
  approval ??= await publishedEvent(ctx.app, s.organizer.token, { approval: true, deadline: null }).then(
    ({ event, code }) => ({ id: event.id, code }),
  );
  const { participant } = await registerOk(
    ctx.app,
    approval.code,
    registration({ identity: { name, email: uniqueEmail('pending') } }),
  );
  expect(participant.registration.status).toBe('pending');
  return participant;
}

async function setStatus(pid: string, status: string): Promise<void> {
  const res = await ctx.app.inject({
    method: 'PATCH',
    url: `/api/events/${approval.id}/participants/${pid}`,
    headers: bearer(s.organizer.token),
    payload: { status },
  });
  expect(res.statusCode, res.body).toBe(200);
}

async function cancel(pid: string): Promise<void> {
  const res = await ctx.app.inject({
    method: 'DELETE',
    url: `/api/events/${s.eventId}/participants/${pid}`,
    headers: bearer(s.organizer.token),
  });
  expect(res.statusCode).toBe(204);
}

async function logsOf(pid: string): Promise<unknown[]> {
  const res = await ctx.app.inject({
    method: 'GET',
    url: `/api/events/${s.eventId}/checkin-logs?participant_id=${pid}`,
    headers: bearer(s.organizer.token),
  });
  return (res.json() as { items: unknown[] }).items;
}

async function checkedInCount(): Promise<number> {
  const res = await ctx.app.inject({
    method: 'GET',
    url: `/api/events/${s.eventId}`,
    headers: bearer(s.organizer.token),
  });
  const body = res.json() as { stats?: { checked_in_count?: number }; checked_in_count?: number };
  return Number(body.stats?.checked_in_count ?? body.checked_in_count ?? 0);
}

describe('sync refuses people who are not admitted', () => {
  it('a cancelled registration: not_admitted, no log, no change, no counter move', async () => {
    const p = s.participants[1]!;
    await cancel(p.id);
    const before = await changes(ctx.app, s.organizer.token, s.eventId, 0);
    const count = await checkedInCount();
    const m = mutation(p.id);
    const res = await syncOk(ctx.app, s.staff.token, s.eventId, [m]);
    expect(res.results).toEqual([
      expect.objectContaining({
        id: m.id,
        applied: false,
        duplicate: false,
        reason: 'not_admitted',
        registration_status: 'cancelled',
        state: expect.objectContaining({ participant_id: p.id, status: 'not_checked_in' }),
      }),
    ]);
    expect(res.cursor).toBe(before.cursor);
    expect(await logsOf(p.id)).toEqual([]);
    expect(await checkedInCount()).toBe(count);
    // Sent again (a lost answer), it is refused again — never applied late.
    const again = await syncOk(ctx.app, s.staff.token, s.eventId, [m]);
    expect(again.results[0]).toMatchObject({ applied: false, duplicate: false, reason: 'not_admitted' });
    expect(await logsOf(p.id)).toEqual([]);
  });

  it('the single check-in route answers the same way', async () => {
    const p = s.participants[1]!;
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/events/${s.eventId}/participants/${p.id}/checkin`,
      headers: bearer(s.staff.token),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().results[0]).toMatchObject({ applied: false, reason: 'not_admitted' });
  });

  it('undo of someone checked in and cancelled since is refused: the state stays', async () => {
    const p = s.participants[2]!;
    await syncOk(ctx.app, s.staff.token, s.eventId, [mutation(p.id, 'check_in', Date.now() - 60_000)]);
    await cancel(p.id);
    const before = await changes(ctx.app, s.organizer.token, s.eventId, 0);
    const res = await syncOk(ctx.app, s.staff.token, s.eventId, [mutation(p.id, 'undo_check_in')]);
    expect(res.results[0]).toMatchObject({
      applied: false,
      reason: 'not_admitted',
      state: { status: 'checked_in' },
    });
    expect(res.cursor).toBe(before.cursor);
    expect(await logsOf(p.id)).toHaveLength(1);
  });

  it('pending and rejected are refused; an approval (made after the ledger saw pending) is honoured', async () => {
    const pending = await addPending('대기중');
    const sync = (pid: string) => syncOk(ctx.app, s.organizer.token, approval.id, [mutation(pid)]);
    // Warms the ledger of that event too.
    const refused = await sync(pending.id);
    expect(refused.results[0]).toMatchObject({ reason: 'not_admitted', registration_status: 'pending' });
    await setStatus(pending.id, 'registered');
    const ok = await sync(pending.id);
    expect(ok.results[0]).toMatchObject({ applied: true, state: { status: 'checked_in' } });
    expect(ok.results[0]!.reason).toBeUndefined();

    const rejected = await addPending('거절됨');
    // The ledger holds it as pending; the rejection moves it on.
    await sync(rejected.id);
    await setStatus(rejected.id, 'rejected');
    const res = await sync(rejected.id);
    expect(res.results[0]).toMatchObject({ reason: 'not_admitted', registration_status: 'rejected' });
  });

  it('a registration cancelled after the ledger saw it admitted is refused (not written from memory)', async () => {
    const p = s.participants[3]!;
    await syncOk(ctx.app, s.staff.token, s.eventId, [mutation(p.id, 'check_in', Date.now() - 120_000)]);
    await syncOk(ctx.app, s.staff.token, s.eventId, [mutation(p.id, 'undo_check_in', Date.now() - 60_000)]);
    await cancel(p.id);
    const res = await syncOk(ctx.app, s.staff.token, s.eventId, [mutation(p.id)]);
    expect(res.results[0]).toMatchObject({ applied: false, reason: 'not_admitted' });
    expect(await logsOf(p.id)).toHaveLength(2);
  });

  it('a batch mixing admitted and refused people applies only the admitted', async () => {
    const ok = s.participants[0]!;
    const res = await syncOk(ctx.app, s.staff.token, s.eventId, [
      mutation(ok.id, 'undo_check_in'),
      mutation(s.participants[1]!.id),
    ]);
    expect(res.results.map((r) => [r.applied, r.reason ?? null])).toEqual([
      [true, null],
      [false, 'not_admitted'],
    ]);
  });
});
