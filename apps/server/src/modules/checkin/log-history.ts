import {
  type CheckinFold,
  type CheckinResolution,
  compareLogs,
  continueFold,
  foldOrderedLogs,
  resolutionOf,
} from '@eventmanager/domain/checkin/resolve';
import type { CheckinStatus } from '@eventmanager/domain/participants/participant.schema';
import type { ResolveLog } from './checkin.repository.ts';

/**
 * A participant's check-in logs in the resolver's order, with the domain fold over them once it
 * has been computed. An instance keeps one per participant in its event ledger: a log that comes
 * after all the others — nearly every log on event day — then costs one fold step, not a sort and
 * a fold of the participant's whole history (which grows with every check-in and undo).
 */
export interface LogHistory {
  readonly ordered: readonly ResolveLog[];
  /** foldOrderedLogs(ordered), filled in on first use. */
  fold?: CheckinFold<ResolveLog>;
}

/**
 * Logs as read from the database, in any order. They are distinct already (the log id is the
 * primary key), so they are only sorted — in place: the array becomes the history's.
 */
export function historyOf(logs: ResolveLog[]): LogHistory {
  return { ordered: logs.sort(compareLogs) };
}

export function foldOf(history: LogHistory): CheckinFold<ResolveLog> {
  history.fold ??= foldOrderedLogs(history.ordered);
  return history.fold;
}

/**
 * The history with `added` — logs not in it (the caller owes that: ids applied before are skipped,
 * or the write aborts) — as a new history; the given one is shared with the ledger until the write
 * commits. The fold is continued when they all sort after the history's last log, and folded again
 * over the merged logs otherwise (a device back from offline with older actions): the same state
 * either way, as the domain's property tests hold `continueFold` to.
 */
export function extendHistory(history: LogHistory, added: readonly ResolveLog[]): LogHistory {
  if (added.length === 0) return history;
  const sorted = [...added].sort(compareLogs);
  const continued = continueFold(foldOf(history), sorted);
  if (continued) return { ordered: [...history.ordered, ...sorted], fold: continued };
  const ordered = mergeOrdered(history.ordered, sorted);
  return { ordered, fold: foldOrderedLogs(ordered) };
}

/** Two runs in `compareLogs` order merged into one (no sort: a history is long, a batch short). */
function mergeOrdered(a: readonly ResolveLog[], b: readonly ResolveLog[]): ResolveLog[] {
  const out: ResolveLog[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = compareLogs(b[j]!, a[i]!) < 0 ? b[j++]! : a[i++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/** What a participant's new logs decide: the resolutions before and after, and the status to store. */
export interface Decision {
  history: LogHistory;
  before: CheckinResolution<ResolveLog>;
  after: CheckinResolution<ResolveLog>;
  status: CheckinStatus;
}

/**
 * A participant whose stored status is `current` and logs `old` receives `added` (logs it does not
 * hold): the rule over all of them. A no-show stays a no-show until the logs check the person in.
 * Devices compute the same from the state they were sent (the domain's `optimisticCheckinStatus`).
 */
export function decide(current: CheckinStatus, old: LogHistory, added: readonly ResolveLog[]): Decision {
  const history = extendHistory(old, added);
  const before = resolutionOf(foldOf(old));
  const after = added.length ? resolutionOf(foldOf(history)) : before;
  const status = after.status === 'not_checked_in' && current === 'no_show' ? 'no_show' : after.status;
  return { history, before, after, status };
}
