import type { ServerMessage } from '@eventmanager/domain/checkin/realtime.schema';
import { useEffect, useRef, useState } from 'react';
import { systemClock } from '../offline/clock.ts';
import { RealtimeClient, type SocketLike } from '../offline/realtime-client.ts';
import { renewAccessToken } from './client.ts';
import { getAccessToken } from './session.ts';

const DEVICE_KEY = 'em.live.deviceId';

/** The id this browser's organizer pages announce on /realtime (the check-in screen has its own). */
function deviceId(): string {
  try {
    const existing = localStorage.getItem(DEVICE_KEY);
    if (existing) return existing;
    const id = crypto.randomUUID();
    localStorage.setItem(DEVICE_KEY, id);
    return id;
  } catch {
    return crypto.randomUUID();
  }
}

export interface EventRealtimeHandlers {
  /** Authenticated and subscribed again after a (re)connect: anything may have been missed. */
  onConnected?: () => void;
  /** A message about this event. */
  onMessage?: (message: ServerMessage) => void;
}

/**
 * One /realtime subscription to an event for an organizer page, with the client's reconnect and
 * heartbeat. Returns whether the socket is open, so the caller polls only while it is not.
 */
export function useEventRealtime(eventId: string, handlers: EventRealtimeHandlers): boolean {
  const [open, setOpen] = useState(false);
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    if (!eventId) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const client = new RealtimeClient({
      url: `${scheme}://${location.host}/realtime`,
      getToken: getAccessToken,
      renewToken: renewAccessToken,
      deviceId: deviceId(),
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      clock: systemClock,
      onPhase: (phase) => setOpen(phase === 'open'),
      onConnected: () => latest.current.onConnected?.(),
      onMessage: (message) => {
        if ('eventId' in message && message.eventId === eventId) latest.current.onMessage?.(message);
      },
    });
    client.subscribe(eventId);
    client.start();
    return () => client.stop();
  }, [eventId]);
  return open;
}
