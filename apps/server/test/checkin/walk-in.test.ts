import { randomUUID } from 'node:crypto';
import type { WalkInResponse } from '@eventmanager/domain/checkin/walk-in.schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent } from '../events/fixtures.ts';
import { addStaffMember, bearer, createTestContext, signupUser, uniqueEmail } from '../helpers/test-app.ts';
import { eventBody } from '../participants/fixtures.ts';
import { addParticipants, changes } from './fixtures.ts';

let ctx: Awaited<ReturnType<typeof createTestContext>>;
let organizer: Awaited<ReturnType<typeof signupUser>>;
let staff: Awaited<ReturnType<typeof signupUser>>;
let outsider: Awaited<ReturnType<typeof signupUser>>;
let eventId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  organizer = await signupUser(ctx.app, { name: '김사라' });
  staff = await signupUser(ctx.app, { name: '이민수' });
  outsider = await signupUser(ctx.app, { name: '남' });
  // Capacity 2, no waitlist, and filled: a walk-in is still admitted.
  const event = await createEvent(
    ctx.app,
    organizer.token,
    eventBody({ max: 2, waitlist: false, deadline: null }),
  );
  eventId = event.id;
  await addStaffMember(ctx.app, organizer.token, eventId, staff);
  await addParticipants(ctx.app, organizer.token, eventId, 2);
});
afterAll(async () => ctx?.close());

function walkIn(overrides: Record<string, unknown> = {}) {
  return {
    participant_id: randomUUID(),
    mutation_id: randomUUID(),
    identity: { name: '강감찬' },
    custom_responses: { company: '현장' },
    device: { id: 'door-1', name: '입구 1 · 이민수' },
    local_timestamp: new Date().toISOString(),
    ...overrides,
  };
}

function send(body: object, token = staff.token) {
  return ctx.app.inject({
    method: 'POST',
    url: `/api/events/${eventId}/walk-ins`,
    headers: bearer(token),
    payload: body,
  });
}

async function participantCount(): Promise<number> {
  const res = await ctx.app.inject({
    method: 'GET',
    url: `/api/events/${eventId}/participants?limit=500`,
    headers: bearer(organizer.token),
  });
  const body = res.json() as { items?: unknown[] } | unknown[];
  return (Array.isArray(body) ? body : (body.items ?? [])).length;
}

describe('POST /api/events/:id/walk-ins', () => {
  it('staff register and check in someone in one step, even when the event is full', async () => {
    const body = walkIn({ identity: { name: '강감찬', phone: '010-2345-6789' } });
    const before = await changes(ctx.app, organizer.token, eventId, 0);
    const res = await send(body);
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json() as WalkInResponse;
    expect(answer.created).toBe(true);
    expect(answer.participant).toMatchObject({
      id: body.participant_id,
      identity: { name: '강감찬', email: '' },
      registration: { status: 'registered', source: 'direct', number: 3 },
    });
    expect(answer.participant.ticket_code).toEqual(expect.any(String));
    expect(answer.sync.results).toEqual([
      expect.objectContaining({
        id: body.mutation_id,
        applied: true,
        state: expect.objectContaining({ participant_id: body.participant_id, status: 'checked_in' }),
      }),
    ]);
    // Both the registration and the check-in are in the change feed other devices follow.
    const feed = await changes(ctx.app, organizer.token, eventId, before.cursor);
    expect(feed.changes.map((c) => [c.kind, c.participant_id])).toEqual([
      ['registered', body.participant_id],
      ['checkin', body.participant_id],
    ]);
    // No e-mail address: nothing is queued for it.
    const mails = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${eventId}/emails?limit=500`,
      headers: bearer(organizer.token),
    });
    expect((mails.json() as { items: { recipient: string }[] }).items.map((m) => m.recipient)).not.toContain(
      '',
    );
  });

  it('a resend (lost answer) creates nothing and applies nothing again', async () => {
    const body = walkIn();
    const first = (await send(body)).json() as WalkInResponse;
    const count = await participantCount();
    const again = await send(body);
    expect(again.statusCode).toBe(200);
    const answer = again.json() as WalkInResponse;
    expect(answer.created).toBe(false);
    expect(answer.participant.id).toBe(first.participant.id);
    expect(answer.participant.registration.number).toBe(first.participant.registration.number);
    expect(answer.sync.results[0]).toMatchObject({
      applied: false,
      duplicate: true,
      state: { status: 'checked_in' },
    });
    expect(await participantCount()).toBe(count);
  });

  it('two sends of the same walk-in at once make one participant and one check-in', async () => {
    const body = walkIn({ identity: { name: '을지문덕', email: uniqueEmail('walkin') } });
    const count = await participantCount();
    const answers = await Promise.all([send(body), send(body), send(body, organizer.token)]);
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const parsed = answers.map((r) => r.json() as WalkInResponse);
    expect(parsed.filter((a) => a.created)).toHaveLength(1);
    expect(parsed.filter((a) => a.sync.results[0]!.applied)).toHaveLength(1);
    expect(new Set(parsed.map((a) => a.participant.id))).toEqual(new Set([body.participant_id]));
    expect(await participantCount()).toBe(count + 1);
    const logs = await ctx.app.inject({
      method: 'GET',
      url: `/api/events/${eventId}/checkin-logs?participant_id=${body.participant_id}`,
      headers: bearer(organizer.token),
    });
    expect((logs.json() as { items: unknown[] }).items).toHaveLength(1);
  });

  it('refuses missing required answers (400), a taken e-mail (409), and people without access (404)', async () => {
    const missing = await send(walkIn({ custom_responses: {} }));
    expect(missing.statusCode).toBe(400);
    const email = uniqueEmail('dup');
    expect((await send(walkIn({ identity: { name: '가', email } }))).statusCode).toBe(200);
    const taken = await send(walkIn({ identity: { name: '나', email } }));
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'already_registered' });
    expect((await send(walkIn(), outsider.token)).statusCode).toBe(404);
  });
});
