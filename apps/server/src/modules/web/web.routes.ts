import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendProblem } from '../../platform/error-handler.ts';
import type { ModuleDeps } from '../../platform/module.ts';

/**
 * File types the build and the browser ask for by name. A missing one is a 404 (a stale service
 * worker or cached page asking for an old hashed bundle must not get index.html as JavaScript).
 */
const ASSET_EXTENSIONS = new Set([
  '.js',
  '.mjs',
  '.css',
  '.map',
  '.json',
  '.webmanifest',
  '.txt',
  '.xml',
  '.wasm',
  '.png',
  '.jpg',
  '.jpeg',
  '.gif',
  '.svg',
  '.ico',
  '.webp',
  '.avif',
  '.woff',
  '.woff2',
  '.ttf',
  '.otf',
  '.mp3',
  '.wav',
  '.ogg',
]);

/**
 * Whether a missing path names a static file rather than an app route. App routes may contain dots
 * (a signed manage token is `<id>.<signature>`), so a dot alone never makes a path a file: only
 * the build's asset folder and the known file types do.
 */
export function isAssetPath(url: string): boolean {
  if (url.startsWith('/assets/')) return true;
  const ext = path.extname(url).toLowerCase();
  return ASSET_EXTENSIONS.has(ext);
}

/**
 * Serves the built PWA and falls back to index.html for client-side routes. API and realtime paths
 * never fall back: an unknown /api route is a JSON 404.
 */
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
    if (isAssetPath(url)) {
      return sendProblem(reply, 404, { detail: `No file ${url}` });
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
};
