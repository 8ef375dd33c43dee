import type { Db } from '../../platform/db/database.ts';
import { isUuid } from '../events/events.repository.ts';
import { checkinRepository as repo } from './checkin.repository.ts';

/** The check-in module's contract with the other modules (docs/MODULES.md). */

export interface CheckinHistoryEntry {
  id: string;
  action: 'check_in' | 'undo_check_in';
  /** The action's time on the server's clock (the device's time, corrected). */
  at: Date;
  deviceId: string;
  deviceName: string;
  userId: string | null;
  conflictResolved: boolean;
}

/** A participant's check-ins and undos, newest first (at most `limit`), with the device of each. */
export async function listCheckinHistory(
  db: Db,
  eventId: string,
  participantId: string,
  limit = 100,
): Promise<CheckinHistoryEntry[]> {
  if (!isUuid(eventId) || !isUuid(participantId)) return [];
  const logs = await repo.recentLogs(db, eventId, participantId, limit);
  return logs.map((log) => ({
    id: log.id,
    action: log.action,
    at: new Date(log.timestamp),
    deviceId: log.deviceId,
    deviceName: log.deviceName,
    userId: log.userId,
    conflictResolved: log.conflictResolved,
  }));
}
