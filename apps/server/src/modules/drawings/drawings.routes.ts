import {
  createDrawingBodySchema,
  drawingCommitmentSchema,
  drawingHistorySchema,
  drawingPoolPreviewSchema,
  drawingPoolSchema,
  drawingVerificationSchema,
  prizeDrawingSchema,
} from '@eventmanager/domain/drawings/schema';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ModuleDeps } from '../../platform/module.ts';
import { authOf } from '../accounts/auth.guard.ts';
import { createDrawingsService } from './drawings.service.ts';

const secured = [{ bearerAuth: [] }];
const eventParams = z.object({ id: z.string() });
const drawingParams = z.object({ id: z.string(), did: z.string() });

/** Query of the pool preview: the draw config flattened (a GET has no body). */
const poolQuery = z.object({
  participant_pool: drawingPoolSchema.default('all'),
  exclude_previous_winners: z.enum(['true', 'false']).default('false'),
  field_id: z.string().trim().min(1).max(100).optional(),
  value: z.string().trim().min(1).max(500).optional(),
  /** Also list who is in the pool (number and masked name), for the projector's animation. */
  entries: z.enum(['true', 'false']).default('false'),
});

export const drawingsModule: FastifyPluginAsyncZod<ModuleDeps> = async (app, deps) => {
  const drawings = createDrawingsService(deps);
  const { authenticate } = deps;

  app.post(
    '/api/events/:id/drawings',
    {
      preHandler: authenticate,
      schema: {
        tags: ['drawings'],
        summary: 'Draw a winner (organizer only); a draw left unconfirmed is discarded by the next one',
        security: secured,
        params: eventParams,
        body: createDrawingBodySchema,
        response: { 201: prizeDrawingSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await drawings.draw(request.params.id, authOf(request).userId, request.body)),
  );

  app.get(
    '/api/events/:id/drawings',
    {
      preHandler: authenticate,
      schema: {
        tags: ['drawings'],
        summary: 'Drawing history, newest first (organizer and staff)',
        security: secured,
        params: eventParams,
        response: { 200: drawingHistorySchema },
      },
    },
    async (request) => ({ items: await drawings.list(request.params.id, authOf(request).userId) }),
  );

  app.get(
    '/api/events/:id/drawings/pool',
    {
      preHandler: authenticate,
      schema: {
        tags: ['drawings'],
        summary: 'How many people a draw with this config would pick from',
        security: secured,
        params: eventParams,
        querystring: poolQuery,
        response: { 200: drawingPoolPreviewSchema },
      },
    },
    async (request) => {
      const q = request.query;
      return drawings.previewPool(
        request.params.id,
        authOf(request).userId,
        {
          participant_pool: q.participant_pool,
          exclude_previous_winners: q.exclude_previous_winners === 'true',
          filter: q.field_id && q.value !== undefined ? { field_id: q.field_id, value: q.value } : null,
        },
        { entries: q.entries === 'true' },
      );
    },
  );

  app.post(
    '/api/events/:id/drawings/commitments',
    {
      preHandler: authenticate,
      schema: {
        tags: ['drawings'],
        summary: 'Commit to a secret seed before drawing: publishes SHA-256(seed) only',
        security: secured,
        params: eventParams,
        response: { 201: drawingCommitmentSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await drawings.createCommitment(request.params.id, authOf(request).userId)),
  );

  app.post(
    '/api/events/:id/drawings/:did/confirm',
    {
      preHandler: authenticate,
      schema: {
        tags: ['drawings'],
        summary: 'Confirm the winner; other devices receive event_updated',
        security: secured,
        params: drawingParams,
        response: { 200: prizeDrawingSchema },
      },
    },
    async (request) => drawings.confirm(request.params.id, request.params.did, authOf(request).userId),
  );

  app.post(
    '/api/events/:id/drawings/:did/share',
    {
      preHandler: authenticate,
      schema: {
        tags: ['drawings'],
        summary: 'Record that the announcement card was shared',
        security: secured,
        params: drawingParams,
        response: { 200: prizeDrawingSchema },
      },
    },
    async (request) => drawings.markShared(request.params.id, request.params.did, authOf(request).userId),
  );

  app.get(
    '/api/public/drawings/:id/verify',
    {
      schema: {
        tags: ['drawings'],
        summary: 'Everything needed to recompute a drawing (seed, commitment, pool, algorithm)',
        params: z.object({ id: z.string() }),
        response: { 200: drawingVerificationSchema },
      },
    },
    async (request) => drawings.verification(request.params.id),
  );
};
