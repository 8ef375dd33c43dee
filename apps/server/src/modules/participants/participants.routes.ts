import {
  organizerAddInputSchema,
  participantListQuerySchema,
  participantListSchema,
  participantPatchSchema,
  participantSchema,
  registrationResultSchema,
} from '@eventmanager/domain/participants/participant.schema';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ModuleDeps } from '../../platform/module.ts';
import { notFound } from '../../platform/problem.ts';
import { authOf } from '../accounts/auth.guard.ts';
import { requireEventAccess } from '../events/events.access.ts';
import type { ParticipantsDeps } from './participants.deps.ts';
import { toParticipant } from './participants.mapper.ts';
import type { ParticipantsService } from './participants.service.ts';
import type { RegistrationService } from './registration.service.ts';

export interface OrganizerRoutesOptions {
  deps: ParticipantsDeps;
  authenticate: ModuleDeps['authenticate'];
  registration: RegistrationService;
  participants: ParticipantsService;
}

const secured = [{ bearerAuth: [] }];
const eventParams = z.object({ id: z.string().max(64) });
const participantParams = z.object({ id: z.string().max(64), pid: z.string().max(64) });

/** The organizer's participant management (staff may read; everything else is organizer-only). */
export const participantsOrganizerRoutes: FastifyPluginAsyncZod<OrganizerRoutesOptions> = async (
  app,
  { deps, authenticate, registration, participants },
) => {
  app.get(
    '/api/events/:id/participants',
    {
      preHandler: authenticate,
      schema: {
        tags: ['participants'],
        summary: 'List, filter and search participants (keyset pagination by registration number)',
        security: secured,
        params: eventParams,
        querystring: participantListQuerySchema,
        response: { 200: participantListSchema },
      },
    },
    async (request) => participants.list(request.params.id, authOf(request).userId, request.query),
  );

  app.get(
    '/api/events/:id/participants/:pid',
    {
      preHandler: authenticate,
      schema: {
        tags: ['participants'],
        security: secured,
        params: participantParams,
        querystring: z.object({ reveal: z.literal('phone').optional() }),
        response: { 200: participantSchema },
      },
    },
    async (request) =>
      participants.get(
        request.params.id,
        authOf(request).userId,
        request.params.pid,
        request.query.reveal === 'phone',
      ),
  );

  app.post(
    '/api/events/:id/participants',
    {
      preHandler: authenticate,
      schema: {
        tags: ['participants'],
        summary: 'The organizer adds a participant (source direct)',
        security: secured,
        params: eventParams,
        body: organizerAddInputSchema,
        response: { 201: registrationResultSchema },
      },
    },
    async (request, reply) => {
      const userId = authOf(request).userId;
      const { event } = await requireEventAccess(deps.db, request.params.id, userId, 'manage');
      return reply.code(201).send(await registration.addByOrganizer(event, userId, request.body));
    },
  );

  app.patch(
    '/api/events/:id/participants/:pid',
    {
      preHandler: authenticate,
      schema: {
        tags: ['participants'],
        summary: 'Approve, reject, promote from the waitlist, restore a cancellation, or edit a participant',
        description:
          '`status: "registered"` approves a pending person, promotes a waitlisted one (422 `event_full` when no seat is free unless `over_capacity: true`) or restores a cancelled one (a free seat, else the waitlist, else 422 `event_full`). Seats freed are filled from the waitlist in registration order. The participant is told by e-mail.',
        security: secured,
        params: participantParams,
        body: participantPatchSchema,
        response: { 200: participantSchema },
      },
    },
    async (request) => {
      const { id, pid } = request.params;
      await requireEventAccess(deps.db, id, authOf(request).userId, 'manage');
      const existing = await participants.findRow(id, pid);
      if (!existing) throw notFound('Participant');
      const body = request.body;
      const row = await participants.update(
        id,
        pid,
        {
          name: body.identity?.name,
          email: body.identity?.email,
          phone: body.identity?.phone,
          customResponses: body.custom_responses,
          language: body.language,
        },
        body.status,
        { overCapacity: body.over_capacity },
      );
      return toParticipant(row, deps.context.cipher, { phone: 'masked' });
    },
  );

  app.delete(
    '/api/events/:id/participants/:pid',
    {
      preHandler: authenticate,
      schema: {
        tags: ['participants'],
        summary: 'Cancel a registration (the participant is told); the first waitlisted person is promoted',
        security: secured,
        params: participantParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { id, pid } = request.params;
      await requireEventAccess(deps.db, id, authOf(request).userId, 'manage');
      const existing = await participants.findRow(id, pid);
      if (!existing) throw notFound('Participant');
      await participants.cancel(id, pid, 'organizer');
      return reply.code(204).send(null);
    },
  );
};
