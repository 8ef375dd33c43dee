import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { systemClock } from '../offline/clock.ts';
import { RealtimeClient, type SocketLike } from '../offline/realtime-client.ts';
import { eventKeys } from './events.ts';
import { getAccessToken } from './session.ts';

const DEVICE_KEY = 'em.live.deviceId';
/** A busy door produces many check-ins a second; the counters refetch at most this often. */
const REFRESH_THROTTLE_MS = 1_000;

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

/**
 * Keeps an organizer page's counters and event data live: registrations, check-ins from any device
 * and event edits arrive over /realtime and refetch the dashboard row (throttled) or the event.
 * Returns whether the socket is open, so the caller polls only while it is not.
 */
export function useEventLive(eventId: string): boolean {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!eventId) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refreshCounts = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        void qc.invalidateQueries({ queryKey: eventKeys.list() });
      }, REFRESH_THROTTLE_MS);
    };
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const client = new RealtimeClient({
      url: `${scheme}://${location.host}/realtime`,
      getToken: getAccessToken,
      deviceId: deviceId(),
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      clock: systemClock,
      onPhase: (phase) => setOpen(phase === 'open'),
      // After a reconnect anything may have been missed: refetch once.
      onConnected: () => void qc.invalidateQueries({ queryKey: eventKeys.list() }),
      onMessage: (message) => {
        if (!('eventId' in message) || message.eventId !== eventId) return;
        if (message.type === 'event_updated')
          void qc.invalidateQueries({ queryKey: eventKeys.detail(eventId) });
        if (
          message.type === 'participant_registered' ||
          message.type === 'checkin_updated' ||
          message.type === 'event_updated'
        ) {
          refreshCounts();
        }
      },
    });
    client.subscribe(eventId);
    client.start();
    return () => {
      if (timer) clearTimeout(timer);
      client.stop();
    };
  }, [eventId, qc]);
  return open;
}
