import type { CheckinStatus } from '../participants/participant.schema.ts';
import {
  continueFold,
  foldOrderedLogs,
  orderLogs,
  type ResolvableLog,
  resolutionOf,
  resolveCheckinState,
} from './resolve.ts';
import type { CheckinLogStamp } from './sync.schema.ts';

/** What a device holds of a participant's state as the server last sent it. */
export interface ServerCheckinView {
  status: CheckinStatus;
  /** The deciding check-in's action time (ISO), when checked in. */
  timestamp: string | null;
  /** The deciding logs of the server's set (`decidingLogs`); absent when the server sent none. */
  logs?: readonly CheckinLogStamp[];
}

/**
 * The status a participant takes once the server receives `pending` (this device's logs not yet
 * acknowledged, action times already corrected by the device's clock offset): the sync rule over
 * the server's deciding logs and the pending ones together — the same state as over all the
 * server's logs plus the pending ones (see `decidingLogs`) — continuing the fold when every pending
 * log comes after the server's last one, folding the union again otherwise. A pending log the
 * server already holds (an acknowledgement lost on the way) changes nothing.
 * A no-show stays a no-show unless the logs check the person in, as on the server.
 *
 * Without `logs` (a server that does not send them) the deciding check-in stands in for the
 * server's logs: right whenever the pending logs come after everything the server holds.
 */
export function optimisticCheckinStatus(
  server: ServerCheckinView,
  pending: readonly ResolvableLog[],
): CheckinStatus {
  if (pending.length === 0) return server.status;
  let status: CheckinStatus;
  if (server.logs) {
    const held = new Set(server.logs.map((l) => l.id));
    const fresh = pending.filter((l) => !held.has(l.id));
    if (fresh.length === 0) return server.status;
    const base = orderLogs(server.logs.map((l) => ({ id: l.id, action: l.action, timestamp: l.at })));
    const added = orderLogs<ResolvableLog>(fresh);
    const fold =
      continueFold<ResolvableLog>(foldOrderedLogs(base), added) ??
      foldOrderedLogs(orderLogs<ResolvableLog>([...base, ...added]));
    status = resolutionOf(fold).status;
  } else {
    const logs: ResolvableLog[] = [...pending];
    if (server.timestamp)
      logs.push({
        id: '\uffffserver',
        action: server.status === 'checked_in' ? 'check_in' : 'undo_check_in',
        timestamp: server.timestamp,
      });
    status = resolveCheckinState(logs).status;
  }
  return status === 'not_checked_in' && server.status === 'no_show' ? 'no_show' : status;
}
