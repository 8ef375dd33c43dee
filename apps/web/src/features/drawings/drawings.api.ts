import type {
  DrawingCommitment,
  DrawingConfig,
  DrawingHistory,
  DrawingPoolPreview,
  DrawingVerification,
  PrizeDrawing,
} from '@eventmanager/domain/drawings/schema';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs } from '../../api/client.ts';

export const drawingKeys = {
  history: (eventId: string) => ['drawings', eventId, 'history'] as const,
  pool: (eventId: string, config: DrawingConfig) => ['drawings', eventId, 'pool', config] as const,
  verify: (drawingId: string) => ['drawings', 'verify', drawingId] as const,
};

/** The history; `refetchInterval` is the fallback when the WebSocket is down. */
export function useDrawingHistory(eventId: string, options: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: drawingKeys.history(eventId),
    queryFn: async () => (await api<DrawingHistory>(`/api/events/${eventId}/drawings`)).items,
    refetchInterval: options.refetchInterval,
  });
}

/** `withEntries` also lists who is in the pool (the projector's rolling animation needs it). */
export function usePoolPreview(eventId: string, config: DrawingConfig, withEntries = false) {
  return useQuery({
    queryKey: [...drawingKeys.pool(eventId, config), withEntries],
    queryFn: () =>
      api<DrawingPoolPreview>(
        `/api/events/${eventId}/drawings/pool${qs({
          participant_pool: config.participant_pool,
          exclude_previous_winners: config.exclude_previous_winners,
          field_id: config.filter?.field_id,
          value: config.filter ? String(config.filter.value) : undefined,
          entries: withEntries || undefined,
        })}`,
      ),
    retry: false,
  });
}

export function createCommitment(eventId: string): Promise<DrawingCommitment> {
  return api<DrawingCommitment>(`/api/events/${eventId}/drawings/commitments`, { method: 'POST' });
}

export function useDraw(eventId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: {
      config: DrawingConfig;
      commitment_id?: string;
      prize?: string;
      winner_count?: number;
    }) => api<PrizeDrawing>(`/api/events/${eventId}/drawings`, { method: 'POST', body }),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['drawings', eventId] }),
  });
}

export function useConfirmDrawing(eventId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (drawingId: string) =>
      api<PrizeDrawing>(`/api/events/${eventId}/drawings/${drawingId}/confirm`, { method: 'POST' }),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['drawings', eventId] }),
  });
}

export function useMarkShared(eventId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (drawingId: string) =>
      api<PrizeDrawing>(`/api/events/${eventId}/drawings/${drawingId}/share`, { method: 'POST' }),
    onSettled: () => void qc.invalidateQueries({ queryKey: drawingKeys.history(eventId) }),
  });
}

export function useVerification(drawingId: string | undefined) {
  return useQuery({
    queryKey: drawingKeys.verify(drawingId ?? ''),
    queryFn: () => api<DrawingVerification>(`/api/public/drawings/${drawingId}/verify`, { auth: false }),
    enabled: Boolean(drawingId),
  });
}
