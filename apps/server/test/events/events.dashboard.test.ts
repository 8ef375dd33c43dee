import type { EventListItem } from '@eventmanager/domain/events/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import {
  addStaffMember,
  bearer,
  createTestContext,
  signupUser,
  type TestContext,
} from '../helpers/test-app.ts';
import { bookClub, codeOf, createEvent, publish } from './fixtures.ts';

let ctx: TestContext;
let organizer: Awaited<ReturnType<typeof signupUser>>;
let colleague: Awaited<ReturnType<typeof signupUser>>;

beforeAll(async () => {
  // Before the book club's registration deadline (2025-10-14).
  ctx = await createTestContext({ clock: new ManualClock(new Date('2025-10-01T00:00:00Z')) });
  [organizer, colleague] = await Promise.all([signupUser(ctx.app), signupUser(ctx.app)]);
});
afterAll(async () => {
  await ctx?.close();
});

const dashboard = (token: string) =>
  ctx.app.inject({ method: 'GET', url: '/api/events', headers: bearer(token) });

/** Statements the app sent to the database while `fn` ran. */
async function queriesDuring(fn: () => Promise<unknown>): Promise<number> {
  const before = ctx.platform.database.stats.queries;
  await fn();
  return ctx.platform.database.stats.queries - before;
}

describe('GET /api/events (dashboard)', () => {
  it('lists owned and staffed events, newest start first, each with its counts', async () => {
    const early = await createEvent(ctx.app, organizer.token, bookClub({ name: 'early' }));
    const late = await createEvent(
      ctx.app,
      organizer.token,
      bookClub({
        name: 'late',
        datetime: { start: '2026-03-01T10:00:00Z', timezone: 'Asia/Seoul' },
        registration: { requires_approval: false, form_fields: [] },
      }),
    );
    const theirs = await createEvent(
      ctx.app,
      colleague.token,
      bookClub({
        name: 'staffed',
        datetime: { start: '2025-12-01T10:00:00Z', timezone: 'Asia/Seoul' },
        registration: { requires_approval: false, form_fields: [] },
      }),
    );
    await addStaffMember(ctx.app, colleague.token, theirs.id, organizer);
    const res = await dashboard(organizer.token);
    expect(res.statusCode).toBe(200);
    const items = res.json() as EventListItem[];
    expect(items.map((e) => [e.name, e.role])).toEqual([
      ['late', 'organizer'],
      ['staffed', 'staff'],
      ['early', 'organizer'],
    ]);
    for (const item of items) {
      expect(item.participant_count).toBe(0);
      expect(item.checked_in_count).toBe(0);
    }
    expect(items.find((e) => e.id === early.id)).toMatchObject({ ...early, role: 'organizer' });
    expect(items.find((e) => e.id === late.id)?.share_url).toBe(late.share_url);
    // The colleague sees only their own event, as organizer.
    const theirList = (await dashboard(colleague.token)).json() as EventListItem[];
    expect(theirList.map((e) => [e.id, e.role])).toEqual([[theirs.id, 'organizer']]);
  });

  it('uses the same number of queries for 1 event as for 25 (no N+1)', async () => {
    const solo = await signupUser(ctx.app);
    await createEvent(ctx.app, solo.token);
    await dashboard(solo.token); // warm the session cache: authentication is not what we measure
    const withOne = await queriesDuring(async () => {
      const res = await dashboard(solo.token);
      expect(res.json()).toHaveLength(1);
    });
    for (let i = 0; i < 24; i++) await createEvent(ctx.app, solo.token, bookClub({ name: `event ${i}` }));
    const withMany = await queriesDuring(async () => {
      const res = await dashboard(solo.token);
      expect(res.json()).toHaveLength(25);
    });
    expect(withMany).toBe(withOne);
    // One statement: the events, the staff join and the counts view together.
    expect(withOne).toBe(1);
  });

  it('counts registered and checked-in participants per event, through the participants module', async () => {
    const host = await signupUser(ctx.app);
    const small = await createEvent(
      ctx.app,
      host.token,
      bookClub({ name: 'small', capacity: { max_participants: 3, waitlist_enabled: true } }),
    );
    const empty = await createEvent(ctx.app, host.token, bookClub({ name: 'empty' }));
    await publish(ctx.app, host.token, small.id);
    const participantIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: `/api/public/events/${codeOf(small)}/registrations`,
        payload: {
          identity: { name: `참가자${i}`, email: `p${i}.${small.id.slice(0, 8)}@example.com` },
          custom_responses: { book_read: '네' },
          consents: { privacy: true },
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      participantIds.push(res.json().participant.id as string);
    }
    // Capacity 3: three registered, two on the waitlist (not counted as participants).
    for (const pid of participantIds.slice(0, 2)) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: `/api/events/${small.id}/participants/${pid}/checkin`,
        headers: bearer(host.token),
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const queries = await queriesDuring(async () => {
      const items = (await dashboard(host.token)).json() as EventListItem[];
      expect(items.find((e) => e.id === small.id)).toMatchObject({
        participant_count: 3,
        checked_in_count: 2,
      });
      expect(items.find((e) => e.id === empty.id)).toMatchObject({
        participant_count: 0,
        checked_in_count: 0,
      });
    });
    expect(queries).toBe(1);

    // Completing the event runs eventStatusChanged inside its transaction: check-in's hook marks
    // the registered people who never arrived as no-shows, and the counts stay consistent.
    for (const status of ['in_progress', 'completed']) {
      const res = await ctx.app.inject({
        method: 'PATCH',
        url: `/api/events/${small.id}`,
        headers: bearer(host.token),
        payload: { status },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const list = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${small.id}/participants?checkin=no_show`,
      headers: bearer(host.token),
    });
    expect(list.statusCode, list.body).toBe(200);
    expect((list.json() as { items: { id: string }[] }).items.map((p) => p.id)).toEqual([participantIds[2]]);
  });
});
