import {
  annotationInputSchema,
  annotationListSchema,
  annotationSchema,
  bulkActionInputSchema,
  bulkActionResultSchema,
  messageInputSchema,
  messageResultSchema,
  participantDetailSchema,
} from '@eventmanager/domain/participants/desk.schema';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ModuleDeps } from '../../platform/module.ts';
import { authOf } from '../accounts/auth.guard.ts';
import type { DeskService } from './participants.desk.ts';

export interface DeskRoutesOptions {
  authenticate: ModuleDeps['authenticate'];
  desk: DeskService;
}

const secured = [{ bearerAuth: [] }];
const eventParams = z.object({ id: z.string().max(64) });
const participantParams = z.object({ id: z.string().max(64), pid: z.string().max(64) });

/** The organizer's desk on the participants page (detail, notes and tags, bulk actions, messages). */
export const participantsDeskRoutes: FastifyPluginAsyncZod<DeskRoutesOptions> = async (
  app,
  { authenticate, desk },
) => {
  app.get(
    '/api/events/:id/participants/:pid/detail',
    {
      preHandler: authenticate,
      schema: {
        tags: ['participants'],
        summary:
          'A participant with status history, check-ins with devices, e-mails and the organizer note and tags (the last two organizer only)',
        security: secured,
        params: participantParams,
        querystring: z.object({ reveal: z.literal('phone').optional() }),
        response: { 200: participantDetailSchema },
      },
    },
    async (request) =>
      desk.detail(
        request.params.id,
        authOf(request).userId,
        request.params.pid,
        request.query.reveal === 'phone',
      ),
  );

  app.put(
    '/api/events/:id/participants/:pid/annotation',
    {
      preHandler: authenticate,
      schema: {
        tags: ['participants'],
        summary: "The organizer's note and tags for a participant (replaced as a whole)",
        security: secured,
        params: participantParams,
        body: annotationInputSchema,
        response: { 200: annotationSchema },
      },
    },
    async (request) =>
      desk.saveAnnotation(request.params.id, authOf(request).userId, request.params.pid, request.body),
  );

  app.get(
    '/api/events/:id/participants/annotations',
    {
      preHandler: authenticate,
      schema: {
        tags: ['participants'],
        summary: 'The tags of every annotated participant (organizer only)',
        security: secured,
        params: eventParams,
        response: { 200: annotationListSchema },
      },
    },
    async (request) => desk.annotations(request.params.id, authOf(request).userId),
  );

  app.post(
    '/api/events/:id/participants/bulk',
    {
      preHandler: authenticate,
      config: { limits: ['email_send_user'] },
      schema: {
        tags: ['participants'],
        summary: 'Approve, reject, promote, cancel or re-send the confirmation to many; a result per id',
        security: secured,
        params: eventParams,
        body: bulkActionInputSchema,
        response: { 200: bulkActionResultSchema },
      },
    },
    async (request) => desk.bulk(request.params.id, authOf(request).userId, request.body),
  );

  app.post(
    '/api/events/:id/messages',
    {
      preHandler: authenticate,
      config: { limits: ['email_send_user'] },
      schema: {
        tags: ['participants'],
        summary: 'E-mail a message to chosen or filtered participants (or count them: dry_run)',
        security: secured,
        params: eventParams,
        body: messageInputSchema,
        response: { 200: messageResultSchema },
      },
    },
    async (request) => desk.message(request.params.id, authOf(request).userId, request.body),
  );
};
