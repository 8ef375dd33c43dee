import type { PublicEvent } from '@eventmanager/domain/events/schema';
import type { Participant, RegistrationResult } from '@eventmanager/domain/participants/participant.schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promoteFromWaitlist } from '../../src/modules/participants/participants.api.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { queryRows, sql } from '../../src/platform/db/database.ts';
import { patchEvent } from '../events/fixtures.ts';
import { bearer, createTestContext, signupUser, type TestContext, uniqueEmail } from '../helpers/test-app.ts';
import { listAll, NOW, publishedEvent, register, registerOk, registration } from './fixtures.ts';

let ctx: TestContext;
let organizer: { token: string; userId: string };
const clock = new ManualClock(NOW);

beforeAll(async () => {
  ctx = await createTestContext({ clock, listen: true });
  organizer = await signupUser(ctx.app);
});
afterAll(async () => {
  await ctx?.close();
});

const db = () => ctx.platform.database.db;

async function statusByNumber(eventId: string): Promise<Record<number, string>> {
  const all = await listAll(ctx.app, organizer.token, eventId);
  return Object.fromEntries(all.map((p) => [p.registration.number, p.registration.status]));
}

/** The e-mails queued for the event, per type, as participant ids in queue order. */
async function mailsOf(eventId: string, type: string): Promise<string[]> {
  const rows = await queryRows<{ participant_id: string }>(
    db(),
    sql`select participant_id from email_queue where event_id = ${eventId}::uuid and type = ${type}
        order by created_at, participant_id`,
  );
  return rows.map((r) => r.participant_id);
}

async function patchParticipant(eventId: string, pid: string, payload: object) {
  return ctx.app.inject({
    method: 'PATCH',
    url: `/api/events/${eventId}/participants/${pid}`,
    headers: bearer(organizer.token),
    payload,
  });
}

async function cancelByOrganizer(eventId: string, pid: string) {
  return ctx.app.inject({
    method: 'DELETE',
    url: `/api/events/${eventId}/participants/${pid}`,
    headers: bearer(organizer.token),
  });
}

async function publicView(code: string): Promise<PublicEvent> {
  const res = await ctx.app.inject({ method: 'GET', url: `/api/public/events/${code}` });
  expect(res.statusCode).toBe(200);
  return res.json() as PublicEvent;
}

describe('the waitlist moves whenever seats appear', () => {
  it('raising capacity 3 → 10 promotes the first 7 waitlisted in order, each with the promotion e-mail', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token, { max: 3, waitlist: true });
    const people: RegistrationResult[] = [];
    for (let i = 0; i < 12; i++) people.push(await registerOk(ctx.app, code));
    expect(people.slice(3).map((p) => p.waitlist_position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(people.slice(0, 3).map((p) => p.waitlist_position)).toEqual([null, null, null]);

    const res = await patchEvent(ctx.app, organizer.token, event.id, { capacity: { max_participants: 10 } });
    expect(res.statusCode).toBe(200);
    const byNumber = await statusByNumber(event.id);
    expect(byNumber).toEqual(
      Object.fromEntries(
        Array.from({ length: 12 }, (_, i) => [i + 1, i < 10 ? 'registered' : 'waitlist'] as const),
      ),
    );
    expect(await mailsOf(event.id, 'waitlist_promotion')).toEqual(
      people
        .slice(3, 10)
        .map((p) => p.participant.id)
        .sort(),
    );
    // The ones still waiting moved up the line.
    const token = people[10]!.manage_url.split('/m/')[1]!;
    const manage = await ctx.app.inject({ method: 'GET', url: `/api/public/manage/${token}` });
    expect(manage.json()).toMatchObject({ waitlist_position: 1 });
    // A later registrant waits behind them.
    const later = await registerOk(ctx.app, code);
    expect(later.participant.registration.status).toBe('waitlist');
    expect(later.waitlist_position).toBe(3);
  });

  it('a new registrant never gets ahead of someone waiting while seats are free', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token, { max: 2, waitlist: true });
    const people: RegistrationResult[] = [];
    for (let i = 0; i < 3; i++) people.push(await registerOk(ctx.app, code));
    // A seat freed by a writer that did not fill it (another module's change): the next
    // registration serves the waitlist first.
    await db().execute(
      sql`update participants set registration_status = 'cancelled' where id = ${people[0]!.participant.id}::uuid`,
    );
    const later = await registerOk(ctx.app, code);
    expect(later.participant.registration.status).toBe('waitlist');
    expect(await statusByNumber(event.id)).toEqual({
      1: 'cancelled',
      2: 'registered',
      3: 'registered',
      4: 'waitlist',
    });
    expect(await mailsOf(event.id, 'waitlist_promotion')).toEqual([people[2]!.participant.id]);
  });

  it('promoteFromWaitlist (for an expired payment hold) fills the freed seats in the caller’s transaction', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token, { max: 2, waitlist: true });
    const people: RegistrationResult[] = [];
    for (let i = 0; i < 5; i++) people.push(await registerOk(ctx.app, code));
    const promoted = await db().transaction(async (tx) => {
      await tx.execute(
        sql`update participants set registration_status = 'cancelled'
            where id in (${people[0]!.participant.id}::uuid, ${people[1]!.participant.id}::uuid)`,
      );
      return promoteFromWaitlist(tx, event.id);
    });
    expect(promoted).toEqual([people[2]!.participant.id, people[3]!.participant.id]);
    expect(await statusByNumber(event.id)).toMatchObject({ 3: 'registered', 4: 'registered', 5: 'waitlist' });
    expect((await mailsOf(event.id, 'waitlist_promotion')).sort()).toEqual(promoted.slice().sort());
  });

  it('rejecting a registered person and cancellations by either side promote the next in line', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token, { max: 2, waitlist: true });
    const people: RegistrationResult[] = [];
    for (let i = 0; i < 5; i++) people.push(await registerOk(ctx.app, code));
    const [a, b, c] = people;
    expect((await patchParticipant(event.id, a!.participant.id, { status: 'rejected' })).statusCode).toBe(
      200,
    );
    expect(await statusByNumber(event.id)).toMatchObject({ 1: 'rejected', 3: 'registered', 4: 'waitlist' });
    const token = b!.manage_url.split('/m/')[1]!;
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/public/manage/${token}` })).statusCode).toBe(
      204,
    );
    expect(await statusByNumber(event.id)).toMatchObject({ 2: 'cancelled', 4: 'registered', 5: 'waitlist' });
    expect((await cancelByOrganizer(event.id, c!.participant.id)).statusCode).toBe(204);
    expect(await statusByNumber(event.id)).toMatchObject({ 3: 'cancelled', 5: 'registered' });
    // The organizer's cancellation and rejection are told; the participant's own is not.
    expect(await mailsOf(event.id, 'registration_cancelled')).toEqual([c!.participant.id]);
    expect(await mailsOf(event.id, 'registration_rejected')).toEqual([a!.participant.id]);
  });

  it('rejecting someone pending frees no seat and promotes nobody', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token, {
      max: 1,
      waitlist: true,
      approval: true,
    });
    const a = await registerOk(ctx.app, code);
    const b = await registerOk(ctx.app, code);
    expect((await patchParticipant(event.id, a.participant.id, { status: 'registered' })).statusCode).toBe(
      200,
    );
    const approvedB = await patchParticipant(event.id, b.participant.id, { status: 'registered' });
    expect(approvedB.json().registration.status).toBe('waitlist');
    const c = await registerOk(ctx.app, code);
    expect((await patchParticipant(event.id, c.participant.id, { status: 'rejected' })).statusCode).toBe(200);
    expect(await statusByNumber(event.id)).toEqual({ 1: 'registered', 2: 'waitlist', 3: 'rejected' });
    expect(await mailsOf(event.id, 'waitlist_promotion')).toEqual([]);
  });
});

describe('the organizer promotes and restores by hand', () => {
  it('promotes a waitlisted person: 422 event_full when full, unless over_capacity is given', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token, { max: 1, waitlist: true });
    await registerOk(ctx.app, code);
    const waiting = await registerOk(ctx.app, code);
    const refused = await patchParticipant(event.id, waiting.participant.id, { status: 'registered' });
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'event_full' });
    const bad = await patchParticipant(event.id, waiting.participant.id, {
      status: 'registered',
      over_capacity: 'yes',
    });
    expect(bad.statusCode).toBe(400);
    const forced = await patchParticipant(event.id, waiting.participant.id, {
      status: 'registered',
      over_capacity: true,
    });
    expect(forced.statusCode).toBe(200);
    expect((forced.json() as Participant).registration.status).toBe('registered');
    expect(await mailsOf(event.id, 'waitlist_promotion')).toEqual([waiting.participant.id]);
    // Over capacity, the public view says so and the next registrant waits.
    expect((await publicView(code)).availability).toEqual({
      seats_left: 0,
      is_full: true,
      waitlist_open: true,
    });
    expect((await registerOk(ctx.app, code)).participant.registration.status).toBe('waitlist');
  });

  it('restores a cancellation into a free seat, else onto the waitlist, else 422; each move e-mailed', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token, { max: 1, waitlist: true });
    const a = await registerOk(ctx.app, code);
    expect((await cancelByOrganizer(event.id, a.participant.id)).statusCode).toBe(204);
    const restored = await patchParticipant(event.id, a.participant.id, { status: 'registered' });
    expect(restored.statusCode).toBe(200);
    expect(restored.json().registration.status).toBe('registered');

    const b = await registerOk(ctx.app, code);
    expect(b.participant.registration.status).toBe('waitlist');
    expect((await cancelByOrganizer(event.id, a.participant.id)).statusCode).toBe(204);
    // b took the seat; a restored now goes to the waitlist.
    const again = await patchParticipant(event.id, a.participant.id, { status: 'registered' });
    expect(again.json().registration.status).toBe('waitlist');
    expect(await statusByNumber(event.id)).toEqual({ 1: 'waitlist', 2: 'registered' });
    expect(await mailsOf(event.id, 'registration_cancelled')).toEqual([a.participant.id, a.participant.id]);
    expect(await mailsOf(event.id, 'registration_restored')).toEqual([a.participant.id, a.participant.id]);

    const noWaitlist = await publishedEvent(ctx.app, organizer.token, { max: 1, waitlist: false });
    const x = await registerOk(ctx.app, noWaitlist.code);
    await cancelByOrganizer(noWaitlist.event.id, x.participant.id);
    await registerOk(ctx.app, noWaitlist.code);
    const full = await patchParticipant(noWaitlist.event.id, x.participant.id, { status: 'registered' });
    expect(full.statusCode).toBe(422);
    expect(full.json()).toMatchObject({ code: 'event_full' });
  });
});

describe('availability on the public view', () => {
  it('carries seats left, full and waitlist open, and stays right after registrations despite the cache', async () => {
    const unlimited = await publishedEvent(ctx.app, organizer.token, { max: null });
    expect((await publicView(unlimited.code)).availability).toEqual({
      seats_left: null,
      is_full: false,
      waitlist_open: false,
    });

    const { event, code } = await publishedEvent(ctx.app, organizer.token, { max: 2, waitlist: true });
    expect((await publicView(code)).availability).toEqual({
      seats_left: 2,
      is_full: false,
      waitlist_open: false,
    });
    const first = await registerOk(ctx.app, code);
    expect((await publicView(code)).availability.seats_left).toBe(1);
    await registerOk(ctx.app, code);
    expect((await publicView(code)).availability).toEqual({
      seats_left: 0,
      is_full: true,
      waitlist_open: true,
    });
    await cancelByOrganizer(event.id, first.participant.id);
    expect((await publicView(code)).availability.seats_left).toBe(1);

    const closed = await publishedEvent(ctx.app, organizer.token, { max: 1, waitlist: false });
    await registerOk(ctx.app, closed.code);
    expect((await publicView(closed.code)).availability).toEqual({
      seats_left: 0,
      is_full: true,
      waitlist_open: false,
    });
  });
});

describe('the built-in phone field', () => {
  it('follows the event setting: required needs a phone, off takes none, optional either', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token);
    expect(event.registration.phone).toBe('optional');
    const noPhone = registration({ identity: { name: '김하나', email: uniqueEmail('p') } });
    expect((await register(ctx.app, code, noPhone)).statusCode).toBe(201);

    const patched = await patchEvent(ctx.app, organizer.token, event.id, {
      registration: { phone: 'required' },
    });
    expect(patched.json().registration.phone).toBe('required');
    expect((await publicView(code)).registration.phone).toBe('required');
    const missing = await register(
      ctx.app,
      code,
      registration({ identity: { name: '김둘', email: uniqueEmail('p') } }),
    );
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([{ path: 'identity.phone', message: expect.any(String) }]);
    expect((await register(ctx.app, code)).statusCode).toBe(201);

    await patchEvent(ctx.app, organizer.token, event.id, { registration: { phone: 'off' } });
    expect((await register(ctx.app, code)).statusCode).toBe(400);
    expect(
      (await register(ctx.app, code, registration({ identity: { name: '김셋', email: uniqueEmail('p') } })))
        .statusCode,
    ).toBe(201);
    const invalid = await patchEvent(ctx.app, organizer.token, event.id, {
      registration: { phone: 'maybe' },
    });
    expect(invalid.statusCode).toBe(400);
  });
});

describe('concurrency', () => {
  it('concurrent cancellations, registrations and a capacity raise never exceed capacity and keep the order', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token, { max: 5, waitlist: true });
    const people: RegistrationResult[] = [];
    for (let i = 0; i < 12; i++) people.push(await registerOk(ctx.app, code));
    const url = (path: string) => `${ctx.baseUrl}${path}`;
    const actions: Promise<number>[] = [];
    for (const p of people.slice(0, 4)) {
      actions.push(
        fetch(url(`/api/events/${event.id}/participants/${p.participant.id}`), {
          method: 'DELETE',
          headers: bearer(organizer.token),
        }).then((r) => r.status),
      );
    }
    for (let i = 0; i < 6; i++) {
      actions.push(
        fetch(url(`/api/public/events/${code}/registrations`), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(registration()),
        }).then((r) => r.status),
      );
    }
    actions.push(
      fetch(url(`/api/events/${event.id}`), {
        method: 'PATCH',
        headers: { ...bearer(organizer.token), 'content-type': 'application/json' },
        body: JSON.stringify({ capacity: { max_participants: 7 } }),
      }).then((r) => r.status),
    );
    const statuses = await Promise.all(actions);
    expect(statuses).toEqual([204, 204, 204, 204, 201, 201, 201, 201, 201, 201, 200]);
    const all = await listAll(ctx.app, organizer.token, event.id);
    const registered = all.filter((p) => p.registration.status === 'registered');
    const waiting = all.filter((p) => p.registration.status === 'waitlist');
    // 18 people, 4 cancelled: 14 active for 7 seats.
    expect(registered).toHaveLength(7);
    expect(waiting).toHaveLength(7);
    // First come first served: everyone holding a seat registered before everyone still waiting.
    const lastSeat = Math.max(...registered.map((p) => p.registration.number));
    const firstWaiting = Math.min(...waiting.map((p) => p.registration.number));
    expect(lastSeat).toBeLessThan(firstWaiting);
  });
});
