import type { FormField } from '@eventmanager/domain/events/form-field';
import type { Participant } from '@eventmanager/domain/participants/participant.schema';

/** The laptop table's sortable columns; `custom:<field id>` are the answer columns the organizer picks. */
export type SortKey =
  | 'number'
  | 'name'
  | 'email'
  | 'phone'
  | 'status'
  | 'checkin'
  | 'registered'
  | `custom:${string}`;
export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

/** An answer as one cell's text: choices joined, a checkbox as yes/no, nothing as ''. */
export function answerText(value: unknown, yesNo: { yes: string; no: string }): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'boolean') return value ? yesNo.yes : yesNo.no;
  return String(value);
}

const STATUS_ORDER = ['pending', 'registered', 'waitlist', 'rejected', 'cancelled'];
const CHECKIN_ORDER = ['checked_in', 'not_checked_in', 'no_show'];
const AFTER_ANY_TIME = 1e15;

function sortValue(p: Participant, key: SortKey): string | number {
  switch (key) {
    case 'number':
      return p.registration.number;
    case 'name':
      return p.identity.name;
    case 'email':
      return p.identity.email;
    case 'phone':
      return p.identity.phone ?? '';
    case 'status':
      return STATUS_ORDER.indexOf(p.registration.status);
    case 'checkin':
      // Checked in first, by time; then the rest by state (after any time).
      return p.checkin.timestamp && p.checkin.status === 'checked_in'
        ? Date.parse(p.checkin.timestamp)
        : AFTER_ANY_TIME + CHECKIN_ORDER.indexOf(p.checkin.status);
    case 'registered':
      return Date.parse(p.registration.timestamp);
    default:
      return answerText(p.custom_responses[key.slice('custom:'.length)], { yes: '1', no: '0' });
  }
}

const collator = new Intl.Collator(['ko', 'en'], { numeric: true, sensitivity: 'base' });

/** A sorted copy; ties keep registration order, empty answers go last either way. */
export function sortParticipants(rows: readonly Participant[], sort: Sort): Participant[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return rows
    .map((p) => ({ p, v: sortValue(p, sort.key) }))
    .sort((a, b) => {
      if (a.v === '' && b.v !== '') return 1;
      if (b.v === '' && a.v !== '') return -1;
      const c =
        typeof a.v === 'number' && typeof b.v === 'number'
          ? a.v - b.v
          : collator.compare(String(a.v), String(b.v));
      return c !== 0 ? sign * c : a.p.registration.number - b.p.registration.number;
    })
    .map((x) => x.p);
}

/** Every field an answer column can show: the form's, then the retired ones (marked). */
export function answerColumns(
  fields: readonly FormField[],
  retired: readonly FormField[],
): { id: string; label: string; retired: boolean }[] {
  return [
    ...fields.map((f) => ({ id: f.id, label: f.label, retired: false })),
    ...retired.map((f) => ({ id: f.id, label: f.label, retired: true })),
  ];
}

const columnsKey = (eventId: string) => `em.participants.columns.${eventId}`;

/** The answer columns the organizer chose for this event on this browser. */
export function loadChosenColumns(eventId: string): string[] {
  try {
    const raw = JSON.parse(localStorage.getItem(columnsKey(eventId)) ?? '[]') as unknown;
    return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function saveChosenColumns(eventId: string, ids: string[]): void {
  try {
    localStorage.setItem(columnsKey(eventId), JSON.stringify(ids));
  } catch {
    // Storage unavailable: the choice lasts for this page only.
  }
}

/** "3. 1. 오전 9:05" / "3/1, 9:05 AM": a table cell's date and time in the event's timezone. */
export function shortDateTime(iso: string, lng: string, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat(lng, {
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(iso));
}
