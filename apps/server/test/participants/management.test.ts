import type { Participant, RegistrationResult } from '@eventmanager/domain/participants/participant.schema';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { queryRows } from '../../src/platform/db/database.ts';
import {
  addStaffMember,
  bearer,
  createTestContext,
  signupUser,
  type TestContext,
  uniqueEmail,
} from '../helpers/test-app.ts';
import { listAll, NOW, publishedEvent, registerOk, registration } from './fixtures.ts';

let ctx: TestContext;
let organizer: { token: string; userId: string; email: string };
let staff: { token: string; userId: string; email: string };
let stranger: { token: string; userId: string };
let eventId: string;
let code: string;
const people: RegistrationResult[] = [];
const names = ['홍길동', '홍길순', '김사라', '이민수', 'Kim 민수', '박지성'];

beforeAll(async () => {
  ctx = await createTestContext({ clock: new ManualClock(NOW) });
  organizer = await signupUser(ctx.app);
  staff = await signupUser(ctx.app, { name: '김사라' });
  stranger = await signupUser(ctx.app);
  const created = await publishedEvent(ctx.app, organizer.token, { max: 100 });
  eventId = created.event.id;
  code = created.code;
  await addStaffMember(ctx.app, organizer.token, eventId, staff);
  for (const [i, name] of names.entries()) {
    people.push(
      await registerOk(
        ctx.app,
        code,
        registration({
          identity: { name, email: uniqueEmail(`p${i}`), phone: `010-1111-${String(1000 + i)}` },
        }),
      ),
    );
  }
});
afterAll(async () => {
  await ctx?.close();
});

const get = (token: string, url: string) => ctx.app.inject({ method: 'GET', url, headers: bearer(token) });
const search = async (q: string) =>
  (await listAll(ctx.app, organizer.token, eventId, `&q=${encodeURIComponent(q)}`)).map(
    (p) => p.identity.name,
  );

describe('listing and search', () => {
  it('searches by name substring, 초성, number and exact e-mail', async () => {
    expect(await search('길')).toEqual(['홍길동', '홍길순']);
    expect(await search('ㅎㄱㄷ')).toEqual(['홍길동']);
    expect(await search('ㅎㄱ')).toEqual(['홍길동', '홍길순']);
    expect(await search('ㅁㅅ')).toEqual(['이민수', 'Kim 민수']);
    expect(await search('kim')).toEqual(['Kim 민수']);
    expect(await search('3')).toEqual(['김사라']);
    expect(await search('#004')).toEqual(['이민수']);
    expect(await search(people[5]!.participant.identity.email.toUpperCase())).toEqual(['박지성']);
    expect(await search('nobody@example.com')).toEqual([]);
    expect(await search('%')).toEqual([]);
  });

  it('filters by registration and check-in status', async () => {
    expect(await listAll(ctx.app, organizer.token, eventId, '&status=registered')).toHaveLength(6);
    expect(await listAll(ctx.app, organizer.token, eventId, '&status=waitlist')).toHaveLength(0);
    expect(await listAll(ctx.app, organizer.token, eventId, '&checkin=not_checked_in')).toHaveLength(6);
    expect(await listAll(ctx.app, organizer.token, eventId, '&checkin=checked_in')).toHaveLength(0);
    expect((await get(organizer.token, `/api/events/${eventId}/participants?status=bogus`)).statusCode).toBe(
      400,
    );
  });

  it('pages with a keyset cursor that stays stable while people register', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let inserted = false;
    do {
      const res = await get(
        organizer.token,
        `/api/events/${eventId}/participants?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: Participant[]; next_cursor: string | null };
      seen.push(...page.items.map((p) => p.id));
      cursor = page.next_cursor;
      if (!inserted) {
        inserted = true;
        people.push(
          await registerOk(
            ctx.app,
            code,
            registration({ identity: { name: '늦은사람', email: uniqueEmail() } }),
          ),
        );
      }
    } while (cursor);
    expect(seen).toEqual(people.map((p) => p.participant.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(
      (await get(organizer.token, `/api/events/${eventId}/participants?cursor=garbage`)).statusCode,
    ).toBe(400);
  });
});

describe('access and personal data', () => {
  it('masks phones; reveal is organizer-only and logged', async () => {
    const list = await listAll(ctx.app, organizer.token, eventId);
    expect(list[0]!.identity.phone).toBe('010-****-1000');
    const revealed = await listAll(ctx.app, organizer.token, eventId, '&reveal=phone');
    expect(revealed[0]!.identity.phone).toBe('010-1111-1000');
    const staffReveal = await get(staff.token, `/api/events/${eventId}/participants?reveal=phone`);
    expect(staffReveal.statusCode).toBe(403);
    const one = await get(
      organizer.token,
      `/api/events/${eventId}/participants/${people[1]!.participant.id}?reveal=phone`,
    );
    expect(one.json().identity.phone).toBe('010-1111-1001');
    const log = await queryRows<{ user_id: string; action: string; participant_id: string | null }>(
      ctx.platform.database.db,
      sql`select user_id, action, participant_id from pii_access_log where event_id = ${eventId} order by created_at`,
    );
    expect(log.filter((l) => l.action === 'reveal_phone')).toHaveLength(2);
    expect(log.every((l) => l.user_id === organizer.userId)).toBe(true);
    expect(log.some((l) => l.participant_id === people[1]!.participant.id)).toBe(true);
  });

  it('staff may read but not manage; strangers get 404', async () => {
    expect((await listAll(ctx.app, staff.token, eventId)).length).toBeGreaterThan(0);
    const pid = people[0]!.participant.id;
    const url = `/api/events/${eventId}/participants/${pid}`;
    expect(
      (
        await ctx.app.inject({
          method: 'PATCH',
          url,
          headers: bearer(staff.token),
          payload: { status: 'rejected' },
        })
      ).statusCode,
    ).toBe(403);
    expect((await ctx.app.inject({ method: 'DELETE', url, headers: bearer(staff.token) })).statusCode).toBe(
      403,
    );
    expect((await get(staff.token, `/api/events/${eventId}/participants/export`)).statusCode).toBe(403);
    expect(
      (
        await ctx.app.inject({
          method: 'POST',
          url: `/api/events/${eventId}/participants`,
          headers: bearer(staff.token),
          payload: {
            identity: { name: '직원추가', email: uniqueEmail() },
            custom_responses: { company: 'x' },
          },
        })
      ).statusCode,
    ).toBe(403);
    expect((await get(stranger.token, `/api/events/${eventId}/participants`)).statusCode).toBe(404);
    expect((await get(stranger.token, url)).statusCode).toBe(404);
    expect(
      (await ctx.app.inject({ method: 'GET', url: `/api/events/${eventId}/participants` })).statusCode,
    ).toBe(401);
  });

  it('lets the organizer add and edit people; e-mail collisions are 409', async () => {
    const add = await ctx.app.inject({
      method: 'POST',
      url: `/api/events/${eventId}/participants`,
      headers: bearer(organizer.token),
      payload: {
        identity: { name: '추가됨', email: uniqueEmail('added') },
        custom_responses: { company: '카카오' },
      },
    });
    expect(add.statusCode).toBe(201);
    const added = add.json() as RegistrationResult;
    expect(added.participant.registration).toMatchObject({
      source: 'direct',
      added_by: organizer.userId,
      status: 'registered',
    });
    const url = `/api/events/${eventId}/participants/${added.participant.id}`;
    const edit = await ctx.app.inject({
      method: 'PATCH',
      url,
      headers: bearer(organizer.token),
      payload: { identity: { name: '고친이름', phone: '+82 10 2222 3333' }, custom_responses: { size: 'L' } },
    });
    expect(edit.statusCode).toBe(200);
    expect(edit.json()).toMatchObject({
      identity: { name: '고친이름', phone: '010-****-3333' },
      custom_responses: { company: '카카오', size: 'L' },
      version: 2,
    });
    expect(await search('ㄱㅊㅇ')).toEqual(['고친이름']);
    const taken = await ctx.app.inject({
      method: 'PATCH',
      url,
      headers: bearer(organizer.token),
      payload: { identity: { email: people[0]!.participant.identity.email } },
    });
    expect(taken.statusCode).toBe(409);
    const badAnswer = await ctx.app.inject({
      method: 'PATCH',
      url,
      headers: bearer(organizer.token),
      payload: { custom_responses: { size: 'XXL' } },
    });
    expect(badAnswer.statusCode).toBe(400);
    const missing = `/api/events/${eventId}/participants/00000000-0000-4000-8000-000000000000`;
    expect(
      (await ctx.app.inject({ method: 'PATCH', url: missing, headers: bearer(organizer.token), payload: {} }))
        .statusCode,
    ).toBe(404);
    expect(
      (await ctx.app.inject({ method: 'DELETE', url: missing, headers: bearer(organizer.token) })).statusCode,
    ).toBe(404);
  });
});

describe('self-service and tickets', () => {
  it('views and edits through the manage link; forged tokens are 404', async () => {
    const me = people[2]!;
    const token = me.manage_url.split('/m/')[1]!;
    const view = await ctx.app.inject({ method: 'GET', url: `/api/public/manage/${token}` });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({
      participant: { id: me.participant.id, identity: { phone: '010-1111-1002' } },
      ticket_code: me.ticket_code,
    });
    const edit = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/public/manage/${token}`,
      payload: { custom_responses: { topics: ['AI'] }, consents: { marketing: true } },
    });
    expect(edit.statusCode).toBe(200);
    expect(edit.json().participant.custom_responses).toMatchObject({ company: '네이버', topics: ['AI'] });
    expect(edit.json().participant.consents.marketing).toMatchObject({ agreed: true });
    const noEmail = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/public/manage/${token}`,
      payload: { identity: { email: 'x@y.z' } },
    });
    expect(noEmail.statusCode).toBe(400);
    const forged = `${token.split('.')[0]}.AAAAAAAAAAAAAAAAAAAAAAAA`;
    expect((await ctx.app.inject({ method: 'GET', url: `/api/public/manage/${forged}` })).statusCode).toBe(
      404,
    );
    expect(
      (await ctx.app.inject({ method: 'GET', url: '/api/public/manage/not-a-token-at-all' })).statusCode,
    ).toBe(404);
  });

  it('renders the ticket QR as SVG and PNG', async () => {
    const ticket = people[0]!.ticket_code;
    const svg = await ctx.app.inject({ method: 'GET', url: `/api/public/tickets/${ticket}/qr.svg` });
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toContain('<svg');
    const png = await ctx.app.inject({ method: 'GET', url: `/api/public/tickets/${ticket}/qr.png` });
    expect(png.statusCode).toBe(200);
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    expect(
      (await ctx.app.inject({ method: 'GET', url: '/api/public/tickets/AAAAAAAAAAAAAAAAAAAAAA/qr.svg' }))
        .statusCode,
    ).toBe(404);
  });
});

describe('OpenAPI', () => {
  it('documents the participant routes', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const p of [
      '/api/public/events/{code}/registrations',
      '/api/events/{id}/participants',
      '/api/events/{id}/participants/{pid}',
      '/api/events/{id}/participants/import',
      '/api/events/{id}/participants/export',
      '/api/public/manage/{token}',
      '/api/public/tickets/{code}/qr.svg',
    ]) {
      expect(paths).toContain(p);
    }
  });
});
