import { randomUUID } from 'node:crypto';
import type {
  AnnotationList,
  BulkActionResult,
  MessageResult,
  ParticipantDetail,
} from '@eventmanager/domain/participants/desk.schema';
import type { ImportResult, RegistrationResult } from '@eventmanager/domain/participants/participant.schema';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { queryRows } from '../../src/platform/db/database.ts';
import { mutation, syncOk } from '../checkin/fixtures.ts';
import { patchEvent } from '../events/fixtures.ts';
import {
  addStaffMember,
  bearer,
  createTestContext,
  signupUser,
  type TestContext,
  uniqueEmail,
} from '../helpers/test-app.ts';
import { formFields, listAll, NOW, publishedEvent, registerOk, registration } from './fixtures.ts';

let ctx: TestContext;
let organizer: { token: string; userId: string; email: string };
let staff: { token: string; userId: string; email: string };
let eventId: string;
let code: string;
const people: RegistrationResult[] = [];
const names = ['홍길동', '김사라', '이민수', '박지성'];
const phones = ['010-2345-5678', '010-9999-1111', '02-555-7777', null];

beforeAll(async () => {
  ctx = await createTestContext({ clock: new ManualClock(NOW) });
  organizer = await signupUser(ctx.app);
  staff = await signupUser(ctx.app, { name: '입구 스태프' });
  // Capacity 3: the fourth registrant waits.
  const created = await publishedEvent(ctx.app, organizer.token, { max: 3 });
  eventId = created.event.id;
  code = created.code;
  await addStaffMember(ctx.app, organizer.token, eventId, staff);
  for (const [i, name] of names.entries()) {
    people.push(
      await registerOk(
        ctx.app,
        code,
        registration({
          identity: { name, email: uniqueEmail(`d${i}`), ...(phones[i] ? { phone: phones[i] } : {}) },
        }),
      ),
    );
  }
});
afterAll(async () => {
  await ctx?.close();
});

const db = () => ctx.platform.database.db;
const call = (token: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
  ctx.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
const idOf = (i: number) => people[i]!.participant.id;
const detailOf = async (i: number, token = organizer.token, query = '') => {
  const res = await call(token, 'GET', `/api/events/${eventId}/participants/${idOf(i)}/detail${query}`);
  expect(res.statusCode).toBe(200);
  return res.json() as ParticipantDetail;
};
const search = async (q: string, token = organizer.token) =>
  (await listAll(ctx.app, token, eventId, `&q=${encodeURIComponent(q)}`)).map((p) => p.identity.name);

describe('search on the participants page and the desk', () => {
  it('ignores spaces in names', async () => {
    expect(await search('홍 길동')).toEqual(['홍길동']);
    expect(await search('김 사 라')).toEqual(['김사라']);
    expect(await search('길')).toEqual(['홍길동']);
  });

  it('finds phones by any run of digits, typed with separators or not — for staff too', async () => {
    expect(await search('5678')).toEqual(['홍길동']);
    expect(await search('010-2345')).toEqual(['홍길동']);
    expect(await search('2345 5678')).toEqual(['홍길동']);
    expect(await search('+82 10 9999 1111')).toEqual(['김사라']);
    expect(await search('555-7777', staff.token)).toEqual(['이민수']);
    expect(await search('0000')).toEqual([]);
    // A short number is still a registration number, not a phone fragment.
    expect(await search('2')).toEqual(['김사라']);
  });
});

describe('phone search over a large event', () => {
  it('finds every match across the whole event (scanned in slices)', async () => {
    const big = await publishedEvent(ctx.app, organizer.token, { max: 1000 });
    const lines = Array.from(
      { length: 1200 },
      (_, i) => `참가자${i},${uniqueEmail(`big${i}`)},010-5000-${String(i).padStart(4, '0')},네이버`,
    );
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/events/${big.event.id}/participants/import?notify=false`,
      headers: { ...bearer(organizer.token), 'content-type': 'text/csv' },
      payload: `name,email,phone,company\n${lines.join('\n')}\n`,
    });
    expect((res.json() as ImportResult).created).toBe(1200);
    const find = async (q: string) =>
      (await listAll(ctx.app, organizer.token, big.event.id, `&q=${encodeURIComponent(q)}`)).map(
        (p) => p.identity.name,
      );
    expect(await find('010-5000-1199')).toEqual(['참가자1199']);
    expect(await find('5000-000')).toEqual(Array.from({ length: 10 }, (_, i) => `참가자${i}`));
    expect(await find('5000-09')).toHaveLength(100);
  });
});

describe('participant detail', () => {
  it('shows the answers (a retired field too), the masked phone, and reveals it with a log entry', async () => {
    // The t-shirt field leaves the form: its answer stays and the detail still carries it.
    const res = await patchEvent(ctx.app, organizer.token, eventId, {
      registration: { form_fields: (formFields ?? []).filter((f) => f.id !== 'size') },
    });
    expect(res.statusCode).toBe(200);
    const detail = await detailOf(0);
    expect(detail.participant.custom_responses).toMatchObject({ company: '네이버', size: 'M' });
    expect(detail.participant.identity.phone).toBe('010-****-5678');
    const revealed = await detailOf(0, organizer.token, '?reveal=phone');
    expect(revealed.participant.identity.phone).toBe('010-2345-5678');
    const logged = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from pii_access_log
          where participant_id = ${idOf(0)}::uuid and action = 'reveal_phone'`,
    );
    expect(logged[0]!.n).toBe(1);
    const forbidden = await call(
      staff.token,
      'GET',
      `/api/events/${eventId}/participants/${idOf(0)}/detail?reveal=phone`,
    );
    expect(forbidden.statusCode).toBe(403);
  });

  it('lists check-ins and undos with the device that did them', async () => {
    await syncOk(ctx.app, staff.token, eventId, [mutation(idOf(1), 'check_in', NOW.toISOString())], {
      id: 'door-1',
      name: '입구 1 · 김사라',
    });
    await syncOk(
      ctx.app,
      staff.token,
      eventId,
      [mutation(idOf(1), 'undo_check_in', new Date(NOW.getTime() + 60_000).toISOString())],
      { id: 'door-2', name: '입구 2' },
    );
    const detail = await detailOf(1, staff.token);
    expect(detail.checkin_history.map((c) => [c.action, c.device_name])).toEqual([
      ['undo_check_in', '입구 2'],
      ['check_in', '입구 1 · 김사라'],
    ]);
    expect(detail.checkin_history[1]!.user_id).toBe(staff.userId);
    // Staff see no organizer notes and no e-mails.
    expect(detail.annotation).toBeNull();
    expect(detail.emails).toBeNull();
  });

  it('records every status change, and lists the e-mails sent', async () => {
    // Cancelling 홍길동 frees a seat: 박지성 is promoted from the waitlist by the same transaction.
    expect(people[3]!.participant.registration.status).toBe('waitlist');
    expect(
      (
        await call(organizer.token, 'POST', `/api/events/${eventId}/participants/bulk`, {
          ids: [idOf(0)],
          action: 'cancel',
        })
      ).statusCode,
    ).toBe(200);
    const cancelled = await detailOf(0);
    expect(cancelled.status_history.map((h) => [h.from, h.to, h.reason])).toEqual([
      [null, 'registered', 'registered'],
      ['registered', 'cancelled', 'cancelled'],
    ]);
    const promoted = await detailOf(3);
    expect(promoted.status_history.map((h) => [h.from, h.to, h.reason])).toEqual([
      [null, 'waitlist', 'registered'],
      ['waitlist', 'registered', 'promoted'],
    ]);
    expect(promoted.emails!.map((e) => e.type).sort()).toEqual([
      'registration_confirmation',
      'waitlist_promotion',
    ]);
  });
});

describe('notes and tags', () => {
  it('are the organizer’s: saved, filtered by tag, never shown to or written by staff', async () => {
    const url = `/api/events/${eventId}/participants/${idOf(1)}/annotation`;
    const saved = await call(organizer.token, 'PUT', url, {
      note: '휠체어 좌석 필요',
      tags: ['VIP', ' VIP ', '연사'],
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ note: '휠체어 좌석 필요', tags: ['VIP', '연사'] });
    expect((await detailOf(1)).annotation).toMatchObject({ note: '휠체어 좌석 필요', tags: ['VIP', '연사'] });
    expect((await call(staff.token, 'PUT', url, { note: 'x', tags: [] })).statusCode).toBe(403);
    expect(
      (await call(staff.token, 'GET', `/api/events/${eventId}/participants/annotations`)).statusCode,
    ).toBe(403);

    const list = await call(organizer.token, 'GET', `/api/events/${eventId}/participants/annotations`);
    expect((list.json() as AnnotationList).items).toEqual([
      { participant_id: idOf(1), tags: ['VIP', '연사'], has_note: true },
    ]);
    expect((await listAll(ctx.app, organizer.token, eventId, '&tag=VIP')).map((p) => p.id)).toEqual([
      idOf(1),
    ]);
    expect(await listAll(ctx.app, organizer.token, eventId, '&tag=nobody')).toEqual([]);
    expect((await call(staff.token, 'GET', `/api/events/${eventId}/participants?tag=VIP`)).statusCode).toBe(
      403,
    );
  });
});

describe('bulk actions', () => {
  it('approve pending people one by one with a result each; refusals do not stop the rest', async () => {
    const approval = await publishedEvent(ctx.app, organizer.token, {
      max: 2,
      approval: true,
      waitlist: false,
    });
    const pending: string[] = [];
    for (let i = 0; i < 3; i++) {
      pending.push((await registerOk(ctx.app, approval.code)).participant.id);
    }
    const res = await call(organizer.token, 'POST', `/api/events/${approval.event.id}/participants/bulk`, {
      ids: [...pending, randomUUID()],
      action: 'approve',
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as BulkActionResult;
    expect(body.results.map((r) => [r.ok, r.status ?? r.code])).toEqual([
      [true, 'registered'],
      [true, 'registered'],
      [false, 'event_full'],
      [false, 'not_found'],
    ]);
    expect([body.succeeded, body.failed]).toEqual([2, 2]);
    // Approving again is not a transition.
    const again = await call(organizer.token, 'POST', `/api/events/${approval.event.id}/participants/bulk`, {
      ids: [pending[0]],
      action: 'approve',
    });
    expect((again.json() as BulkActionResult).results[0]).toMatchObject({
      ok: false,
      code: 'invalid_transition',
    });
    const mails = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from email_queue
          where event_id = ${approval.event.id}::uuid and type = 'registration_approved'`,
    );
    expect(mails[0]!.n).toBe(2);
  });

  it('re-sends the confirmation, and is refused to staff', async () => {
    const res = await call(organizer.token, 'POST', `/api/events/${eventId}/participants/bulk`, {
      ids: [idOf(2)],
      action: 'resend_confirmation',
    });
    expect((res.json() as BulkActionResult).results[0]).toMatchObject({ ok: true });
    const confirmations = (await detailOf(2)).emails!.filter((e) => e.type === 'registration_confirmation');
    expect(confirmations).toHaveLength(2);
    const refused = await call(staff.token, 'POST', `/api/events/${eventId}/participants/bulk`, {
      ids: [idOf(2)],
      action: 'cancel',
    });
    expect(refused.statusCode).toBe(403);
  });
});

describe('a message to many', () => {
  const message = (audience: object, extra: object = {}) => ({
    subject: '주차 안내',
    body: '지하 2층에 주차할 수 있어요.\n\n입구는 정문입니다.',
    audience,
    message_id: randomUUID(),
    ...extra,
  });
  const countMessages = async () =>
    (
      await queryRows<{ n: number }>(
        db(),
        sql`select count(*)::int as n from email_queue where event_id = ${eventId}::uuid and type = 'organizer_message'`,
      )
    )[0]!.n;

  it('counts the recipients on a dry run and queues nothing', async () => {
    const res = await call(
      organizer.token,
      'POST',
      `/api/events/${eventId}/messages`,
      message({}, { dry_run: true }),
    );
    expect(res.statusCode).toBe(200);
    // 홍길동 cancelled: the others (registered) are the audience.
    expect(res.json()).toEqual({ recipients: 3, queued: 0 });
    expect(await countMessages()).toBe(0);
  });

  it('queues one e-mail per recipient through the e-mail queue, once per message id', async () => {
    const body = message({ tag: 'VIP' });
    const first = await call(organizer.token, 'POST', `/api/events/${eventId}/messages`, body);
    expect(first.json() as MessageResult).toEqual({ recipients: 1, queued: 1 });
    const retried = await call(organizer.token, 'POST', `/api/events/${eventId}/messages`, body);
    expect(retried.json() as MessageResult).toEqual({ recipients: 1, queued: 0 });
    const all = await call(
      organizer.token,
      'POST',
      `/api/events/${eventId}/messages`,
      message({ ids: [idOf(2), idOf(3)] }),
    );
    expect(all.json() as MessageResult).toEqual({ recipients: 2, queued: 2 });
    expect(await countMessages()).toBe(3);
    const emails = (await detailOf(1)).emails!.filter((e) => e.type === 'organizer_message');
    expect(emails.map((e) => e.subject)).toEqual(['주차 안내']);
    const stats = await call(organizer.token, 'GET', `/api/events/${eventId}/emails/stats`);
    expect(stats.json().by_type).toContainEqual(
      expect.objectContaining({ type: 'organizer_message', queued: 3 }),
    );
  });

  it('is the organizer’s only, and checks its input', async () => {
    expect((await call(staff.token, 'POST', `/api/events/${eventId}/messages`, message({}))).statusCode).toBe(
      403,
    );
    const empty = await call(
      organizer.token,
      'POST',
      `/api/events/${eventId}/messages`,
      message({}, { subject: ' ' }),
    );
    expect(empty.statusCode).toBe(400);
  });
});

describe('import without confirmation e-mails', () => {
  const importCsv = (id: string, csv: string, query = '') =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/events/${id}/participants/import${query}`,
      headers: { ...bearer(organizer.token), 'content-type': 'text/csv' },
      payload: csv,
    });
  const confirmations = async (id: string) =>
    (
      await queryRows<{ n: number }>(
        db(),
        sql`select count(*)::int as n from email_queue where event_id = ${id}::uuid and type = 'registration_confirmation'`,
      )
    )[0]!.n;

  it('sends them by default and not with notify=false', async () => {
    const quiet = await publishedEvent(ctx.app, organizer.token, { max: 100 });
    const csv = (prefix: string) =>
      `name,email,company\n가나다,${uniqueEmail(prefix)},네이버\n라마바,${uniqueEmail(prefix)},카카오\n`;
    const silent = await importCsv(quiet.event.id, csv('q'), '?notify=false');
    expect((silent.json() as ImportResult).created).toBe(2);
    expect(await confirmations(quiet.event.id)).toBe(0);
    const loud = await importCsv(quiet.event.id, csv('l'));
    expect((loud.json() as ImportResult).created).toBe(2);
    expect(await confirmations(quiet.event.id)).toBe(2);
  });
});
