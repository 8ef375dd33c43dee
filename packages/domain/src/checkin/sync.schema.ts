import { z } from 'zod';
import {
  checkinStatusSchema,
  participantSchema,
  registrationStatusSchema,
} from '../participants/participant.schema.ts';
import { checkinActionSchema, locationSchema } from './checkin-log.schema.ts';
import { PROTOCOL_VERSION } from './protocol.ts';

/** The server refuses larger batches with 413; clients send their outbox in chunks of this size. */
export const MAX_SYNC_BATCH = 1_000;

/**
 * A device timestamp: ISO 8601 with offset, or epoch milliseconds. Devices' clocks are not trusted:
 * the server corrects them by the measured offset and clamps absurd values (see `clamped`).
 */
export const deviceTimestampSchema = z.union([
  z.iso.datetime({ offset: true }),
  z.number().int().min(0).max(8_640_000_000_000_000),
]);
export type DeviceTimestamp = z.infer<typeof deviceTimestampSchema>;

export const syncMutationSchema = z.object({
  /** Client-generated id; the server applies a mutation id at most once per event. */
  id: z.uuid(),
  type: checkinActionSchema,
  participant_id: z.string().min(1).max(100),
  local_timestamp: deviceTimestampSchema,
  location: locationSchema.optional(),
});
export type SyncMutation = z.infer<typeof syncMutationSchema>;

/** POST /api/events/:id/sync. */
export const syncRequestSchema = z.object({
  device: z.object({ id: z.string().trim().min(1).max(100), name: z.string().trim().min(1).max(100) }),
  mutations: z.array(syncMutationSchema),
  /**
   * The device's clock when it sent the request. With it the server measures the clock offset as
   * (server receive time − sent_at), which includes one-way latency (tens of ms), far below the 5 s
   * contest window. Without it the offset of the previous sync of that device is used (0 at first).
   */
  sent_at: deviceTimestampSchema.optional(),
  /**
   * The protocol the device speaks (PROTOCOL_VERSION when it was built). Absent means the current
   * one; any other value is refused with 400 `unsupported_protocol_version`, never read as if current.
   */
  protocol_version: z.number().int().positive().optional(),
});
export type SyncRequest = z.infer<typeof syncRequestSchema>;

export { PROTOCOL_VERSION };

/**
 * One of a participant's check-in logs as far as the sync rule needs it: the log (mutation) id, the
 * action and its corrected action time (server clock, epoch ms).
 */
export const checkinLogStampSchema = z.object({
  id: z.string().min(1).max(100),
  action: checkinActionSchema,
  at: z.number(),
});
export type CheckinLogStamp = z.infer<typeof checkinLogStampSchema>;

/**
 * A participant's check-in state as every device should hold it after a sync. `logs` are the
 * deciding logs of the participant's logs (its last check-in and its last undo, in the rule's
 * order; see `decidingLogs`): the rule over them plus any further logs gives the same state as over
 * all the participant's logs plus those. A device folds its own not-yet-synced logs into them and
 * shows exactly what the server will decide once they arrive (a pending log older than the
 * server's newest can change the outcome, so the deciding log alone is not enough). Absent (older
 * servers): the device can only fold over the deciding check-in's `timestamp`.
 */
export const checkinStateSchema = z.object({
  participant_id: z.uuid(),
  status: checkinStatusSchema,
  timestamp: z.string().nullable(),
  checked_by: z.uuid().nullable(),
  device_id: z.string().nullable(),
  version: z.number().int(),
  logs: z.array(checkinLogStampSchema).optional(),
});
export type CheckinState = z.infer<typeof checkinStateSchema>;

export const syncResultSchema = z.object({
  id: z.string(),
  applied: z.boolean(),
  /** True when this mutation id was already applied earlier (a retry): answered, not re-applied. */
  duplicate: z.boolean(),
  /**
   * The participant's state after the batch; null when the mutation was rejected with `error`
   * (with `reason` the participant exists and this is its unchanged state).
   */
  state: checkinStateSchema.nullable(),
  /**
   * Why a known participant's mutation was refused and nothing was applied: `not_admitted` — the
   * registration is not `registered` (cancelled, rejected, pending, waitlist), so neither a
   * check-in nor an undo is taken. `registration_status` then says which.
   */
  reason: z.enum(['not_admitted']).optional(),
  registration_status: registrationStatusSchema.optional(),
  /** True when this action lost a < 5 s contest (the device also gets `sync_conflict`). */
  conflict: z.boolean().optional(),
  /** True when local_timestamp was absurdly far from server time and was clamped. */
  clamped: z.boolean().optional(),
  /** Why the mutation was rejected (only when applied and duplicate are both false). */
  error: z
    .object({ code: z.enum(['unknown_participant', 'invalid_mutation']), message: z.string() })
    .optional(),
});
export type SyncResult = z.infer<typeof syncResultSchema>;

export const syncResponseSchema = z.object({
  server_time: z.string(),
  results: z.array(syncResultSchema),
  /** The event's change cursor after this batch; pass it to GET /changes?since=. */
  cursor: z.number().int(),
  /** The device's measured clock offset in ms (server − device); add it to local times. */
  clock_offset_ms: z.number().int(),
});
export type SyncResponse = z.infer<typeof syncResponseSchema>;

/** POST /api/events/:id/participants/:pid/checkin (and DELETE for undo): one mutation, same path. */
export const singleCheckinBodySchema = z.object({
  mutation_id: z.uuid().optional(),
  device: z
    .object({ id: z.string().trim().min(1).max(100), name: z.string().trim().min(1).max(100) })
    .optional(),
  local_timestamp: deviceTimestampSchema.optional(),
});
export type SingleCheckinBody = z.infer<typeof singleCheckinBodySchema>;

export const changeKindSchema = z.enum(['registered', 'status_changed', 'updated', 'checkin', 'no_show']);
export type ChangeKind = z.infer<typeof changeKindSchema>;

/**
 * One entry of the event's change feed. Cursors are dense per event (1, 2, 3 …) and assigned in commit
 * order, so a client that sees cursor n+2 after n knows it missed one and catches up. Check-in changes
 * carry the check-in state; the others carry the whole participant (null when it no longer exists).
 */
export const participantChangeSchema = z.object({
  cursor: z.number().int(),
  kind: changeKindSchema,
  participant_id: z.uuid(),
  at: z.string(),
  checkin: checkinStateSchema,
  participant: participantSchema.nullable().optional(),
});
export type ParticipantChange = z.infer<typeof participantChangeSchema>;

export const changesQuerySchema = z.object({
  since: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(5_000).default(1_000),
});
export type ChangesQuery = z.infer<typeof changesQuerySchema>;

/** GET /api/events/:id/changes. With `since`: the changes after it; without: a full snapshot. */
export const changesResponseSchema = z.object({
  /** Store this; the next call passes it as `since`. */
  cursor: z.number().int(),
  /** More changes wait after `cursor`: call again at once. */
  has_more: z.boolean(),
  changes: z.array(participantChangeSchema),
  /** Only without `since`: every participant (the offline cache), consistent with `cursor`. */
  /**
   * Each with its `ticket_code`, so a device can resolve a scanned ticket QR with no network, and its
   * `checkin_logs` (see `checkinStateSchema.logs`), so a device folds its offline taps exactly.
   */
  snapshot: z
    .array(
      participantSchema.extend({
        ticket_code: z.string().optional(),
        checkin_logs: z.array(checkinLogStampSchema).optional(),
      }),
    )
    .optional(),
  server_time: z.string(),
});
export type ChangesResponse = z.infer<typeof changesResponseSchema>;

/** GET /api/events/:id/checkin-logs: recent activity (which device did what). */
export const checkinLogsQuerySchema = z.object({
  participant_id: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
