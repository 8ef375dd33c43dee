import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { type Db, sql } from '../../platform/db/database.ts';
import {
  type DrawingCommitmentRow,
  drawingCommitments,
  type NewPrizeDrawingRow,
  type PrizeDrawingRow,
  type PrizeDrawingWinnerRow,
  prizeDrawings,
  prizeDrawingWinners,
} from './drawings.tables.ts';

/** The only code that touches prize_drawings, prize_drawing_winners and drawing_commitments. */

/**
 * Serialises the drawing writes of one event (draw, confirm) for the rest of the transaction, so a
 * draw's "previous winners" and "open draw to discard" cannot change underneath it. An advisory lock
 * rather than the event row lock: registrations keep flowing while a draw runs.
 */
export async function lockEventDrawings(tx: Db, eventId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`prize_drawings:${eventId}`}))`);
}

export async function insertCommitment(
  db: Db,
  row: { eventId: string; seed: string; seedHash: string; createdBy: string; createdAt: Date },
): Promise<DrawingCommitmentRow> {
  const [inserted] = await db.insert(drawingCommitments).values(row).returning();
  return inserted!;
}

/** An unused commitment of this event, locked until the transaction ends. */
export async function lockUnusedCommitment(
  tx: Db,
  eventId: string,
  commitmentId: string,
): Promise<DrawingCommitmentRow | undefined> {
  const rows = await tx
    .select()
    .from(drawingCommitments)
    .where(
      and(
        eq(drawingCommitments.id, commitmentId),
        eq(drawingCommitments.eventId, eventId),
        isNull(drawingCommitments.usedAt),
      ),
    )
    .for('update')
    .limit(1);
  return rows[0];
}

export async function markCommitmentUsed(tx: Db, commitmentId: string, at: Date): Promise<void> {
  await tx.update(drawingCommitments).set({ usedAt: at }).where(eq(drawingCommitments.id, commitmentId));
}

/** Everyone who won a confirmed draw of the event (every winner of a several-winner draw). */
export async function confirmedWinnerIds(db: Db, eventId: string): Promise<string[]> {
  const rows = await db
    .select({ id: prizeDrawingWinners.participantId })
    .from(prizeDrawingWinners)
    .innerJoin(prizeDrawings, eq(prizeDrawings.id, prizeDrawingWinners.drawingId))
    .where(and(eq(prizeDrawings.eventId, eventId), eq(prizeDrawings.status, 'confirmed')));
  return rows.map((r) => r.id);
}

export async function insertWinners(
  tx: Db,
  drawingId: string,
  winners: readonly { participantId: string; participantName: string; registrationNumber: number }[],
): Promise<PrizeDrawingWinnerRow[]> {
  return tx
    .insert(prizeDrawingWinners)
    .values(winners.map((w, position) => ({ drawingId, position, ...w })))
    .returning();
}

/** The winners of these draws, each draw's in draw order. */
export async function listWinners(
  db: Db,
  drawingIds: readonly string[],
): Promise<Map<string, PrizeDrawingWinnerRow[]>> {
  const byDrawing = new Map<string, PrizeDrawingWinnerRow[]>();
  if (drawingIds.length === 0) return byDrawing;
  const rows = await db
    .select()
    .from(prizeDrawingWinners)
    .where(inArray(prizeDrawingWinners.drawingId, [...drawingIds]))
    .orderBy(asc(prizeDrawingWinners.drawingId), asc(prizeDrawingWinners.position));
  for (const row of rows) {
    const list = byDrawing.get(row.drawingId);
    if (list) list.push(row);
    else byDrawing.set(row.drawingId, [row]);
  }
  return byDrawing;
}

/** Marks the event's open (unconfirmed) draw discarded: a redraw keeps it in the history. */
export async function discardOpenDrawings(tx: Db, eventId: string, at: Date): Promise<number> {
  const rows = await tx
    .update(prizeDrawings)
    .set({ status: 'discarded', discardedAt: at })
    .where(and(eq(prizeDrawings.eventId, eventId), eq(prizeDrawings.status, 'drawn')))
    .returning({ id: prizeDrawings.id });
  return rows.length;
}

export async function insertDrawing(tx: Db, row: NewPrizeDrawingRow): Promise<PrizeDrawingRow> {
  const [inserted] = await tx.insert(prizeDrawings).values(row).returning();
  return inserted!;
}

export async function findDrawing(
  db: Db,
  eventId: string,
  drawingId: string,
  options: { forUpdate?: boolean } = {},
): Promise<PrizeDrawingRow | undefined> {
  const query = db
    .select()
    .from(prizeDrawings)
    .where(and(eq(prizeDrawings.id, drawingId), eq(prizeDrawings.eventId, eventId)))
    .limit(1);
  const rows = options.forUpdate ? await query.for('update') : await query;
  return rows[0];
}

/** A drawing by id alone, for the public verification page (the caller checks the event still exists). */
export async function findDrawingById(db: Db, drawingId: string): Promise<PrizeDrawingRow | undefined> {
  const rows = await db.select().from(prizeDrawings).where(eq(prizeDrawings.id, drawingId)).limit(1);
  return rows[0];
}

export async function updateDrawing(
  tx: Db,
  drawingId: string,
  patch: Partial<Pick<PrizeDrawingRow, 'status' | 'confirmedAt' | 'announcementShared'>>,
): Promise<PrizeDrawingRow> {
  const [row] = await tx.update(prizeDrawings).set(patch).where(eq(prizeDrawings.id, drawingId)).returning();
  return row!;
}

export async function listDrawings(db: Db, eventId: string): Promise<PrizeDrawingRow[]> {
  return db
    .select()
    .from(prizeDrawings)
    .where(eq(prizeDrawings.eventId, eventId))
    .orderBy(desc(prizeDrawings.seq));
}

/** Keeps the denormalised winner name in step when a participant is edited or anonymised. */
export async function renameWinner(tx: Db, participantId: string, name: string): Promise<void> {
  await tx
    .update(prizeDrawings)
    .set({ winnerName: name })
    .where(eq(prizeDrawings.winnerParticipantId, participantId));
  await tx
    .update(prizeDrawingWinners)
    .set({ participantName: name })
    .where(eq(prizeDrawingWinners.participantId, participantId));
}
