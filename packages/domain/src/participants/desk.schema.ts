import { z } from 'zod';
import { mailStatusSchema, mailTypeSchema } from '../notifications/schema.ts';
import { checkinStatusSchema, participantSchema, registrationStatusSchema } from './participant.schema.ts';

/**
 * The organizer's desk on the participants page: one participant's full record, organizer notes and
 * tags, actions on a selection, and a message to many participants.
 */

export const tagSchema = z.string().trim().min(1).max(30);

/** PUT /api/events/:id/participants/:pid/annotation (organizer only). */
export const annotationInputSchema = z.strictObject({
  note: z.string().max(5000),
  tags: z.array(tagSchema).max(20),
});
export type AnnotationInput = z.infer<typeof annotationInputSchema>;

export const annotationSchema = z.object({
  note: z.string(),
  tags: z.array(z.string()),
  updated_at: z.iso.datetime({ offset: true }).nullable(),
});
export type Annotation = z.infer<typeof annotationSchema>;

/** GET /api/events/:id/participants/annotations: the tags of every annotated participant (organizer). */
export const annotationListSchema = z.object({
  items: z.array(z.object({ participant_id: z.uuid(), tags: z.array(z.string()), has_note: z.boolean() })),
});
export type AnnotationList = z.infer<typeof annotationListSchema>;

export const statusChangeReasonSchema = z.enum(['approved', 'rejected', 'cancelled', 'promoted', 'restored']);

export const participantDetailSchema = z.object({
  participant: participantSchema,
  /** Organizer only (null for staff). */
  annotation: annotationSchema.nullable(),
  /** Oldest first; the first entry is the registration with the status it was given. */
  status_history: z.array(
    z.object({
      from: registrationStatusSchema.nullable(),
      to: registrationStatusSchema,
      reason: z.string(),
      at: z.iso.datetime({ offset: true }),
    }),
  ),
  /** Every check-in and undo, newest first, with the device that did it. */
  checkin_history: z.array(
    z.object({
      id: z.string(),
      action: z.enum(['check_in', 'undo_check_in']),
      at: z.iso.datetime({ offset: true }),
      device_id: z.string(),
      device_name: z.string(),
      user_id: z.string().nullable(),
      conflict_resolved: z.boolean(),
    }),
  ),
  /** E-mails to the participant, newest first (organizer only; null for staff). */
  emails: z
    .array(
      z.object({
        id: z.string(),
        type: mailTypeSchema,
        status: mailStatusSchema,
        subject: z.string().nullable(),
        scheduled_at: z.iso.datetime({ offset: true }),
        sent_at: z.iso.datetime({ offset: true }).nullable(),
        last_error: z.string().nullable(),
      }),
    )
    .nullable(),
});
export type ParticipantDetail = z.infer<typeof participantDetailSchema>;

export const bulkActionSchema = z.enum(['approve', 'reject', 'promote', 'cancel', 'resend_confirmation']);
export type BulkAction = z.infer<typeof bulkActionSchema>;

/** POST /api/events/:id/participants/bulk: the same action on each id, each on its own. */
export const bulkActionInputSchema = z.strictObject({
  ids: z.array(z.uuid()).min(1).max(1000),
  action: bulkActionSchema,
});
export type BulkActionInput = z.infer<typeof bulkActionInputSchema>;

export const bulkActionResultSchema = z.object({
  succeeded: z.number().int(),
  failed: z.number().int(),
  results: z.array(
    z.object({
      id: z.string(),
      ok: z.boolean(),
      /** The problem code when refused (`event_full`, `invalid_transition`, `not_found` …). */
      code: z.string().optional(),
      status: registrationStatusSchema.optional(),
    }),
  ),
});
export type BulkActionResult = z.infer<typeof bulkActionResultSchema>;

/** Whom a message goes to: chosen people, or everyone matching the filters (cancelled/rejected never). */
export const messageAudienceSchema = z.union([
  z.strictObject({ ids: z.array(z.uuid()).min(1).max(10000) }),
  z.strictObject({
    status: registrationStatusSchema.optional(),
    checkin: checkinStatusSchema.optional(),
    tag: tagSchema.optional(),
  }),
]);
export type MessageAudience = z.infer<typeof messageAudienceSchema>;

/** POST /api/events/:id/messages: an e-mail the organizer writes to all or some participants. */
export const messageInputSchema = z.strictObject({
  subject: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(10000),
  audience: messageAudienceSchema,
  /** Count the recipients only; nothing is queued. */
  dry_run: z.boolean().default(false),
  /** Chosen by the client: sending the same message id again queues nothing new. */
  message_id: z.uuid(),
});
export type MessageInput = z.input<typeof messageInputSchema>;

export const messageResultSchema = z.object({ recipients: z.number().int(), queued: z.number().int() });
export type MessageResult = z.infer<typeof messageResultSchema>;
