import type {
  CreateEventBody,
  Event,
  EventListItem,
  InviteStaffBody,
  PatchEventBody,
  PublicEvent,
  StaffInvitation,
  StaffMember,
} from '@eventmanager/domain/events/schema';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';

export const eventKeys = {
  all: ['events'] as const,
  list: () => [...eventKeys.all, 'list'] as const,
  detail: (id: string) => [...eventKeys.all, 'detail', id] as const,
  staff: (id: string) => [...eventKeys.all, 'staff', id] as const,
  public: (code: string) => ['public-event', code] as const,
};

/** The share code is the last path segment of `share_url`. */
export function shareCodeOf(event: Pick<Event, 'share_url'>): string {
  const path = event.share_url.split('?')[0] ?? '';
  return path.split('/').filter(Boolean).pop() ?? '';
}

/** The registration page on this origin (share_url may name another host behind a proxy). */
export function sharePathOf(event: Pick<Event, 'share_url'>): string {
  return `/e/${shareCodeOf(event)}`;
}

export function useEvents() {
  return useQuery({ queryKey: eventKeys.list(), queryFn: () => api<EventListItem[]>('/api/events') });
}

export function useEvent(id: string | undefined) {
  return useQuery({
    queryKey: eventKeys.detail(id ?? ''),
    queryFn: () => api<Event>(`/api/events/${id}`),
    enabled: Boolean(id),
  });
}

/**
 * The dashboard row of one event: the caller's role and the live counts. GET /api/events answers
 * them for all the caller's events in one query, so a detail page polls that list.
 */
export function useEventSummary(id: string | undefined, options: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: eventKeys.list(),
    queryFn: () => api<EventListItem[]>('/api/events'),
    enabled: Boolean(id),
    refetchInterval: options.refetchInterval,
    select: (list) => list.find((e) => e.id === id),
  });
}

export function useCreateEvent() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateEventBody) => api<Event>('/api/events', { method: 'POST', body }),
    onSuccess: (event) => {
      qc.setQueryData(eventKeys.detail(event.id), event);
      void qc.invalidateQueries({ queryKey: eventKeys.list() });
    },
  });
}

export function useUpdateEvent(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PatchEventBody) => api<Event>(`/api/events/${id}`, { method: 'PATCH', body }),
    onSuccess: (event) => {
      qc.setQueryData(eventKeys.detail(id), event);
      void qc.invalidateQueries({ queryKey: eventKeys.all });
    },
  });
}

export function useDeleteEvent(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>(`/api/events/${id}`, { method: 'DELETE' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: eventKeys.all }),
  });
}

export function useStaff(id: string, enabled = true) {
  return useQuery({
    queryKey: eventKeys.staff(id),
    queryFn: () => api<StaffMember[]>(`/api/events/${id}/staff`),
    enabled,
    retry: false,
  });
}

export function useInviteStaff(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: InviteStaffBody) =>
      api<StaffInvitation>(`/api/events/${id}/staff`, { method: 'POST', body }),
    // The invitation list lives under the staff key.
    onSuccess: () => void qc.invalidateQueries({ queryKey: eventKeys.staff(id) }),
  });
}

export function usePublicEvent(code: string | undefined) {
  return useQuery({
    queryKey: eventKeys.public(code ?? ''),
    queryFn: () => api<PublicEvent>(`/api/public/events/${encodeURIComponent(code ?? '')}`, { auth: false }),
    enabled: Boolean(code),
  });
}

/** Uploads the cover image (the file itself as the body; the server resizes it). */
export function useUploadCover(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => api<Event>(`/api/events/${id}/cover`, { method: 'PUT', body: file }),
    onSuccess: (event) => {
      qc.setQueryData(eventKeys.detail(id), event);
      void qc.invalidateQueries({ queryKey: eventKeys.all });
    },
  });
}

export function useRemoveCover(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<Event>(`/api/events/${id}/cover`, { method: 'DELETE' }),
    onSuccess: (event) => {
      qc.setQueryData(eventKeys.detail(id), event);
      void qc.invalidateQueries({ queryKey: eventKeys.all });
    },
  });
}
