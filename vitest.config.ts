import { defineConfig } from 'vitest/config';

/**
 * One command runs every tier. The server's integration suite runs on embedded PGlite always, and a
 * second time on real PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set (CI sets them).
 */
const realServices = Boolean(process.env.DATABASE_URL);

const integration = (name: string, engine: 'pglite' | 'postgres') => ({
  extends: true as const,
  test: {
    name,
    include: ['apps/server/test/**/*.test.ts'],
    env: { TEST_DB_ENGINE: engine },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'domain', include: ['packages/domain/src/**/*.test.ts'] } },
      { extends: true, test: { name: 'server-unit', include: ['apps/server/src/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'toss-simulator',
          include: ['apps/toss-simulator/src/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: { name: 'web', environment: 'jsdom', include: ['apps/web/src/**/*.test.{ts,tsx}'] },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          // Real server processes and a real browser: one file at a time, generous limits.
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      integration('server-pglite', 'pglite'),
      ...(realServices ? [integration('server-postgres', 'postgres')] : []),
    ],
  },
});
