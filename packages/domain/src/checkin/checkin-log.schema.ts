import { z } from 'zod';

/** A check-in action as the seed names it. */
export const checkinActionSchema = z.enum(['check_in', 'undo_check_in']);
export type CheckinAction = z.infer<typeof checkinActionSchema>;

export const deviceSchema = z.object({
  /** The device's own stable id (generated once and kept in local storage). */
  id: z.string().trim().min(1).max(100),
  /** Human-readable, e.g. "김사라의 iPhone". */
  name: z.string().trim().min(1).max(100),
  /** The staff member or organizer who used the device. */
  user_id: z.uuid(),
});
export type Device = z.infer<typeof deviceSchema>;

export const syncMetadataSchema = z.object({
  /** The device's own clock when the action happened (ISO 8601). */
  local_timestamp: z.string(),
  /** When the server received the action (ISO 8601). */
  server_timestamp: z.string(),
  /** The participant's version after this log was applied. */
  version: z.number().int().nonnegative(),
  /** True when this log took part in a < 5 s contest between check-in and undo. */
  conflict_resolved: z.boolean(),
});
export type SyncMetadata = z.infer<typeof syncMetadataSchema>;

export const locationSchema = z.object({
  coordinates: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }),
  accuracy: z.number().nonnegative(),
});
export type CheckinLocation = z.infer<typeof locationSchema>;

/**
 * One check-in action, exactly as the seed's CheckInLog. `timestamp` is the ACTION time on the
 * server's clock: the device's local time corrected by that device's measured clock offset. It is the
 * key `resolveCheckinState` orders by; the raw device time stays in `sync_metadata.local_timestamp`.
 */
export const checkInLogSchema = z.object({
  id: z.uuid(),
  event_id: z.uuid(),
  participant_id: z.uuid(),
  action: checkinActionSchema,
  timestamp: z.string(),
  device: deviceSchema,
  sync_metadata: syncMetadataSchema,
  location: locationSchema.optional(),
});
export type CheckInLog = z.infer<typeof checkInLogSchema>;
