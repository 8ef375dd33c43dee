import type { UnsubscribeReason } from '@eventmanager/domain/checkin/realtime.schema';
import type { Bus } from '../../platform/bus/bus.ts';

/**
 * The realtime module's contract with the others: taking access away from open sockets. A message
 * on this channel reaches the gateway of every instance, which acts on it synchronously as it
 * arrives. Publish it BEFORE invalidating the local memos of the same change: the memo waits for
 * every instance to acknowledge its invalidation, and each instance receives bus messages in
 * order, so once the memo's invalidation is acknowledged everywhere the sockets are already cut.
 */
export const ACCESS_REVOCATION_CHANNEL = 'realtime:revocations';

export type AccessRevocation =
  /** Sessions revoked (logout, refresh-token reuse, password reset): their sockets close with 4401. */
  | { kind: 'sessions'; sessionIds: string[] }
  /**
   * Access to an event ended: for one user (`userId`, removed from staff) or for everyone but
   * nobody (`userId: null`, event deleted). The sockets stop following it and are told why.
   */
  | {
      kind: 'event';
      eventId: string;
      userId: string | null;
      reason: Exclude<UnsubscribeReason, 'requested'>;
    };

export async function publishAccessRevocation(bus: Bus, revocation: AccessRevocation): Promise<void> {
  try {
    await bus.publish(ACCESS_REVOCATION_CHANNEL, revocation);
  } catch {
    // A bus that is down reaches no other instance: there a socket keeps what it follows until its
    // next `auth` (every access-token lifetime at most), which checks the session and every
    // subscription again. The caller's change is committed either way.
  }
}
