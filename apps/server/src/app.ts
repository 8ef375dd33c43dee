import { randomUUID } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import { accountsModule } from './modules/accounts/accounts.routes.ts';
import { createAccountsService } from './modules/accounts/accounts.service.ts';
import { createAuthenticate } from './modules/accounts/auth.guard.ts';
import { createPlanGate } from './modules/billing/billing.api.ts';
import { billingModule } from './modules/billing/billing.routes.ts';
import { checkinModule } from './modules/checkin/checkin.routes.ts';
import { drawingsModule } from './modules/drawings/drawings.routes.ts';
import { eventsModule } from './modules/events/events.routes.ts';
import { healthModule } from './modules/health/health.routes.ts';
import { notificationsModule } from './modules/notifications/notifications.routes.ts';
import { participantsModule } from './modules/participants/participants.module.ts';
import { realtimeModule } from './modules/realtime/realtime.routes.ts';
import { webModule } from './modules/web/web.routes.ts';
import { answerFrameworkError, installErrorHandling, sendProblem } from './platform/error-handler.ts';
import { createLifecycleHooks } from './platform/hooks.ts';
import { installInputGuard } from './platform/input-guard.ts';
import type { ModuleDeps } from './platform/module.ts';
import type { Platform } from './platform/platform.ts';
import { rateLimitPlugin } from './platform/rate-limit/rate-limit.plugin.ts';
import { registerSecurityHeaders } from './platform/security-headers.ts';

export type App = FastifyInstance;

export interface BuildAppOptions {
  /** Where log lines go (stdout by default); tests pass a collector. */
  logStream?: { write(line: string): void };
}

/** A client-supplied x-request-id is echoed only if it looks like an id (a UUID, a trace id). */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Fastify ignores a bare hop count (it cannot tell a proxy from a client that sends enough
 * X-Forwarded-For entries), so a count becomes "the nearest N hops are proxies": the client address
 * is the one the outermost trusted proxy appended. The server must then be reachable only through
 * those proxies; where it is not, list the proxies' addresses instead.
 */
function trustProxyOption(
  trust: Config['trustProxy'],
): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return trust;
  return (_address, hop) => hop < trust;
}

/**
 * Builds the HTTP/WebSocket application without listening, so tests drive it through inject() or
 * an ephemeral port. Modules receive the platform explicitly; nothing here reads the environment.
 */
export async function buildApp(
  config: Config,
  platform: Platform,
  options: BuildAppOptions = {},
): Promise<App> {
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : { level: config.logLevel, ...(options.logStream ? { stream: options.logStream } : {}) },
    // Fastify's own request logging writes two info lines per request ("incoming request",
    // "request completed"), which buries lifecycle messages at the default level. One compact line
    // per request at debug instead (below); errors are still logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimit,
    trustProxy: trustProxyOption(config.trustProxy),
    // A caller's id is kept only when short and plain; anything else could forge or garble log lines.
    requestIdHeader: false,
    genReqId: (raw) => {
      const given = raw.headers['x-request-id'];
      return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
    return503OnClosing: true,
    frameworkErrors: answerFrameworkError,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  app.decorateRequest('receivedAt', 0);
  installInputGuard(app);
  // Set on arrival (a synchronous hook: an async onSend hook cost a promise chain per response).
  app.addHook('onRequest', (request, reply, done) => {
    request.receivedAt = platform.clock.now().getTime();
    reply.header('x-request-id', request.id);
    done();
  });
  if (config.logLevel === 'debug' || config.logLevel === 'trace') {
    app.addHook('onResponse', (request, reply, done) => {
      request.log.debug(
        {
          method: request.method,
          url: request.url,
          statusCode: reply.statusCode,
          ms: Math.round(reply.elapsedTime * 10) / 10,
        },
        'request',
      );
      done();
    });
  }

  await registerSecurityHeaders(app, config);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'eventManager API',
        description: 'Offline-first event platform: events, registration, check-in sync, drawings.',
        version: '1.0.0',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    transform: jsonSchemaTransform,
  });
  // The docs page carries inline scripts; staticCSP gives its routes a policy with their hashes.
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  await app.register(rateLimitPlugin, { config, redis: platform.redis });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const accounts = createAccountsService(platform, { publicUrl: config.publicUrl });
  const deps: ModuleDeps = {
    config,
    platform,
    accounts,
    authenticate: createAuthenticate(accounts),
    hooks: createLifecycleHooks(),
    plans: createPlanGate({
      db: platform.database.db,
      clock: platform.clock,
      tierOf: accounts.tierOf,
      enforced: config.planLimits,
    }),
  };
  await app.register(healthModule, deps);
  await app.register(accountsModule, deps);
  await app.register(eventsModule, deps);
  await app.register(participantsModule, deps);
  await app.register(drawingsModule, deps);
  await app.register(notificationsModule, deps);
  await app.register(checkinModule, deps);
  await app.register(billingModule, deps);
  await app.register(realtimeModule, deps);
  await app.register(webModule, deps);

  app.setNotFoundHandler((request, reply) => {
    return sendProblem(reply, 404, { detail: `No route for ${request.method} ${request.url.split('?')[0]}` });
  });
  return app;
}
