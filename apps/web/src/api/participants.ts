import type { Event } from '@eventmanager/domain/events/schema';
import type {
  ImportResult,
  OrganizerAddInput,
  Participant,
  ParticipantList,
  ParticipantPatch,
  RegistrationInput,
  RegistrationResult,
  SelfServicePatch,
} from '@eventmanager/domain/participants/participant.schema';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs } from './client.ts';
import { eventKeys } from './events.ts';

export interface ParticipantFilters {
  q?: string;
  status?: string;
  checkin?: string;
}

export const participantKeys = {
  all: (eventId: string) => ['participants', eventId] as const,
  list: (eventId: string, filters: ParticipantFilters) =>
    [...participantKeys.all(eventId), 'list', filters] as const,
  manage: (token: string) => ['manage', token] as const,
};

/** Cursor pages of 500: a 10,000-person event loads in 20 requests, rendered through a virtual list. */
export function useParticipants(eventId: string, filters: ParticipantFilters) {
  return useInfiniteQuery({
    queryKey: participantKeys.list(eventId, filters),
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      api<ParticipantList>(
        `/api/events/${eventId}/participants${qs({ ...filters, cursor: pageParam || undefined, limit: 500 })}`,
        { signal },
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

function useInvalidateParticipants(eventId: string) {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: participantKeys.all(eventId) });
    void qc.invalidateQueries({ queryKey: eventKeys.detail(eventId) });
    void qc.invalidateQueries({ queryKey: eventKeys.list() });
  };
}

export function useAddParticipant(eventId: string) {
  const invalidate = useInvalidateParticipants(eventId);
  return useMutation({
    mutationFn: (body: OrganizerAddInput) =>
      api<Participant>(`/api/events/${eventId}/participants`, { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function usePatchParticipant(eventId: string) {
  const invalidate = useInvalidateParticipants(eventId);
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ParticipantPatch }) =>
      api<Participant>(`/api/events/${eventId}/participants/${id}`, { method: 'PATCH', body }),
    onSuccess: invalidate,
  });
}

export function useCancelParticipant(eventId: string) {
  const invalidate = useInvalidateParticipants(eventId);
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/events/${eventId}/participants/${id}`, { method: 'DELETE' }),
    onSuccess: invalidate,
  });
}

/** Sends a CSV in chunks so the progress bar moves; each chunk repeats the header row. */
export async function importCsvInChunks(
  eventId: string,
  csv: string,
  onProgress: (done: number, total: number) => void,
  options: { notify?: boolean; chunkRows?: number } = {},
): Promise<ImportResult> {
  const chunkRows = options.chunkRows ?? 200;
  const query = options.notify === false ? '?notify=false' : '';
  const text = csv.replace(/^\uFEFF/, '');
  const lines = splitCsvRecords(text).filter((l) => l.trim() !== '');
  const [header, ...rows] = lines;
  const total: ImportResult = { created: 0, duplicates: 0, invalid: 0, refused: 0, rows: [] };
  if (!header) return total;
  onProgress(0, rows.length);
  for (let i = 0; i < rows.length; i += chunkRows) {
    const chunk = rows.slice(i, i + chunkRows);
    const result = await api<ImportResult>(`/api/events/${eventId}/participants/import${query}`, {
      method: 'POST',
      body: [header, ...chunk].join('\n'),
      headers: { 'content-type': 'text/csv' },
    });
    total.created += result.created;
    total.duplicates += result.duplicates;
    total.invalid += result.invalid;
    total.refused += result.refused;
    total.rows.push(...result.rows.map((r) => ({ ...r, row: r.row + i })));
    onProgress(Math.min(i + chunk.length, rows.length), rows.length);
  }
  return total;
}

/** Splits CSV text into records, keeping newlines that sit inside quoted cells. */
export function splitCsvRecords(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) {
      out.push(text.slice(start, i).replace(/\r$/, ''));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start).replace(/\r$/, ''));
  return out;
}

export function useRegister(code: string) {
  return useMutation({
    mutationFn: (body: RegistrationInput) =>
      api<RegistrationResult>(`/api/public/events/${encodeURIComponent(code)}/registrations`, {
        method: 'POST',
        body,
        auth: false,
      }),
  });
}

/**
 * GET/PATCH /api/public/manage/:token — the participant's own view through the manage link.
 * Built from the domain types (the route declares this composition inline).
 */
export interface ManageView {
  participant: Participant;
  ticket_code: string;
  manage_url: string;
  /** 1 for the next in line; null unless on the waitlist. */
  waitlist_position: number | null;
  event: Pick<Event, 'id' | 'name' | 'share_url'> & { status: string; datetime: Event['datetime'] };
}

const managePath = (token: string) => `/api/public/manage/${encodeURIComponent(token)}`;

export function useManage(token: string | undefined) {
  return useQuery({
    queryKey: participantKeys.manage(token ?? ''),
    queryFn: () => api<ManageView>(managePath(token ?? ''), { auth: false }),
    enabled: Boolean(token),
  });
}

export function usePatchManage(token: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SelfServicePatch) =>
      api<ManageView>(managePath(token), { method: 'PATCH', body, auth: false }),
    onSuccess: (view) => qc.setQueryData(participantKeys.manage(token), view),
  });
}

export function useCancelManage(token: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>(managePath(token), { method: 'DELETE', auth: false }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: participantKeys.manage(token) }),
  });
}
