import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ModuleDeps } from '../../platform/module.ts';

const checkSchema = z.object({ status: z.enum(['ok', 'error']), checks: z.record(z.string(), z.string()) });

export const healthModule: FastifyPluginAsyncZod<ModuleDeps> = async (app, { platform, config }) => {
  app.get(
    '/healthz',
    { schema: { tags: ['operations'], response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({
      status: 'ok' as const,
    }),
  );

  /** Ready when the database (and Redis, when configured) answer within a second. */
  app.get(
    '/readyz',
    { schema: { tags: ['operations'], response: { 200: checkSchema, 503: checkSchema } } },
    async (_request, reply) => {
      const checks: Record<string, string> = {};
      const probe = async (name: string, fn: () => Promise<void>) => {
        try {
          await Promise.race([
            fn(),
            new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000).unref()),
          ]);
          checks[name] = 'ok';
        } catch (err) {
          checks[name] = err instanceof Error ? err.message : 'error';
        }
      };
      await probe('database', () => platform.database.ping());
      if (config.redisUrl) await probe('redis', () => platform.cache.ping());
      const ok = Object.values(checks).every((v) => v === 'ok');
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'error', checks });
    },
  );
};
