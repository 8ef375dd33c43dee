import type { CheckinLogRecord, DeviceInfo, EventMeta, ParticipantRecord, SyncQueueEntry } from './types.ts';

/**
 * Everything the check-in screen persists. The app uses the IndexedDB (Dexie) implementation; unit
 * tests use the in-memory one. Every method is atomic on its own; `recordLocalAction` writes the log
 * and its outbox entry in one transaction so a tap is never half-saved.
 */
export interface CheckinStorage {
  getDevice(): Promise<DeviceInfo | undefined>;
  putDevice(device: DeviceInfo): Promise<void>;

  getEventMeta(eventId: string): Promise<EventMeta | undefined>;
  putEventMeta(meta: EventMeta): Promise<void>;

  /** Replace the event's participant snapshot (a full /changes answer) and its meta. */
  replaceSnapshot(eventId: string, participants: ParticipantRecord[], meta: EventMeta): Promise<void>;
  /** Apply an incremental /changes page, a /sync answer or a live message: upserts, plus the new meta. */
  applyChanges(participants: ParticipantRecord[], meta: EventMeta | undefined): Promise<void>;
  listParticipants(eventId: string): Promise<ParticipantRecord[]>;
  /** Forget one participant (a walk-in the server refused to register). */
  removeParticipant(id: string): Promise<void>;
  listLogs(eventId: string): Promise<CheckinLogRecord[]>;
  markLogsSynced(ids: string[]): Promise<void>;

  /** One tap: the local log and its outbox entry, atomically. */
  recordLocalAction(log: CheckinLogRecord, entry: SyncQueueEntry): Promise<void>;
  /** Oldest first. */
  listQueue(eventId: string, limit: number): Promise<SyncQueueEntry[]>;
  countQueue(eventId: string): Promise<number>;
  /** Ids of every queued entry of the event (any order). */
  queuedIds(eventId: string): Promise<string[]>;
  removeFromQueue(ids: string[]): Promise<void>;
  incrementRetry(ids: string[]): Promise<void>;

  /** Events with check-ins still waiting in the outbox. */
  queuedEventIds(): Promise<string[]>;
  /**
   * Logout on a shared phone: deletes every participant, log and event cache — only if nothing is
   * waiting in the outbox, checked in the same transaction (an unsent check-in is never dropped).
   * True when wiped. The device id stays: it names the phone, not a person.
   */
  wipeIfNothingQueued(): Promise<boolean>;
}
