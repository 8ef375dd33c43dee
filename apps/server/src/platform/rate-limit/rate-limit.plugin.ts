import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import type { Config } from '../../config.ts';
import { tooManyRequests } from '../problem.ts';
import { LIMIT_NAMES, type LimitName } from './limits.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Named request limits this route counts against (see limits.ts), checked in order before the
     * handler runs, after authentication and body validation, so a limit may count per signed-in
     * user or per e-mail in the body.
     */
    limits?: readonly LimitName[];
  }
}

/** What a limit counts per; undefined skips the limit for that request. */
type KeyOf = (request: FastifyRequest) => string | undefined;

const byAddress: KeyOf = (request) => normalizeIP(request.ip);
const byUser: KeyOf = (request) => request.auth?.userId;

function field(source: unknown, name: string): string | undefined {
  if (typeof source !== 'object' || source === null || !Object.hasOwn(source, name)) return undefined;
  const value = (source as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
/** The e-mail typed into the body (normalised: one mailbox is one counter however it is spelt). */
const byBodyEmail: KeyOf = (request) => field(request.body, 'email')?.trim().toLowerCase();
/** The event a public route names: share code (`:code`) or id (`:id`). */
const byEvent: KeyOf = (request) => field(request.params, 'code') ?? field(request.params, 'id');

/** The ticket code or manage token a lookup names: one credential is hammered at most so often. */
const byCredential: KeyOf = (request) => field(request.params, 'token') ?? field(request.params, 'code');

const KEYS: Record<LimitName, KeyOf> = {
  register_ip: byAddress,
  register_event: byEvent,
  signup_ip: byAddress,
  login_email: byBodyEmail,
  login_ip: byAddress,
  password_reset_ip: byAddress,
  password_reset_email: byBodyEmail,
  email_send_user: byUser,
  public_page_ip: byAddress,
  lookup_ip: byAddress,
  lookup_target: byCredential,
};

export interface RateLimitPluginOptions {
  config: Config;
  /** Shared Redis for counters across instances; in-process counters without it. */
  redis: { url: string; prefix: string } | undefined;
}

/**
 * Request limits by name, counted by @fastify/rate-limit (its Redis store when Redis is configured,
 * so every instance shares one count; an in-process store otherwise). A route lists the limits it
 * counts against in `config.limits`; each is checked, and counted, before the handler does any
 * work, so concurrent requests cannot all pass while an earlier one is still being handled.
 */
async function rateLimits(app: FastifyInstance, { config, redis }: RateLimitPluginOptions): Promise<void> {
  if (!config.rateLimits.enabled) return;
  const client = redis
    ? new Redis(redis.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 1,
        connectTimeout: 2_000,
        // Redis is never a gate: while it is away a count fails at once (and the limit lapses,
        // skipOnError) instead of queueing the request until it returns.
        enableOfflineQueue: false,
        commandTimeout: 250,
      })
    : undefined;
  if (client) {
    client.on('error', () => {});
    await client.connect();
    app.addHook('onClose', async () => {
      client.disconnect();
    });
  }
  await app.register(fastifyRateLimit, {
    global: false,
    // A Redis outage must not turn every limited route into a 500: the limits lapse until it is back.
    skipOnError: true,
    cache: 50_000,
    ...(client && redis ? { redis: client, nameSpace: `${redis.prefix}rate-limit:` } : {}),
  });

  const checks = new Map(
    LIMIT_NAMES.map((name) => {
      const spec = config.rateLimits.limits[name];
      const keyOf = KEYS[name];
      const check = app.createRateLimit({
        max: spec.max,
        timeWindow: spec.windowMs,
        keyGenerator: (request) => `${name}:${keyOf(request) ?? ''}`,
      });
      return [name, { keyOf, check }] as const;
    }),
  );

  app.addHook('onRoute', (route) => {
    const names = route.config?.limits;
    if (!names || names.length === 0) return;
    const selected = names.map((name) => {
      const found = checks.get(name);
      if (!found) throw new Error(`Unknown rate limit "${name}" on ${route.method} ${route.url}`);
      return { name, ...found };
    });
    const hook: preHandlerAsyncHookHandler = async (request) => {
      for (const { name, keyOf, check } of selected) {
        if (keyOf(request) === undefined) continue;
        const result = await check(request);
        if (!result.isAllowed && result.isExceeded) {
          const after = Math.max(1, result.ttlInSeconds);
          throw tooManyRequests(`Too many requests (${name}). Try again in ${after} s.`, after);
        }
      }
    };
    const existing = route.preHandler;
    route.preHandler =
      existing === undefined ? [hook] : [...(Array.isArray(existing) ? existing : [existing]), hook];
  });
}

export const rateLimitPlugin = fp(rateLimits, { name: 'eventmanager-rate-limits' });
