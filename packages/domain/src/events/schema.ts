import { z } from 'zod';
import { emailSchema, languageSchema, timeZoneSchema, webUrlSchema } from '../common/schema.ts';
import { formFieldSchema, formFieldsSchema } from './form-field.ts';
import { eventStatusSchema } from './status.ts';

/** An instant with an explicit offset ("2025-10-15T19:00:00+09:00" or "…Z"), as every API timestamp. */
const instantSchema = z.iso.datetime({ offset: true });

export const locationTypeSchema = z.enum(['physical', 'online', 'hybrid']);
export const privacySchema = z.enum(['public', 'private']);

export const coordinatesSchema = z.strictObject({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
});

export const locationInputSchema = z.strictObject({
  type: locationTypeSchema,
  address: z.string().trim().min(1).max(500).nullable().optional(),
  coordinates: coordinatesSchema.nullable().optional(),
  online_link: webUrlSchema.nullable().optional(),
});

export const datetimeInputSchema = z.strictObject({
  start: instantSchema,
  end: instantSchema.nullable().optional(),
  timezone: timeZoneSchema,
});

export const MAX_CAPACITY = 100_000;
export const capacityInputSchema = z.strictObject({
  /** null or absent = unlimited. */
  max_participants: z.number().int().min(1).max(MAX_CAPACITY).nullable().optional(),
  waitlist_enabled: z.boolean().default(false),
});

/**
 * The built-in phone field of the registration form: not asked, optional or required. Name and
 * e-mail are always asked and required; together they are the form's identity fields, so the
 * phone is never a custom question.
 */
export const phoneFieldSettingSchema = z.enum(['off', 'optional', 'required']);
export type PhoneFieldSetting = z.infer<typeof phoneFieldSettingSchema>;

export const registrationSettingsInputSchema = z.strictObject({
  deadline: instantSchema.nullable().optional(),
  requires_approval: z.boolean().default(false),
  form_fields: formFieldsSchema.default([]),
  phone: phoneFieldSettingSchema.default('optional'),
});

/** How participants reach the organizer (public page; the e-mail is the Reply-To of their e-mails). */
export const contactSchema = z.strictObject({
  email: emailSchema.nullable().optional(),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9][0-9 -]{5,22}$/, 'must be a phone number')
    .nullable()
    .optional(),
});
export type Contact = z.infer<typeof contactSchema>;

export const featuresSchema = z.strictObject({
  checkin_enabled: z.boolean(),
  prize_drawing_enabled: z.boolean(),
  anonymous_mode: z.boolean(),
});
export type EventFeatures = z.infer<typeof featuresSchema>;
export const DEFAULT_FEATURES: EventFeatures = {
  checkin_enabled: true,
  prize_drawing_enabled: false,
  anonymous_mode: false,
};

export const brandingSchema = z.strictObject({
  logo_url: webUrlSchema,
  primary_color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1a2b3c'),
  custom_domain: z
    .string()
    .toLowerCase()
    .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain name')
    .nullable()
    .optional(),
});
export type Branding = z.infer<typeof brandingSchema>;

const eventDefinitionObject = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(20_000).default(''),
  /** The event's language (public page, e-mails, calendar); defaults to the organizer's. */
  language: languageSchema.optional(),
  location: locationInputSchema,
  datetime: datetimeInputSchema,
  capacity: capacityInputSchema.default({ waitlist_enabled: false }),
  registration: registrationSettingsInputSchema.default({
    requires_approval: false,
    form_fields: [],
    phone: 'optional',
  }),
  privacy: privacySchema.default('public'),
  features: z
    .strictObject({
      checkin_enabled: z.boolean().default(DEFAULT_FEATURES.checkin_enabled),
      prize_drawing_enabled: z.boolean().default(DEFAULT_FEATURES.prize_drawing_enabled),
      anonymous_mode: z.boolean().default(DEFAULT_FEATURES.anonymous_mode),
    })
    .default(DEFAULT_FEATURES),
  branding: brandingSchema.nullable().optional(),
  contact: contactSchema.nullable().optional(),
});

/** Rules across fields, shared by create and by the merged result of a patch. */
function checkDefinition(d: z.infer<typeof eventDefinitionObject>, ctx: z.RefinementCtx): void {
  const { location } = d;
  if ((location.type === 'online' || location.type === 'hybrid') && !location.online_link) {
    ctx.addIssue({
      code: 'custom',
      path: ['location', 'online_link'],
      message: `a ${location.type} event needs an online link`,
    });
  }
  if ((location.type === 'physical' || location.type === 'hybrid') && !location.address) {
    ctx.addIssue({
      code: 'custom',
      path: ['location', 'address'],
      message: `a ${location.type} event needs an address`,
    });
  }
  const start = Date.parse(d.datetime.start);
  const end = d.datetime.end ? Date.parse(d.datetime.end) : undefined;
  if (end !== undefined && end <= start) {
    ctx.addIssue({ code: 'custom', path: ['datetime', 'end'], message: 'must be after the start' });
  }
  const deadline = d.registration.deadline ? Date.parse(d.registration.deadline) : undefined;
  if (deadline !== undefined && deadline > (end ?? start)) {
    ctx.addIssue({
      code: 'custom',
      path: ['registration', 'deadline'],
      message: 'must not be after the event ends',
    });
  }
}

/** POST /api/events body; also what a PATCH must add up to once merged onto the stored event. */
export const eventDefinitionSchema = eventDefinitionObject.superRefine(checkDefinition);
export const createEventBodySchema = eventDefinitionSchema;
export type CreateEventBody = z.input<typeof createEventBodySchema>;
export type EventDefinition = z.output<typeof eventDefinitionSchema>;

/**
 * PATCH /api/events/:id. Each section is merged one level deep onto the stored value (so
 * `{capacity: {max_participants: 50}}` keeps `waitlist_enabled`); `form_fields` and `coordinates`
 * are replaced whole; `null` clears an optional value. `status` moves through the state machine.
 */
export const patchEventBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(20_000).optional(),
  language: languageSchema.optional(),
  location: locationInputSchema.partial().optional(),
  datetime: datetimeInputSchema.partial().optional(),
  capacity: z
    .strictObject({
      max_participants: capacityInputSchema.shape.max_participants,
      waitlist_enabled: z.boolean().optional(),
    })
    .optional(),
  registration: z
    .strictObject({
      deadline: registrationSettingsInputSchema.shape.deadline,
      requires_approval: z.boolean().optional(),
      form_fields: formFieldsSchema.optional(),
      phone: phoneFieldSettingSchema.optional(),
    })
    .optional(),
  privacy: privacySchema.optional(),
  features: featuresSchema.partial().optional(),
  branding: brandingSchema.nullable().optional(),
  contact: contactSchema.nullable().optional(),
  status: eventStatusSchema.optional(),
});
export type PatchEventBody = z.infer<typeof patchEventBodySchema>;

/** Merges a patch (without its status) onto a definition; validate the result with eventDefinitionSchema. */
export function applyEventPatch(
  current: EventDefinition,
  patch: PatchEventBody,
): z.input<typeof eventDefinitionSchema> {
  const { status: _status, ...p } = patch;
  return {
    ...current,
    ...(p.name !== undefined ? { name: p.name } : {}),
    ...(p.description !== undefined ? { description: p.description } : {}),
    ...(p.language !== undefined ? { language: p.language } : {}),
    ...(p.privacy !== undefined ? { privacy: p.privacy } : {}),
    location: { ...current.location, ...p.location },
    datetime: { ...current.datetime, ...p.datetime },
    capacity: { ...current.capacity, ...p.capacity },
    registration: { ...current.registration, ...p.registration },
    features: { ...current.features, ...p.features },
    ...(p.branding !== undefined ? { branding: p.branding } : {}),
    ...(p.contact !== undefined ? { contact: p.contact } : {}),
  };
}

// ---- API output ----

export const eventSchema = z.object({
  id: z.uuid(),
  organizer_id: z.uuid(),
  name: z.string(),
  description: z.string(),
  language: languageSchema,
  location: z.object({
    type: locationTypeSchema,
    address: z.string().nullable(),
    coordinates: coordinatesSchema.nullable(),
    online_link: z.string().nullable(),
  }),
  datetime: z.object({ start: z.string(), end: z.string().nullable(), timezone: z.string() }),
  capacity: z.object({ max_participants: z.number().int().nullable(), waitlist_enabled: z.boolean() }),
  registration: z.object({
    deadline: z.string().nullable(),
    requires_approval: z.boolean(),
    form_fields: z.array(formFieldSchema),
    /** The built-in phone field: not asked, optional or required (name and e-mail always required). */
    phone: phoneFieldSettingSchema,
    /**
     * Fields removed from the form after people answered them: their answers stay stored under the
     * same id, and this keeps the label so organizer views and exports can still show them.
     */
    retired_form_fields: z.array(formFieldSchema),
  }),
  status: eventStatusSchema,
  privacy: privacySchema,
  features: featuresSchema,
  branding: brandingSchema.nullable(),
  contact: z.object({ email: z.string().nullable(), phone: z.string().nullable() }).nullable(),
  /** The cover image as the app serves it (resized server-side), or null. */
  cover_image: z.object({ url: z.string(), width: z.number().int(), height: z.number().int() }).nullable(),
  share_url: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Event = z.infer<typeof eventSchema>;

export const eventRoleSchema = z.enum(['organizer', 'staff']);
export type EventRole = z.infer<typeof eventRoleSchema>;

/** One row of the organizer's dashboard (GET /api/events). */
export const eventListItemSchema = eventSchema.extend({
  role: eventRoleSchema,
  participant_count: z.number().int(),
  checked_in_count: z.number().int(),
});
export type EventListItem = z.infer<typeof eventListItemSchema>;

export const calendarLinksSchema = z.object({
  google: z.string(),
  outlook: z.string(),
  webcal: z.string(),
  ics: z.string(),
});
export type CalendarLinks = z.infer<typeof calendarLinksSchema>;

/**
 * Seats as the public sees them now: `seats_left` is null when capacity is unlimited; `is_full` when
 * no seat is left; `waitlist_open` when full and a registration would go on the waitlist.
 */
export const availabilitySchema = z.object({
  seats_left: z.number().int().min(0).nullable(),
  is_full: z.boolean(),
  waitlist_open: z.boolean(),
});
export type Availability = z.infer<typeof availabilitySchema>;

/** Availability from the capacity settings and the number of people holding a seat. */
export function availabilityOf(
  capacity: { max_participants: number | null; waitlist_enabled: boolean },
  registered: number,
): Availability {
  const max = capacity.max_participants;
  if (max === null) return { seats_left: null, is_full: false, waitlist_open: false };
  const seatsLeft = Math.max(0, max - registered);
  return {
    seats_left: seatsLeft,
    is_full: seatsLeft === 0,
    waitlist_open: seatsLeft === 0 && capacity.waitlist_enabled,
  };
}

/** GET /api/public/events/:code — what anyone holding the link sees (no internal ids of people). */
export const publicEventSchema = eventSchema.omit({ organizer_id: true }).extend({
  registration: eventSchema.shape.registration.omit({ retired_form_fields: true }),
  /** The registration page names who receives the participant's data (PIPA). */
  organizer: z.object({ name: z.string(), organization: z.string().nullable() }),
  calendar_links: calendarLinksSchema,
  availability: availabilitySchema,
});
export type PublicEvent = z.infer<typeof publicEventSchema>;

export const staffRoleSchema = z.literal('staff');
export const inviteStaffBodySchema = z.strictObject({
  email: emailSchema,
  role: staffRoleSchema.default('staff'),
});
export type InviteStaffBody = z.infer<typeof inviteStaffBodySchema>;

export const staffMemberSchema = z.object({
  event_id: z.uuid(),
  user_id: z.uuid(),
  role: staffRoleSchema,
  email: z.string(),
  name: z.string(),
  invited_by: z.uuid().nullable(),
  created_at: z.string(),
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

export const staffInvitationStatusSchema = z.enum(['invited', 'accepted', 'revoked']);

/** POST /api/events/:id/staff answers with this: the invitation, not yet a staff membership. */
export const staffInvitationSchema = z.object({
  id: z.uuid(),
  event_id: z.uuid(),
  email: z.string(),
  role: staffRoleSchema,
  status: staffInvitationStatusSchema,
  invited_by: z.uuid().nullable(),
  created_at: z.string(),
  expires_at: z.string(),
  accepted_at: z.string().nullable(),
});
export type StaffInvitation = z.infer<typeof staffInvitationSchema>;

/** POST /api/invitations/:token/accept — the staff membership that now exists. */
export const invitationAcceptedSchema = z.object({
  event_id: z.uuid(),
  event_name: z.string(),
  staff: staffMemberSchema,
});
export type InvitationAccepted = z.infer<typeof invitationAcceptedSchema>;
