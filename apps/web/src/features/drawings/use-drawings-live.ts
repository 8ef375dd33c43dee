import { useQueryClient } from '@tanstack/react-query';
import { useEventRealtime } from '../../api/use-event-realtime.ts';
import { drawingKeys } from './drawings.api.ts';

/**
 * Keeps the drawing history live on every device: a confirmed winner arrives as `event_updated`
 * with `changes.drawing`, and the history is refetched. Returns whether the socket is open, so the
 * caller can fall back to polling while it is not.
 */
export function useDrawingsLive(eventId: string): boolean {
  const qc = useQueryClient();
  return useEventRealtime(eventId, {
    // After a reconnect anything may have been missed: refetch once.
    onConnected: () => void qc.invalidateQueries({ queryKey: drawingKeys.history(eventId) }),
    onMessage: (message) => {
      if (message.type === 'event_updated' && 'drawing' in message.changes) {
        void qc.invalidateQueries({ queryKey: drawingKeys.history(eventId) });
      }
    },
  });
}
