import { createEventBodySchema } from '@eventmanager/domain/events/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import i18n from '../../i18n/index.ts';
import { builderErrors, draftFromEvent, emptyDraft, toBody, validateDraft } from './event-draft.ts';

const t = i18n.t.bind(i18n);

function validDraft() {
  return {
    ...emptyDraft('ko', 'Asia/Seoul'),
    name: '판교 밋업',
    start: '2030-03-20T19:00',
    end: '2030-03-20T21:00',
    address: '판교역로 166',
  };
}

beforeAll(async () => {
  await i18n.changeLanguage('en');
});

describe('event editor validation (the server schema, client side)', () => {
  it('accepts a complete draft and converts local times in the event zone', () => {
    const result = validateDraft(validDraft(), t);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.body.datetime.start).toBe('2030-03-20T19:00:00+09:00');
    expect(result.body.datetime.end).toBe('2030-03-20T21:00:00+09:00');
    expect(result.body.capacity?.max_participants).toBeNull();
    expect(createEventBodySchema.safeParse(result.body).success).toBe(true);
  });

  it('uses the zone offset in force at that date (daylight saving)', () => {
    const draft = { ...validDraft(), timezone: 'America/New_York', start: '2030-07-01T10:00', end: '' };
    expect(toBody(draft).datetime.start).toBe('2030-07-01T10:00:00-04:00');
    expect(toBody({ ...draft, start: '2030-01-15T10:00' }).datetime.start).toBe('2030-01-15T10:00:00-05:00');
  });

  it('reports required fields, end before start and location rules by body path', () => {
    const empty = validateDraft(emptyDraft('en', 'Asia/Seoul'), t);
    expect(empty.ok).toBe(false);
    if (empty.ok) return;
    expect(empty.errors.name).toBe('This field is required.');
    expect(empty.errors['datetime.start']).toBe('This field is required.');
    expect(empty.errors['location.address']).toBe('This field is required.');

    const backwards = validateDraft({ ...validDraft(), end: '2030-03-20T18:00' }, t);
    expect(backwards.ok).toBe(false);
    if (!backwards.ok) expect(backwards.errors['datetime.end']).toBe('The end must be after the start.');

    const online = validateDraft({ ...validDraft(), locationType: 'online', onlineLink: '' }, t);
    expect(online.ok).toBe(false);
    if (!online.ok) {
      expect(online.errors['location.online_link']).toBe('This field is required.');
      expect(online.errors['location.address']).toBeUndefined();
    }
  });

  it('rejects bad capacity and maps form field errors to the builder', () => {
    const draft = {
      ...validDraft(),
      maxParticipants: '0',
      formFields: [
        { id: 'q1', type: 'text' as const, label: '', required: false },
        { id: 'q2', type: 'single_choice' as const, label: 'Pick', required: false, options: ['a', 'a'] },
      ],
    };
    const result = validateDraft(draft, t);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors['capacity.max_participants']).toBeDefined();
    const forBuilder = builderErrors(result.errors);
    expect(forBuilder['0.label']).toBe('This field is required.');
    expect(forBuilder['1.options']).toBe('Enter at least one option, each different.');
  });

  it('round-trips an event through the draft', () => {
    const body = toBody({ ...validDraft(), maxParticipants: '50', waitlistEnabled: true });
    const event = {
      id: '00000000-0000-4000-8000-000000000001',
      organizer_id: '00000000-0000-4000-8000-000000000002',
      name: body.name,
      description: body.description ?? '',
      language: 'ko' as const,
      location: { type: 'physical' as const, address: '판교역로 166', coordinates: null, online_link: null },
      datetime: {
        start: '2030-03-20T10:00:00.000Z',
        end: '2030-03-20T12:00:00.000Z',
        timezone: 'Asia/Seoul',
      },
      capacity: { max_participants: 50, waitlist_enabled: true },
      registration: {
        deadline: null,
        requires_approval: false,
        form_fields: [],
        phone: 'optional' as const,
        retired_form_fields: [],
      },
      status: 'draft' as const,
      privacy: 'public' as const,
      features: { checkin_enabled: true, prize_drawing_enabled: false, anonymous_mode: false },
      branding: null,
      contact: null,
      cover_image: null,
      share_url: 'http://x/e/abc',
      created_at: '',
      updated_at: '',
    };
    const draft = draftFromEvent(event);
    expect(draft.start).toBe('2030-03-20T19:00');
    expect(draft.end).toBe('2030-03-20T21:00');
    expect(draft.maxParticipants).toBe('50');
    expect(toBody(draft).datetime.start).toBe('2030-03-20T19:00:00+09:00');
  });
});
