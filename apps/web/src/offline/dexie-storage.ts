import { Dexie, type Table } from 'dexie';
import type { CheckinStorage } from './storage.ts';
import type { CheckinLogRecord, DeviceInfo, EventMeta, ParticipantRecord, SyncQueueEntry } from './types.ts';

type DeviceRow = DeviceInfo & { key: 'device' };

/** The IndexedDB schema of the offline cache. Bump the version and add an upgrade when it changes. */
class CheckinDatabase extends Dexie {
  device!: Table<DeviceRow, 'device'>;
  eventMeta!: Table<EventMeta, string>;
  participants!: Table<ParticipantRecord, string>;
  checkinLogs!: Table<CheckinLogRecord, string>;
  sync_queue!: Table<SyncQueueEntry, string>;

  constructor(name: string, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores({
      device: 'key',
      eventMeta: 'eventId',
      participants: 'id, eventId',
      checkinLogs: 'id, eventId',
      sync_queue: 'id, eventId, [eventId+created_at]',
    });
  }
}

/** `CheckinStorage` on IndexedDB through Dexie: survives reloads, tab closes and phone restarts. */
export class DexieCheckinStorage implements CheckinStorage {
  readonly db: CheckinDatabase;

  constructor(name = 'eventmanager-checkin', options?: ConstructorParameters<typeof Dexie>[1]) {
    this.db = new CheckinDatabase(name, options);
  }

  async getDevice() {
    const row = await this.db.device.get('device');
    return row ? { id: row.id, name: row.name, ...(row.named ? { named: true } : {}) } : undefined;
  }
  async putDevice(device: DeviceInfo) {
    await this.db.device.put({
      key: 'device',
      id: device.id,
      name: device.name,
      ...(device.named ? { named: true } : {}),
    });
  }
  getEventMeta(eventId: string) {
    return this.db.eventMeta.get(eventId);
  }
  async putEventMeta(meta: EventMeta) {
    await this.db.eventMeta.put(meta);
  }
  async replaceSnapshot(eventId: string, participants: ParticipantRecord[], meta: EventMeta) {
    await this.db.transaction('rw', [this.db.participants, this.db.eventMeta], async () => {
      await this.db.participants.where('eventId').equals(eventId).delete();
      await this.db.participants.bulkPut(participants);
      await this.db.eventMeta.put(meta);
    });
  }
  async removeParticipant(id: string) {
    await this.db.participants.delete(id);
  }
  async applyChanges(participants: ParticipantRecord[], meta: EventMeta | undefined) {
    await this.db.transaction('rw', [this.db.participants, this.db.eventMeta], async () => {
      if (participants.length > 0) await this.db.participants.bulkPut(participants);
      if (meta) await this.db.eventMeta.put(meta);
    });
  }
  listParticipants(eventId: string) {
    return this.db.participants.where('eventId').equals(eventId).toArray();
  }
  listLogs(eventId: string) {
    return this.db.checkinLogs.where('eventId').equals(eventId).toArray();
  }
  async markLogsSynced(ids: string[]) {
    await this.db.checkinLogs.where('id').anyOf(ids).modify({ synced: true });
  }
  async recordLocalAction(log: CheckinLogRecord, entry: SyncQueueEntry) {
    await this.db.transaction('rw', [this.db.checkinLogs, this.db.sync_queue], async () => {
      await this.db.checkinLogs.put(log);
      await this.db.sync_queue.put(entry);
    });
  }
  listQueue(eventId: string, limit: number) {
    return this.db.sync_queue
      .where('[eventId+created_at]')
      .between([eventId, Dexie.minKey], [eventId, Dexie.maxKey])
      .limit(limit)
      .toArray();
  }
  countQueue(eventId: string) {
    return this.db.sync_queue.where('eventId').equals(eventId).count();
  }
  queuedIds(eventId: string) {
    return this.db.sync_queue.where('eventId').equals(eventId).primaryKeys();
  }
  async removeFromQueue(ids: string[]) {
    await this.db.sync_queue.bulkDelete(ids);
  }
  async incrementRetry(ids: string[]) {
    await this.db.transaction('rw', this.db.sync_queue, async () => {
      await this.db.sync_queue
        .where('id')
        .anyOf(ids)
        .modify((e) => {
          e.retry_count++;
        });
    });
  }
  async queuedEventIds() {
    return (await this.db.sync_queue.orderBy('eventId').uniqueKeys()).map(String);
  }
  async wipeIfNothingQueued() {
    const { db } = this;
    return db.transaction('rw', [db.sync_queue, db.participants, db.checkinLogs, db.eventMeta], async () => {
      if ((await db.sync_queue.count()) > 0) return false;
      await Promise.all([db.participants.clear(), db.checkinLogs.clear(), db.eventMeta.clear()]);
      return true;
    });
  }
}
