import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, testEngine } from '../helpers/test-app.ts';
import { DeviceSim, serverHash, until } from './device-sim.ts';
import { mutation, type Setup, setupEvent } from './fixtures.ts';

// Issue 4, test 4: kill one instance mid-stream (its devices reconnect to the other) and restart
// Redis: every surviving device ends with every change. With PostgreSQL + REDIS_URL the two instances
// use a private Redis on port 4391 that this test can restart without disturbing anyone else.
const REDIS_PORT = 4391;
const withRedis = testEngine() === 'postgres' && Boolean(process.env.REDIS_URL);
let redis: ChildProcess | undefined;
const savedRedisUrl = process.env.REDIS_URL;

async function startRedis(): Promise<void> {
  redis = spawn('redis-server', ['--port', String(REDIS_PORT), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const { Redis } = await import('ioredis');
  for (let i = 0; i < 50; i++) {
    const probe = new Redis(REDIS_PORT, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return;
    } catch {
      probe.disconnect();
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('private redis did not start');
}

async function stopRedis(): Promise<void> {
  const proc = redis;
  if (!proc || proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await exited;
}

let a: Awaited<ReturnType<typeof createTestContext>>;
let b: TestContext | undefined;
let s: Setup;
const devices: DeviceSim[] = [];

beforeAll(async () => {
  if (withRedis) {
    await startRedis();
    process.env.REDIS_URL = `redis://127.0.0.1:${REDIS_PORT}`;
  }
  a = await createTestContext({ listen: true });
  b = await createTestContext({ listen: true, shared: a.shared });
  s = await setupEvent(a.app, 60);
}, 120_000);

afterAll(async () => {
  for (const d of devices) d.disconnect();
  await b?.close().catch(() => {});
  await a?.close();
  await stopRedis();
  if (savedRedisUrl === undefined) delete process.env.REDIS_URL;
  else process.env.REDIS_URL = savedRedisUrl;
});

describe('instance death and a Redis restart mid-stream', () => {
  it('every surviving device ends with every change', async () => {
    const urls = { a: a.baseUrl, b: b!.baseUrl };
    for (const [i, url] of [urls.a, urls.a, urls.b, urls.b].entries()) {
      const d = new DeviceSim(
        `phone-${i}`,
        `phone ${i}`,
        i % 2 ? s.staff.token : s.organizer.token,
        s.eventId,
      );
      await d.connect(url, 100);
      d.keepConnected([urls.a]);
      devices.push(d);
    }

    // A writer device streams 150 mutations through both instances (a load balancer); a failed
    // request is retried with the SAME mutation id, as the outbox does.
    const writer = new DeviceSim('writer', 'door phone', s.staff.token, s.eventId);
    let bAlive = true;
    const t0 = Date.now();
    const stream = Array.from({ length: 150 }, (_, i) =>
      mutation(
        s.participants[i % 60]!.id,
        Math.floor(i / 60) % 2 ? 'undo_check_in' : 'check_in',
        t0 + i * 100,
      ),
    );
    for (const [i, m] of stream.entries()) {
      if (i === 50) {
        await b!.close(); // instance B dies; its two devices must move to A
        bAlive = false;
        b = undefined;
      }
      if (i === 100 && withRedis) {
        await stopRedis();
        await startRedis();
      }
      for (let attempt = 0; ; attempt++) {
        writer.baseUrl = bAlive && i % 2 ? urls.b : urls.a;
        try {
          await writer.sync([m]);
          break;
        } catch (err) {
          if (attempt > 50) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      await new Promise((r) => setTimeout(r, 10));
    }

    const expected = await serverHash(urls.a, s.organizer.token, s.eventId);
    for (const d of devices) await until(() => d.hash() === expected, 15_000, `${d.deviceId} to converge`);
    expect(devices[2]!.reconnects).toBeGreaterThan(0);
    expect(devices[3]!.reconnects).toBeGreaterThan(0);
    const cursors = new Set(devices.map((d) => d.cursor));
    expect(cursors.size).toBe(1);
  }, 90_000);
});
