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

  /** Replace the event's participant snapshot and server logs (a full /changes answer). */
  replaceSnapshot(
    eventId: string,
    participants: ParticipantRecord[],
    serverLogs: CheckinLogRecord[],
    meta: EventMeta,
  ): Promise<void>;
  /** Apply an incremental /changes page (or a live message): upserts, plus the new meta. */
  applyChanges(
    participants: ParticipantRecord[],
    logs: CheckinLogRecord[],
    meta: EventMeta | undefined,
  ): Promise<void>;
  listParticipants(eventId: string): Promise<ParticipantRecord[]>;
  listLogs(eventId: string): Promise<CheckinLogRecord[]>;
  markLogsSynced(ids: string[]): Promise<void>;

  /** One tap: the local log and its outbox entry, atomically. */
  recordLocalAction(log: CheckinLogRecord, entry: SyncQueueEntry): Promise<void>;
  /** Oldest first. */
  listQueue(eventId: string, limit: number): Promise<SyncQueueEntry[]>;
  countQueue(eventId: string): Promise<number>;
  removeFromQueue(ids: string[]): Promise<void>;
  incrementRetry(ids: string[]): Promise<void>;
}
