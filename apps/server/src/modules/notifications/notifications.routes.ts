import {
  type EmailJob,
  type EmailStats,
  emailJobListQuerySchema,
  emailJobListSchema,
  emailJobSchema,
  emailStatsSchema,
} from '@eventmanager/domain/notifications/schema';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ModuleDeps } from '../../platform/module.ts';
import { conflict } from '../../platform/problem.ts';
import { authOf } from '../accounts/auth.guard.ts';
import { requireEventAccess } from '../events/events.access.ts';
import {
  countsByType,
  listJobs,
  listSchedules,
  type MailJobRow,
  requeueFailed,
} from './notifications.repository.ts';
import { createMailRuntime } from './notifications.runtime.ts';
import { createMailScheduler } from './notifications.scheduler.ts';
import { registerMailTriggers } from './notifications.triggers.ts';

const secured = [{ bearerAuth: [] }];
const params = z.object({ id: z.string() });

/**
 * E-mail: triggers on the lifecycle hooks, the organizer's view of the event's mail, and the worker,
 * embedded in this process unless EMBEDDED_WORKER=false (then `npm run worker` runs it).
 */
export const notificationsModule: FastifyPluginAsyncZod<ModuleDeps> = async (app, deps) => {
  const { platform, config, accounts, authenticate, hooks } = deps;
  const db = platform.database.db;
  const scheduler = createMailScheduler({ db, accounts, publicUrl: config.publicUrl });
  registerMailTriggers(hooks, { clock: platform.clock, scheduler });

  app.get(
    '/api/events/:id/emails/stats',
    {
      preHandler: authenticate,
      schema: {
        tags: ['emails'],
        summary: 'Queued, sent and failed e-mail of the event, by type, and bulk-send progress',
        security: secured,
        params,
        response: { 200: emailStatsSchema },
      },
    },
    async (request): Promise<EmailStats> => {
      const { event } = await requireEventAccess(db, request.params.id, authOf(request).userId, 'manage');
      const byType = await countsByType(db, event.id);
      const totals = { queued: 0, sending: 0, sent: 0, failed: 0, cancelled: 0 };
      for (const row of byType) {
        for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += row[k];
      }
      const schedules = await listSchedules(db, event.id);
      return {
        event_id: event.id,
        totals,
        by_type: byType,
        bulk_sends: schedules.map((s) => ({
          kind: s.kind,
          status: s.status,
          recipients: s.total,
          chunks: s.chunks,
          created_at: s.created_at.toISOString(),
        })),
      };
    },
  );

  app.get(
    '/api/events/:id/emails',
    {
      preHandler: authenticate,
      schema: {
        tags: ['emails'],
        summary: "The event's e-mail jobs (e.g. ?status=failed with the error), newest first",
        security: secured,
        params,
        querystring: emailJobListQuerySchema,
        response: { 200: emailJobListSchema },
      },
    },
    async (request) => {
      const { event } = await requireEventAccess(db, request.params.id, authOf(request).userId, 'manage');
      const rows = await listJobs(db, event.id, request.query);
      return {
        items: rows.map(toEmailJob),
      };
    },
  );

  app.post(
    '/api/events/:id/emails/:jobId/retry',
    {
      preHandler: authenticate,
      config: { limits: ['email_send_user'] },
      schema: {
        tags: ['emails'],
        summary: 'Queue a failed e-mail again (retry count reset)',
        security: secured,
        params: z.object({ id: z.string(), jobId: z.uuid() }),
        response: { 200: emailJobSchema },
      },
    },
    async (request) => {
      const { event } = await requireEventAccess(db, request.params.id, authOf(request).userId, 'manage');
      const job = await requeueFailed(db, event.id, request.params.jobId, platform.clock.now());
      if (!job) throw conflict('Only a failed e-mail of this event can be retried', 'not_failed');
      return toEmailJob(job);
    },
  );

  if (config.embeddedWorker) {
    const runtime = createMailRuntime(config, platform, accounts, app.log, { scheduler });
    app.addHook('onReady', async () => runtime.worker.start());
    app.addHook('onClose', async () => runtime.close());
  }
};

function toEmailJob(r: MailJobRow): EmailJob {
  return {
    id: r.id,
    type: r.type,
    recipient: r.recipient,
    status: r.status,
    retry_count: r.retry_count,
    scheduled_at: r.scheduled_at.toISOString(),
    next_retry: r.next_retry?.toISOString() ?? null,
    sent_at: r.sent_at?.toISOString() ?? null,
    last_error: r.last_error,
  };
}
