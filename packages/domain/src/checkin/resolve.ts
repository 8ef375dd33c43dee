import type { CheckinAction } from './checkin-log.schema.ts';

/**
 * The sync rule (PRODUCT.md "Sync rules", seed `resolveConflict`): a participant's check-in state is a
 * pure function of the SET of its logs. Logs are ordered by action time (device time corrected by the
 * device's clock offset), ties broken by action (check_in first) and then by log id, so every device
 * and every server instance computes the same answer whatever order the logs arrived in. The fold
 * compares each log with the current winner: less than 5 s apart, `check_in` wins (undoing by mistake
 * is common); otherwise the later action wins.
 */
export const CONTEST_WINDOW_MS = 5_000;

/** The least a log must carry to be resolved; CheckInLog and the client's local logs both fit. */
export interface ResolvableLog {
  id: string;
  action: CheckinAction;
  /** Corrected action time: ISO 8601 string or epoch milliseconds. */
  timestamp: string | number;
}

export type ResolvedStatus = 'checked_in' | 'not_checked_in';

export interface CheckinConflict<T extends ResolvableLog> {
  /** The log whose action was overruled. */
  loser: T;
  /** The check-in that overruled it. */
  winner: T;
  reason: 'check_in_wins_within_5s';
}

export interface CheckinResolution<T extends ResolvableLog> {
  status: ResolvedStatus;
  /** The log that decided the state; undefined when there are no logs. */
  winner: T | undefined;
  /**
   * Logs that lost a < 5 s contest to a check-in and disagree with the final state: their devices
   * get `sync_conflict`. A log later superseded by a genuine (≥ 5 s) action is not a conflict.
   */
  conflicts: CheckinConflict<T>[];
}

export function actionTime(log: ResolvableLog): number {
  return typeof log.timestamp === 'number' ? log.timestamp : Date.parse(log.timestamp);
}

/** Total order used by the fold: time, then check_in before undo, then id. */
export function compareLogs(a: ResolvableLog, b: ResolvableLog): number {
  const dt = actionTime(a) - actionTime(b);
  if (dt !== 0) return dt;
  if (a.action !== b.action) return a.action === 'check_in' ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function resolveCheckinState<T extends ResolvableLog>(logs: Iterable<T>): CheckinResolution<T> {
  // A set: the same log id delivered twice counts once (first copy kept; copies are identical).
  const unique = new Map<string, T>();
  for (const log of logs) if (!unique.has(log.id)) unique.set(log.id, log);
  const ordered = [...unique.values()].sort(compareLogs);

  let winner: T | undefined;
  const contests: CheckinConflict<T>[] = [];
  for (const log of ordered) {
    if (!winner) {
      winner = log;
      continue;
    }
    const apart = Math.abs(actionTime(log) - actionTime(winner));
    if (apart < CONTEST_WINDOW_MS && log.action !== winner.action) {
      // A contest: the check-in wins whichever came first.
      if (log.action === 'check_in') {
        contests.push({ loser: winner, winner: log, reason: 'check_in_wins_within_5s' });
        winner = log;
      } else {
        contests.push({ loser: log, winner, reason: 'check_in_wins_within_5s' });
      }
      continue;
    }
    // Same action, or far enough apart to be a deliberate new action: the later one wins.
    winner = log;
  }
  const status: ResolvedStatus = winner?.action === 'check_in' ? 'checked_in' : 'not_checked_in';
  const finalAction = winner?.action;
  return {
    status,
    winner,
    conflicts: contests.filter((c) => c.loser.action !== finalAction),
  };
}

/** Union of two log sets by id; what a device or the server does when logs arrive in batches. */
export function mergeLogs<T extends ResolvableLog>(current: readonly T[], incoming: readonly T[]): T[] {
  const seen = new Set(current.map((l) => l.id));
  const merged = [...current];
  for (const log of incoming) {
    if (seen.has(log.id)) continue;
    seen.add(log.id);
    merged.push(log);
  }
  return merged;
}
