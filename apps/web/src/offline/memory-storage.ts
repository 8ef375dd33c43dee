import type { CheckinStorage } from './storage.ts';
import type { CheckinLogRecord, DeviceInfo, EventMeta, ParticipantRecord, SyncQueueEntry } from './types.ts';

/** In-memory `CheckinStorage` for unit tests; copies on the way in and out, like a real store. */
export class MemoryCheckinStorage implements CheckinStorage {
  private device: DeviceInfo | undefined;
  private readonly metas = new Map<string, EventMeta>();
  private readonly participants = new Map<string, ParticipantRecord>();
  private readonly logs = new Map<string, CheckinLogRecord>();
  private readonly queue = new Map<string, SyncQueueEntry>();

  async getDevice() {
    return this.device ? { ...this.device } : undefined;
  }
  async putDevice(device: DeviceInfo) {
    this.device = { ...device };
  }
  async getEventMeta(eventId: string) {
    const meta = this.metas.get(eventId);
    return meta ? { ...meta } : undefined;
  }
  async putEventMeta(meta: EventMeta) {
    this.metas.set(meta.eventId, { ...meta });
  }
  async replaceSnapshot(eventId: string, participants: ParticipantRecord[], meta: EventMeta) {
    for (const [id, p] of this.participants) if (p.eventId === eventId) this.participants.delete(id);
    await this.applyChanges(participants, meta);
  }
  async applyChanges(participants: ParticipantRecord[], meta: EventMeta | undefined) {
    for (const p of participants) this.participants.set(p.id, structuredClone(p));
    if (meta) this.metas.set(meta.eventId, { ...meta });
  }
  async listParticipants(eventId: string) {
    return [...this.participants.values()]
      .filter((p) => p.eventId === eventId)
      .map((p) => structuredClone(p));
  }
  async removeParticipant(id: string) {
    this.participants.delete(id);
  }
  async listLogs(eventId: string) {
    return [...this.logs.values()].filter((l) => l.eventId === eventId).map((l) => ({ ...l }));
  }
  async markLogsSynced(ids: string[]) {
    for (const id of ids) {
      const log = this.logs.get(id);
      if (log) log.synced = true;
    }
  }
  async recordLocalAction(log: CheckinLogRecord, entry: SyncQueueEntry) {
    this.logs.set(log.id, { ...log });
    this.queue.set(entry.id, structuredClone(entry));
  }
  async listQueue(eventId: string, limit: number) {
    return [...this.queue.values()]
      .filter((e) => e.eventId === eventId)
      .sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map((e) => structuredClone(e));
  }
  async countQueue(eventId: string) {
    let n = 0;
    for (const e of this.queue.values()) if (e.eventId === eventId) n++;
    return n;
  }
  async queuedIds(eventId: string) {
    return [...this.queue.values()].filter((e) => e.eventId === eventId).map((e) => e.id);
  }
  async removeFromQueue(ids: string[]) {
    for (const id of ids) this.queue.delete(id);
  }
  async incrementRetry(ids: string[]) {
    for (const id of ids) {
      const e = this.queue.get(id);
      if (e) e.retry_count++;
    }
  }
  async queuedEventIds() {
    return [...new Set([...this.queue.values()].map((e) => e.eventId))];
  }
  async wipeIfNothingQueued() {
    if (this.queue.size > 0) return false;
    this.participants.clear();
    this.logs.clear();
    this.metas.clear();
    return true;
  }
}
