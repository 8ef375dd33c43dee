import { useState } from 'react';
import { useLogout } from '../../api/auth.ts';
import type { LogoutWipeResult } from '../../offline/logout-wipe.ts';

/** Loaded on first logout: the offline store (Dexie) stays out of the app shell's bundle. */
async function flushThenWipeHere(): Promise<LogoutWipeResult> {
  const [{ systemClock }, { loadOrCreateDevice }, { flushThenWipe }, { checkinServices }] = await Promise.all(
    [
      import('../../offline/clock.ts'),
      import('../../offline/device.ts'),
      import('../../offline/logout-wipe.ts'),
      import('../checkin/use-checkin-session.ts'),
    ],
  );
  const { storage, connectivity, transport } = checkinServices();
  const device = await loadOrCreateDevice(storage, '');
  return flushThenWipe({ storage, transport, connectivity, clock: systemClock, device });
}

export type SafeLogoutState = { phase: 'idle' } | { phase: 'sending' } | { phase: 'unsent'; unsent: number };

/**
 * Logout that leaves nothing personal on a shared phone: queued check-ins are sent first, then the
 * offline participant data is wiped, then the session ends. With check-ins still unsent it stops in
 * `unsent` (the person is told, and may try again or stay signed in); it never drops them.
 */
export function useSafeLogout(onLoggedOut: () => void) {
  const logout = useLogout();
  const [state, setState] = useState<SafeLogoutState>({ phase: 'idle' });

  const run = async () => {
    setState({ phase: 'sending' });
    let result: LogoutWipeResult;
    try {
      result = await flushThenWipeHere();
    } catch {
      // Storage that cannot be read is not known to be empty: keep the person signed in.
      result = { kind: 'unsent', unsent: 1 };
    }
    if (result.kind === 'unsent') {
      setState({ phase: 'unsent', unsent: result.unsent });
      return;
    }
    setState({ phase: 'idle' });
    logout.mutate(undefined, { onSettled: onLoggedOut });
  };

  return {
    state,
    logout: () => void run(),
    /** The person chose to stay signed in and wait for a connection. */
    dismiss: () => setState({ phase: 'idle' }),
  };
}
