import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** Dev server port for this app (the server proxies to 3000 by default; override with API_TARGET). */
const apiTarget = process.env.API_TARGET ?? 'http://localhost:3000';

/**
 * Pretendard's dynamic subsets say `font-display: swap`: on a Korean page on a slow connection every
 * subset that arrives late re-lays the page out while the person reads. `fallback` swaps only within
 * ~3 s; later the system Korean font stays for that view and Pretendard (cached by the service
 * worker) is used from the next view on.
 */
const pretendardFallback: Plugin = {
  name: 'pretendard-font-display-fallback',
  enforce: 'pre',
  transform(code, id) {
    if (!id.includes('pretendardvariable-dynamic-subset.css')) return null;
    return { code: code.replaceAll('font-display: swap', 'font-display: fallback'), map: null };
  },
};

export default defineConfig({
  plugins: [
    pretendardFallback,
    react(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['icons/favicon-64.png', 'icons/apple-touch-icon.png'],
      manifest: {
        name: 'eventManager',
        short_name: 'eventManager',
        description:
          '이벤트 등록, 오프라인 체크인, 경품 추첨 — Event registration, offline check-in, prize drawings',
        lang: 'ko',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: '#1b64da',
        background_color: '#f2f4f6',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The shell, every route chunk and the icons; fonts are cached on first use (there are ~90 subsets).
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/realtime/, /^\/healthz/, /^\/readyz/],
        runtimeCaching: [
          {
            urlPattern: ({ url }) => url.pathname.startsWith('/assets/') && url.pathname.endsWith('.woff2'),
            handler: 'CacheFirst',
            options: {
              cacheName: 'fonts',
              expiration: { maxEntries: 120, maxAgeSeconds: 60 * 60 * 24 * 365 },
            },
          },
        ],
      },
    }),
  ],
  server: {
    port: Number(process.env.WEB_DEV_PORT ?? 4400),
    proxy: { '/api': apiTarget, '/realtime': { target: apiTarget.replace(/^http/, 'ws'), ws: true } },
  },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
