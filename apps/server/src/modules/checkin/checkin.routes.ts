import { randomUUID } from 'node:crypto';
import { checkInLogSchema } from '@eventmanager/domain/checkin/checkin-log.schema';
import {
  changesQuerySchema,
  changesResponseSchema,
  checkinLogsQuerySchema,
  singleCheckinBodySchema,
  syncRequestSchema,
  syncResponseSchema,
} from '@eventmanager/domain/checkin/sync.schema';
import { walkInRequestSchema, walkInResponseSchema } from '@eventmanager/domain/checkin/walk-in.schema';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ModuleDeps } from '../../platform/module.ts';
import { authOf } from '../accounts/auth.guard.ts';
import { requireEventAccess } from '../events/events.access.ts';
import { registerWalkIn } from '../participants/participants.api.ts';
import { createChangesService, recordNoShows, recordParticipantChanges } from './changes.service.ts';
import { toCheckInLog } from './checkin.mapper.ts';
import { checkinRepository } from './checkin.repository.ts';
import { createCheckinService } from './checkin.service.ts';
import { createCommitPublisher } from './commit-publisher.ts';

const secured = [{ bearerAuth: [] }];
const eventParams = z.object({ id: z.string().max(100) });
const participantParams = z.object({ id: z.string().max(100), pid: z.string().max(100) });

/**
 * Check-in sync routes (API.md "Check-in and sync") and the change feed's lifecycle hooks: every
 * registration, status change, edit and no-show is recorded in the writer's own transaction.
 */
export const checkinModule: FastifyPluginAsyncZod<ModuleDeps> = async (app, deps) => {
  const { platform, authenticate, hooks } = deps;
  const db = platform.database.db;
  const sync = createCheckinService(platform);
  const feed = createChangesService(platform);
  const publisher = createCommitPublisher(db, platform.bus, (err) =>
    app.log.warn({ err }, 'change publish failed'),
  );

  const record = async (
    tx: Parameters<typeof recordParticipantChanges>[0],
    eventId: string,
    participantIds: string[],
    kind: 'registered' | 'status_changed' | 'updated',
  ) => {
    const rows = await recordParticipantChanges(tx, eventId, participantIds, kind, platform.clock.now());
    if (rows.length > 0) publisher.afterCommit(eventId, rows);
  };
  hooks.participantRegistered.push((tx, p) =>
    record(
      tx,
      p.eventId,
      p.participants.map((x) => x.participantId),
      'registered',
    ),
  );
  hooks.participantStatusChanged.push((tx, p) => record(tx, p.eventId, [p.participantId], 'status_changed'));
  hooks.participantUpdated.push((tx, p) => record(tx, p.eventId, [p.participantId], 'updated'));
  hooks.eventStatusChanged.push(async (tx, { eventId, to }) => {
    if (to !== 'completed') return;
    publisher.afterCommit(eventId, await recordNoShows(tx, eventId, platform.clock.now()));
  });

  app.post(
    '/api/events/:id/sync',
    {
      preHandler: authenticate,
      schema: {
        tags: ['checkin'],
        summary: 'Apply a batch of check-in mutations from one device (at most once per mutation id)',
        security: secured,
        params: eventParams,
        body: syncRequestSchema,
        response: { 200: syncResponseSchema },
      },
    },
    async (request, reply) => {
      const answer = await sync.sync(
        request.params.id,
        authOf(request).userId,
        request.body,
        request.receivedAt,
      );
      // Built from typed values by the service; re-validating up to 1,000 results costs CPU on the
      // hottest route.
      return reply.type('application/json; charset=utf-8').serializer(JSON.stringify).send(answer);
    },
  );

  // Simple clients: one check-in / undo, through the very same batch path.
  const singleOptions = {
    preHandler: authenticate,
    schema: {
      tags: ['checkin'],
      security: secured,
      params: participantParams,
      body: singleCheckinBodySchema.nullish(),
      response: { 200: syncResponseSchema },
    },
  };
  for (const [method, type] of [
    ['POST', 'check_in'],
    ['DELETE', 'undo_check_in'],
  ] as const) {
    app.route({
      method,
      url: '/api/events/:id/participants/:pid/checkin',
      ...singleOptions,
      handler: async (request) => {
        const { userId } = authOf(request);
        const body = request.body ?? {};
        const now = request.receivedAt;
        return sync.sync(
          request.params.id,
          userId,
          {
            device: body.device ?? { id: `web-${userId}`, name: 'Web' },
            mutations: [
              {
                id: body.mutation_id ?? randomUUID(),
                type,
                participant_id: request.params.pid,
                local_timestamp: body.local_timestamp ?? now,
              },
            ],
            // Without a device time the server's clock is the action time (offset 0).
            ...(body.local_timestamp === undefined ? { sent_at: now } : {}),
          },
          now,
        );
      },
    });
  }

  app.post(
    '/api/events/:id/walk-ins',
    {
      preHandler: authenticate,
      schema: {
        tags: ['checkin'],
        summary:
          'Register someone at the door and check them in, in one step (idempotent per participant id)',
        security: secured,
        params: eventParams,
        body: walkInRequestSchema,
        response: { 200: walkInResponseSchema },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { userId } = authOf(request);
      // Staff at the door may do it, not only organizers.
      const { event } = await requireEventAccess(db, id, userId, 'checkin');
      const body = request.body;
      const { participant, created } = await registerWalkIn(event, userId, {
        id: body.participant_id,
        name: body.identity.name,
        email: body.identity.email,
        phone: body.identity.phone,
        customResponses: body.custom_responses,
        language: body.language,
      });
      // The check-in goes through the very same engine as every other: at most once per mutation id.
      const answer = await sync.sync(
        id,
        userId,
        {
          device: body.device,
          mutations: [
            {
              id: body.mutation_id,
              type: 'check_in',
              participant_id: participant.id,
              local_timestamp: body.local_timestamp,
            },
          ],
          ...(body.sent_at === undefined ? {} : { sent_at: body.sent_at }),
        },
        request.receivedAt,
      );
      return { participant, created, sync: answer };
    },
  );

  app.get(
    '/api/events/:id/changes',
    {
      preHandler: authenticate,
      schema: {
        tags: ['checkin'],
        summary: 'Changes after a cursor, in order; without `since` a full snapshot for the offline cache',
        security: secured,
        params: eventParams,
        querystring: changesQuerySchema,
        response: { 200: changesResponseSchema },
      },
    },
    async (request, reply) => {
      const body = await feed.changes(request.params.id, authOf(request).userId, request.query);
      // Built by our own code from typed values; a snapshot holds thousands of participants and
      // validating it again with zod on the way out would cost more than reading it.
      return reply.type('application/json; charset=utf-8').serializer(JSON.stringify).send(body);
    },
  );

  app.get(
    '/api/events/:id/checkin-logs',
    {
      preHandler: authenticate,
      schema: {
        tags: ['checkin'],
        summary: 'Recent check-in activity: which device did what',
        security: secured,
        params: eventParams,
        querystring: checkinLogsQuerySchema,
        response: { 200: z.object({ items: z.array(checkInLogSchema) }) },
      },
    },
    async (request) => {
      const { id } = request.params;
      await requireEventAccess(db, id, authOf(request).userId, 'read');
      const rows = await checkinRepository.recentLogs(
        db,
        id,
        request.query.participant_id,
        request.query.limit,
      );
      return { items: rows.map((r) => toCheckInLog(id, r)) };
    },
  );
};
