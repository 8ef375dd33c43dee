import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { getAccessToken } from '../../api/session.ts';
import { systemClock } from '../../offline/clock.ts';
import { RealtimeClient, type SocketLike } from '../../offline/realtime-client.ts';
import { drawingKeys } from './drawings.api.ts';

const DEVICE_KEY = 'em.drawings.deviceId';

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
 * Keeps the drawing history live on every device: a confirmed winner arrives as `event_updated`
 * with `changes.drawing`, and the history is refetched. Returns whether the socket is open, so the
 * caller can fall back to polling while it is not.
 */
export function useDrawingsLive(eventId: string): boolean {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const client = new RealtimeClient({
      url: `${scheme}://${location.host}/realtime`,
      getToken: getAccessToken,
      deviceId: deviceId(),
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      clock: systemClock,
      onPhase: (phase) => setOpen(phase === 'open'),
      // After a reconnect anything may have been missed: refetch once.
      onConnected: () => void qc.invalidateQueries({ queryKey: drawingKeys.history(eventId) }),
      onMessage: (message) => {
        if (message.type === 'event_updated' && message.eventId === eventId && 'drawing' in message.changes) {
          void qc.invalidateQueries({ queryKey: drawingKeys.history(eventId) });
        }
      },
    });
    client.subscribe(eventId);
    client.start();
    return () => client.stop();
  }, [eventId, qc]);
  return open;
}
