import type {
  Annotation,
  AnnotationInput,
  AnnotationList,
  BulkActionInput,
  BulkActionResult,
  MessageInput,
  MessageResult,
  ParticipantDetail,
} from '@eventmanager/domain/participants/desk.schema';
import type { ParticipantList } from '@eventmanager/domain/participants/participant.schema';
import { parseQuery } from '@eventmanager/domain/participants/search';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs } from './client.ts';
import { eventKeys } from './events.ts';
import { participantKeys } from './participants.ts';

/** The organizer's desk: a participant's full record, notes and tags, bulk actions, messages. */
export const deskKeys = {
  detail: (eventId: string, id: string) => [...participantKeys.all(eventId), 'detail', id] as const,
  annotations: (eventId: string) => [...participantKeys.all(eventId), 'annotations'] as const,
  phoneSearch: (eventId: string, q: string) => [...participantKeys.all(eventId), 'phone-search', q] as const,
};

export function useParticipantDetail(eventId: string, id: string | null) {
  return useQuery({
    queryKey: deskKeys.detail(eventId, id ?? ''),
    queryFn: ({ signal }) =>
      api<ParticipantDetail>(`/api/events/${eventId}/participants/${id}/detail`, { signal }),
    enabled: Boolean(id),
  });
}

/** The real phone, fetched on request only (the server logs every reveal). */
export function useRevealPhone(eventId: string) {
  return useMutation({
    mutationFn: async (id: string) =>
      (await api<ParticipantDetail>(`/api/events/${eventId}/participants/${id}/detail?reveal=phone`))
        .participant.identity.phone ?? null,
  });
}

export function useAnnotations(eventId: string, enabled: boolean) {
  return useQuery({
    queryKey: deskKeys.annotations(eventId),
    queryFn: ({ signal }) =>
      api<AnnotationList>(`/api/events/${eventId}/participants/annotations`, { signal }),
    enabled,
  });
}

export function useSaveAnnotation(eventId: string, id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AnnotationInput) =>
      api<Annotation>(`/api/events/${eventId}/participants/${id}/annotation`, { method: 'PUT', body }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: deskKeys.annotations(eventId) });
      void qc.invalidateQueries({ queryKey: deskKeys.detail(eventId, id) });
    },
  });
}

export function useBulkAction(eventId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: BulkActionInput) =>
      api<BulkActionResult>(`/api/events/${eventId}/participants/bulk`, { method: 'POST', body }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: participantKeys.all(eventId) });
      void qc.invalidateQueries({ queryKey: eventKeys.detail(eventId) });
    },
  });
}

export function useSendMessage(eventId: string) {
  return useMutation({
    mutationFn: (body: MessageInput) =>
      api<MessageResult>(`/api/events/${eventId}/messages`, { method: 'POST', body }),
  });
}

/** How many people a message would reach (a dry run of the send), while the dialog is open. */
export function useMessageRecipients(eventId: string, audience: MessageInput['audience']) {
  return useQuery({
    queryKey: [...participantKeys.all(eventId), 'message-recipients', audience],
    queryFn: () =>
      api<MessageResult>(`/api/events/${eventId}/messages`, {
        method: 'POST',
        body: { subject: '-', body: '-', audience, dry_run: true, message_id: crypto.randomUUID() },
      }),
  });
}

/**
 * Lists hold masked phones, so digits hidden by the mask ("010-2345") are searched on the server,
 * which matches the real numbers; the ids it finds join the local matches. Only for phone-like
 * queries, and only while online.
 */
export function usePhoneSearch(eventId: string, query: string) {
  const parsed = parseQuery(query);
  const digits = parsed.kind === 'digits' ? parsed.phoneDigits : null;
  const result = useQuery({
    queryKey: deskKeys.phoneSearch(eventId, digits ?? ''),
    queryFn: async ({ signal }) => {
      const page = await api<ParticipantList>(
        `/api/events/${eventId}/participants${qs({ q: query.trim(), limit: 500 })}`,
        { signal },
      );
      return new Set(page.items.map((p) => p.id));
    },
    enabled: digits !== null && (typeof navigator === 'undefined' || navigator.onLine),
    staleTime: 10_000,
  });
  return digits === null ? undefined : result.data;
}
