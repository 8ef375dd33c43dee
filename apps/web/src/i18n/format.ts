/**
 * Dates, times and numbers in the UI language and the EVENT's timezone (not the viewer's): an event
 * in Seoul starts at 19:00 Seoul time wherever the organizer opens the dashboard.
 */
export function formatEventDateTime(iso: string, timeZone: string, lng: string): string {
  return new Intl.DateTimeFormat(lng, {
    month: 'long',
    day: 'numeric',
    weekday: 'short',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
  }).format(new Date(iso));
}

export function formatEventDate(iso: string, timeZone: string, lng: string): string {
  return new Intl.DateTimeFormat(lng, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    weekday: 'short',
    timeZone,
  }).format(new Date(iso));
}

export function formatTime(iso: string, timeZone: string, lng: string): string {
  return new Intl.DateTimeFormat(lng, { hour: 'numeric', minute: '2-digit', timeZone }).format(new Date(iso));
}

/** "19:00 – 21:00" on one day, or two full date-times when the event spans days. */
export function formatEventRange(start: string, end: string | null, timeZone: string, lng: string): string {
  if (!end) return formatEventDateTime(start, timeZone, lng);
  const sameDay = formatEventDate(start, timeZone, lng) === formatEventDate(end, timeZone, lng);
  return sameDay
    ? `${formatEventDateTime(start, timeZone, lng)} – ${formatTime(end, timeZone, lng)}`
    : `${formatEventDateTime(start, timeZone, lng)} – ${formatEventDateTime(end, timeZone, lng)}`;
}

/** The zone's short name ("KST", "GMT+9") when it differs from the viewer's, else null. */
export function zoneLabelIfDifferent(timeZone: string, lng: string, at = new Date()): string | null {
  const viewer = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (viewer === timeZone) return null;
  const part = new Intl.DateTimeFormat(lng, { timeZone, timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part ? `${part.value} (${timeZone})` : timeZone;
}

export function formatNumber(n: number, lng: string): string {
  return new Intl.NumberFormat(lng).format(n);
}

/** "2026-11-25T19:00" in the given zone → an ISO instant with that zone's offset at that time. */
export function zonedLocalToIso(local: string, timeZone: string): string {
  const [datePart, timePart = '00:00'] = local.split('T');
  const [y, m, d] = (datePart ?? '').split('-').map(Number);
  const [hh, mm] = timePart.split(':').map(Number);
  const asUtc = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, hh ?? 0, mm ?? 0);
  // Two passes settle DST edges: guess the offset at the UTC reading, then at the corrected instant.
  let offset = offsetMinutes(new Date(asUtc), timeZone);
  offset = offsetMinutes(new Date(asUtc - offset * 60_000), timeZone);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  const localIso = `${datePart}T${pad(hh ?? 0)}:${pad(mm ?? 0)}:00`;
  return `${localIso}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** An ISO instant → "YYYY-MM-DDTHH:mm" wall-clock time in the zone (for datetime-local inputs). */
export function isoToZonedLocal(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

function offsetMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}
