import type { Event, PublicEvent } from '@eventmanager/domain/events/schema';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { bearer, createTestContext, signupUser, type TestContext } from '../helpers/test-app.ts';
import { bookClub, codeOf, createEvent, patchEvent, publish } from './fixtures.ts';

let ctx: TestContext;
let organizer: Awaited<ReturnType<typeof signupUser>>;
const clock = new ManualClock(new Date('2025-10-12T12:00:00Z'));

beforeAll(async () => {
  ctx = await createTestContext({ clock, env: { PUBLIC_URL: 'https://eventmanager.app' } });
  organizer = await signupUser(ctx.app, { name: '북클럽 운영진' });
});
afterAll(async () => {
  await ctx?.close();
});

const publicGet = (code: string) => ctx.app.inject({ method: 'GET', url: `/api/public/events/${code}` });
const icsGet = (code: string) =>
  ctx.app.inject({ method: 'GET', url: `/api/public/events/${code}/calendar.ics` });
const move = async (id: string, ...statuses: string[]) => {
  for (const status of statuses) {
    const res = await patchEvent(ctx.app, organizer.token, id, { status });
    expect(res.statusCode, status).toBe(200);
  }
};

describe('GET /api/public/events/:code', () => {
  it('resolves the code at the end of share_url to the public view', async () => {
    const event = await createEvent(ctx.app, organizer.token);
    expect(event.share_url).toMatch(/^https:\/\/eventmanager\.app\/e\/[A-Za-z2-9]{10}$/);
    await publish(ctx.app, organizer.token, event.id);
    const res = await publicGet(codeOf(event));
    expect(res.statusCode).toBe(200);
    const view = res.json() as PublicEvent;
    expect(view).toMatchObject({
      id: event.id,
      name: event.name,
      status: 'published',
      share_url: event.share_url,
      registration: { form_fields: event.registration.form_fields, requires_approval: false },
      organizer: { name: '북클럽 운영진', organization: null },
    });
    expect(view).not.toHaveProperty('organizer_id');
    expect(view.registration).not.toHaveProperty('retired_form_fields');
    expect(res.headers['x-robots-tag']).toBeUndefined();
  });

  it('hides drafts, deleted events, unknown and malformed codes (404)', async () => {
    const draft = await createEvent(ctx.app, organizer.token);
    expect((await publicGet(codeOf(draft))).statusCode).toBe(404);
    expect((await icsGet(codeOf(draft))).statusCode).toBe(404);
    expect((await publicGet('ZZZZZZZZZZ')).statusCode).toBe(404);
    expect((await publicGet('%27%20or%201%3D1--')).statusCode).toBe(404);
    const gone = await createEvent(ctx.app, organizer.token);
    await publish(ctx.app, organizer.token, gone.id);
    expect((await publicGet(codeOf(gone))).statusCode).toBe(200); // now cached
    await ctx.app.inject({
      method: 'DELETE',
      url: `/api/events/${gone.id}`,
      headers: bearer(organizer.token),
    });
    expect((await publicGet(codeOf(gone))).statusCode).toBe(404);
    expect((await icsGet(codeOf(gone))).statusCode).toBe(404);
  });

  it('shows in-progress and completed events, and cancelled ones only if they were ever published', async () => {
    const live = await createEvent(ctx.app, organizer.token);
    await move(live.id, 'published', 'in_progress');
    expect((await publicGet(codeOf(live))).json().status).toBe('in_progress');
    await move(live.id, 'completed');
    expect((await publicGet(codeOf(live))).json().status).toBe('completed');

    const called = await createEvent(ctx.app, organizer.token);
    await move(called.id, 'published', 'cancelled');
    const res = await publicGet(codeOf(called));
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('cancelled');

    const neverOut = await createEvent(ctx.app, organizer.token);
    await move(neverOut.id, 'cancelled');
    expect((await publicGet(codeOf(neverOut))).statusCode).toBe(404);
  });

  it('serves private events by their link only, marked noindex', async () => {
    const event = await createEvent(ctx.app, organizer.token, bookClub({ privacy: 'private' }));
    await publish(ctx.app, organizer.token, event.id);
    const res = await publicGet(codeOf(event));
    expect(res.statusCode).toBe(200);
    expect(res.json().privacy).toBe('private');
    expect(res.headers['x-robots-tag']).toBe('noindex, nofollow');
  });

  it('never serves a stale view after an update (cache invalidated on commit)', async () => {
    const event = await createEvent(ctx.app, organizer.token);
    await publish(ctx.app, organizer.token, event.id);
    expect((await publicGet(codeOf(event))).json().name).toBe(event.name);
    await patchEvent(ctx.app, organizer.token, event.id, { name: '장소 변경 안내' });
    expect((await publicGet(codeOf(event))).json().name).toBe('장소 변경 안내');
  });

  it('offers Google, Outlook, webcal and ics links', async () => {
    const event = await createEvent(ctx.app, organizer.token);
    await publish(ctx.app, organizer.token, event.id);
    const code = codeOf(event);
    const { calendar_links: links } = (await publicGet(code)).json() as PublicEvent;
    expect(links.ics).toBe(`https://eventmanager.app/api/public/events/${code}/calendar.ics`);
    expect(links.webcal).toBe(`webcal://eventmanager.app/api/public/events/${code}/calendar.ics`);
    const google = new URL(links.google);
    expect(google.origin + google.pathname).toBe('https://calendar.google.com/calendar/render');
    expect(google.searchParams.get('action')).toBe('TEMPLATE');
    expect(google.searchParams.get('text')).toBe(event.name);
    expect(google.searchParams.get('dates')).toBe('20251015T100000Z/20251015T120000Z');
    expect(google.searchParams.get('location')).toBe('홍대 북카페');
    expect(google.searchParams.get('details')).toContain(event.share_url);
    const outlook = new URL(links.outlook);
    expect(outlook.hostname).toBe('outlook.live.com');
    expect(outlook.searchParams.get('subject')).toBe(event.name);
    expect(outlook.searchParams.get('startdt')).toBe('2025-10-15T10:00:00.000Z');
    expect(outlook.searchParams.get('enddt')).toBe('2025-10-15T12:00:00.000Z');
    // The ics link works.
    const ics = await ctx.app.inject({ method: 'GET', url: new URL(links.ics).pathname });
    expect(ics.statusCode).toBe(200);
  });
});

describe('GET /api/public/events/:code/calendar.ics', () => {
  function parse(text: string) {
    const calendar = new ICAL.Component(ICAL.parse(text));
    const vevent = calendar.getFirstSubcomponent('vevent');
    if (!vevent) throw new Error('no VEVENT');
    return { calendar, vevent };
  }

  it('carries exactly the seed fields, parsed by a real iCalendar parser', async () => {
    const event: Event = await createEvent(ctx.app, organizer.token);
    await publish(ctx.app, organizer.token, event.id);
    const res = await icsGet(codeOf(event));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('.ics');
    const { calendar, vevent } = parse(res.body);
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//eventManager//Event//EN');
    expect(vevent.getFirstPropertyValue('uid')).toBe(`${event.id}@eventmanager.app`);
    const start = vevent.getFirstPropertyValue('dtstart') as ICAL.Time;
    const end = vevent.getFirstPropertyValue('dtend') as ICAL.Time;
    const stamp = vevent.getFirstPropertyValue('dtstamp') as ICAL.Time;
    expect(start.toJSDate().toISOString()).toBe('2025-10-15T10:00:00.000Z');
    expect(end.toJSDate().toISOString()).toBe('2025-10-15T12:00:00.000Z');
    expect(stamp.toJSDate().toISOString()).toBe('2025-10-12T12:00:00.000Z');
    // In UTC, as the seed writes them.
    expect(res.body).toMatch(/^DTSTART:20251015T100000Z\r?$/m);
    expect(res.body).toMatch(/^DTEND:20251015T120000Z\r?$/m);
    expect(start.zone?.tzid).toBe('UTC');
    expect(vevent.getFirstPropertyValue('summary')).toBe('2025년 10월 북클럽 모임');
    expect(vevent.getFirstPropertyValue('description')).toBe("이번 달 읽을 책은 '코스모스'입니다.");
    expect(vevent.getFirstPropertyValue('location')).toBe('홍대 북카페');
    expect(vevent.getFirstPropertyValue('url')).toBe(event.share_url);
    const alarms = vevent.getAllSubcomponents('valarm');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.getFirstPropertyValue('action')).toBe('DISPLAY');
    expect(String(alarms[0]!.getFirstPropertyValue('trigger'))).toBe('-PT3H');
    expect(alarms[0]!.getFirstPropertyValue('description')).toBe('이벤트 3시간 전 알림');
  });

  it('for an online event without an end: link as location, one hour long, English alarm', async () => {
    const event = await createEvent(ctx.app, organizer.token, {
      name: 'Remote study group',
      description: 'Chapter 3',
      language: 'en',
      location: { type: 'online', online_link: 'https://meet.example.com/xyz' },
      datetime: { start: '2025-11-01T09:30:00-04:00', timezone: 'America/New_York' },
    });
    await publish(ctx.app, organizer.token, event.id);
    const { vevent } = parse((await icsGet(codeOf(event))).body);
    expect((vevent.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString()).toBe(
      '2025-11-01T13:30:00.000Z',
    );
    expect((vevent.getFirstPropertyValue('dtend') as ICAL.Time).toJSDate().toISOString()).toBe(
      '2025-11-01T14:30:00.000Z',
    );
    expect(vevent.getFirstPropertyValue('location')).toBe('https://meet.example.com/xyz');
    expect(vevent.getFirstPropertyValue('description')).toBe(
      'Chapter 3\n\nJoin online: https://meet.example.com/xyz',
    );
    expect(vevent.getFirstSubcomponent('valarm')!.getFirstPropertyValue('description')).toBe(
      'Event starts in 3 hours',
    );
  });
});
