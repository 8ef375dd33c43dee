import { languageSchema } from '@eventmanager/domain/common/schema';
import { eventSchema } from '@eventmanager/domain/events/schema';
import type { MailType } from '@eventmanager/domain/notifications/schema';
import { z } from 'zod';

/**
 * What a job's `data` column holds, per e-mail type: everything its template needs, captured when the
 * job is created (as the seed's queue does), so the worker renders without reaching into other
 * modules and a deletion confirmation still renders after the participant is gone.
 */
const brandingSchema = z
  .object({
    logo_url: z.string().nullable(),
    primary_color: z.string().nullable(),
    organizer_name: z.string().nullable(),
  })
  .nullable();
export type MailBranding = z.infer<typeof brandingSchema>;

/** The event as the calendar and the templates need it (the fields of the public event view). */
export const mailEventSchema = eventSchema
  .pick({
    id: true,
    name: true,
    description: true,
    language: true,
    location: true,
    datetime: true,
    share_url: true,
  })
  // Absent in jobs queued before covers existed.
  .extend({ cover_image: eventSchema.shape.cover_image.optional() });
export type MailEvent = z.infer<typeof mailEventSchema>;

const base = z.object({
  language: languageSchema,
  recipient_name: z.string(),
  branding: brandingSchema,
});

export const participantMailSchema = base.extend({
  event: mailEventSchema,
  manage_url: z.string(),
  ticket_code: z.string().nullable(),
  registration_number: z.number().int().nullable(),
  registration_status: z.enum(['registered', 'waitlist', 'pending', 'cancelled', 'rejected']),
  /** Place in line (1 = next) while on the waitlist; absent in jobs queued before it existed. */
  waitlist_position: z.number().int().min(1).nullable().optional(),
  /** The organizer's contact e-mail: the Reply-To of the message. */
  reply_to: z.string().nullable().optional(),
  /** The organizer's contact phone, shown in the message. */
  contact_phone: z.string().nullable().optional(),
});
export type ParticipantMailData = z.infer<typeof participantMailSchema>;

/** A message the organizer wrote (subject and plain-text body), to one participant. */
export const messageMailSchema = base.extend({
  event: mailEventSchema,
  manage_url: z.string().nullable(),
  subject: z.string(),
  body: z.string(),
});
export type MessageMailData = z.infer<typeof messageMailSchema>;

export const deletionMailSchema = base.extend({
  event_name: z.string().nullable(),
  /** Deleted outright (before the event) or anonymised (after it, statistics kept). */
  mode: z.enum(['deleted', 'anonymised']),
});
export type DeletionMailData = z.infer<typeof deletionMailSchema>;

export const summaryStatsSchema = z.object({
  registered: z.number().int(),
  waitlist: z.number().int(),
  pending: z.number().int(),
  cancelled: z.number().int(),
  checked_in: z.number().int(),
  no_show: z.number().int(),
});
export type SummaryStats = z.infer<typeof summaryStatsSchema>;

export const summaryMailSchema = base.extend({
  event: mailEventSchema,
  stats: summaryStatsSchema,
  dashboard_url: z.string(),
});
export type SummaryMailData = z.infer<typeof summaryMailSchema>;

/** An account e-mail carrying a single-use link (verification, password reset). */
export const accountLinkMailSchema = base.extend({
  link: z.string(),
  expires_at: z.iso.datetime({ offset: true }),
  /** The recipient's time zone, for the expiry shown. */
  timezone: z.string(),
});
export type AccountLinkMailData = z.infer<typeof accountLinkMailSchema>;

/** A staff invitation: who invites to which event, and the acceptance link. */
export const staffInvitationMailSchema = accountLinkMailSchema.extend({
  event_name: z.string(),
  inviter_name: z.string(),
});
export type StaffInvitationMailData = z.infer<typeof staffInvitationMailSchema>;

/** A payment to the platform: the receipt, or a renewal that failed (with the next attempt or expiry). */
export const billingMailSchema = base.extend({
  order_name: z.string(),
  amount: z.number().int(),
  receipt_url: z.string().nullable(),
  paid_at: z.string(),
  failure_reason: z.string().nullable(),
  next_retry_at: z.string().nullable(),
  expired: z.boolean(),
  subscription_url: z.string(),
});
export type BillingMailData = z.infer<typeof billingMailSchema>;

/**
 * What a bulk send (reminders, thank-you) queues instead of the full data: the worker reads the
 * participant when it sends. Queueing 10,000 then costs one snapshot read and bulk inserts, the
 * per-participant reads are spread over the sending workers, and the mail carries the latest name,
 * ticket and schedule — or is cancelled if the seat was given up meanwhile.
 */
export const participantRefSchema = z.strictObject({ participant_ref: z.literal(true) });
export const PARTICIPANT_REF = { participant_ref: true } as const;

export interface MailDataByType {
  registration_confirmation: ParticipantMailData;
  waitlist_promotion: ParticipantMailData;
  registration_approved: ParticipantMailData;
  registration_rejected: ParticipantMailData;
  registration_cancelled: ParticipantMailData;
  registration_restored: ParticipantMailData;
  reminder_1d: ParticipantMailData;
  reminder_3h: ParticipantMailData;
  thank_you: ParticipantMailData;
  deletion_confirmation: DeletionMailData;
  organizer_summary: SummaryMailData;
  email_verification: AccountLinkMailData;
  password_reset: AccountLinkMailData;
  staff_invitation: StaffInvitationMailData;
  organizer_message: MessageMailData;
  billing_receipt: BillingMailData;
  billing_payment_failed: BillingMailData;
}

export const mailDataSchemas: { [K in MailType]: z.ZodType<MailDataByType[K]> } = {
  registration_confirmation: participantMailSchema,
  waitlist_promotion: participantMailSchema,
  registration_approved: participantMailSchema,
  registration_rejected: participantMailSchema,
  registration_cancelled: participantMailSchema,
  registration_restored: participantMailSchema,
  reminder_1d: participantMailSchema,
  reminder_3h: participantMailSchema,
  thank_you: participantMailSchema,
  deletion_confirmation: deletionMailSchema,
  organizer_summary: summaryMailSchema,
  email_verification: accountLinkMailSchema,
  password_reset: accountLinkMailSchema,
  staff_invitation: staffInvitationMailSchema,
  organizer_message: messageMailSchema,
  billing_receipt: billingMailSchema,
  billing_payment_failed: billingMailSchema,
};

/** A job's payload, typed by its e-mail type. */
export type MailPayload = { [K in MailType]: { type: K; data: MailDataByType[K] } }[MailType];

export function templateIdOf(type: MailType, language: 'ko' | 'en'): string {
  return `tmpl_${type}_${language}`;
}
