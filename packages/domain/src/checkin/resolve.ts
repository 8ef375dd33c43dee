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

/**
 * The fold's state after some logs in `compareLogs` order: enough to go on folding later logs
 * without the earlier ones. Servers keep it per participant, so a log arriving after all the
 * others (the usual case on event day) costs one step, not a pass over the participant's history.
 */
export interface CheckinFold<T extends ResolvableLog> {
  /** The log that decides the state so far. */
  winner: T | undefined;
  /** The greatest log folded so far. */
  last: T | undefined;
  /** Every < 5 s contest so far, whatever the final state (resolution filters them). */
  contests: readonly CheckinConflict<T>[];
}

export const EMPTY_FOLD: CheckinFold<never> = { winner: undefined, last: undefined, contests: [] };

/**
 * Folds `ordered` — distinct logs, in `compareLogs` order, all after `from.last` — onto `from`.
 * The caller owes the order; `continueFold` checks that the first comes after `from.last`.
 */
export function foldOrderedLogs<T extends ResolvableLog>(
  ordered: readonly T[],
  from: CheckinFold<T> = EMPTY_FOLD,
): CheckinFold<T> {
  let { winner } = from;
  // `from` may be shared (a server keeps it): its contests are copied on the first new one.
  let contests = from.contests;
  let own: CheckinConflict<T>[] | undefined;
  for (const log of ordered) {
    if (!winner) {
      winner = log;
      continue;
    }
    const apart = Math.abs(actionTime(log) - actionTime(winner));
    if (apart < CONTEST_WINDOW_MS && log.action !== winner.action) {
      // A contest: the check-in wins whichever came first.
      const contest: CheckinConflict<T> =
        log.action === 'check_in'
          ? { loser: winner, winner: log, reason: 'check_in_wins_within_5s' }
          : { loser: log, winner, reason: 'check_in_wins_within_5s' };
      own ??= [...contests];
      own.push(contest);
      contests = own;
      if (log.action === 'check_in') winner = log;
      continue;
    }
    // Same action, or far enough apart to be a deliberate new action: the later one wins.
    winner = log;
  }
  return { winner, last: ordered.length ? ordered[ordered.length - 1] : from.last, contests };
}

/**
 * `from` continued with `ordered` (distinct logs not folded before, in `compareLogs` order), or
 * undefined when the first of them sorts before a log already folded: then only a fold of the whole
 * set is right.
 */
export function continueFold<T extends ResolvableLog>(
  from: CheckinFold<T>,
  ordered: readonly T[],
): CheckinFold<T> | undefined {
  if (from.last && ordered.length && compareLogs(ordered[0]!, from.last) <= 0) return undefined;
  return foldOrderedLogs(ordered, from);
}

/** The state a fold stands for. */
export function resolutionOf<T extends ResolvableLog>(fold: CheckinFold<T>): CheckinResolution<T> {
  const finalAction = fold.winner?.action;
  return {
    status: finalAction === 'check_in' ? 'checked_in' : 'not_checked_in',
    winner: fold.winner,
    conflicts: fold.contests.filter((c) => c.loser.action !== finalAction),
  };
}

/**
 * The logs of a set (in `compareLogs` order) that its state can still depend on: the greatest
 * check-in and the greatest undo, in that order. A check-in always takes over the fold (same action,
 * or a contest it wins, or later than 5 s), and an undo loses only to a deciding check-in less than
 * 5 s before it; so the state is decided by the last check-in and the undos after it, of which the
 * last is the one that matters. For ANY logs added later, the rule over these two plus the added
 * ones gives the same state (and the same deciding log) as over the whole set plus them: what a
 * server sends a device so it can fold its pending logs, at most two logs whatever the history.
 */
export function decidingLogs<T extends ResolvableLog>(ordered: readonly T[]): T[] {
  let checkIn: T | undefined;
  let undo: T | undefined;
  for (let i = ordered.length - 1; i >= 0 && (!checkIn || !undo); i--) {
    const log = ordered[i]!;
    if (log.action === 'check_in') checkIn ??= log;
    else undo ??= log;
  }
  if (checkIn && undo) return compareLogs(checkIn, undo) < 0 ? [checkIn, undo] : [undo, checkIn];
  return checkIn ? [checkIn] : undo ? [undo] : [];
}

/** Distinct logs (the first copy of an id kept; copies are identical) in `compareLogs` order. */
export function orderLogs<T extends ResolvableLog>(logs: Iterable<T>): T[] {
  const unique = new Map<string, T>();
  for (const log of logs) if (!unique.has(log.id)) unique.set(log.id, log);
  return [...unique.values()].sort(compareLogs);
}

export function resolveCheckinState<T extends ResolvableLog>(logs: Iterable<T>): CheckinResolution<T> {
  return resolutionOf(foldOrderedLogs(orderLogs(logs)));
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
