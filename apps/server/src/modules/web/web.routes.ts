import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendProblem } from '../../platform/error-handler.ts';
import type { ModuleDeps } from '../../platform/module.ts';

/**
 * Serves the built PWA and falls back to index.html for client-side routes. API and realtime paths
 * never fall back: an unknown /api route is a JSON 404.
 */
/** Paths the web app routes itself; their parameters (tokens, codes) may contain dots. */
const CLIENT_ROUTE = /^\/(m|e|events|drawings)\//;

export const webModule: FastifyPluginAsyncZod<ModuleDeps> = async (app, { config }) => {
  const root = config.webDistDir;
  const hasBuild = existsSync(path.join(root, 'index.html'));
  if (hasBuild) {
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      setHeaders(res, filePath) {
        // Hashed assets never change; the shell and the service worker must always be revalidated.
        if (filePath.includes(`${path.sep}assets${path.sep}`)) {
          res.header('cache-control', 'public, max-age=31536000, immutable');
        } else {
          res.header('cache-control', 'no-cache');
        }
      },
    });
  }

  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    if (url.startsWith('/api/') || url === '/api' || url.startsWith('/realtime')) {
      return sendProblem(reply, 404, { detail: `No route for GET ${url}` });
    }
    if (!hasBuild) {
      return reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><title>eventManager</title><p>The web app is not built. Run <code>npm run build:web</code>.</p>',
        );
    }
    const file = path.join(root, path.normalize(url));
    if (file.startsWith(root) && path.extname(file) && existsSync(file)) {
      return reply.sendFile(path.relative(root, file));
    }
    // A missing asset is a 404; a client route is not an asset even when its last segment has a dot
    // (a manage link's token does: "/m/<id>.<signature>").
    if (path.extname(url) && !url.endsWith('.html') && !CLIENT_ROUTE.test(url)) {
      return sendProblem(reply, 404, { detail: `No file ${url}` });
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
};
