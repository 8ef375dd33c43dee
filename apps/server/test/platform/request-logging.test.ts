import { afterEach, describe, expect, it } from 'vitest';

// Building an app on a fresh in-memory database takes a while on a busy machine.
const BUILD_TIMEOUT_MS = 120_000;

import { createTestContext, type TestContext } from '../helpers/test-app.ts';

/**
 * The default log level keeps requests out of the log (lifecycle, warnings and errors only);
 * LOG_LEVEL=debug adds exactly one compact line per request.
 */
let ctx: TestContext | undefined;
afterEach(async () => {
  await ctx?.close();
  ctx = undefined;
}, BUILD_TIMEOUT_MS);

async function logsFor(level: string): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  ctx = await createTestContext({
    env: { LOG_LEVEL: level },
    logStream: { write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  lines.length = 0;
  await ctx.app.inject({ method: 'GET', url: '/healthz' });
  await ctx.app.inject({ method: 'GET', url: '/api/events/not-there', headers: {} });
  await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nope' } });
  return lines;
}

describe('request logging', () => {
  it(
    'at info (the default) a request writes no log line',
    async () => {
      const lines = await logsFor('info');
      expect(lines.filter((l) => l.req || l.res || l.msg === 'request')).toEqual([]);
      expect(lines.map((l) => l.msg)).not.toContain('incoming request');
    },
    BUILD_TIMEOUT_MS,
  );

  it(
    'at debug each request writes exactly one line with method, url, status and duration',
    async () => {
      const lines = await logsFor('debug');
      const requests = lines.filter((l) => l.msg === 'request');
      expect(requests.map((l) => [l.method, l.url, l.statusCode])).toEqual([
        ['GET', '/healthz', 200],
        ['GET', '/api/events/not-there', 401],
        ['POST', '/api/auth/login', 400],
      ]);
      for (const l of requests) expect(typeof l.ms).toBe('number');
      expect(lines.filter((l) => l.msg === 'incoming request' || l.msg === 'request completed')).toEqual([]);
    },
    BUILD_TIMEOUT_MS,
  );
});
