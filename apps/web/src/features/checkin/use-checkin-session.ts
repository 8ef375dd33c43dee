import { useEffect, useState, useSyncExternalStore } from 'react';
import { renewAccessToken } from '../../api/client.ts';
import { getAccessToken } from '../../api/session.ts';
import { CheckinSession } from '../../offline/checkin-session.ts';
import { systemClock } from '../../offline/clock.ts';
import { Connectivity } from '../../offline/connectivity.ts';
import { describeThisDevice } from '../../offline/device.ts';
import { DexieCheckinStorage } from '../../offline/dexie-storage.ts';
import { HttpCheckinTransport } from '../../offline/http-transport.ts';

// One storage, one connectivity monitor and one transport per page: every event's session shares them.
let shared: {
  storage: DexieCheckinStorage;
  connectivity: Connectivity;
  transport: HttpCheckinTransport;
} | null = null;
export function checkinServices() {
  shared ??= {
    storage: new DexieCheckinStorage(),
    connectivity: new Connectivity(),
    transport: new HttpCheckinTransport(),
  };
  return shared;
}

function realtimeUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/realtime`;
}

/** Opens (and on leaving, closes) the event's check-in session; re-renders on every change. */
export function useCheckinSession(eventId: string): { session: CheckinSession | null; error: unknown } {
  const [session, setSession] = useState<CheckinSession | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let cancelled = false;
    let opened: CheckinSession | null = null;
    const { storage, connectivity, transport } = checkinServices();
    CheckinSession.open({
      eventId,
      storage,
      connectivity,
      transport,
      clock: systemClock,
      defaultDeviceName: describeThisDevice(),
      realtime: {
        url: realtimeUrl(),
        getToken: getAccessToken,
        renewToken: renewAccessToken,
        createSocket: (url) => new WebSocket(url),
      },
    }).then(
      (s) => {
        opened = s;
        if (cancelled) void s.dispose();
        else {
          setSession(s);
          // Exposed for the end-to-end tests and benchmarks, which read state the screen derives from.
          (window as { __checkinSession?: CheckinSession }).__checkinSession = s;
        }
      },
      (e: unknown) => {
        if (!cancelled) setError(e);
      },
    );
    const onHide = () => void opened?.flushWrites();
    window.addEventListener('pagehide', onHide);
    return () => {
      cancelled = true;
      window.removeEventListener('pagehide', onHide);
      void opened?.dispose();
    };
  }, [eventId]);

  useSyncExternalStore(
    (listener) => session?.subscribe(listener) ?? (() => {}),
    () => session?.revision ?? -1,
  );
  return { session, error };
}
