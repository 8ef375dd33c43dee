import { describe, expect, it } from 'vitest';
import {
  applyEventPatch,
  availabilityOf,
  createEventBodySchema,
  eventDefinitionSchema,
  patchEventBodySchema,
} from './schema.ts';

const base = {
  name: '북클럽',
  location: { type: 'physical', address: '홍대 북카페' },
  datetime: { start: '2025-10-15T19:00:00+09:00', end: '2025-10-15T21:00:00+09:00', timezone: 'Asia/Seoul' },
};
const paths = (input: unknown) => {
  const r = createEventBodySchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

describe('createEventBodySchema', () => {
  it('fills defaults', () => {
    expect(createEventBodySchema.parse(base)).toEqual({
      ...base,
      description: '',
      capacity: { waitlist_enabled: false },
      registration: { requires_approval: false, form_fields: [], phone: 'optional' },
      privacy: 'public',
      features: { checkin_enabled: true, prize_drawing_enabled: false, anonymous_mode: false },
    });
  });

  it('takes the built-in phone setting and the organizer contact, validated', () => {
    const parsed = createEventBodySchema.parse({
      ...base,
      registration: { phone: 'required' },
      contact: { email: 'host@example.com', phone: '010-2222-3333' },
    });
    expect(parsed.registration.phone).toBe('required');
    expect(parsed.contact).toEqual({ email: 'host@example.com', phone: '010-2222-3333' });
    expect(paths({ ...base, registration: { phone: 'sometimes' } })).toEqual(['registration.phone']);
    expect(paths({ ...base, contact: { email: 'not-an-address', phone: 'call me' } }).sort()).toEqual([
      'contact.email',
      'contact.phone',
    ]);
  });

  it('checks coordinates ranges, link, time order, zone, capacity and deadline', () => {
    expect(paths({ ...base, location: { ...base.location, coordinates: { lat: -90.1, lng: 0 } } })).toContain(
      'location.coordinates.lat',
    );
    expect(paths({ ...base, location: { ...base.location, coordinates: { lat: 0, lng: 180.1 } } })).toContain(
      'location.coordinates.lng',
    );
    expect(paths({ ...base, location: { ...base.location, coordinates: { lat: 90, lng: -180 } } })).toEqual(
      [],
    );
    expect(paths({ ...base, location: { type: 'online', online_link: 'ftp://x.example' } })).toContain(
      'location.online_link',
    );
    expect(paths({ ...base, location: { type: 'online', online_link: 'https://x.example/j' } })).toEqual([]);
    expect(paths({ ...base, datetime: { ...base.datetime, end: base.datetime.start } })).toContain(
      'datetime.end',
    );
    expect(paths({ ...base, datetime: { ...base.datetime, timezone: 'KST' } })).toContain(
      'datetime.timezone',
    );
    expect(paths({ ...base, capacity: { max_participants: 0 } })).toContain('capacity.max_participants');
    expect(paths({ ...base, capacity: { max_participants: null } })).toEqual([]);
    expect(
      paths({ ...base, registration: { deadline: '2025-10-15T21:00:01+09:00', requires_approval: false } }),
    ).toContain('registration.deadline');
  });
});

describe('applyEventPatch', () => {
  it('merges one level deep, replaces form fields whole, and leaves status out', () => {
    const current = eventDefinitionSchema.parse({
      ...base,
      capacity: { max_participants: 10, waitlist_enabled: true },
      registration: { form_fields: [{ id: 'a', type: 'text', label: 'A' }] },
    });
    const patch = patchEventBodySchema.parse({
      capacity: { max_participants: 20 },
      registration: { form_fields: [] },
      status: 'published',
    });
    const merged = eventDefinitionSchema.parse(applyEventPatch(current, patch));
    expect(merged.capacity).toEqual({ max_participants: 20, waitlist_enabled: true });
    expect(merged.registration.form_fields).toEqual([]);
    expect(merged).not.toHaveProperty('status');
    expect(merged.name).toBe('북클럽');
  });
});

describe('availabilityOf', () => {
  it('says seats left, full and waitlist open; unlimited capacity has no seat count', () => {
    expect(availabilityOf({ max_participants: null, waitlist_enabled: true }, 500)).toEqual({
      seats_left: null,
      is_full: false,
      waitlist_open: false,
    });
    expect(availabilityOf({ max_participants: 3, waitlist_enabled: true }, 1)).toEqual({
      seats_left: 2,
      is_full: false,
      waitlist_open: false,
    });
    expect(availabilityOf({ max_participants: 3, waitlist_enabled: true }, 4)).toEqual({
      seats_left: 0,
      is_full: true,
      waitlist_open: true,
    });
    expect(availabilityOf({ max_participants: 3, waitlist_enabled: false }, 3)).toEqual({
      seats_left: 0,
      is_full: true,
      waitlist_open: false,
    });
  });
});
