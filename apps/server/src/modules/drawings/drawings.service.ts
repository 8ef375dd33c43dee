import { randomBytes } from 'node:crypto';
import { maskName } from '@eventmanager/domain/drawings/mask-name';
import { EMPTY_POOL_MESSAGES, selectPoolWithReason } from '@eventmanager/domain/drawings/pool';
import {
  type CreateDrawingBody,
  DRAW_ALGORITHM_ID,
  type DrawingCommitment,
  type DrawingConfig,
  type DrawingEventUpdated,
  type DrawingPoolPreview,
  type DrawingVerification,
  type PrizeDrawing,
} from '@eventmanager/domain/drawings/schema';
import {
  DRAW_ALGORITHM_DESCRIPTION,
  deriveWinners,
  seedHash,
  verifyDrawing,
} from '@eventmanager/domain/drawings/verifiable-draw';
import type { Event } from '@eventmanager/domain/events/schema';
import type { Config } from '../../config.ts';
import type { Db } from '../../platform/db/database.ts';
import type { LifecycleHooks } from '../../platform/hooks.ts';
import type { Platform } from '../../platform/platform.ts';
import { conflict, HttpProblem, notFound, unprocessable } from '../../platform/problem.ts';
import { requireEventAccess } from '../events/events.access.ts';
import { getEvent, isUuid } from '../events/events.repository.ts';
import { getParticipant, listDrawPool } from '../participants/participants.api.ts';
import { type DrawingAudience, toCommitment, toPrizeDrawing } from './drawings.mapper.ts';
import * as repo from './drawings.repository.ts';
import type { PrizeDrawingRow } from './drawings.tables.ts';

/** Only these answers can be filtered on: the ones with a fixed set of values. */
const FILTERABLE_TYPES = new Set(['single_choice', 'multi_choice', 'checkbox']);

function requireDrawingsEnabled(event: Event): void {
  if (!event.features.prize_drawing_enabled) {
    throw unprocessable('Prize drawings are turned off for this event', 'prize_drawing_disabled');
  }
}

/** A filter must name a choice or checkbox question of the event's form (current or retired). */
function checkFilter(event: Event, config: Pick<DrawingConfig, 'filter'>): void {
  const filter = config.filter;
  if (!filter) return;
  const fields = [...event.registration.form_fields, ...event.registration.retired_form_fields];
  const field = fields.find((f) => f.id === filter.field_id);
  if (!field) {
    throw new HttpProblem(422, `The form has no question "${filter.field_id}"`, {
      code: 'unknown_filter_field',
      errors: [{ path: 'config.filter.field_id', message: 'no such form question' }],
    });
  }
  if (!FILTERABLE_TYPES.has(field.type)) {
    throw new HttpProblem(422, `Question "${field.id}" (${field.type}) cannot be used as a filter`, {
      code: 'unfilterable_field',
      errors: [{ path: 'config.filter.field_id', message: 'only choice and checkbox questions can filter' }],
    });
  }
}

export function createDrawingsService(deps: { platform: Platform; config: Config; hooks: LifecycleHooks }) {
  const { platform, config } = deps;
  const db = () => platform.database.db;
  /** Drawings with their winners, as this audience may see them. */
  async function presentAll(
    rows: readonly PrizeDrawingRow[],
    audience: DrawingAudience,
  ): Promise<PrizeDrawing[]> {
    const winners = await repo.listWinners(
      db(),
      rows.map((r) => r.id),
    );
    return rows.map((r) => toPrizeDrawing(r, winners.get(r.id) ?? [], config.publicUrl, audience));
  }
  const present = async (row: PrizeDrawingRow, audience: DrawingAudience) =>
    (await presentAll([row], audience))[0]!;

  // The winner block is denormalised: keep it in step when a participant's name changes (or is
  // anonymised for retention), inside the writer's transaction.
  deps.hooks.participantUpdated.push(async (tx, { eventId, participantId }) => {
    const participant = await getParticipant(tx, eventId, participantId);
    if (participant) await repo.renameWinner(tx, participantId, participant.identity.name);
  });

  async function selectFor(tx: Db, eventId: string, drawConfig: DrawingConfig) {
    const candidates = await listDrawPool(tx, eventId);
    const previous = drawConfig.exclude_previous_winners ? await repo.confirmedWinnerIds(tx, eventId) : [];
    return selectPoolWithReason(candidates, drawConfig, previous);
  }

  return {
    /**
     * Publishes a commitment ahead of the draw (the projector shows its hash before anyone presses
     * "draw"); the seed stays secret until the drawing that uses it reveals it.
     */
    async createCommitment(eventId: string, userId: string): Promise<DrawingCommitment> {
      const { event } = await requireEventAccess(db(), eventId, userId, 'manage');
      requireDrawingsEnabled(event);
      const seed = randomBytes(32).toString('hex');
      const row = await repo.insertCommitment(db(), {
        eventId,
        seed,
        seedHash: await seedHash(seed),
        createdBy: userId,
        createdAt: platform.clock.now(),
      });
      return toCommitment(row);
    },

    async previewPool(
      eventId: string,
      userId: string,
      drawConfig: DrawingConfig,
      options: { entries: boolean } = { entries: false },
    ): Promise<DrawingPoolPreview> {
      const { event } = await requireEventAccess(db(), eventId, userId, 'manage');
      checkFilter(event, drawConfig);
      const { pool, emptyReason } = await selectFor(db(), eventId, drawConfig);
      if (!options.entries) return { pool_size: pool.length, empty_reason: emptyReason };
      return {
        pool_size: pool.length,
        empty_reason: emptyReason,
        entries: pool.map((c) => ({
          registration_number: c.registrationNumber,
          participant_name_masked: maskName(c.name),
        })),
      };
    },

    /**
     * Draws `winner_count` winners (default 1) for a prize. In one transaction, serialised per
     * event: take the commitment (or make one — its hash is stored before the winners are derived),
     * select the pool, derive every winner from the one seed and the sorted registration numbers,
     * discard the open unconfirmed draw (redraw), insert the draw and its winners. A pool smaller
     * than the winner count is refused: handing out fewer prizes than announced would be a surprise
     * on stage, so the organizer decides (fewer winners, or a wider pool).
     */
    async draw(eventId: string, userId: string, body: CreateDrawingBody): Promise<PrizeDrawing> {
      const { event } = await requireEventAccess(db(), eventId, userId, 'manage');
      requireDrawingsEnabled(event);
      checkFilter(event, body.config);
      const row = await db().transaction(async (tx) => {
        await repo.lockEventDrawings(tx, eventId);
        const now = platform.clock.now();
        let commitment: Awaited<ReturnType<typeof repo.lockUnusedCommitment>>;
        if (body.commitment_id) {
          commitment = await repo.lockUnusedCommitment(tx, eventId, body.commitment_id);
          if (!commitment)
            throw conflict('This commitment does not exist or was already used', 'commitment_used');
        } else {
          const seed = randomBytes(32).toString('hex');
          commitment = await repo.insertCommitment(tx, {
            eventId,
            seed,
            seedHash: await seedHash(seed),
            createdBy: userId,
            createdAt: now,
          });
        }
        const { pool, emptyReason } = await selectFor(tx, eventId, body.config);
        if (emptyReason) throw unprocessable(EMPTY_POOL_MESSAGES[emptyReason], emptyReason);
        const winnerCount = body.winner_count ?? 1;
        if (pool.length < winnerCount) {
          throw new HttpProblem(
            422,
            `The pool has ${pool.length} people, fewer than the ${winnerCount} winners asked for`,
            {
              code: 'pool_too_small',
              errors: [{ path: 'winner_count', message: `at most ${pool.length} for this pool` }],
            },
          );
        }
        const result = await deriveWinners(
          commitment.seed,
          pool.map((c) => c.registrationNumber),
          winnerCount,
        );
        const byNumber = new Map(pool.map((c) => [c.registrationNumber, c]));
        // The name as registered: the nickname in an anonymous event. Never the e-mail.
        const winners = result.registrationNumbers.map((n) => {
          const c = byNumber.get(n)!;
          return { participantId: c.id, participantName: c.name, registrationNumber: n };
        });
        const winner = winners[0]!;
        await repo.discardOpenDrawings(tx, eventId, now);
        await repo.markCommitmentUsed(tx, commitment.id, now);
        const inserted = await repo.insertDrawing(tx, {
          eventId,
          config: body.config,
          status: 'drawn',
          winnerParticipantId: winner.participantId,
          winnerName: winner.participantName,
          winnerRegistrationNumber: winner.registrationNumber,
          drawnBy: userId,
          drawnAt: now,
          commitmentId: commitment.id,
          seed: commitment.seed,
          seedHash: commitment.seedHash,
          pool: result.pool,
          poolHash: result.poolHash,
          poolSize: result.pool.length,
          prize: body.prize ?? null,
          winnerCount,
        });
        await repo.insertWinners(tx, inserted.id, winners);
        return inserted;
      });
      return present(row, 'organizer');
    },

    /** Confirms the open draw; other devices learn of the winner through `event_updated`. */
    async confirm(eventId: string, drawingId: string, userId: string): Promise<PrizeDrawing> {
      await requireEventAccess(db(), eventId, userId, 'manage');
      if (!isUuid(drawingId)) throw notFound('Drawing');
      const { row, changed } = await db().transaction(async (tx) => {
        await repo.lockEventDrawings(tx, eventId);
        const found = await repo.findDrawing(tx, eventId, drawingId, { forUpdate: true });
        if (!found) throw notFound('Drawing');
        if (found.status === 'discarded') {
          throw conflict(
            'This draw was replaced by a redraw and can no longer be confirmed',
            'drawing_discarded',
          );
        }
        if (found.status === 'confirmed') return { row: found, changed: false };
        const updated = await repo.updateDrawing(tx, drawingId, {
          status: 'confirmed',
          confirmedAt: platform.clock.now(),
        });
        return { row: updated, changed: true };
      });
      if (changed) {
        // Every device of the event receives this, staff phones included: names masked.
        const message: DrawingEventUpdated = {
          type: 'event_updated',
          eventId,
          changes: { drawing: await present(row, 'masked') },
        };
        await platform.bus.publish(`event:${eventId}`, message);
      }
      return present(row, 'organizer');
    },

    /** Records that the organizer shared the announcement card. */
    async markShared(eventId: string, drawingId: string, userId: string): Promise<PrizeDrawing> {
      await requireEventAccess(db(), eventId, userId, 'manage');
      if (!isUuid(drawingId)) throw notFound('Drawing');
      const found = await repo.findDrawing(db(), eventId, drawingId);
      if (!found) throw notFound('Drawing');
      if (found.status === 'discarded')
        throw conflict('A discarded draw cannot be announced', 'drawing_discarded');
      return present(await repo.updateDrawing(db(), drawingId, { announcementShared: true }), 'organizer');
    },

    /**
     * The history, newest first; staff may read it (confirmed winners show on their devices too),
     * with masked names: the full name is the organizer's alone.
     */
    async list(eventId: string, userId: string): Promise<PrizeDrawing[]> {
      const { role } = await requireEventAccess(db(), eventId, userId, 'read');
      return presentAll(await repo.listDrawings(db(), eventId), role === 'staff' ? 'masked' : 'organizer');
    },

    /**
     * Public: everything needed to recompute the winners, and the server's own recomputation. Names
     * are masked (the page is public); the event's name and language let the page speak its language.
     */
    async verification(drawingId: string): Promise<DrawingVerification> {
      if (!isUuid(drawingId)) throw notFound('Drawing');
      const row = await repo.findDrawingById(db(), drawingId);
      const event = row ? await getEvent(db(), row.eventId) : undefined;
      if (!row || !event) throw notFound('Drawing');
      const { winners } = await present(row, 'masked');
      const check = await verifyDrawing({
        seed: row.seed,
        seed_hash: row.seedHash,
        pool: row.pool,
        pool_hash: row.poolHash,
        winner: row.winnerRegistrationNumber,
        winners: winners.map((w) => w.registration_number),
      });
      const publicWinners = winners.map((w) => ({
        registration_number: w.registration_number,
        participant_name: w.participant_name_masked,
      }));
      return {
        drawing_id: row.id,
        event_id: row.eventId,
        status: row.status,
        drawn_at: row.drawnAt.toISOString(),
        algorithm: DRAW_ALGORITHM_ID,
        algorithm_description: DRAW_ALGORITHM_DESCRIPTION,
        seed: row.seed,
        seed_hash: row.seedHash,
        pool: row.pool,
        pool_hash: row.poolHash,
        pool_size: row.poolSize,
        // As stored on the draw row: if it and the winners list ever disagree, `verified` says so.
        winner: {
          registration_number: row.winnerRegistrationNumber,
          participant_name: maskName(row.winnerName),
        },
        winners: publicWinners,
        prize: row.prize,
        winner_count: row.winnerCount,
        event_name: event.name,
        event_language: event.language,
        verified: check.valid,
      };
    },
  };
}

export type DrawingsService = ReturnType<typeof createDrawingsService>;
