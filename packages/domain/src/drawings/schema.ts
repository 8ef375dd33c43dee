import { z } from 'zod';
import { languageSchema } from '../common/schema.ts';

/**
 * The seed's `PrizeDrawing` (data-flows §5) plus what makes a draw verifiable: the server commits to
 * a random seed (`seed_hash` = SHA-256 of the seed) before the winner is derived, and reveals the
 * seed with the result. `pool_hash` fingerprints the sorted registration numbers the winner was drawn
 * from. `status` records the redraw flow: a new draw discards the previous unconfirmed one.
 */
export const drawingPoolSchema = z.enum(['all', 'checked_in']);
export type DrawingPool = z.infer<typeof drawingPoolSchema>;

/** A filter value as a form answer can hold it: a choice label, or a checkbox's true/false. */
export const drawingFilterValueSchema = z.union([z.string().trim().min(1).max(500), z.boolean(), z.number()]);

export const drawingFilterSchema = z.object({
  field_id: z.string().trim().min(1).max(100),
  value: drawingFilterValueSchema,
});
export type DrawingFilter = z.infer<typeof drawingFilterSchema>;

export const drawingConfigSchema = z.object({
  participant_pool: drawingPoolSchema,
  exclude_previous_winners: z.boolean().default(false),
  filter: drawingFilterSchema.nullable().optional(),
});
export type DrawingConfig = z.infer<typeof drawingConfigSchema>;
export type DrawingConfigInput = z.input<typeof drawingConfigSchema>;

/** Hard ceiling on winners per draw. */
export const MAX_WINNERS_PER_DRAW = 100;

export const createDrawingBodySchema = z.object({
  config: drawingConfigSchema,
  /**
   * A commitment obtained earlier from POST …/drawings/commitments: the draw then uses the seed whose
   * hash was shown (e.g. on the projector) before anyone knew the pool. Without it the server makes a
   * fresh seed and commits to it in the same request.
   */
  commitment_id: z.uuid().optional(),
  /** What this draw gives away ("경품: 에어팟"), shown on the projector, the history and the verify page. */
  prize: z.string().trim().min(1).max(100).nullable().optional(),
  /**
   * How many winners this draw picks, all from the one committed seed (see the verifiable draw).
   * Defaults to 1; a pool smaller than this is refused (422 `pool_too_small`), never drawn short.
   */
  winner_count: z.number().int().min(1).max(MAX_WINNERS_PER_DRAW).optional(),
});
export type CreateDrawingBody = z.infer<typeof createDrawingBodySchema>;

export const drawingStatusSchema = z.enum(['drawn', 'confirmed', 'discarded']);
export type DrawingStatus = z.infer<typeof drawingStatusSchema>;

export const drawingWinnerSchema = z.object({
  participant_id: z.uuid(),
  /** The participant's name as registered — their nickname in an anonymous event; never the e-mail. */
  participant_name: z.string(),
  /** The name as the room and the public see it (박*호); the projector shows this by default. */
  participant_name_masked: z.string(),
  registration_number: z.number().int(),
});
export type DrawingWinner = z.infer<typeof drawingWinnerSchema>;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

export const prizeDrawingSchema = z.object({
  id: z.uuid(),
  event_id: z.uuid(),
  config: drawingConfigSchema,
  /** The first winner drawn (the only one when `winner_count` is 1). */
  winner: drawingWinnerSchema,
  /** Every winner in draw order; `winners[0]` is `winner`. */
  winners: z.array(drawingWinnerSchema).min(1),
  prize: z.string().nullable(),
  winner_count: z.number().int().positive(),
  drawn_by: z.uuid(),
  drawn_at: z.string(),
  confirmed: z.boolean(),
  confirmed_at: z.string().nullable(),
  announcement_shared: z.boolean(),
  status: drawingStatusSchema,
  seed_hash: hex64,
  /** Revealed with the result; anyone can recompute the winner from it and the pool. */
  seed: hex64,
  pool_hash: hex64,
  pool_size: z.number().int().positive(),
  verify_url: z.string(),
});
export type PrizeDrawing = z.infer<typeof prizeDrawingSchema>;

export const drawingHistorySchema = z.object({ items: z.array(prizeDrawingSchema) });
export type DrawingHistory = z.infer<typeof drawingHistorySchema>;

export const drawingCommitmentSchema = z.object({
  commitment_id: z.uuid(),
  event_id: z.uuid(),
  seed_hash: hex64,
  created_at: z.string(),
});
export type DrawingCommitment = z.infer<typeof drawingCommitmentSchema>;

/** The pool preview shown before drawing: how many people the current config would draw from. */
export const drawingPoolPreviewSchema = z.object({
  pool_size: z.number().int().nonnegative(),
  /** Why the pool is empty, when it is (same codes as the 422). */
  empty_reason: z.string().nullable(),
  /**
   * Who is in the pool, by registration number and masked name, so the projector's rolling
   * animation shows only people who can actually win. Only when asked for (`entries=true`).
   */
  entries: z
    .array(z.object({ registration_number: z.number().int(), participant_name_masked: z.string() }))
    .optional(),
});
export type DrawingPoolPreview = z.infer<typeof drawingPoolPreviewSchema>;

export const DRAW_ALGORITHM_ID = 'em-draw-v1';

export const drawingVerificationSchema = z.object({
  drawing_id: z.uuid(),
  event_id: z.uuid(),
  status: drawingStatusSchema,
  drawn_at: z.string(),
  algorithm: z.literal(DRAW_ALGORITHM_ID),
  algorithm_description: z.string(),
  seed: hex64,
  seed_hash: hex64,
  pool: z.array(z.number().int()),
  pool_hash: hex64,
  pool_size: z.number().int().positive(),
  /** Names are masked here (박*호): this page is public. */
  winner: z.object({ registration_number: z.number().int(), participant_name: z.string() }),
  winners: z.array(z.object({ registration_number: z.number().int(), participant_name: z.string() })).min(1),
  prize: z.string().nullable(),
  winner_count: z.number().int().positive(),
  event_name: z.string(),
  /** The page is shown in the event's language. */
  event_language: languageSchema,
  /** The server's own recomputation with the published domain function. */
  verified: z.boolean(),
});
export type DrawingVerification = z.infer<typeof drawingVerificationSchema>;

/** Payload of the `event_updated` message (bus channel `event:<eventId>`) when a winner is confirmed. */
export const drawingEventUpdatedSchema = z.object({
  type: z.literal('event_updated'),
  eventId: z.uuid(),
  changes: z.object({ drawing: prizeDrawingSchema }),
});
export type DrawingEventUpdated = z.infer<typeof drawingEventUpdatedSchema>;
