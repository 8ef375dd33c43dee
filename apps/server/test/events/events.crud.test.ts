import type { Event } from '@eventmanager/domain/events/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestContext, signupUser, type TestContext } from '../helpers/test-app.ts';
import { bookClub, codeOf, createEvent, patchEvent, publish, setTier } from './fixtures.ts';

let ctx: TestContext;
let organizer: Awaited<ReturnType<typeof signupUser>>;
beforeAll(async () => {
  ctx = await createTestContext();
  organizer = await signupUser(ctx.app);
});
afterAll(async () => {
  await ctx?.close();
});

const countEvents = async () => {
  const res = await ctx.platform.database.db.execute('select count(*)::int as n from events' as never);
  return (res as unknown as { rows: { n: number }[] }).rows[0]!.n;
};
const getEvent = (id: string, token = organizer.token) =>
  ctx.app.inject({ method: 'GET', url: `/api/events/${id}`, headers: bearer(token) });

describe('POST /api/events', () => {
  it('creates a draft with every seed field, a share URL and the organizer language', async () => {
    const body = bookClub();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/events',
      headers: bearer(organizer.token),
      payload: body,
    });
    expect(res.statusCode).toBe(201);
    const event = res.json() as Event;
    expect(event).toMatchObject({
      organizer_id: organizer.userId,
      name: body.name,
      description: body.description,
      language: 'ko',
      status: 'draft',
      privacy: 'public',
      location: {
        type: 'physical',
        address: '홍대 북카페',
        coordinates: { lat: 37.5563, lng: 126.9236 },
        online_link: null,
      },
      datetime: {
        start: '2025-10-15T10:00:00.000Z',
        end: '2025-10-15T12:00:00.000Z',
        timezone: 'Asia/Seoul',
      },
      capacity: { max_participants: 30, waitlist_enabled: true },
      registration: {
        deadline: '2025-10-14T14:59:00.000Z',
        requires_approval: false,
        form_fields: body.registration!.form_fields,
        retired_form_fields: [],
      },
      features: { checkin_enabled: true, prize_drawing_enabled: true, anonymous_mode: false },
      branding: null,
    });
    expect(event.share_url).toMatch(/^http:\/\/localhost:3000\/e\/[2-9a-km-zA-HJ-NP-Z]{10}$/);
    expect(codeOf(event)).not.toMatch(/[0O1lIo]/);
    const again = await getEvent(event.id);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(event);
  });

  it('applies defaults for optional sections; no max_participants means unlimited', async () => {
    const event = await createEvent(ctx.app, organizer.token, {
      name: 'Online meetup',
      language: 'en',
      location: { type: 'online', online_link: 'https://meet.example.com/abc' },
      datetime: { start: '2026-01-10T10:00:00Z', timezone: 'Europe/Berlin' },
    });
    expect(event).toMatchObject({
      description: '',
      language: 'en',
      datetime: { end: null },
      capacity: { max_participants: null, waitlist_enabled: false },
      registration: { deadline: null, requires_approval: false, form_fields: [] },
      privacy: 'public',
      features: { checkin_enabled: true, prize_drawing_enabled: false, anonymous_mode: false },
    });
  });

  const bad: [string, Record<string, unknown>, string][] = [
    [
      'latitude out of range',
      { location: { type: 'physical', address: 'x', coordinates: { lat: 91, lng: 0 } } },
      'location.coordinates.lat',
    ],
    [
      'longitude out of range',
      { location: { type: 'physical', address: 'x', coordinates: { lat: 0, lng: -180.5 } } },
      'location.coordinates.lng',
    ],
    ['online without link', { location: { type: 'online' } }, 'location.online_link'],
    [
      'hybrid without address',
      { location: { type: 'hybrid', online_link: 'https://x.example' } },
      'location.address',
    ],
    [
      'link that is not a URL',
      { location: { type: 'online', online_link: 'zoom meeting 123' } },
      'location.online_link',
    ],
    [
      'link that is not http(s)',
      { location: { type: 'online', online_link: 'javascript:alert(1)' } },
      'location.online_link',
    ],
    [
      'end before start',
      { datetime: { start: '2025-10-15T10:00:00Z', end: '2025-10-15T09:00:00Z', timezone: 'Asia/Seoul' } },
      'datetime.end',
    ],
    [
      'end equal to start',
      { datetime: { start: '2025-10-15T10:00:00Z', end: '2025-10-15T10:00:00Z', timezone: 'Asia/Seoul' } },
      'datetime.end',
    ],
    [
      'unknown time zone',
      { datetime: { start: '2025-10-15T10:00:00Z', timezone: 'Mars/Olympus' } },
      'datetime.timezone',
    ],
    [
      'start without offset',
      { datetime: { start: '2025-10-15 10:00', timezone: 'Asia/Seoul' } },
      'datetime.start',
    ],
    [
      'capacity 0',
      { capacity: { max_participants: 0, waitlist_enabled: false } },
      'capacity.max_participants',
    ],
    [
      'fractional capacity',
      { capacity: { max_participants: 2.5, waitlist_enabled: false } },
      'capacity.max_participants',
    ],
    [
      'deadline after the end',
      { registration: { deadline: '2025-10-16T00:00:00+09:00', requires_approval: false, form_fields: [] } },
      'registration.deadline',
    ],
    [
      'duplicate field ids',
      {
        registration: {
          requires_approval: false,
          form_fields: [
            { id: 'a', type: 'text', label: 'A', required: false },
            { id: 'a', type: 'number', label: 'B', required: false },
          ],
        },
      },
      'registration.form_fields.1.id',
    ],
    [
      'choice without options',
      {
        registration: {
          requires_approval: false,
          form_fields: [{ id: 'c', type: 'multi_choice', label: 'C', required: true }],
        },
      },
      'registration.form_fields.0.options',
    ],
    [
      'unknown field type',
      {
        registration: {
          requires_approval: false,
          form_fields: [{ id: 'c', type: 'date', label: 'C', required: true }],
        },
      },
      'registration.form_fields.0.type',
    ],
    [
      'bad colour',
      { branding: { logo_url: 'https://x.example/logo.png', primary_color: 'red' } },
      'branding.primary_color',
    ],
    ['unknown top-level field', { organizer_id: '00000000-0000-0000-0000-000000000000' }, ''],
    ['bad status on create', { status: 'published' }, ''],
  ];
  it.each(bad)('rejects %s with 400 problem+json and stores nothing', async (_name, override, path) => {
    const before = await countEvents();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/events',
      headers: bearer(organizer.token),
      payload: { ...bookClub(), ...override },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json() as { status: number; errors: { path: string; message: string }[] };
    expect(problem.status).toBe(400);
    expect(problem.errors.length).toBeGreaterThan(0);
    if (path) expect(problem.errors.map((e) => e.path)).toContain(path);
    expect(await countEvents()).toBe(before);
  });

  it('requires a login', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/events', payload: bookClub() });
    expect(res.statusCode).toBe(401);
  });
});

describe('PATCH /api/events/:id', () => {
  it('merges sections one level deep and clears optional values with null', async () => {
    const event = await createEvent(ctx.app, organizer.token);
    const res = await patchEvent(ctx.app, organizer.token, event.id, {
      name: '11월 북클럽',
      capacity: { max_participants: null },
      location: { coordinates: null },
      registration: { deadline: null },
    });
    expect(res.statusCode).toBe(200);
    const updated = res.json() as Event;
    expect(updated.name).toBe('11월 북클럽');
    expect(updated.capacity).toEqual({ max_participants: null, waitlist_enabled: true });
    expect(updated.location).toEqual({
      type: 'physical',
      address: '홍대 북카페',
      coordinates: null,
      online_link: null,
    });
    expect(updated.registration.deadline).toBeNull();
    expect(updated.registration.form_fields).toEqual(event.registration.form_fields);
    expect(updated.share_url).toBe(event.share_url);
    expect(Date.parse(updated.updated_at)).toBeGreaterThanOrEqual(Date.parse(event.updated_at));
  });

  it('validates the merged result and changes nothing on 400', async () => {
    const event = await createEvent(ctx.app, organizer.token);
    const res = await patchEvent(ctx.app, organizer.token, event.id, {
      name: 'changed',
      datetime: { start: '2025-10-15T13:00:00Z' }, // after the stored end (12:00Z)
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain('datetime.end');
    expect((await getEvent(event.id)).json()).toEqual(event);
    const bad = await patchEvent(ctx.app, organizer.token, event.id, { location: { type: 'online' } });
    expect(bad.statusCode).toBe(400);
    const unknown = await patchEvent(ctx.app, organizer.token, event.id, { share_url: 'x' });
    expect(unknown.statusCode).toBe(400);
    expect((await getEvent(event.id)).json()).toEqual(event);
  });

  it('publishes event_updated with the changed fields on the event channel after commit', async () => {
    const event = await createEvent(ctx.app, organizer.token);
    const messages: unknown[] = [];
    const unsubscribe = await ctx.platform.bus.subscribe(`event:${event.id}`, (m) => messages.push(m));
    try {
      const res = await patchEvent(ctx.app, organizer.token, event.id, {
        status: 'published',
        name: 'Renamed',
      });
      expect(res.statusCode).toBe(200);
      await expect.poll(() => messages.length).toBe(1);
      const updated = res.json() as Event;
      expect(messages[0]).toEqual({
        type: 'event_updated',
        eventId: event.id,
        changes: { status: 'published', name: 'Renamed', updated_at: updated.updated_at },
      });
      // A patch that changes nothing publishes nothing.
      const same = await patchEvent(ctx.app, organizer.token, event.id, { name: 'Renamed' });
      expect(same.statusCode).toBe(200);
      await new Promise((r) => setTimeout(r, 100));
      expect(messages).toHaveLength(1);
    } finally {
      await unsubscribe();
    }
  });
});

describe('status state machine', () => {
  it('walks draft → published → in_progress → completed', async () => {
    const event = await createEvent(ctx.app, organizer.token);
    for (const status of ['published', 'in_progress', 'completed']) {
      const res = await patchEvent(ctx.app, organizer.token, event.id, { status });
      expect(res.statusCode, status).toBe(200);
      expect(res.json().status).toBe(status);
    }
  });

  it.each(['draft', 'published', 'in_progress'])('cancels from %s', async (from) => {
    const event = await createEvent(ctx.app, organizer.token);
    const path = ['published', 'in_progress'];
    for (const s of path.slice(0, path.indexOf(from) + 1))
      await patchEvent(ctx.app, organizer.token, event.id, { status: s });
    const res = await patchEvent(ctx.app, organizer.token, event.id, { status: 'cancelled' });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('cancelled');
  });

  const illegal: [string[], string][] = [
    [[], 'in_progress'],
    [[], 'completed'],
    [['published'], 'draft'],
    [['published'], 'completed'],
    [['published', 'in_progress'], 'published'],
    [['published', 'in_progress', 'completed'], 'cancelled'],
    [['published', 'in_progress', 'completed'], 'in_progress'],
    [['cancelled'], 'published'],
    [['cancelled'], 'draft'],
  ];
  it.each(illegal)('after %j refuses %s with 409 and changes nothing', async (path, to) => {
    const event = await createEvent(ctx.app, organizer.token);
    for (const s of path)
      expect((await patchEvent(ctx.app, organizer.token, event.id, { status: s })).statusCode).toBe(200);
    const before = (await getEvent(event.id)).json() as Event;
    const res = await patchEvent(ctx.app, organizer.token, event.id, {
      status: to,
      name: 'should not stick',
    });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('illegal_status_transition');
    expect((await getEvent(event.id)).json()).toEqual(before);
  });

  it('serialises concurrent moves: of completed and cancelled at once, exactly one wins', async () => {
    const event = await createEvent(ctx.app, organizer.token);
    await publish(ctx.app, organizer.token, event.id);
    await patchEvent(ctx.app, organizer.token, event.id, { status: 'in_progress' });
    const results = await Promise.all(
      ['completed', 'cancelled', 'completed', 'cancelled'].map((status) =>
        patchEvent(ctx.app, organizer.token, event.id, { status }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    const winners = results.filter((r) => r.statusCode === 200);
    // The first mover wins; a repeat of the winning status is a no-op (200), the other move is 409.
    const final = (await getEvent(event.id)).json() as Event;
    expect(winners.every((r) => r.json().status === final.status)).toBe(true);
    expect(codes.filter((c) => c === 409)).toHaveLength(2);
    expect(codes.filter((c) => c === 200)).toHaveLength(2);
  });
});

describe('form changes after registration opened', () => {
  it('retires removed fields (answers keep their label) and refuses type changes once published', async () => {
    const event = await createEvent(ctx.app, organizer.token);
    await publish(ctx.app, organizer.token, event.id);
    const [choice, note] = event.registration.form_fields;
    const removed = await patchEvent(ctx.app, organizer.token, event.id, {
      registration: {
        form_fields: [{ ...choice, label: '읽으셨나요? (수정)', options: ['네', '아니요', '일부'] }],
      },
    });
    expect(removed.statusCode).toBe(200);
    const r = removed.json() as Event;
    expect(r.registration.form_fields.map((f) => f.id)).toEqual(['book_read']);
    expect(r.registration.retired_form_fields).toEqual([note]);

    const retyped = await patchEvent(ctx.app, organizer.token, event.id, {
      registration: { form_fields: [{ ...choice, type: 'text', options: undefined }] },
    });
    expect(retyped.statusCode).toBe(409);
    expect(retyped.json().code).toBe('form_field_type_changed');
    // Re-adding a retired id with another type is the same change.
    const revived = await patchEvent(ctx.app, organizer.token, event.id, {
      registration: { form_fields: [choice, { id: 'note', type: 'number', label: 'n', required: false }] },
    });
    expect(revived.statusCode).toBe(409);
    // Put back unchanged: it leaves the retired list.
    const back = await patchEvent(ctx.app, organizer.token, event.id, {
      registration: { form_fields: [choice, note] },
    });
    expect(back.statusCode).toBe(200);
    expect(back.json().registration.retired_form_fields).toEqual([]);
  });

  it('allows type changes while the event is a draft', async () => {
    const event = await createEvent(ctx.app, organizer.token);
    const res = await patchEvent(ctx.app, organizer.token, event.id, {
      registration: {
        form_fields: [{ id: 'book_read', type: 'checkbox', label: '읽었어요', required: false }],
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().registration.form_fields[0].type).toBe('checkbox');
  });
});

describe('branding (premium only)', () => {
  const branding = {
    logo_url: 'https://cdn.example.com/logo.png',
    primary_color: '#1A2B3C',
    custom_domain: 'Events.Example.com',
  };

  it('is refused with 403 for the free tier, on create and on patch', async () => {
    const free = await signupUser(ctx.app);
    const before = await countEvents();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/events',
      headers: bearer(free.token),
      payload: bookClub({ branding }),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'plan_limit', limit: 'branding', plan: 'basic_premium' });
    expect(await countEvents()).toBe(before);
    const event = await createEvent(ctx.app, free.token);
    const patch = await patchEvent(ctx.app, free.token, event.id, { branding });
    expect(patch.statusCode).toBe(403);
    expect((await getEvent(event.id, free.token)).json().branding).toBeNull();
  });

  it('accepts a logo and colour on basic_premium but keeps the custom domain for pro_premium', async () => {
    const basic = await signupUser(ctx.app);
    await setTier(ctx.platform, basic.userId, 'basic_premium');
    const refused = await ctx.app.inject({
      method: 'POST',
      url: '/api/events',
      headers: bearer(basic.token),
      payload: bookClub({ branding }),
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'plan_limit', limit: 'custom_domain', plan: 'pro_premium' });
    const { custom_domain: _, ...withoutDomain } = branding;
    const event = await createEvent(ctx.app, basic.token, bookClub({ branding: withoutDomain }));
    expect(event.branding).toMatchObject(withoutDomain);
    const patch = await patchEvent(ctx.app, basic.token, event.id, { branding });
    expect(patch.statusCode).toBe(403);
    expect(patch.json()).toMatchObject({ code: 'plan_limit', limit: 'custom_domain' });
  });

  it('is accepted with a custom domain for pro_premium', async () => {
    const premium = await signupUser(ctx.app);
    await setTier(ctx.platform, premium.userId, 'pro_premium');
    const event = await createEvent(ctx.app, premium.token, bookClub({ branding }));
    expect(event.branding).toEqual({ ...branding, custom_domain: 'events.example.com' });
    const cleared = await patchEvent(ctx.app, premium.token, event.id, { branding: null });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().branding).toBeNull();
  });
});

describe('DELETE /api/events/:id', () => {
  it('soft-deletes: the event vanishes from reads, lists, patches and its public link', async () => {
    const event = await createEvent(ctx.app, organizer.token);
    await publish(ctx.app, organizer.token, event.id);
    expect(
      (await ctx.app.inject({ method: 'GET', url: `/api/public/events/${codeOf(event)}` })).statusCode,
    ).toBe(200);
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/events/${event.id}`,
      headers: bearer(organizer.token),
    });
    expect(del.statusCode).toBe(204);
    expect((await getEvent(event.id)).statusCode).toBe(404);
    expect((await patchEvent(ctx.app, organizer.token, event.id, { name: 'x' })).statusCode).toBe(404);
    const list = await ctx.app.inject({
      method: 'GET',
      url: '/api/events',
      headers: bearer(organizer.token),
    });
    expect((list.json() as Event[]).map((e) => e.id)).not.toContain(event.id);
    expect(
      (await ctx.app.inject({ method: 'GET', url: `/api/public/events/${codeOf(event)}` })).statusCode,
    ).toBe(404);
    const again = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/events/${event.id}`,
      headers: bearer(organizer.token),
    });
    expect(again.statusCode).toBe(404);
    // The row is kept (soft delete), with deleted_at set.
    const res = await ctx.platform.database.db.execute(
      `select deleted_at from events where id = '${event.id}'` as never,
    );
    expect((res as unknown as { rows: { deleted_at: unknown }[] }).rows[0]!.deleted_at).not.toBeNull();
  });

  it('answers 404 for malformed and unknown ids', async () => {
    expect((await getEvent('not-a-uuid')).statusCode).toBe(404);
    expect((await getEvent('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});
