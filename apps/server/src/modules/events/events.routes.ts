import {
  createEventBodySchema,
  eventListItemSchema,
  eventSchema,
  inviteStaffBodySchema,
  patchEventBodySchema,
  publicEventSchema,
  staffMemberSchema,
} from '@eventmanager/domain/events/schema';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ModuleDeps } from '../../platform/module.ts';
import { authOf } from '../accounts/auth.guard.ts';
import { attachEventAccessMemo } from './events.access.ts';
import { configureShareUrls } from './events.mapper.ts';
import { createEventsService } from './events.service.ts';

const secured = [{ bearerAuth: [] }];
const eventParams = z.object({ id: z.string().max(64) });
const codeParams = z.object({ code: z.string().max(64) });

export const eventsModule: FastifyPluginAsyncZod<ModuleDeps> = async (app, deps) => {
  configureShareUrls(deps.config.publicUrl);
  const detachAccessMemo = await attachEventAccessMemo(deps.platform.bus);
  app.addHook('onClose', detachAccessMemo);
  const events = createEventsService(deps);
  const { authenticate } = deps;

  app.post(
    '/api/events',
    {
      preHandler: authenticate,
      schema: {
        tags: ['events'],
        security: secured,
        body: createEventBodySchema,
        response: { 201: eventSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await events.create(authOf(request).userId, request.body)),
  );

  app.get(
    '/api/events',
    {
      preHandler: authenticate,
      schema: { tags: ['events'], security: secured, response: { 200: z.array(eventListItemSchema) } },
    },
    async (request) => events.list(authOf(request).userId),
  );

  app.get(
    '/api/events/:id',
    {
      preHandler: authenticate,
      schema: { tags: ['events'], security: secured, params: eventParams, response: { 200: eventSchema } },
    },
    async (request) => events.get(authOf(request).userId, request.params.id),
  );

  app.patch(
    '/api/events/:id',
    {
      preHandler: authenticate,
      schema: {
        tags: ['events'],
        security: secured,
        params: eventParams,
        body: patchEventBodySchema,
        response: { 200: eventSchema },
      },
    },
    async (request) => events.patch(authOf(request).userId, request.params.id, request.body),
  );

  app.delete(
    '/api/events/:id',
    {
      preHandler: authenticate,
      schema: { tags: ['events'], security: secured, params: eventParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await events.remove(authOf(request).userId, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/events/:id/staff',
    {
      preHandler: authenticate,
      schema: {
        tags: ['events'],
        security: secured,
        params: eventParams,
        body: inviteStaffBodySchema,
        response: { 201: staffMemberSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await events.inviteStaff(authOf(request).userId, request.params.id, request.body)),
  );

  app.get(
    '/api/events/:id/staff',
    {
      preHandler: authenticate,
      schema: {
        tags: ['events'],
        security: secured,
        params: eventParams,
        response: { 200: z.array(staffMemberSchema) },
      },
    },
    async (request) => events.listStaff(authOf(request).userId, request.params.id),
  );

  app.delete(
    '/api/events/:id/staff/:userId',
    {
      preHandler: authenticate,
      schema: {
        tags: ['events'],
        security: secured,
        params: z.object({ id: z.string().max(64), userId: z.string().max(64) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await events.removeStaff(authOf(request).userId, request.params.id, request.params.userId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/public/events/:code',
    {
      config: { limits: ['public_page_ip'] },
      schema: { tags: ['public'], params: codeParams, response: { 200: publicEventSchema } },
    },
    async (request, reply) => {
      const view = await events.publicView(request.params.code);
      // Private events are reachable by their link only: keep them out of search engines.
      if (view.privacy === 'private') reply.header('x-robots-tag', 'noindex, nofollow');
      return view;
    },
  );

  app.get(
    '/api/public/events/:code/calendar.ics',
    { config: { limits: ['public_page_ip'] }, schema: { tags: ['public'], params: codeParams } },
    async (request, reply) => {
      const ics = await events.calendar(request.params.code);
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', 'attachment; filename="event.ics"')
        .send(ics);
    },
  );
};
