import type { CustomResponses } from '@eventmanager/domain/participants/custom-responses';
import type { RegistrationResult } from '@eventmanager/domain/participants/participant.schema';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { queryRows } from '../../src/platform/db/database.ts';
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

describe('public registration', () => {
  it('registers with number, status, ticket and manage link; consents stored with version and time', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token);
    const body = registration({ consents: { privacy: true, marketing: true } });
    const res = await register(ctx.app, code, body);
    expect(res.statusCode).toBe(201);
    const result = res.json() as RegistrationResult;
    expect(result.participant.event_id).toBe(event.id);
    expect(result.participant.registration).toMatchObject({
      number: 1,
      status: 'registered',
      source: 'direct',
    });
    expect(result.participant.identity).toEqual({
      name: '홍길동',
      email: (body.identity as { email: string }).email.toLowerCase(),
      phone: '010-1234-5678',
    });
    expect(result.participant.checkin.status).toBe('not_checked_in');
    expect(result.participant.custom_responses).toEqual({ company: '네이버', size: 'M' });
    expect(result.participant.consents.privacy).toEqual({
      agreed_at: NOW.toISOString(),
      version: expect.any(String),
    });
    expect(result.participant.consents.marketing).toMatchObject({
      agreed: true,
      agreed_at: NOW.toISOString(),
    });
    expect(result.ticket_code).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(result.manage_url).toMatch(/^http:\/\/localhost:3000\/m\/[A-Za-z0-9_.-]+$/);
    const second = await registerOk(ctx.app, code);
    expect(second.participant.registration.number).toBe(2);
    expect(second.ticket_code).not.toBe(result.ticket_code);
  });

  it('records a referral code from ?ref= or the body', async () => {
    const { code } = await publishedEvent(ctx.app, organizer.token);
    const a = await register(ctx.app, code, registration(), '?ref=kakao-group');
    expect(a.json().participant.registration).toMatchObject({
      source: 'referral',
      referral_code: 'kakao-group',
    });
    const b = await register(ctx.app, code, registration({ referral_code: 'insta' }));
    expect(b.json().participant.registration).toMatchObject({ source: 'referral', referral_code: 'insta' });
  });

  it('accepts every phone format and stores one form', async () => {
    const { code } = await publishedEvent(ctx.app, organizer.token);
    for (const phone of ['01098765432', '+82 10 9876 5432']) {
      const r = await registerOk(
        ctx.app,
        code,
        registration({ identity: { name: '김', email: uniqueEmail(), phone } }),
      );
      expect(r.participant.identity.phone).toBe('010-9876-5432');
    }
  });

  it('answers 400 for bad input and changes nothing', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token);
    const cases: [string, object, string][] = [
      ['privacy refused', registration({ consents: { privacy: false } }), 'consents.privacy'],
      ['privacy missing', registration({ consents: {} }), 'consents.privacy'],
      ['bad e-mail', registration({ identity: { name: 'x', email: 'nope' } }), 'identity.email'],
      [
        'bad phone',
        registration({ identity: { name: 'x', email: uniqueEmail(), phone: '12' } }),
        'identity.phone',
      ],
      ['empty name', registration({ identity: { name: ' ', email: uniqueEmail() } }), 'identity.name'],
      [
        'unknown field',
        registration({ custom_responses: { company: 'a', hacker: 1 } }),
        'custom_responses.hacker',
      ],
      ['required missing', registration({ custom_responses: { size: 'S' } }), 'custom_responses.company'],
      [
        'bad option',
        registration({ custom_responses: { company: 'a', size: 'XXL' } }),
        'custom_responses.size',
      ],
      [
        'too long',
        registration({ custom_responses: { company: 'x'.repeat(51) } }),
        'custom_responses.company',
      ],
      [
        'wrong type',
        registration({ custom_responses: { company: 'a', topics: 'AI' } }),
        'custom_responses.topics',
      ],
      ['extra top-level key', { ...registration(), admin: true }, ''],
    ];
    for (const [name, body, path] of cases) {
      const res = await register(ctx.app, code, body);
      expect(res.statusCode, name).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      if (path)
        expect(
          res.json().errors.map((e: { path: string }) => e.path),
          name,
        ).toContain(path);
    }
    expect(await listAll(ctx.app, organizer.token, event.id)).toEqual([]);
    // No number was consumed by the failures.
    expect((await registerOk(ctx.app, code)).participant.registration.number).toBe(1);
  });

  it('answers 409 for the same e-mail in any case, and keeps the first', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token);
    const email = uniqueEmail('dup');
    await registerOk(ctx.app, code, registration({ identity: { name: '가', email } }));
    const res = await register(
      ctx.app,
      code,
      registration({ identity: { name: '나', email: `  ${email.toUpperCase()}` } }),
    );
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('already_registered');
    const all = await listAll(ctx.app, organizer.token, event.id);
    expect(all.map((p) => p.identity.name)).toEqual(['가']);
    expect((await registerOk(ctx.app, code)).participant.registration.number).toBe(2);
  });

  it('answers 422 with a reason for draft, cancelled, completed, past-deadline and full events', async () => {
    const draftRes = await ctx.app.inject({
      method: 'POST',
      url: '/api/events',
      headers: bearer(organizer.token),
      payload: (await import('./fixtures.ts')).eventBody(),
    });
    const draft = draftRes.json() as { id: string; share_url: string };
    const draftCode = draft.share_url.split('/').pop()!;
    const d = await register(ctx.app, draftCode);
    expect(d.statusCode).toBe(422);
    expect(d.json().code).toBe('event_not_published');

    const cancelled = await publishedEvent(ctx.app, organizer.token);
    expect(
      (await patchEvent(ctx.app, organizer.token, cancelled.event.id, { status: 'cancelled' })).statusCode,
    ).toBe(200);
    const c = await register(ctx.app, cancelled.code);
    expect(c.statusCode).toBe(422);
    expect(c.json().code).toBe('event_cancelled');

    const completed = await publishedEvent(ctx.app, organizer.token, { deadline: null });
    await patchEvent(ctx.app, organizer.token, completed.event.id, { status: 'in_progress' });
    const inProgress = await register(ctx.app, completed.code);
    expect(inProgress.statusCode).toBe(201);
    expect(
      (await patchEvent(ctx.app, organizer.token, completed.event.id, { status: 'completed' })).statusCode,
    ).toBe(200);
    const done = await register(ctx.app, completed.code);
    expect(done.statusCode).toBe(422);
    expect(done.json().code).toBe('event_completed');

    const late = await publishedEvent(ctx.app, organizer.token, { deadline: '2026-03-10T00:00:00Z' });
    clock.set(new Date('2026-03-10T00:00:01Z'));
    try {
      const l = await register(ctx.app, late.code);
      expect(l.statusCode).toBe(422);
      expect(l.json().code).toBe('registration_closed');
    } finally {
      clock.set(NOW);
    }

    const full = await publishedEvent(ctx.app, organizer.token, { max: 1, waitlist: false });
    await registerOk(ctx.app, full.code);
    const f = await register(ctx.app, full.code);
    expect(f.statusCode).toBe(422);
    expect(f.json()).toMatchObject({ code: 'event_full', status: 422 });
    expect(await listAll(ctx.app, organizer.token, full.event.id)).toHaveLength(1);
  });

  it('opens at once when a draft is published (no stale refusal)', async () => {
    const { createEvent, codeOf, publish } = await import('../events/fixtures.ts');
    const { eventBody } = await import('./fixtures.ts');
    const draft = await createEvent(ctx.app, organizer.token, eventBody());
    expect((await register(ctx.app, codeOf(draft))).statusCode).toBe(422);
    await publish(ctx.app, organizer.token, draft.id);
    expect((await register(ctx.app, codeOf(draft))).statusCode).toBe(201);
  });

  it('puts people on the waitlist beyond capacity, and pending when approval is required', async () => {
    const small = await publishedEvent(ctx.app, organizer.token, { max: 1, waitlist: true });
    expect((await registerOk(ctx.app, small.code)).participant.registration.status).toBe('registered');
    const w = await registerOk(ctx.app, small.code);
    expect(w.participant.registration).toMatchObject({ status: 'waitlist', number: 2 });

    const approval = await publishedEvent(ctx.app, organizer.token, {
      approval: true,
      max: 1,
      waitlist: true,
    });
    const p1 = await registerOk(ctx.app, approval.code);
    const p2 = await registerOk(ctx.app, approval.code);
    expect(p1.participant.registration.status).toBe('pending');
    const url = (pid: string) => `/api/events/${approval.event.id}/participants/${pid}`;
    const a1 = await ctx.app.inject({
      method: 'PATCH',
      url: url(p1.participant.id),
      headers: bearer(organizer.token),
      payload: { status: 'registered' },
    });
    expect(a1.json().registration.status).toBe('registered');
    // Approving when full puts the person on the waitlist.
    const a2 = await ctx.app.inject({
      method: 'PATCH',
      url: url(p2.participant.id),
      headers: bearer(organizer.token),
      payload: { status: 'registered' },
    });
    expect(a2.json().registration.status).toBe('waitlist');
    const p3 = await registerOk(ctx.app, approval.code);
    const r3 = await ctx.app.inject({
      method: 'PATCH',
      url: url(p3.participant.id),
      headers: bearer(organizer.token),
      payload: { status: 'rejected' },
    });
    expect(r3.json().registration.status).toBe('rejected');
  });

  it('stores no plaintext e-mail or phone', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token);
    const email = uniqueEmail('secret.person');
    await registerOk(
      ctx.app,
      code,
      registration({ identity: { name: '비밀', email, phone: '010-5555-7777' } }),
    );
    const rows = await queryRows<Record<string, unknown>>(
      db(),
      sql`select * from participants where event_id = ${event.id}`,
    );
    expect(rows).toHaveLength(1);
    const raw = JSON.stringify(rows);
    expect(raw).not.toContain(email);
    expect(raw).not.toContain('secret.person');
    expect(raw).not.toContain('5555');
    expect(String(rows[0]!.email_enc)).toMatch(/^v1:k1:/);
    expect(String(rows[0]!.phone_enc)).toMatch(/^v1:k1:/);
  });

  it('publishes participant_registered on the event channel after commit', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token);
    const messages: unknown[] = [];
    const off = await ctx.platform.bus.subscribe(`event:${event.id}`, (m) => messages.push(m));
    const r = await registerOk(ctx.app, code);
    const isRegistered = (m: unknown) => (m as { type?: string }).type === 'participant_registered';
    await expect.poll(() => messages.some(isRegistered)).toBe(true);
    await off();
    expect(messages.find(isRegistered)).toMatchObject({
      type: 'participant_registered',
      eventId: event.id,
      participant: { id: r.participant.id, identity: { phone: '010-****-5678' } },
    });
  });
});

describe('registration under concurrency (real parallel HTTP requests)', () => {
  it('60 at once into capacity 20 + waitlist: numbers exactly 1..60, 20 registered, 40 waitlisted', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token, { max: 20, waitlist: true });
    const announced: { type?: string; participant?: { id: string; registration: { number: number } } }[] = [];
    const off = await ctx.platform.bus.subscribe(`event:${event.id}`, (m) =>
      announced.push(m as (typeof announced)[number]),
    );
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        fetch(`${ctx.baseUrl}/api/public/events/${code}/registrations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(
            registration({ identity: { name: `참가자${i}`, email: uniqueEmail(`c${i}`) } }),
          ),
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(60).fill(201));
    const all = await listAll(ctx.app, organizer.token, event.id);
    expect(all.map((p) => p.registration.number)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(all.filter((p) => p.registration.status === 'registered')).toHaveLength(20);
    expect(all.filter((p) => p.registration.status === 'waitlist')).toHaveLength(40);
    // Seats go in number order: the first 20 numbers are the registered ones.
    expect(all.slice(0, 20).every((p) => p.registration.status === 'registered')).toBe(true);
    // The batch hooks: every participant has exactly one change-feed row, with dense cursors in
    // number order, and exactly one confirmation e-mail.
    const feed = await queryRows<{ cursor: number | string; participant_id: string; kind: string }>(
      db(),
      sql`select cursor, participant_id, kind from participant_changes where event_id = ${event.id} order by cursor`,
    );
    expect(feed.map((f) => Number(f.cursor))).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(feed.every((f) => f.kind === 'registered')).toBe(true);
    expect(feed.map((f) => f.participant_id)).toEqual(all.map((p) => p.id));
    const mails = await queryRows<{ participant_id: string }>(
      db(),
      sql`select participant_id from email_queue
          where event_id = ${event.id} and type = 'registration_confirmation'`,
    );
    expect(mails.map((m) => m.participant_id).sort()).toEqual(all.map((p) => p.id).sort());
    // One real-time announcement per participant (published per batch), in number order.
    const registeredMessages = () => announced.filter((m) => m.type === 'participant_registered');
    await expect.poll(() => registeredMessages().length).toBe(60);
    await off();
    expect(registeredMessages().map((m) => m.participant!.registration.number)).toEqual(
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
  });

  it('the same e-mail sent 10 times at once registers once', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token);
    const email = uniqueEmail('race');
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${ctx.baseUrl}/api/public/events/${code}/registrations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(registration({ identity: { name: '중복', email } })),
        }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    expect(await listAll(ctx.app, organizer.token, event.id)).toHaveLength(1);
  });

  it('never exceeds capacity without a waitlist: 30 at once into 10 seats', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token, { max: 10, waitlist: false });
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        fetch(`${ctx.baseUrl}/api/public/events/${code}/registrations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(registration({ identity: { name: `n${i}`, email: uniqueEmail() } })),
        }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 422)).toHaveLength(20);
    const all = await listAll(ctx.app, organizer.token, event.id);
    expect(all.map((p) => p.registration.number)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });

  it('two simultaneous cancellations promote two different waitlisted people, in order', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token, { max: 2, waitlist: true });
    const people: RegistrationResult[] = [];
    for (let i = 0; i < 5; i++) people.push(await registerOk(ctx.app, code));
    const [a, b] = people;
    const results = await Promise.all(
      [a!, b!].map((p) =>
        fetch(`${ctx.baseUrl}/api/events/${event.id}/participants/${p.participant.id}`, {
          method: 'DELETE',
          headers: bearer(organizer.token),
        }).then((r) => r.status),
      ),
    );
    expect(results).toEqual([204, 204]);
    const all = await listAll(ctx.app, organizer.token, event.id);
    const byNumber = Object.fromEntries(all.map((p) => [p.registration.number, p.registration.status]));
    expect(byNumber).toEqual({
      1: 'cancelled',
      2: 'cancelled',
      3: 'registered',
      4: 'registered',
      5: 'waitlist',
    });
  });

  it('cancellation through the manage link promotes too, and is idempotent', async () => {
    const { event, code } = await publishedEvent(ctx.app, organizer.token, { max: 1, waitlist: true });
    const first = await registerOk(ctx.app, code);
    const second = await registerOk(ctx.app, code);
    const token = first.manage_url.split('/m/')[1]!;
    const messages: unknown[] = [];
    const off = await ctx.platform.bus.subscribe(`event:${event.id}`, (m) => messages.push(m));
    const del = await ctx.app.inject({ method: 'DELETE', url: `/api/public/manage/${token}` });
    expect(del.statusCode).toBe(204);
    const isCounts = (m: unknown) => (m as { type?: string }).type === 'event_updated';
    // Other modules publish on the same channel too (the check-in feed's checkin_updated).
    await expect.poll(() => messages.some(isCounts)).toBe(true);
    await off();
    expect(messages.find(isCounts)).toEqual({
      type: 'event_updated',
      eventId: event.id,
      changes: { participant_count: 1, checked_in_count: 0 },
    });
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/public/manage/${token}` })).statusCode).toBe(
      204,
    );
    const all = await listAll(ctx.app, organizer.token, event.id);
    expect(all.find((p) => p.id === second.participant.id)!.registration.status).toBe('registered');
    expect(all.filter((p) => p.registration.status === 'registered')).toHaveLength(1);
  });
});

describe('registerBatch (the locked decision)', () => {
  /** A validated candidate as the routes hand it to registerBatch. */
  const candidate = (email: string, customResponses: CustomResponses = { company: '토스' }) => ({
    name: '검사',
    email,
    phone: null,
    customResponses,
    consents: { privacy: { agreed_at: NOW.toISOString(), version: 'v' }, marketing: null },
    language: 'ko' as const,
    source: 'direct' as const,
    referralCode: null,
    addedBy: null,
    channel: 'public' as const,
  });

  async function batchDeps() {
    const { participantsContext } = await import('../../src/modules/participants/participants.context.ts');
    const { createLifecycleHooks } = await import('../../src/platform/hooks.ts');
    const { NO_PLAN_CAP } = await import('../../src/modules/participants/registration.rules.ts');
    return {
      db: db(),
      clock,
      bus: ctx.platform.bus,
      hooks: createLifecycleHooks(),
      context: participantsContext(),
      eventPlan: async () => NO_PLAN_CAP,
    };
  }

  it('runs participantRegistered ONCE per batch with every new participant, in number order', async () => {
    const { registerBatch } = await import('../../src/modules/participants/registration.batch.ts');
    const { event } = await publishedEvent(ctx.app, organizer.token, { max: 2, waitlist: true });
    const deps = await batchDeps();
    const calls: { eventId: string; participants: { participantId: string; status: string }[] }[] = [];
    deps.hooks.participantRegistered.push(async (_tx, payload) => {
      calls.push(payload);
    });
    const twice = uniqueEmail();
    const outcomes = await registerBatch(deps, event.id, [
      candidate(uniqueEmail()),
      candidate(twice),
      candidate(twice),
      candidate(uniqueEmail()),
      candidate(uniqueEmail()),
    ]);
    expect(outcomes.map((o) => o.kind)).toEqual(['created', 'created', 'duplicate', 'created', 'created']);
    const created = outcomes.flatMap((o) => (o.kind === 'created' ? [o.row] : []));
    expect(created.map((r) => r.registrationNumber)).toEqual([1, 2, 3, 4]);
    expect(calls).toEqual([
      {
        eventId: event.id,
        participants: created.map((r, i) => ({
          participantId: r.id,
          status: i < 2 ? 'registered' : 'waitlist',
        })),
      },
    ]);
    // The returned rows (built in memory, not read back) are exactly what was stored.
    const { toParticipant } = await import('../../src/modules/participants/participants.mapper.ts');
    expect(await listAll(ctx.app, organizer.token, event.id)).toEqual(
      created.map((r) => toParticipant(r, deps.context.cipher, { phone: 'masked' })),
    );
  });

  it('re-checks answers when the form changed between the first check and the lock', async () => {
    const { registerBatch } = await import('../../src/modules/participants/registration.batch.ts');
    const { event } = await publishedEvent(ctx.app, organizer.token);
    const checked = (answers: Record<string, unknown>) => ({
      ...candidate(uniqueEmail(), {}),
      checkedAgainst: { formKey: '[]', rawAnswers: answers },
    });
    // Checked against an older form that had no required "company": refused under the lock.
    const [stale, fresh] = await registerBatch(await batchDeps(), event.id, [
      checked({ size: 'S' }),
      checked({ company: '토스' }),
    ]);
    expect(stale).toMatchObject({ kind: 'invalid', errors: [{ path: 'custom_responses.company' }] });
    expect(fresh).toMatchObject({
      kind: 'created',
      row: { customResponses: { company: '토스' }, registrationNumber: 1 },
    });
  });
});
