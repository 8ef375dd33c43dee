import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { eventKeys } from './events.ts';
import { useEventRealtime } from './use-event-realtime.ts';

/** A busy door produces many check-ins a second; the counters refetch at most this often. */
const REFRESH_THROTTLE_MS = 1_000;

/**
 * Keeps an organizer page's counters and event data live: registrations, check-ins from any device
 * and event edits arrive over /realtime and refetch the dashboard row (throttled) or the event.
 * Returns whether the socket is open, so the caller polls only while it is not.
 */
export function useEventLive(eventId: string): boolean {
  const qc = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const refreshCounts = () => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      void qc.invalidateQueries({ queryKey: eventKeys.list() });
    }, REFRESH_THROTTLE_MS);
  };
  return useEventRealtime(eventId, {
    onConnected: () => void qc.invalidateQueries({ queryKey: eventKeys.list() }),
    onMessage: (message) => {
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
}
