import { z } from 'zod';
import { emailSchema, languageSchema } from '../common/schema.ts';
import {
  participantNameSchema,
  participantSchema,
  phoneInputSchema,
} from '../participants/participant.schema.ts';
import { deviceTimestampSchema, syncResponseSchema } from './sync.schema.ts';

/**
 * POST /api/events/:id/walk-ins: staff at the door register someone standing in front of them and
 * check them in, in one step. The device chooses the participant id and the check-in's mutation id,
 * so the request can wait in its offline outbox and be sent again safely: a resend finds the
 * participant it created and the check-in applied before (at most once per mutation id).
 */
export const walkInRequestSchema = z.strictObject({
  participant_id: z.uuid(),
  mutation_id: z.uuid(),
  identity: z.strictObject({
    name: participantNameSchema,
    /** Optional at the door: without one the person simply gets no e-mail. */
    email: emailSchema.optional(),
    phone: phoneInputSchema.optional(),
  }),
  custom_responses: z.record(z.string().min(1).max(100), z.unknown()).default({}),
  language: languageSchema.optional(),
  device: z.object({ id: z.string().trim().min(1).max(100), name: z.string().trim().min(1).max(100) }),
  /** When the staff member pressed "register and check in" (device clock). */
  local_timestamp: deviceTimestampSchema,
  /** The device's clock when it sent the request (as for /sync). */
  sent_at: deviceTimestampSchema.optional(),
});
export type WalkInRequest = z.infer<typeof walkInRequestSchema>;
export type WalkInInput = z.input<typeof walkInRequestSchema>;

export const walkInResponseSchema = z.object({
  /** The participant, with its ticket code (for the device's offline cache). */
  participant: participantSchema.extend({ ticket_code: z.string() }),
  /** False when this participant id was registered by an earlier send of the same walk-in. */
  created: z.boolean(),
  /** The check-in, exactly as POST /sync answers it (one result). */
  sync: syncResponseSchema,
});
export type WalkInResponse = z.infer<typeof walkInResponseSchema>;
