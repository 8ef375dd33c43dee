import type { FormField } from '@eventmanager/domain/events/form-field';

/**
 * Records the device keeps per event. They are the web app's own storage shapes (camelCase, flat,
 * indexable); the wire shapes live in the domain package and are mapped in `wire-mapping.ts`.
 */
export type CheckinAction = 'check_in' | 'undo_check_in';
export type CheckinStatus = 'not_checked_in' | 'checked_in' | 'no_show';

/** The participant as the offline cache holds it: what the door screen searches and shows. */
export type ParticipantRecord = {
  id: string;
  eventId: string;
  name: string;
  email: string;
  phone: string | null;
  registrationNumber: number;
  registrationStatus: string;
  ticketCode: string | null;
  /** The check-in state as the server last reported it (snapshot, /changes, /sync, live messages). */
  checkin: ServerCheckinState;
  /** The participant's version; a state with a lower version than the stored one is stale. */
  version: number;
};

export type ServerCheckinState = {
  status: CheckinStatus;
  /** Action time of the log that decided the state (server clock), when there is one. */
  timestamp: string | null;
  deviceId: string | null;
  /**
   * The deciding logs of the participant's logs on the server (its last check-in and last undo:
   * id, action, corrected action time in ms), so this device folds its pending logs exactly as the
   * server will. Absent when the server sent none.
   */
  logs?: { id: string; action: CheckinAction; at: number }[];
};

/** One check-in action taken on this device. */
export type CheckinLogRecord = {
  /** The mutation id (client generated); the server keeps it as the log id. */
  id: string;
  eventId: string;
  participantId: string;
  action: CheckinAction;
  /** Action time in ms since epoch: device time corrected by the device's clock offset to the server. */
  timestamp: number;
  /** The device's own clock at the moment of the tap, kept for the server's audit trail. */
  localTimestamp: number;
  deviceId: string;
  deviceName: string;
  /** True once the server answered for it: from then on the server state includes it. */
  synced: boolean;
};

/**
 * A walk-in waiting to be sent: the person registered at the door, under the id this device chose,
 * and checked in by the entry's mutation id (POST /walk-ins).
 */
export type WalkInPayload = {
  identity: { name: string; email?: string; phone?: string };
  custom_responses: Record<string, unknown>;
};

/**
 * `sync_queue` entries, `eventId` added so each event's outbox is read alone. A `walk_in` entry
 * carries the registration too; it is sent on its own, in queue order with the check-ins.
 */
export type SyncQueueEntry = {
  id: string;
  eventId: string;
  type: CheckinAction | 'walk_in';
  payload: { participant_id: string; local_timestamp: string };
  walkIn?: WalkInPayload;
  retry_count: number;
  created_at: number;
};

export type EventMeta = {
  eventId: string;
  /** The event's registration form (for walk-ins at the door), kept for offline use. */
  formFields?: FormField[];
  /** The event's dense change cursor (see the domain `participantChangeSchema`); null before the first snapshot. */
  cursor: number | null;
  /** server time − device time, in ms. */
  clockOffsetMs: number;
  snapshotLoadedAt: number | null;
};

/**
 * This device's identity. `named` is true once a person chose the name ("입구 1 · 김사라"); until
 * then the check-in screen asks for one.
 */
export type DeviceInfo = { id: string; name: string; named?: boolean };
