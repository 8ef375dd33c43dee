import { z } from 'zod';
import { checkinStatusSchema, participantSchema } from '../participants/participant.schema.ts';
import { checkinActionSchema } from './checkin-log.schema.ts';
import { PROTOCOL_VERSION } from './protocol.ts';
import { changeKindSchema, checkinLogStampSchema } from './sync.schema.ts';

/**
 * The /realtime WebSocket protocol: the seed's message names and camelCase keys (API.md "WebSocket").
 * Every message is a JSON object with a `type`.
 */
export { PROTOCOL_VERSION };

/** Close codes the server uses. */
export const WS_CLOSE = {
  /**
   * No valid `auth` within 5 s, a bad token, the session revoked (logout, refresh-token reuse,
   * password reset) or the access token expired without a fresh `auth`.
   */
  unauthorized: 4401,
  /** Two heartbeat intervals without a heartbeat. */
  heartbeatTimeout: 4408,
  /** Frame larger than the server accepts (ws closes with 1009 itself). */
  tooLarge: 1009,
} as const;

// Client → server

/**
 * First message of a socket; sent again with a fresh token (same user) before the previous one
 * expires, or the socket is closed with 4401 at its expiry.
 */
export const authMessageSchema = z.object({
  type: z.literal('auth'),
  token: z.string().min(1).max(4096),
  /** The id the device uses in /sync, so `sync_conflict` reaches it. */
  deviceId: z.string().min(1).max(100).optional(),
});
export const subscribeEventMessageSchema = z.object({
  type: z.literal('subscribe_event'),
  eventId: z.uuid(),
});
export const unsubscribeEventMessageSchema = z.object({
  type: z.literal('unsubscribe_event'),
  eventId: z.uuid(),
});
export const heartbeatMessageSchema = z.object({ type: z.literal('heartbeat'), timestamp: z.number() });

export const clientMessageSchema = z.discriminatedUnion('type', [
  authMessageSchema,
  subscribeEventMessageSchema,
  unsubscribeEventMessageSchema,
  heartbeatMessageSchema,
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

// Server → client

export const participantRegisteredMessageSchema = z.object({
  type: z.literal('participant_registered'),
  eventId: z.uuid(),
  participant: participantSchema,
  cursor: z.number().int().optional(),
});
export const checkinUpdatedMessageSchema = z.object({
  type: z.literal('checkin_updated'),
  eventId: z.uuid(),
  participantId: z.uuid(),
  status: checkinStatusSchema,
  version: z.number().int(),
  /** The event's change cursor of this change; a jump by more than one means messages were missed. */
  cursor: z.number().int(),
  timestamp: z.string().nullable().optional(),
  deviceId: z.string().nullable().optional(),
  /** The human name of the device that checked the person in ("입구 1 · 김사라"), when announced live. */
  deviceName: z.string().nullable().optional(),
  /**
   * What changed (the change feed's kind); absent means `checkin`. Every feed entry is announced
   * with one checkin_updated, so cursors arrive without gaps; for `registered`, `status_changed` and
   * `updated` the client fetches GET /changes?since= for the full participant.
   */
  kind: changeKindSchema.optional(),
  /** The deciding logs of the participant's logs (see `checkinStateSchema.logs`). */
  logs: z.array(checkinLogStampSchema).optional(),
});
export const eventUpdatedMessageSchema = z.object({
  type: z.literal('event_updated'),
  eventId: z.uuid(),
  changes: z.record(z.string(), z.unknown()),
});
export const conflictDetailsSchema = z.object({
  eventId: z.uuid(),
  participantId: z.uuid(),
  /** The action that was kept (from another device) and the one that lost (this device's). */
  winningAction: checkinActionSchema,
  losingAction: checkinActionSchema,
  winningDeviceId: z.string(),
  winningDeviceName: z.string(),
  losingMutationId: z.string(),
  status: checkinStatusSchema,
  version: z.number().int(),
  /** Human-readable, Korean and English. */
  reason: z.object({ ko: z.string(), en: z.string() }),
  /**
   * True when both actions came from this very device (a double tap: check-in, then undo within
   * 5 s): the check-in is kept, but no other device was involved and the notice must not say so.
   */
  sameDevice: z.boolean().optional(),
});
export type ConflictDetails = z.infer<typeof conflictDetailsSchema>;
export const syncConflictMessageSchema = z.object({
  type: z.literal('sync_conflict'),
  conflictId: z.uuid(),
  details: conflictDetailsSchema,
});
export const heartbeatAckMessageSchema = z.object({
  type: z.literal('heartbeat'),
  /** The client's timestamp echoed, so it can measure round trip and clock offset. */
  timestamp: z.number(),
  server_time: z.number(),
  /**
   * The current change cursor of every event this socket follows. A client whose own cursor is lower
   * missed a message (say, during a Redis restart) and catches up with GET /changes?since=.
   */
  cursors: z.record(z.string(), z.number().int()).optional(),
});
export const authOkMessageSchema = z.object({
  type: z.literal('auth_ok'),
  userId: z.uuid(),
  protocolVersion: z.number().int(),
  server_time: z.number(),
});
export const subscribedMessageSchema = z.object({
  type: z.literal('subscribed'),
  eventId: z.uuid(),
});
/**
 * Why the server stopped sending an event to this socket: the client asked, the user was removed
 * from the event's staff, or the event was deleted. Nothing of that event follows.
 */
export const unsubscribeReasonSchema = z.enum(['requested', 'staff_removed', 'event_deleted']);
export type UnsubscribeReason = z.infer<typeof unsubscribeReasonSchema>;
export const unsubscribedMessageSchema = z.object({
  type: z.literal('unsubscribed'),
  eventId: z.uuid(),
  reason: unsubscribeReasonSchema.optional(),
});
export const errorMessageSchema = z.object({
  type: z.literal('error'),
  code: z.enum(['invalid_message', 'not_authenticated', 'forbidden', 'unauthorized']),
  message: z.string(),
  eventId: z.uuid().optional(),
});

export const serverMessageSchema = z.discriminatedUnion('type', [
  participantRegisteredMessageSchema,
  checkinUpdatedMessageSchema,
  eventUpdatedMessageSchema,
  syncConflictMessageSchema,
  heartbeatAckMessageSchema,
  authOkMessageSchema,
  subscribedMessageSchema,
  unsubscribedMessageSchema,
  errorMessageSchema,
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type CheckinUpdatedMessage = z.infer<typeof checkinUpdatedMessageSchema>;
export type SyncConflictMessage = z.infer<typeof syncConflictMessageSchema>;

/** The seed's 30 s heartbeat; a socket silent for two intervals is closed. */
export const HEARTBEAT_INTERVAL_MS = 30_000;
export const AUTH_TIMEOUT_MS = 5_000;
