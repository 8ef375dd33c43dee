import { createHash } from 'node:crypto';
import type { PrizeDrawing } from '@eventmanager/domain/drawings/schema';
import { deriveWinners, verifyDrawing } from '@eventmanager/domain/drawings/verifiable-draw';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addStaffMember,
  bearer,
  createTestContext,
  signupUser,
  type TestContext,
} from '../helpers/test-app.ts';
import { createEvent, type Registered, register, sync, type TestEvent } from './fixtures.ts';

let ctx: TestContext;
let organizer: Awaited<ReturnType<typeof signupUser>>;
let staff: Awaited<ReturnType<typeof signupUser>>;
let stranger: Awaited<ReturnType<typeof signupUser>>;

beforeAll(async () => {
  ctx = await createTestContext();
  organizer = await signupUser(ctx.app, { name: '주최자' });
  staff = await signupUser(ctx.app, { name: '스태프' });
  stranger = await signupUser(ctx.app, { name: '외부인' });
});
afterAll(async () => {
  await ctx?.close();
});

type Config = {
  participant_pool: 'all' | 'checked_in';
  exclude_previous_winners?: boolean;
  filter?: { field_id: string; value: unknown };
};

const drawRequest = (eventId: string, config: Config, token = organizer.token, extra: object = {}) =>
  ctx.app.inject({
    method: 'POST',
    url: `/api/events/${eventId}/drawings`,
    headers: bearer(token),
    payload: { config, ...extra },
  });

async function draw(eventId: string, config: Config): Promise<PrizeDrawing> {
  const res = await drawRequest(eventId, config);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as PrizeDrawing;
}

const confirm = (eventId: string, drawingId: string, token = organizer.token) =>
  ctx.app.inject({
    method: 'POST',
    url: `/api/events/${eventId}/drawings/${drawingId}/confirm`,
    headers: bearer(token),
  });

async function verification(drawingId: string) {
  const res = await ctx.app.inject({ method: 'GET', url: `/api/public/drawings/${drawingId}/verify` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    seed: string;
    seed_hash: string;
    pool: number[];
    pool_hash: string;
    pool_size: number;
    winner: { registration_number: number; participant_name: string };
    verified: boolean;
    algorithm: string;
    algorithm_description: string;
  };
}

/** The exact pool a drawing used, read back from its public verification record. */
const poolOf = async (drawingId: string) => (await verification(drawingId)).pool;
const numbers = (people: Registered[]) => people.map((p) => p.number).sort((a, b) => a - b);

async function history(eventId: string, token = organizer.token): Promise<PrizeDrawing[]> {
  const res = await ctx.app.inject({
    method: 'GET',
    url: `/api/events/${eventId}/drawings`,
    headers: bearer(token),
  });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: PrizeDrawing[] }).items;
}

describe('pools and filters', () => {
  let event: TestEvent;
  let people: Registered[];
  let waitlisted: Registered;
  let cancelled: Registered;
  const answersOf = new Map<string, { size: string; topics: string[]; newsletter: boolean }>();
  const whoAnswered = (match: (a: { size: string; topics: string[]; newsletter: boolean }) => boolean) =>
    people.filter((p) => match(answersOf.get(p.id)!));

  beforeAll(async () => {
    // Capacity 6 with a waitlist: six registered, two waitlisted; one cancellation promotes one.
    event = await createEvent(ctx.app, organizer.token, { capacity: 6, waitlist: true });
    await addStaffMember(ctx.app, organizer.token, event.id, staff);
    const answers = [
      { size: 'M', topics: ['ai', 'web'], newsletter: true },
      { size: 'L', topics: ['web'], newsletter: false },
      { size: 'M', topics: ['data'], newsletter: true },
      { size: 'S', topics: ['ai'], newsletter: false },
      { size: 'M', topics: ['web', 'data'], newsletter: false },
      { size: 'L', topics: ['ai'], newsletter: true },
      { size: 'M', topics: ['web'], newsletter: true },
      { size: 'M', topics: ['web'], newsletter: true },
    ];
    const all: Registered[] = [];
    for (const [i, a] of answers.entries()) {
      const person = await register(ctx.app, event, `참가자${i + 1}`, a);
      answersOf.set(person.id, a);
      all.push(person);
    }
    expect(all.map((p) => p.status)).toEqual([...Array(6).fill('registered'), 'waitlist', 'waitlist']);
    cancelled = all[1]!;
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/events/${event.id}/participants/${cancelled.id}`,
      headers: bearer(organizer.token),
    });
    expect(del.statusCode, del.body).toBe(204);
    // all[6] was promoted into the freed place; all[7] is still waiting.
    waitlisted = all[7]!;
    people = all.filter((p) => p !== cancelled && p !== waitlisted);
    expect(people).toHaveLength(6);
  });

  it('all = registered people only (not cancelled, not waitlisted)', async () => {
    const drawing = await draw(event.id, { participant_pool: 'all' });
    expect(await poolOf(drawing.id)).toEqual(numbers(people));
    expect(drawing.pool_size).toBe(6);
    expect(numbers(people)).toContain(drawing.winner.registration_number);
    const preview = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}/drawings/pool?participant_pool=all`,
      headers: bearer(organizer.token),
    });
    expect(preview.json()).toEqual({ pool_size: 6, empty_reason: null });
    // The projector's rolling animation asks for exactly the pool: numbers and masked names.
    const withEntries = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}/drawings/pool?participant_pool=all&entries=true`,
      headers: bearer(organizer.token),
    });
    const entries = (
      withEntries.json() as { entries: { registration_number: number; participant_name_masked: string }[] }
    ).entries;
    expect(entries.map((e) => e.registration_number)).toEqual(numbers(people));
    for (const e of entries) expect(e.participant_name_masked).toContain('*');
  });

  it('checked_in follows check-ins and undos made through the sync engine', async () => {
    const empty = await drawRequest(event.id, { participant_pool: 'checked_in' });
    expect(empty.statusCode).toBe(422);
    expect(empty.json()).toMatchObject({ status: 422, code: 'no_checked_in_participants' });

    const t0 = Date.now();
    const [a, b, c] = [people[0]!, people[2]!, people[4]!];
    await sync(ctx.app, staff.token, event.id, [
      { type: 'check_in', participantId: a.id, at: new Date(t0) },
      { type: 'check_in', participantId: b.id, at: new Date(t0) },
      { type: 'check_in', participantId: c.id, at: new Date(t0) },
    ]);
    const first = await draw(event.id, { participant_pool: 'checked_in' });
    expect(await poolOf(first.id)).toEqual(numbers([a, b, c]));

    // An undo a minute later (outside the 5 s contest window) takes b out of the pool.
    await sync(ctx.app, staff.token, event.id, [
      { type: 'undo_check_in', participantId: b.id, at: new Date(t0 + 60_000) },
    ]);
    const second = await draw(event.id, { participant_pool: 'checked_in' });
    expect(await poolOf(second.id)).toEqual(numbers([a, c]));
    // The waitlisted person is not drawn even when checked in.
    await sync(ctx.app, staff.token, event.id, [
      { type: 'check_in', participantId: waitlisted.id, at: new Date(t0 + 61_000) },
    ]).catch(() => {});
    const third = await draw(event.id, { participant_pool: 'checked_in' });
    expect(await poolOf(third.id)).toEqual(numbers([a, c]));
  });

  it('single choice filters exactly', async () => {
    const drawing = await draw(event.id, {
      participant_pool: 'all',
      filter: { field_id: 'size', value: 'M' },
    });
    const expected = whoAnswered((a) => a.size === 'M');
    expect(expected).toHaveLength(4);
    expect(await poolOf(drawing.id)).toEqual(numbers(expected));
  });

  it('multi choice filters by "contains"', async () => {
    const drawing = await draw(event.id, {
      participant_pool: 'all',
      filter: { field_id: 'topics', value: 'web' },
    });
    const web = whoAnswered((a) => a.topics.includes('web'));
    expect(web).toHaveLength(3);
    expect(await poolOf(drawing.id)).toEqual(numbers(web));
  });

  it('checkbox filters on true/false', async () => {
    const drawing = await draw(event.id, {
      participant_pool: 'all',
      filter: { field_id: 'newsletter', value: true },
    });
    const yes = whoAnswered((a) => a.newsletter);
    expect(yes).toHaveLength(4);
    expect(await poolOf(drawing.id)).toEqual(numbers(yes));
  });

  it('refuses filters on unknown or free-text questions and explains an empty filter', async () => {
    const unknown = await drawRequest(event.id, {
      participant_pool: 'all',
      filter: { field_id: 'nope', value: 'x' },
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ code: 'unknown_filter_field' });
    const text = await drawRequest(event.id, {
      participant_pool: 'all',
      filter: { field_id: 'bio', value: 'x' },
    });
    expect(text.statusCode).toBe(422);
    expect(text.json()).toMatchObject({ code: 'unfilterable_field' });
    const none = await drawRequest(event.id, {
      participant_pool: 'all',
      filter: { field_id: 'size', value: 'XL' },
    });
    expect(none.statusCode).toBe(422);
    expect(none.json()).toMatchObject({ code: 'no_filter_match' });
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('rejects malformed configs with 400', async () => {
    const res = await drawRequest(event.id, { participant_pool: 'everyone' } as unknown as Config);
    expect(res.statusCode).toBe(400);
  });
});

describe('access and feature flag', () => {
  let event: TestEvent;
  beforeAll(async () => {
    event = await createEvent(ctx.app, organizer.token);
    await addStaffMember(ctx.app, organizer.token, event.id, staff);
    await register(ctx.app, event, '김철수');
  });

  it('staff may read the history but not draw or confirm (403); strangers get 404; no token 401', async () => {
    const drawing = await draw(event.id, { participant_pool: 'all' });
    const byStaff = await drawRequest(event.id, { participant_pool: 'all' }, staff.token);
    expect(byStaff.statusCode).toBe(403);
    expect((await confirm(event.id, drawing.id, staff.token)).statusCode).toBe(403);
    for (const [method, url] of [
      ['POST', `/api/events/${event.id}/drawings/${drawing.id}/share`],
      ['POST', `/api/events/${event.id}/drawings/commitments`],
      ['GET', `/api/events/${event.id}/drawings/pool?participant_pool=all`],
    ] as const) {
      const res = await ctx.app.inject({ method, url, headers: bearer(staff.token) });
      expect(res.statusCode, url).toBe(403);
    }
    expect((await history(event.id, staff.token)).map((d) => d.id)).toEqual([drawing.id]);
    expect((await drawRequest(event.id, { participant_pool: 'all' }, stranger.token)).statusCode).toBe(404);
    const anonymous = await ctx.app.inject({
      method: 'POST',
      url: `/api/events/${event.id}/drawings`,
      payload: { config: { participant_pool: 'all' } },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('422 when the event has prize drawings turned off', async () => {
    const off = await createEvent(ctx.app, organizer.token, { drawings: false });
    await register(ctx.app, off, '이영희');
    const res = await drawRequest(off.id, { participant_pool: 'all' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'prize_drawing_disabled' });
  });

  it('422 with the reason when nobody is registered (pending approvals do not count)', async () => {
    const approval = await createEvent(ctx.app, organizer.token, { requiresApproval: true });
    const pending = await register(ctx.app, approval, '대기자');
    expect(pending.status).toBe('pending');
    const res = await drawRequest(approval.id, { participant_pool: 'all' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ status: 422, code: 'no_registered_participants' });
    expect(res.json().detail).toMatch(/registered/);
  });
});

describe('confirm, redraw, history, exclusion', () => {
  it('a redraw discards the open draw, which can then not be confirmed; history keeps both', async () => {
    const event = await createEvent(ctx.app, organizer.token);
    for (let i = 0; i < 5; i++) await register(ctx.app, event, `사람${i}`);
    const first = await draw(event.id, { participant_pool: 'all' });
    expect(first).toMatchObject({ status: 'drawn', confirmed: false, announcement_shared: false });
    const second = await draw(event.id, { participant_pool: 'all' });

    const stale = await confirm(event.id, first.id);
    expect(stale.statusCode).toBe(409);
    const ok = await confirm(event.id, second.id);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id: second.id, status: 'confirmed', confirmed: true });
    // Confirming twice answers the same, without a second announcement.
    expect((await confirm(event.id, second.id)).statusCode).toBe(200);

    const items = await history(event.id);
    expect(items.map((d) => [d.id, d.status])).toEqual([
      [second.id, 'confirmed'],
      [first.id, 'discarded'],
    ]);
    // A new draw after a confirmed one leaves the confirmed one alone.
    const third = await draw(event.id, { participant_pool: 'all' });
    expect((await history(event.id)).map((d) => d.status)).toEqual(['drawn', 'confirmed', 'discarded']);
    expect(third.status).toBe('drawn');

    const shared = await ctx.app.inject({
      method: 'POST',
      url: `/api/events/${event.id}/drawings/${second.id}/share`,
      headers: bearer(organizer.token),
    });
    expect(shared.statusCode).toBe(200);
    expect(shared.json()).toMatchObject({ announcement_shared: true });
    const unknown = await confirm(event.id, '00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
  });

  it('with exclusion on, confirmed winners are never drawn again until the pool runs out', async () => {
    const event = await createEvent(ctx.app, organizer.token);
    const people: Registered[] = [];
    for (let i = 0; i < 6; i++) people.push(await register(ctx.app, event, `후보${i}`));
    const winners: string[] = [];
    for (let round = 0; round < 6; round++) {
      // A discarded draw in between must not count as a previous winner.
      if (round === 2) await draw(event.id, { participant_pool: 'all', exclude_previous_winners: true });
      const d = await draw(event.id, { participant_pool: 'all', exclude_previous_winners: true });
      expect(d.pool_size).toBe(6 - round);
      expect(winners).not.toContain(d.winner.participant_id);
      expect((await confirm(event.id, d.id)).statusCode).toBe(200);
      winners.push(d.winner.participant_id);
    }
    expect(new Set(winners)).toEqual(new Set(people.map((p) => p.id)));
    const exhausted = await drawRequest(event.id, {
      participant_pool: 'all',
      exclude_previous_winners: true,
    });
    expect(exhausted.statusCode).toBe(422);
    expect(exhausted.json()).toMatchObject({ code: 'all_previous_winners' });
    // Without exclusion anyone can win again.
    expect((await drawRequest(event.id, { participant_pool: 'all' })).statusCode).toBe(201);
  });

  it('parallel draws are serialised: exactly one stays open, the rest are discarded', async () => {
    const event = await createEvent(ctx.app, organizer.token);
    for (let i = 0; i < 4; i++) await register(ctx.app, event, `동시${i}`);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => drawRequest(event.id, { participant_pool: 'all' })),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(6).fill(201));
    const items = await history(event.id);
    expect(items).toHaveLength(6);
    expect(items.filter((d) => d.status === 'drawn')).toHaveLength(1);
    expect(items[0]!.status).toBe('drawn');
  });

  it('a confirm racing a redraw either wins (confirmed) or loses (409, discarded), never both', async () => {
    const event = await createEvent(ctx.app, organizer.token);
    for (let i = 0; i < 3; i++) await register(ctx.app, event, `경쟁${i}`);
    for (let round = 0; round < 5; round++) {
      const open = await draw(event.id, { participant_pool: 'all' });
      const [confirmed, redraw] = await Promise.all([
        confirm(event.id, open.id),
        drawRequest(event.id, { participant_pool: 'all' }),
      ]);
      expect(redraw.statusCode).toBe(201);
      const final = (await history(event.id)).find((d) => d.id === open.id)!;
      if (confirmed.statusCode === 200) expect(final.status).toBe('confirmed');
      else {
        expect(confirmed.statusCode).toBe(409);
        expect(final.status).toBe('discarded');
      }
      expect((await history(event.id)).filter((d) => d.status === 'drawn')).toHaveLength(1);
    }
  });

  it('confirm publishes event_updated on the event channel after commit', async () => {
    const event = await createEvent(ctx.app, organizer.token);
    await register(ctx.app, event, '당첨자');
    const received: unknown[] = [];
    // Other modules publish on the same channel (check-in feed); keep only the event updates.
    const unsubscribe = await ctx.platform.bus.subscribe(`event:${event.id}`, (m) => {
      if ((m as { type?: string }).type === 'event_updated') received.push(m);
    });
    try {
      const d = await draw(event.id, { participant_pool: 'all' });
      await confirm(event.id, d.id);
      await expect.poll(() => received.length, { timeout: 5000 }).toBeGreaterThan(0);
      expect(received[0]).toMatchObject({
        type: 'event_updated',
        eventId: event.id,
        changes: { drawing: { id: d.id, status: 'confirmed', winner: { participant_name: '당*자' } } },
      });
      // Every device of the event receives the broadcast: the full name is not in it.
      expect(JSON.stringify(received)).not.toContain('당첨자');
      // The draw itself announced nothing; only the confirmation did.
      expect(received).toHaveLength(1);
    } finally {
      await unsubscribe();
    }
  });
});

describe('verifiable draw', () => {
  let event: TestEvent;
  beforeAll(async () => {
    event = await createEvent(ctx.app, organizer.token);
    for (let i = 0; i < 9; i++) await register(ctx.app, event, `검증${i}`);
  });

  it('exposes the commitment and seed; the verify endpoint recomputes with the domain function', async () => {
    const d = await draw(event.id, { participant_pool: 'all' });
    expect(d.seed_hash).toBe(createHash('sha256').update(Buffer.from(d.seed, 'hex')).digest('hex'));
    const v = await verification(d.id);
    expect(v).toMatchObject({
      seed: d.seed,
      seed_hash: d.seed_hash,
      pool_hash: d.pool_hash,
      pool_size: 9,
      verified: true,
      algorithm: 'em-draw-v1',
      winner: { registration_number: d.winner.registration_number },
    });
    expect(v.pool_hash).toBe(createHash('sha256').update(v.pool.join(',')).digest('hex'));
    const check = await verifyDrawing({
      seed: v.seed,
      seed_hash: v.seed_hash,
      pool: v.pool,
      pool_hash: v.pool_hash,
      winner: v.winner.registration_number,
    });
    expect(check.valid).toBe(true);
    const tamperedSeed = await verifyDrawing({
      ...{
        seed_hash: v.seed_hash,
        pool: v.pool,
        pool_hash: v.pool_hash,
        winner: v.winner.registration_number,
      },
      seed: `${v.seed.slice(0, -1)}${v.seed.endsWith('0') ? '1' : '0'}`,
    });
    expect(tamperedSeed.valid).toBe(false);
    const tamperedPool = await verifyDrawing({
      seed: v.seed,
      seed_hash: v.seed_hash,
      pool: v.pool.slice(1),
      pool_hash: v.pool_hash,
      winner: v.winner.registration_number,
    });
    expect(tamperedPool.valid).toBe(false);
  });

  it('a commitment published before the draw is used by it, once', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/events/${event.id}/drawings/commitments`,
      headers: bearer(organizer.token),
    });
    expect(res.statusCode, res.body).toBe(201);
    const commitment = res.json() as { commitment_id: string; seed_hash: string };
    expect(JSON.stringify(commitment)).not.toMatch(/"seed"/);
    const d = await drawRequest(event.id, { participant_pool: 'all' }, organizer.token, {
      commitment_id: commitment.commitment_id,
    });
    expect(d.statusCode, d.body).toBe(201);
    expect(d.json().seed_hash).toBe(commitment.seed_hash);
    expect((await verification(d.json().id)).verified).toBe(true);
    const again = await drawRequest(event.id, { participant_pool: 'all' }, organizer.token, {
      commitment_id: commitment.commitment_id,
    });
    expect(again.statusCode).toBe(409);
    const staffCommit = await ctx.app.inject({
      method: 'POST',
      url: `/api/events/${event.id}/drawings/commitments`,
      headers: bearer(stranger.token),
    });
    expect(staffCommit.statusCode).toBe(404);
  });

  it('the verify endpoint recomputes: a row tampered in the database reports verified false', async () => {
    const d = await draw(event.id, { participant_pool: 'all' });
    const other = d.winner.registration_number === 1 ? 2 : 1;
    await ctx.platform.database.db.execute(
      sql`update prize_drawings set winner_registration_number = ${other} where id = ${d.id}`,
    );
    const v = await verification(d.id);
    expect(v.winner.registration_number).toBe(other);
    expect(v.verified).toBe(false);
  });

  it('verify answers 404 for unknown ids', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await ctx.app.inject({ method: 'GET', url: `/api/public/drawings/${id}/verify` });
      expect(res.statusCode).toBe(404);
    }
  });
});

describe('denormalised winner name', () => {
  it('follows an edit of the participant name (participantUpdated hook, same transaction)', async () => {
    const event = await createEvent(ctx.app, organizer.token);
    const guest = await register(ctx.app, event, '옛이름');
    const d = await draw(event.id, { participant_pool: 'all' });
    expect(d.winner.participant_name).toBe('옛이름');
    const edit = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/events/${event.id}/participants/${guest.id}`,
      headers: bearer(organizer.token),
      payload: { identity: { name: '새이름' } },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect((await history(event.id))[0]?.winner.participant_name).toBe('새이름');
    expect((await verification(d.id)).winner.participant_name).toBe('새*름');
  });
});

describe('anonymous mode', () => {
  it('the winner is shown by nickname and no e-mail appears anywhere', async () => {
    const event = await createEvent(ctx.app, organizer.token, { anonymous: true });
    const guest = await register(ctx.app, event, '익명의고양이');
    const d = await draw(event.id, { participant_pool: 'all' });
    expect(d.winner).toEqual({
      participant_id: guest.id,
      participant_name: '익명의고양이',
      participant_name_masked: '익****이',
      registration_number: guest.number,
    });
    const v = await ctx.app.inject({ method: 'GET', url: `/api/public/drawings/${d.id}/verify` });
    for (const body of [JSON.stringify(d), v.body, JSON.stringify(await history(event.id))]) {
      expect(body).not.toContain(guest.email);
      expect(body).not.toContain('@');
    }
  });
});

describe('prizes and several winners per draw', () => {
  let event: TestEvent;
  let guests: Registered[];
  beforeAll(async () => {
    event = await createEvent(ctx.app, organizer.token);
    guests = [];
    for (const name of ['박민호', '김서연', '남궁민수', '이도윤', '최하은', 'Alice Kim']) {
      guests.push(await register(ctx.app, event, name));
    }
    await addStaffMember(ctx.app, organizer.token, event.id, staff);
  });

  it('draws k distinct winners from one seed; `winner` is the first; the request without them is unchanged', async () => {
    const res = await drawRequest(event.id, { participant_pool: 'all' }, organizer.token, {
      prize: '  에어팟 프로  ',
      winner_count: 3,
    });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json() as PrizeDrawing;
    expect(d.prize).toBe('에어팟 프로');
    expect(d.winner_count).toBe(3);
    expect(d.winners).toHaveLength(3);
    expect(d.winners[0]).toEqual(d.winner);
    const winnerNumbers = d.winners.map((w) => w.registration_number);
    expect(new Set(winnerNumbers).size).toBe(3);
    // The winners are exactly what the published algorithm gives for this seed and pool.
    const v = await verification(d.id);
    expect((await deriveWinners(d.seed, v.pool, 3)).registrationNumbers).toEqual(winnerNumbers);
    expect(v).toMatchObject({ verified: true, prize: '에어팟 프로', winner_count: 3 });
    // The organizer sees full names; every one belongs to the guest with that number.
    for (const w of d.winners) {
      const guest = guests.find((g) => g.number === w.registration_number)!;
      expect(w).toMatchObject({ participant_id: guest.id, participant_name: guest.name });
    }

    const plain = await draw(event.id, { participant_pool: 'all' });
    expect(plain).toMatchObject({ prize: null, winner_count: 1 });
    expect(plain.winners).toEqual([plain.winner]);
  });

  it('masks names on the public verify page and for staff; the organizer alone gets them in full', async () => {
    const d = await drawRequest(event.id, { participant_pool: 'all' }, organizer.token, { winner_count: 6 });
    expect(d.statusCode, d.body).toBe(201);
    const drawing = d.json() as PrizeDrawing;
    const masked = new Map([
      ['박민호', '박*호'],
      ['김서연', '김*연'],
      ['남궁민수', '남**수'],
      ['이도윤', '이*윤'],
      ['최하은', '최*은'],
      ['Alice Kim', 'A**** K**'],
    ]);
    for (const w of drawing.winners) expect(w.participant_name_masked).toBe(masked.get(w.participant_name));

    const res = await ctx.app.inject({ method: 'GET', url: `/api/public/drawings/${drawing.id}/verify` });
    const v = res.json() as {
      winners: { participant_name: string }[];
      event_language: string;
      event_name: string;
    };
    expect(v.winners.map((w) => w.participant_name).sort()).toEqual([...masked.values()].sort());
    expect(v).toMatchObject({ event_language: 'ko', event_name: '경품 추첨 테스트' });
    const staffView = JSON.stringify(await history(event.id, staff.token));
    const organizerView = JSON.stringify(await history(event.id));
    for (const full of masked.keys()) {
      expect(res.body).not.toContain(full);
      expect(staffView).not.toContain(full);
      expect(organizerView).toContain(full);
    }
  });

  it('422 pool_too_small when the pool has fewer people than winners; nothing is drawn', async () => {
    const before = (await history(event.id)).length;
    const res = await drawRequest(event.id, { participant_pool: 'all' }, organizer.token, {
      winner_count: 7,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'pool_too_small' });
    expect(await history(event.id)).toHaveLength(before);
    // An empty pool keeps its own, more precise reason.
    const empty = await drawRequest(event.id, { participant_pool: 'checked_in' }, organizer.token, {
      winner_count: 2,
    });
    expect(empty.json()).toMatchObject({ code: 'no_checked_in_participants' });
  });

  it('rejects invalid prize and winner_count values with 400', async () => {
    for (const extra of [
      { winner_count: 0 },
      { winner_count: 101 },
      { winner_count: 1.5 },
      { winner_count: '2' },
      { prize: '' },
      { prize: '   ' },
      { prize: 'x'.repeat(101) },
      { prize: 5 },
    ]) {
      const res = await drawRequest(event.id, { participant_pool: 'all' }, organizer.token, extra);
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
    }
  });

  it('with exclusion on, every winner of a confirmed several-winner draw is left out', async () => {
    const other = await createEvent(ctx.app, organizer.token);
    const people: Registered[] = [];
    for (let i = 0; i < 5; i++) people.push(await register(ctx.app, other, `참가${i}`));
    const first = await drawRequest(other.id, { participant_pool: 'all' }, organizer.token, {
      winner_count: 3,
    });
    const d = first.json() as PrizeDrawing;
    expect((await confirm(other.id, d.id)).statusCode).toBe(200);
    const won = new Set(d.winners.map((w) => w.participant_id));
    const next = await drawRequest(
      other.id,
      { participant_pool: 'all', exclude_previous_winners: true },
      organizer.token,
      { winner_count: 2 },
    );
    expect(next.statusCode, next.body).toBe(201);
    const rest = (next.json() as PrizeDrawing).winners.map((w) => w.participant_id);
    expect(rest.filter((id) => won.has(id))).toEqual([]);
    expect(new Set([...won, ...rest]).size).toBe(5);
  });

  it('a tampered second winner makes the verify endpoint report verified false', async () => {
    const res = await drawRequest(event.id, { participant_pool: 'all' }, organizer.token, {
      winner_count: 2,
    });
    const d = res.json() as PrizeDrawing;
    const spare = guests.find((g) => !d.winners.some((w) => w.registration_number === g.number))!;
    expect((await verification(d.id)).verified).toBe(true);
    await ctx.platform.database.db.execute(
      sql`update prize_drawing_winners set registration_number = ${spare.number} where drawing_id = ${d.id} and position = 1`,
    );
    expect((await verification(d.id)).verified).toBe(false);
  });

  it('a renamed participant is renamed in every draw they won, at any position', async () => {
    const res = await drawRequest(event.id, { participant_pool: 'all' }, organizer.token, {
      winner_count: 6,
    });
    const d = res.json() as PrizeDrawing;
    const second = d.winners[1]!;
    const edit = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/events/${event.id}/participants/${second.participant_id}`,
      headers: bearer(organizer.token),
      payload: { identity: { name: '개명한사람' } },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    const after = (await history(event.id)).find((h) => h.id === d.id)!;
    expect(after.winners[1]).toMatchObject({
      participant_name: '개명한사람',
      participant_name_masked: '개***람',
    });
  });
});
