import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';

/**
 * Security headers on every response (@fastify/helmet). The Content-Security-Policy is the one the
 * web app passes on every screen (a browser test visits each): scripts, styles and fonts come from
 * the app's own origin; images also from `data:` (QR codes drawn in the page), `blob:` (generated
 * cards) and any https address (an event's logo is an organizer-given URL); the QR scanner decodes
 * in a Worker made from a `blob:` URL; the realtime socket and the API are same-origin. No page may
 * be framed (clickjacking of manage links and the organizer screens), and no referrer leaves the
 * app: a manage link carries its token in the path.
 */
export async function registerSecurityHeaders(app: FastifyInstance, config: Config): Promise<void> {
  const overTls = config.publicUrl.startsWith('https:');
  // Logos on plain http are allowed only where URL fields accept http (development and tests).
  const imageSources = [
    "'self'",
    'data:',
    'blob:',
    'https:',
    ...(config.env === 'production' ? [] : ['http:']),
  ];
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: imageSources,
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        manifestSrc: ["'self'"],
        mediaSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(overTls ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS only means something over TLS; on plain http it would pin a development host to https.
    strictTransportSecurity: overTls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // The camera page and the shared-event page open no cross-origin windows that need a handle back.
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}
