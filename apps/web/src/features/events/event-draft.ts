import type { FormField } from '@eventmanager/domain/events/form-field';
import {
  type CreateEventBody,
  createEventBodySchema,
  type Event,
  type PatchEventBody,
  type PhoneFieldSetting,
} from '@eventmanager/domain/events/schema';
import type { TFunction } from 'i18next';
import { isoToZonedLocal, zonedLocalToIso } from '../../i18n/format.ts';
import { zodFieldErrors } from '../../ui/zod-errors.ts';

/**
 * What the editor's inputs hold: strings as typed, local wall-clock times in the event's zone.
 * `toBody` turns it into the API body; the domain schema (the server's own) validates that body.
 */
export interface EventDraft {
  name: string;
  description: string;
  language: 'ko' | 'en';
  locationType: 'physical' | 'online' | 'hybrid';
  address: string;
  onlineLink: string;
  timezone: string;
  start: string;
  end: string;
  maxParticipants: string;
  waitlistEnabled: boolean;
  deadline: string;
  requiresApproval: boolean;
  formFields: FormField[];
  /** The built-in phone field of the registration form. */
  phoneField: PhoneFieldSetting;
  contactEmail: string;
  contactPhone: string;
  privacy: 'public' | 'private';
  checkinEnabled: boolean;
  prizeDrawingEnabled: boolean;
  anonymousMode: boolean;
  brandingEnabled: boolean;
  logoUrl: string;
  primaryColor: string;
}

export function emptyDraft(language: 'ko' | 'en', timezone: string): EventDraft {
  return {
    name: '',
    description: '',
    language,
    locationType: 'physical',
    address: '',
    onlineLink: '',
    timezone,
    start: '',
    end: '',
    maxParticipants: '',
    waitlistEnabled: false,
    deadline: '',
    requiresApproval: false,
    formFields: [],
    phoneField: 'optional',
    contactEmail: '',
    contactPhone: '',
    privacy: 'public',
    checkinEnabled: true,
    prizeDrawingEnabled: false,
    anonymousMode: false,
    brandingEnabled: false,
    logoUrl: '',
    primaryColor: '#1b64da',
  };
}

export function draftFromEvent(e: Event): EventDraft {
  const tz = e.datetime.timezone;
  return {
    name: e.name,
    description: e.description,
    language: e.language,
    locationType: e.location.type,
    address: e.location.address ?? '',
    onlineLink: e.location.online_link ?? '',
    timezone: tz,
    start: isoToZonedLocal(e.datetime.start, tz),
    end: e.datetime.end ? isoToZonedLocal(e.datetime.end, tz) : '',
    maxParticipants: e.capacity.max_participants ? String(e.capacity.max_participants) : '',
    waitlistEnabled: e.capacity.waitlist_enabled,
    deadline: e.registration.deadline ? isoToZonedLocal(e.registration.deadline, tz) : '',
    requiresApproval: e.registration.requires_approval,
    formFields: e.registration.form_fields,
    phoneField: e.registration.phone,
    contactEmail: e.contact?.email ?? '',
    contactPhone: e.contact?.phone ?? '',
    privacy: e.privacy,
    checkinEnabled: e.features.checkin_enabled,
    prizeDrawingEnabled: e.features.prize_drawing_enabled,
    anonymousMode: e.features.anonymous_mode,
    brandingEnabled: Boolean(e.branding),
    logoUrl: e.branding?.logo_url ?? '',
    primaryColor: e.branding?.primary_color ?? '#1b64da',
  };
}

const needsAddress = (t: EventDraft['locationType']) => t === 'physical' || t === 'hybrid';
const needsLink = (t: EventDraft['locationType']) => t === 'online' || t === 'hybrid';

/** The POST body. Empty optional inputs become null/absent; invalid numbers stay as-is for zod to reject. */
export function toBody(d: EventDraft): CreateEventBody {
  const max = d.maxParticipants.trim();
  return {
    name: d.name,
    description: d.description,
    language: d.language,
    location: {
      type: d.locationType,
      address: needsAddress(d.locationType) && d.address.trim() ? d.address.trim() : null,
      online_link: needsLink(d.locationType) && d.onlineLink.trim() ? d.onlineLink.trim() : null,
    },
    datetime: {
      start: d.start ? zonedLocalToIso(d.start, d.timezone) : '',
      end: d.end ? zonedLocalToIso(d.end, d.timezone) : null,
      timezone: d.timezone,
    },
    capacity: { max_participants: max ? Number(max) : null, waitlist_enabled: d.waitlistEnabled },
    registration: {
      deadline: d.deadline ? zonedLocalToIso(d.deadline, d.timezone) : null,
      requires_approval: d.requiresApproval,
      form_fields: d.formFields,
      phone: d.phoneField,
    },
    contact:
      d.contactEmail.trim() || d.contactPhone.trim()
        ? { email: d.contactEmail.trim() || null, phone: d.contactPhone.trim() || null }
        : null,
    privacy: d.privacy,
    features: {
      checkin_enabled: d.checkinEnabled,
      prize_drawing_enabled: d.prizeDrawingEnabled,
      anonymous_mode: d.anonymousMode,
    },
    branding: d.brandingEnabled ? { logo_url: d.logoUrl.trim(), primary_color: d.primaryColor } : null,
  };
}

/** PATCH body for an existing event: every section sent whole (the server merges one level deep). */
export function toPatch(d: EventDraft, includeBranding: boolean): PatchEventBody {
  const { branding, ...rest } = toBody(d);
  const body = { ...rest, datetime: rest.datetime } as PatchEventBody;
  if (includeBranding) body.branding = branding ?? null;
  return body;
}

/**
 * Validates with the server's schema; returns errors keyed by body path ("datetime.start",
 * "registration.form_fields.0.label") — the same keys server problem+json errors map to.
 */
export function validateDraft(
  d: EventDraft,
  t: TFunction,
): { ok: true; body: CreateEventBody } | { ok: false; errors: Record<string, string> } {
  const body = toBody(d);
  const parsed = createEventBodySchema.safeParse(body);
  if (parsed.success) return { ok: true, body };
  const errors = zodFieldErrors(parsed.error, t);
  // Cross-field rules have custom messages; give them the UI language too.
  if (errors['datetime.end'] && body.datetime.end)
    errors['datetime.end'] = t('events:editor.errors.endBeforeStart');
  if (errors['registration.deadline'] && body.registration?.deadline) {
    errors['registration.deadline'] = t('events:editor.errors.deadlineAfterEnd');
  }
  if (!body.datetime.start) errors['datetime.start'] = t('common:validation.required');
  if (errors['location.address']) errors['location.address'] = t('common:validation.required');
  if (errors['location.online_link'] && !body.location.online_link) {
    errors['location.online_link'] = t('common:validation.required');
  }
  for (const [key] of Object.entries(errors)) {
    if (/^registration\.form_fields\.\d+\.options/.test(key)) {
      errors[key] = t('events:builder.optionsError');
    }
  }
  return { ok: false, errors };
}

/** Builder errors are keyed "<index>.<prop>" relative to the form_fields list. */
export function builderErrors(errors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(errors)) {
    const m = /^registration\.form_fields\.(.+)$/.exec(k);
    if (m?.[1]) out[m[1]] = v;
  }
  return out;
}
