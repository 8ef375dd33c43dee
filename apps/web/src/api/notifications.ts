import type { EmailJob, EmailStats, MailStatus, MailType } from '@eventmanager/domain/notifications/schema';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs } from './client.ts';

export const notificationKeys = {
  all: (eventId: string) => ['emails', eventId] as const,
  stats: (eventId: string) => [...notificationKeys.all(eventId), 'stats'] as const,
  jobs: (eventId: string, filter: EmailJobFilter, version: number) =>
    [...notificationKeys.all(eventId), 'jobs', filter, version] as const,
};

export interface EmailJobFilter {
  status?: MailStatus;
  type?: MailType;
  limit?: number;
}

/** While mail is on its way the counts move; refresh this often until the queue is empty. */
export const EMAIL_STATS_REFRESH_MS = 10_000;

/** True while anything of the event is still queued, being sent, or a bulk send is adding recipients. */
export function hasMailInFlight(stats: EmailStats | undefined): boolean {
  if (!stats) return false;
  return (
    stats.totals.queued > 0 ||
    stats.totals.sending > 0 ||
    stats.bulk_sends.some((b) => b.status === 'expanding')
  );
}

/** GET /api/events/:id/emails/stats — polled every 10 s while mail is in flight, idle otherwise. */
export function useEmailStats(eventId: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: notificationKeys.stats(eventId),
    queryFn: ({ signal }) => api<EmailStats>(`/api/events/${eventId}/emails/stats`, { signal }),
    enabled: Boolean(eventId) && options.enabled !== false,
    refetchInterval: (query) => (hasMailInFlight(query.state.data) ? EMAIL_STATS_REFRESH_MS : false),
  });
}

/**
 * GET /api/events/:id/emails — e.g. the failed ones with their error, newest first. `version` (e.g. the
 * failed count from the polled stats) only keys the cache: when it changes, the list is fetched again.
 */
export function useEmailJobs(
  eventId: string,
  filter: EmailJobFilter,
  options: { enabled?: boolean; version?: number } = {},
) {
  return useQuery({
    queryKey: notificationKeys.jobs(eventId, filter, options.version ?? 0),
    queryFn: ({ signal }) =>
      api<{ items: EmailJob[] }>(`/api/events/${eventId}/emails${qs({ ...filter })}`, { signal }),
    enabled: Boolean(eventId) && options.enabled !== false,
    // A new version keeps showing the previous list until the fresh one arrives (no flicker).
    placeholderData: keepPreviousData,
    select: (list) => list.items,
  });
}

/** POST /api/events/:id/emails/:jobId/retry — the failed mail goes back into the queue. */
export function useRetryEmail(eventId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (jobId: string) =>
      api<EmailJob>(`/api/events/${eventId}/emails/${encodeURIComponent(jobId)}/retry`, { method: 'POST' }),
    onSettled: () => void qc.invalidateQueries({ queryKey: notificationKeys.all(eventId) }),
  });
}
