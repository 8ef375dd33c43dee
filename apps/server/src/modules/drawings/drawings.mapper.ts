import type { DrawingCommitment, PrizeDrawing } from '@eventmanager/domain/drawings/schema';
import type { DrawingCommitmentRow, PrizeDrawingRow } from './drawings.tables.ts';

export const verifyPath = (drawingId: string) => `/api/public/drawings/${drawingId}/verify`;

/** The API shape: the seed's PrizeDrawing plus status and the verification fields. */
export function toPrizeDrawing(row: PrizeDrawingRow, publicUrl: string): PrizeDrawing {
  return {
    id: row.id,
    event_id: row.eventId,
    config: row.config,
    winner: {
      participant_id: row.winnerParticipantId,
      participant_name: row.winnerName,
      registration_number: row.winnerRegistrationNumber,
    },
    drawn_by: row.drawnBy,
    drawn_at: row.drawnAt.toISOString(),
    confirmed: row.status === 'confirmed',
    confirmed_at: row.confirmedAt ? row.confirmedAt.toISOString() : null,
    announcement_shared: row.announcementShared,
    status: row.status,
    seed_hash: row.seedHash,
    seed: row.seed,
    pool_hash: row.poolHash,
    pool_size: row.poolSize,
    verify_url: `${publicUrl}${verifyPath(row.id)}`,
  };
}

/** A commitment as published before the draw: the hash only, never the seed. */
export function toCommitment(row: DrawingCommitmentRow): DrawingCommitment {
  return {
    commitment_id: row.id,
    event_id: row.eventId,
    seed_hash: row.seedHash,
    created_at: row.createdAt.toISOString(),
  };
}
