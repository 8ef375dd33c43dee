import { z } from 'zod';

/** Every e-mail the platform sends; the queue's `type` column. */
export const mailTypeSchema = z.enum([
  'registration_confirmation',
  'waitlist_promotion',
  'registration_approved',
  'registration_rejected',
  'registration_cancelled',
  'registration_restored',
  'reminder_1d',
  'reminder_3h',
  'thank_you',
  'deletion_confirmation',
  'organizer_summary',
  'email_verification',
  'password_reset',
  'staff_invitation',
  'organizer_message',
  'billing_receipt',
  'billing_payment_failed',
]);
export type MailType = z.infer<typeof mailTypeSchema>;

export const mailStatusSchema = z.enum(['pending', 'sending', 'sent', 'failed', 'cancelled']);
export type MailStatus = z.infer<typeof mailStatusSchema>;

const counts = z.object({
  /** Waiting to be sent, including jobs waiting for a retry. */
  queued: z.number().int(),
  sending: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
});
export type MailCounts = z.infer<typeof counts>;

/** GET /api/events/:id/emails/stats — progress of the event's e-mail, for the event page. */
export const emailStatsSchema = z.object({
  event_id: z.uuid(),
  totals: counts,
  by_type: z.array(counts.extend({ type: mailTypeSchema })),
  /** Bulk sends (reminders, thank-you): how far their expansion into the queue has come. */
  bulk_sends: z.array(
    z.object({
      kind: z.enum(['reminder_1d', 'reminder_3h', 'thank_you', 'organizer_summary']),
      status: z.enum(['pending', 'expanding', 'done', 'cancelled']),
      recipients: z.number().int(),
      chunks: z.number().int(),
      created_at: z.iso.datetime({ offset: true }),
    }),
  ),
});
export type EmailStats = z.infer<typeof emailStatsSchema>;

/** One queued e-mail as the organizer sees it (GET /api/events/:id/emails). */
export const emailJobSchema = z.object({
  id: z.uuid(),
  type: mailTypeSchema,
  recipient: z.string(),
  status: mailStatusSchema,
  retry_count: z.number().int(),
  scheduled_at: z.iso.datetime({ offset: true }),
  next_retry: z.iso.datetime({ offset: true }).nullable(),
  sent_at: z.iso.datetime({ offset: true }).nullable(),
  last_error: z.string().nullable(),
});
export type EmailJob = z.infer<typeof emailJobSchema>;

export const emailJobListQuerySchema = z.object({
  status: mailStatusSchema.optional(),
  type: mailTypeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const emailJobListSchema = z.object({ items: z.array(emailJobSchema) });
