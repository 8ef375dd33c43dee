import { z } from 'zod';
import { emailSchema, languageSchema } from '../common/schema.ts';
import { customResponsesSchema } from './custom-responses.ts';
import { normalizePhone } from './phone.ts';

export const registrationStatusSchema = z.enum([
  'registered',
  'waitlist',
  'pending',
  'cancelled',
  'rejected',
]);
export type RegistrationStatus = z.infer<typeof registrationStatusSchema>;

export const registrationSourceSchema = z.enum(['direct', 'referral', 'import']);
export type RegistrationSource = z.infer<typeof registrationSourceSchema>;

export const checkinStatusSchema = z.enum(['not_checked_in', 'checked_in', 'no_show']);
export type CheckinStatus = z.infer<typeof checkinStatusSchema>;

/** Wording versions of the consent texts the registration page shows; stored with each consent. */
export const PRIVACY_CONSENT_VERSION = 'privacy-2026-01';
export const MARKETING_CONSENT_VERSION = 'marketing-2026-01';

export const participantNameSchema = z.string().trim().min(1).max(100);

/** A phone as typed ("010-1234-5678", "01012345678", "+82 10 …"), normalised to one stored form. */
export const phoneInputSchema = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const phone = normalizePhone(value);
    if (!phone) {
      ctx.addIssue({ code: 'custom', message: 'must be a valid phone number' });
      return z.NEVER;
    }
    return phone;
  });

export const consentRecordSchema = z.object({ agreed_at: z.string(), version: z.string() });
export const consentsSchema = z.object({
  privacy: consentRecordSchema,
  /** Optional marketing consent, stored apart with its own time and wording version. */
  marketing: z
    .object({ agreed: z.boolean(), agreed_at: z.string(), version: z.string() })
    .nullable()
    .optional(),
});
export type Consents = z.infer<typeof consentsSchema>;

/** The seed's `Participant`, nested as there (snake_case); extended with approval and consents. */
export const participantSchema = z.object({
  id: z.uuid(),
  event_id: z.uuid(),
  identity: z.object({
    name: z.string(),
    email: z.string(),
    /** Masked ("010-****-5678") in organizer views unless revealed. */
    phone: z.string().nullable().optional(),
  }),
  custom_responses: customResponsesSchema,
  registration: z.object({
    number: z.number().int(),
    timestamp: z.string(),
    source: registrationSourceSchema,
    status: registrationStatusSchema,
    referral_code: z.string().nullable().optional(),
    added_by: z.uuid().nullable().optional(),
  }),
  checkin: z.object({
    status: checkinStatusSchema,
    timestamp: z.string().nullable().optional(),
    checked_by: z.uuid().nullable().optional(),
    device_id: z.string().nullable().optional(),
  }),
  consents: consentsSchema,
  language: languageSchema,
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Participant = z.infer<typeof participantSchema>;

export const identityInputSchema = z.strictObject({
  name: participantNameSchema,
  email: emailSchema,
  phone: phoneInputSchema.optional(),
});
export type IdentityInput = z.infer<typeof identityInputSchema>;

export const referralCodeSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\w.-]+$/, 'letters, digits, "_", "-" and "." only');

/** POST /api/public/events/:code/registrations. `privacy` must be literally true (400 otherwise). */
export const registrationInputSchema = z.strictObject({
  identity: identityInputSchema,
  custom_responses: z.record(z.string().min(1).max(100), z.unknown()).default({}),
  consents: z.strictObject({
    privacy: z.literal(true, { message: 'the personal data consent is required' }),
    marketing: z.boolean().optional(),
  }),
  language: languageSchema.optional(),
  referral_code: referralCodeSchema.optional(),
});
export type RegistrationInput = z.infer<typeof registrationInputSchema>;

export const registrationResultSchema = z.object({
  participant: participantSchema,
  ticket_code: z.string(),
  manage_url: z.string(),
  /** 1 for the first in line; null unless the registration is on the waitlist. */
  waitlist_position: z.number().int().min(1).nullable(),
});
export type RegistrationResult = z.infer<typeof registrationResultSchema>;

/** POST /api/events/:id/participants: the organizer adds someone; consent is collected offline. */
export const organizerAddInputSchema = z.strictObject({
  identity: identityInputSchema,
  custom_responses: z.record(z.string().min(1).max(100), z.unknown()).default({}),
  language: languageSchema.optional(),
  /** Organizer-added people skip approval unless set otherwise. */
  status: z.enum(['registered', 'pending']).optional(),
});
export type OrganizerAddInput = z.infer<typeof organizerAddInputSchema>;

/** PATCH /api/events/:id/participants/:pid: approve / reject, or edit identity and answers. */
export const participantPatchSchema = z.strictObject({
  /**
   * `registered` approves someone pending, promotes someone waitlisted (422 `event_full` when no
   * seat is free, unless `over_capacity`) or restores a cancellation (a free seat, else the
   * waitlist); `rejected` rejects.
   */
  status: z.enum(['registered', 'rejected']).optional(),
  /** The organizer's explicit override: promote or restore into a seat beyond capacity. */
  over_capacity: z.boolean().optional(),
  identity: z
    .strictObject({
      name: participantNameSchema.optional(),
      email: emailSchema.optional(),
      phone: phoneInputSchema.nullable().optional(),
    })
    .optional(),
  custom_responses: z.record(z.string().min(1).max(100), z.unknown()).optional(),
  language: languageSchema.optional(),
});
export type ParticipantPatch = z.infer<typeof participantPatchSchema>;

/** PATCH /api/public/manage/:token: a participant edits their own answers (not their e-mail). */
export const selfServicePatchSchema = z.strictObject({
  identity: z
    .strictObject({ name: participantNameSchema.optional(), phone: phoneInputSchema.nullable().optional() })
    .optional(),
  custom_responses: z.record(z.string().min(1).max(100), z.unknown()).optional(),
  language: languageSchema.optional(),
  consents: z.strictObject({ marketing: z.boolean() }).optional(),
});
export type SelfServicePatch = z.infer<typeof selfServicePatchSchema>;

export const participantListQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  status: registrationStatusSchema.optional(),
  checkin: checkinStatusSchema.optional(),
  /** An organizer tag (organizer only): participants carrying it. */
  tag: z.string().trim().min(1).max(30).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  reveal: z.literal('phone').optional(),
});
export type ParticipantListQuery = z.infer<typeof participantListQuerySchema>;

export const participantListSchema = z.object({
  items: z.array(participantSchema),
  next_cursor: z.string().nullable(),
});
export type ParticipantList = z.infer<typeof participantListSchema>;

export const importRowResultSchema = z.object({
  row: z.number().int(),
  outcome: z.enum(['created', 'duplicate', 'invalid', 'refused']),
  participant_id: z.uuid().optional(),
  registration_number: z.number().int().optional(),
  status: registrationStatusSchema.optional(),
  reason: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ImportRowResult = z.infer<typeof importRowResultSchema>;

export const importResultSchema = z.object({
  created: z.number().int(),
  duplicates: z.number().int(),
  invalid: z.number().int(),
  refused: z.number().int(),
  rows: z.array(importRowResultSchema),
});
export type ImportResult = z.infer<typeof importResultSchema>;
