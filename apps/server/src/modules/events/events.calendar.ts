import type { CalendarLinks, Event } from '@eventmanager/domain/events/schema';
import ical, { ICalAlarmType } from 'ical-generator';

/** What the calendar needs of an event (the public view carries all of it). */
export type CalendarSource = Pick<
  Event,
  'id' | 'name' | 'description' | 'language' | 'location' | 'datetime' | 'share_url'
>;

/** An event without an end is shown as one hour long, as calendar apps default to. */
const DEFAULT_DURATION_MS = 60 * 60 * 1000;
/** The seed's reminder: VALARM TRIGGER:-PT3H. */
const ALARM_SECONDS_BEFORE = 3 * 60 * 60;

const ALARM_TEXT = { ko: '이벤트 3시간 전 알림', en: 'Event starts in 3 hours' } as const;
const ONLINE_LABEL = { ko: '온라인 참여', en: 'Join online' } as const;

function endOf(event: CalendarSource): Date {
  return event.datetime.end
    ? new Date(event.datetime.end)
    : new Date(Date.parse(event.datetime.start) + DEFAULT_DURATION_MS);
}

/** LOCATION: the address where there is one, else the online link. */
function locationText(event: CalendarSource): string {
  return event.location.address ?? event.location.online_link ?? '';
}

/** DESCRIPTION: the description, plus the online link for online/hybrid events. */
function descriptionText(event: CalendarSource): string {
  const link = event.location.online_link;
  if (!link || event.location.type === 'physical') return event.description;
  const line = `${ONLINE_LABEL[event.language]}: ${link}`;
  return event.description ? `${event.description}\n\n${line}` : line;
}

/** The calendar file exactly as the seed shows it: UID <id>@<host>, UTC times, a 3-hour alarm. */
export function buildEventIcs(event: CalendarSource, publicBaseUrl: string, now: Date): string {
  const host = new URL(publicBaseUrl).host;
  const calendar = ical({ prodId: { company: 'eventManager', product: 'Event', language: 'EN' } });
  calendar.createEvent({
    id: `${event.id}@${host}`,
    stamp: now,
    start: new Date(event.datetime.start),
    end: endOf(event),
    summary: event.name,
    description: descriptionText(event),
    location: locationText(event),
    url: event.share_url,
    alarms: [
      { type: ICalAlarmType.display, trigger: ALARM_SECONDS_BEFORE, description: ALARM_TEXT[event.language] },
    ],
  });
  return calendar.toString();
}

/** 20251015T100000Z, the compact UTC form Google Calendar's template link wants. */
const compactUtc = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

export function icsUrlFor(publicBaseUrl: string, shareCode: string): string {
  return `${publicBaseUrl}/api/public/events/${encodeURIComponent(shareCode)}/calendar.ics`;
}

export function calendarLinks(
  event: CalendarSource,
  publicBaseUrl: string,
  shareCode: string,
): CalendarLinks {
  const ics = icsUrlFor(publicBaseUrl, shareCode);
  const start = new Date(event.datetime.start);
  const end = endOf(event);
  const details = descriptionText(event);
  const google = new URL('https://calendar.google.com/calendar/render');
  google.search = new URLSearchParams({
    action: 'TEMPLATE',
    text: event.name,
    dates: `${compactUtc(start)}/${compactUtc(end)}`,
    details: details ? `${details}\n\n${event.share_url}` : event.share_url,
    location: locationText(event),
    ctz: event.datetime.timezone,
  }).toString();
  const outlook = new URL('https://outlook.live.com/calendar/0/action/compose');
  outlook.search = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: event.name,
    startdt: start.toISOString(),
    enddt: end.toISOString(),
    body: details ? `${details}\n\n${event.share_url}` : event.share_url,
    location: locationText(event),
  }).toString();
  return {
    google: google.toString(),
    outlook: outlook.toString(),
    webcal: ics.replace(/^https?:\/\//, 'webcal://'),
    ics,
  };
}
