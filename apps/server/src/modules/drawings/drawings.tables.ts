import type { DrawingConfig, DrawingStatus } from '@eventmanager/domain/drawings/schema';
import {
  bigint,
  boolean,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

export const drawingCommitments = pgTable('drawing_commitments', {
  id: uuid('id').primaryKey().defaultRandom(),
  eventId: uuid('event_id').notNull(),
  seed: text('seed').notNull(),
  seedHash: text('seed_hash').notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  usedAt: timestamp('used_at', { withTimezone: true }),
});
export type DrawingCommitmentRow = typeof drawingCommitments.$inferSelect;

export const prizeDrawings = pgTable('prize_drawings', {
  id: uuid('id').primaryKey().defaultRandom(),
  seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
  eventId: uuid('event_id').notNull(),
  config: jsonb('config').$type<DrawingConfig>().notNull(),
  status: text('status').$type<DrawingStatus>().notNull().default('drawn'),
  winnerParticipantId: uuid('winner_participant_id').notNull(),
  winnerName: text('winner_name').notNull(),
  winnerRegistrationNumber: integer('winner_registration_number').notNull(),
  drawnBy: uuid('drawn_by').notNull(),
  drawnAt: timestamp('drawn_at', { withTimezone: true }).notNull(),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  discardedAt: timestamp('discarded_at', { withTimezone: true }),
  announcementShared: boolean('announcement_shared').notNull().default(false),
  commitmentId: uuid('commitment_id').notNull(),
  seed: text('seed').notNull(),
  seedHash: text('seed_hash').notNull(),
  pool: jsonb('pool').$type<number[]>().notNull(),
  poolHash: text('pool_hash').notNull(),
  poolSize: integer('pool_size').notNull(),
  prize: text('prize'),
  winnerCount: integer('winner_count').notNull().default(1),
});
export type PrizeDrawingRow = typeof prizeDrawings.$inferSelect;
export type NewPrizeDrawingRow = typeof prizeDrawings.$inferInsert;

/** Every winner of a draw, in draw order (position 0 duplicates prizeDrawings.winner*). */
export const prizeDrawingWinners = pgTable(
  'prize_drawing_winners',
  {
    drawingId: uuid('drawing_id').notNull(),
    position: integer('position').notNull(),
    participantId: uuid('participant_id').notNull(),
    participantName: text('participant_name').notNull(),
    registrationNumber: integer('registration_number').notNull(),
  },
  (t) => [primaryKey({ columns: [t.drawingId, t.position] })],
);
export type PrizeDrawingWinnerRow = typeof prizeDrawingWinners.$inferSelect;
