import type { Clock } from './clock.ts';
import type { Connectivity } from './connectivity.ts';
import { Outbox } from './outbox.ts';
import type { CheckinStorage } from './storage.ts';
import type { SyncTransport } from './transport.ts';
import type { DeviceInfo } from './types.ts';

export type LogoutWipeResult =
  /** Every queued check-in reached the server and the offline participant data is gone. */
  | { kind: 'wiped' }
  /** Some check-ins could not be sent (offline, server unreachable): nothing was deleted. */
  | { kind: 'unsent'; unsent: number };

/**
 * What a logout does on a phone before the session ends: send every event's queued check-ins, then
 * delete the offline participant data (names, e-mails, answers) so the next person holding the
 * phone sees nothing. If anything is left unsent, nothing is deleted and the caller must say so —
 * the user retries or stays signed in; the queue is never dropped.
 */
export async function flushThenWipe(o: {
  storage: CheckinStorage;
  transport: SyncTransport;
  connectivity: Connectivity;
  clock: Clock;
  device: DeviceInfo;
}): Promise<LogoutWipeResult> {
  for (const eventId of await o.storage.queuedEventIds()) {
    const outbox = new Outbox({
      eventId,
      storage: o.storage,
      transport: o.transport,
      connectivity: o.connectivity,
      clock: o.clock,
      device: () => o.device,
      // The answers update a cache about to be deleted; the server already has them.
      onSynced: () => {},
      // One try per event: the person is waiting at the logout button and can press it again.
      maxTriesPerCycle: 1,
    });
    try {
      outbox.retryNow();
      await outbox.settled();
    } finally {
      outbox.dispose();
    }
  }
  const left = await o.storage.queuedEventIds();
  if (left.length === 0 && (await o.storage.wipeIfNothingQueued())) return { kind: 'wiped' };
  let unsent = 0;
  for (const eventId of left) unsent += await o.storage.countQueue(eventId);
  return { kind: 'unsent', unsent: Math.max(unsent, 1) };
}
