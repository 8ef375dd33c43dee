import { linkTokenSchema } from '@eventmanager/domain/accounts/schema';
import {
  createEventBodySchema,
  eventListItemSchema,
  eventSchema,
  invitationAcceptedSchema,
  inviteStaffBodySchema,
  patchEventBodySchema,
  publicEventSchema,
  staffInvitationSchema,
  staffMemberSchema,
} from '@eventmanager/domain/events/schema';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ModuleDeps } from '../../platform/module.ts';
import { HttpProblem, notFound } from '../../platform/problem.ts';
import { createObjectStorage } from '../../platform/storage/storage.ts';
import { authOf } from '../accounts/auth.guard.ts';
import { COVER_INPUT_TYPES } from './cover.service.ts';
import { attachEventAccessMemo } from './events.access.ts';
import { configureShareUrls } from './events.mapper.ts';
import { createEventsService } from './events.service.ts';

const secured = [{ bearerAuth: [] }];
const eventParams = z.object({ id: z.string().max(64) });
const codeParams = z.object({ code: z.string().max(64) });
const invitationParams = z.object({ id: z.string().max(64), invitationId: z.string().max(64) });

export const eventsModule: FastifyPluginAsyncZod<ModuleDeps> = async (app, deps) => {
  configureShareUrls(deps.config.publicUrl);
  const detachAccessMemo = await attachEventAccessMemo(deps.platform.bus);
  app.addHook('onClose', detachAccessMemo);
  const events = createEventsService(deps, createObjectStorage(deps.config));

  // Cover uploads are the image bytes themselves (no multipart), up to COVER_MAX_BYTES.
  app.addContentTypeParser(
    [...COVER_INPUT_TYPES],
    { parseAs: 'buffer', bodyLimit: deps.config.coverMaxBytes },
    (_request, body, done) => done(null, body),
  );
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
      config: { limits: ['email_send_user'] },
      schema: {
        tags: ['events'],
        security: secured,
        params: eventParams,
        body: inviteStaffBodySchema,
        response: { 201: staffInvitationSchema },
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
    '/api/events/:id/staff/invitations',
    {
      preHandler: authenticate,
      schema: {
        tags: ['events'],
        security: secured,
        params: eventParams,
        response: { 200: z.array(staffInvitationSchema) },
      },
    },
    async (request) => events.listInvitations(authOf(request).userId, request.params.id),
  );

  app.post(
    '/api/events/:id/staff/invitations/:invitationId/resend',
    {
      preHandler: authenticate,
      config: { limits: ['email_send_user'] },
      schema: {
        tags: ['events'],
        security: secured,
        params: invitationParams,
        response: { 200: staffInvitationSchema },
      },
    },
    async (request) =>
      events.resendInvitation(authOf(request).userId, request.params.id, request.params.invitationId),
  );

  app.delete(
    '/api/events/:id/staff/invitations/:invitationId',
    {
      preHandler: authenticate,
      schema: { tags: ['events'], security: secured, params: invitationParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await events.revokeInvitation(authOf(request).userId, request.params.id, request.params.invitationId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/invitations/:token/accept',
    {
      preHandler: authenticate,
      schema: {
        tags: ['events'],
        security: secured,
        params: z.object({ token: linkTokenSchema }),
        response: { 200: invitationAcceptedSchema },
      },
    },
    async (request) => events.acceptInvitation(authOf(request).userId, request.params.token),
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

  app.put(
    '/api/events/:id/cover',
    {
      preHandler: authenticate,
      schema: {
        tags: ['events'],
        summary: 'Upload the cover image (the image bytes as the body: JPEG, PNG, WebP, AVIF or GIF)',
        description:
          'Resized server-side to 1200×630 JPEG (EXIF orientation applied, metadata dropped). 415 for another media type, 413 beyond COVER_MAX_BYTES, 422 `invalid_image` when it is not a readable image.',
        security: secured,
        params: eventParams,
        response: { 200: eventSchema },
      },
    },
    async (request) => {
      if (!Buffer.isBuffer(request.body)) {
        throw new HttpProblem(415, `Send the image itself as ${COVER_INPUT_TYPES.join(', ')}`, {
          code: 'unsupported_media_type',
        });
      }
      return events.uploadCover(authOf(request).userId, request.params.id, request.body);
    },
  );

  app.delete(
    '/api/events/:id/cover',
    {
      preHandler: authenticate,
      schema: { tags: ['events'], security: secured, params: eventParams, response: { 200: eventSchema } },
    },
    async (request) => events.removeCover(authOf(request).userId, request.params.id),
  );

  app.get(
    '/api/public/covers/:eventId/:file',
    {
      schema: {
        tags: ['public'],
        summary: 'An event cover image as stored',
        params: z.object({ eventId: z.string().max(64), file: z.string().max(64) }),
      },
    },
    async (request, reply) => {
      const stored = await events.readCover(`covers/${request.params.eventId}/${request.params.file}`);
      if (!stored) throw notFound('Cover image');
      // The key is the content's hash: the same URL never names another image.
      return reply
        .type(stored.contentType)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(stored.bytes);
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
