import { maskName } from '@eventmanager/domain/drawings/mask-name';
import type { DrawingCommitment, DrawingWinner, PrizeDrawing } from '@eventmanager/domain/drawings/schema';
import type { DrawingCommitmentRow, PrizeDrawingRow, PrizeDrawingWinnerRow } from './drawings.tables.ts';

export const verifyPath = (drawingId: string) => `/api/public/drawings/${drawingId}/verify`;

/**
 * Who reads a drawing: the organizer sees full names; anyone else (staff devices, the realtime
 * broadcast every device of the event receives) sees the masked name in both name fields.
 */
export type DrawingAudience = 'organizer' | 'masked';

function toWinner(
  w: { participantId: string; participantName: string; registrationNumber: number },
  audience: DrawingAudience,
): DrawingWinner {
  const masked = maskName(w.participantName);
  return {
    participant_id: w.participantId,
    participant_name: audience === 'organizer' ? w.participantName : masked,
    participant_name_masked: masked,
    registration_number: w.registrationNumber,
  };
}

/**
 * The API shape: the PrizeDrawing entity plus status, prize, every winner and the verification
 * fields. `winners` comes from prize_drawing_winners; a draw always has at least its first winner.
 */
export function toPrizeDrawing(
  row: PrizeDrawingRow,
  winnerRows: readonly PrizeDrawingWinnerRow[],
  publicUrl: string,
  audience: DrawingAudience,
): PrizeDrawing {
  const first = {
    participantId: row.winnerParticipantId,
    participantName: row.winnerName,
    registrationNumber: row.winnerRegistrationNumber,
  };
  const winners = (winnerRows.length > 0 ? winnerRows : [first]).map((w) => toWinner(w, audience));
  return {
    id: row.id,
    event_id: row.eventId,
    config: row.config,
    winner: winners[0]!,
    winners,
    prize: row.prize,
    winner_count: row.winnerCount,
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
