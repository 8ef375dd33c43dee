import {
  participantSchema,
  referralCodeSchema,
  registrationInputSchema,
  registrationResultSchema,
  selfServicePatchSchema,
} from '@eventmanager/domain/participants/participant.schema';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import QRCode from 'qrcode';
import { z } from 'zod';
import { badRequest, conflict, notFound } from '../../platform/problem.ts';
import { getEvent } from '../events/events.repository.ts';
import { manageUrlFor } from './participants.context.ts';
import type { ParticipantsDeps } from './participants.deps.ts';
import { toParticipant } from './participants.mapper.ts';
import type { ParticipantsService } from './participants.service.ts';
import { phoneFieldError } from './registration.rules.ts';
import type { RegistrationService } from './registration.service.ts';
import { verifyManageToken } from './tokens.ts';

export interface PublicRoutesOptions {
  deps: ParticipantsDeps;
  registration: RegistrationService;
  participants: ParticipantsService;
}

const manageViewSchema = z.object({
  participant: participantSchema,
  ticket_code: z.string(),
  manage_url: z.string(),
  /** 1 for the next in line; null unless on the waitlist. */
  waitlist_position: z.number().int().min(1).nullable(),
  event: z.object({
    id: z.uuid(),
    name: z.string(),
    status: z.string(),
    datetime: z.object({ start: z.string(), end: z.string().nullable(), timezone: z.string() }),
    share_url: z.string(),
  }),
});

const tokenParams = z.object({ token: z.string().min(10).max(200) });

/** Registration through the share link, self-service through the manage link, ticket QR codes. */
export const participantsPublicRoutes: FastifyPluginAsyncZod<PublicRoutesOptions> = async (
  app,
  { deps, registration, participants },
) => {
  app.post(
    '/api/public/events/:code/registrations',
    {
      config: { limits: ['register_ip', 'register_event'] },
      schema: {
        tags: ['registration'],
        summary: 'Register through the share link',
        params: z.object({ code: z.string().min(1).max(64) }),
        querystring: z.object({ ref: referralCodeSchema.optional() }),
        body: registrationInputSchema,
        response: { 201: registrationResultSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await registration.registerPublic(request.params.code, request.body, request.query.ref)),
  );

  /** The participant behind a manage token; 404 for a forged token or a deleted registration. */
  async function byToken(token: string) {
    const id = verifyManageToken(deps.context.manageKey, token);
    const row = id ? await participants.findRowAnywhere(id) : undefined;
    if (!row || row.anonymizedAt) throw notFound('Registration');
    const event = await getEvent(deps.db, row.eventId);
    if (!event) throw notFound('Registration');
    return { row, event };
  }

  async function view(token: string) {
    const { row, event } = await byToken(token);
    return {
      participant: toParticipant(row, deps.context.cipher, { phone: 'plain' }),
      ticket_code: row.ticketCode,
      manage_url: manageUrlFor(deps.context, row.id),
      waitlist_position: await participants.waitlistPositionOf(row),
      event: {
        id: event.id,
        name: event.name,
        status: event.status,
        datetime: {
          start: event.datetime.start,
          end: event.datetime.end ?? null,
          timezone: event.datetime.timezone,
        },
        share_url: event.share_url,
      },
    };
  }

  app.get(
    '/api/public/manage/:token',
    {
      config: { limits: ['lookup_ip', 'lookup_target'] },
      schema: {
        tags: ['registration'],
        summary: 'Self-service: view my registration',
        params: tokenParams,
        response: { 200: manageViewSchema },
      },
    },
    async (request) => view(request.params.token),
  );

  app.patch(
    '/api/public/manage/:token',
    {
      config: { limits: ['lookup_ip', 'lookup_target'] },
      schema: {
        tags: ['registration'],
        summary: 'Self-service: edit my answers',
        params: tokenParams,
        body: selfServicePatchSchema,
        response: { 200: manageViewSchema },
      },
    },
    async (request) => {
      const { row, event } = await byToken(request.params.token);
      if (row.registrationStatus === 'cancelled' || row.registrationStatus === 'rejected') {
        throw conflict('This registration is no longer active', 'participant_cancelled');
      }
      const body = request.body;
      const phoneError = phoneFieldError(event, body.identity?.phone);
      if (phoneError) throw badRequest('The phone number does not fit the registration form', [phoneError]);
      await participants.update(
        row.eventId,
        row.id,
        {
          name: body.identity?.name,
          phone: body.identity?.phone,
          customResponses: body.custom_responses,
          language: body.language,
          marketing: body.consents?.marketing,
        },
        undefined,
      );
      return view(request.params.token);
    },
  );

  app.delete(
    '/api/public/manage/:token',
    {
      config: { limits: ['lookup_ip', 'lookup_target'] },
      schema: {
        tags: ['registration'],
        summary: 'Self-service: cancel my registration',
        params: tokenParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { row } = await byToken(request.params.token);
      await participants.cancel(row.eventId, row.id, 'participant');
      return reply.code(204).send(null);
    },
  );

  const ticketParams = z.object({ code: z.string().min(1).max(64) });

  app.get(
    '/api/public/tickets/:code/qr.svg',
    {
      config: { limits: ['lookup_ip', 'lookup_target'] },
      schema: { tags: ['registration'], summary: 'The ticket QR code (SVG)', params: ticketParams },
    },
    async (request, reply) => {
      const row = await participants.findByTicket(request.params.code);
      if (!row) throw notFound('Ticket');
      const svg = await QRCode.toString(row.ticketCode, {
        type: 'svg',
        errorCorrectionLevel: 'M',
        margin: 2,
      });
      return reply.type('image/svg+xml').header('cache-control', 'private, max-age=86400').send(svg);
    },
  );

  app.get(
    '/api/public/tickets/:code/qr.png',
    {
      config: { limits: ['lookup_ip', 'lookup_target'] },
      schema: { tags: ['registration'], summary: 'The ticket QR code (PNG)', params: ticketParams },
    },
    async (request, reply) => {
      const row = await participants.findByTicket(request.params.code);
      if (!row) throw notFound('Ticket');
      const png = await QRCode.toBuffer(row.ticketCode, {
        type: 'png',
        errorCorrectionLevel: 'M',
        margin: 2,
        width: 512,
      });
      return reply.type('image/png').header('cache-control', 'private, max-age=86400').send(png);
    },
  );
};
