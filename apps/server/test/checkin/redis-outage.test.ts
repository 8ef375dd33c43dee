import { randomUUID } from 'node:crypto';
import { resolveCheckinState } from '@eventmanager/domain/checkin/resolve';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, sql } from '../../src/platform/db/database.ts';
import { freePort, hasRedisServer, OwnRedis } from '../helpers/own-redis.ts';
import { bearer, createTestContext, type TestContext, testEngine } from '../helpers/test-app.ts';
import { DeviceSim, serverHash, until } from './device-sim.ts';
import { addParticipants, mutation, type Setup, setupEvent, syncOk, WsClient } from './fixtures.ts';

/**
 * Redis is a cache and a fan-out, never a gate. Two instances share a real PostgreSQL database and a
 * Redis of this test's own, which it stops for 10 s under steady sync load from several devices and
 * then starts again: requests keep being answered quickly and none fails, every participant's state
 * is the rule applied to its logs, and every device converges once Redis is back.
 */

const runnable = testEngine() === 'postgres' && hasRedisServer();

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const figures = (values: number[]) => ({
  requests: values.length,
  p50: Math.round(percentile(values, 50)),
  p99: Math.round(percentile(values, 99)),
  max: Math.round(Math.max(...values)),
});

describe.skipIf(!runnable)('a Redis outage under sync load on two instances', () => {
  let redis: OwnRedis;
  let a: Awaited<ReturnType<typeof createTestContext>>;
  let b: TestContext;
  let s: Setup;
  const devices: DeviceSim[] = [];
  let watcher: WsClient | undefined;

  beforeAll(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    const redisUrl = `redis://127.0.0.1:${redis.port}`;
    a = await createTestContext({ listen: true, redisUrl });
    b = await createTestContext({ listen: true, redisUrl, shared: a.shared });
    s = await setupEvent(a.app, 0);
    s.participants = await addParticipants(a.app, s.organizer.token, s.eventId, 60, 8);
  }, 180_000);

  afterAll(async () => {
    watcher?.close();
    for (const d of devices) d.disconnect();
    await b?.close();
    await a?.close();
    await redis?.stop();
  });

  it('keeps sync fast and correct, and every device converges when Redis is back', async () => {
    const urls = [a.baseUrl, b.baseUrl];
    for (let i = 0; i < 6; i++) {
      const token = i % 2 ? s.staff.token : s.organizer.token;
      const d = new DeviceSim(`phone-${i}`, `Phone ${i}`, token, s.eventId);
      await d.snapshot(urls[i % 2]!);
      // Heartbeats every second (the app's are every 30 s): each one announcing a cursor ahead of
      // the device's makes it catch up through /changes, the fan-out's fallback while Redis is down.
      await d.connect(urls[i % 2]!, 1_000);
      d.keepConnected(urls);
      devices.push(d);
    }
    // A socket on instance B that only the bus can reach (no heartbeats, so no cursor catch-up).
    watcher = await WsClient.connect(b.baseUrl, s.staff.token, s.eventId, 'watcher', null);

    type Phase = 'before' | 'outage' | 'after';
    let phase: Phase = 'before';
    const latencies: Record<Phase, number[]> = { before: [], outage: [], after: [] };
    const failures: string[] = [];
    let running = true;
    const load = devices.map(async (d, i) => {
      let n = i;
      while (running) {
        const p = s.participants[(n * 7 + i) % s.participants.length]!;
        n++;
        // Near-ties between devices: action times a few seconds either way of now.
        const at = Date.now() - Math.floor(Math.random() * 4_000);
        const type = Math.random() < 0.6 ? 'check_in' : 'undo_check_in';
        const started = phase;
        const t0 = performance.now();
        try {
          await d.sync([mutation(p.id, type, at)]);
          latencies[started].push(performance.now() - t0);
        } catch (err) {
          failures.push(`${started}: ${(err as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    });

    await new Promise((r) => setTimeout(r, 3_000));
    phase = 'outage';
    await redis.stop();
    await new Promise((r) => setTimeout(r, 10_000));
    await redis.start();
    phase = 'after';
    await new Promise((r) => setTimeout(r, 5_000));
    running = false;
    await Promise.all(load);

    const report = {
      before: figures(latencies.before),
      outage: figures(latencies.outage),
      after: figures(latencies.after),
      failures: failures.length,
    };
    console.log(`redis outage (10 s, 2 instances, ${devices.length} devices), sync latency in ms:`, report);
    expect(failures).toEqual([]);
    expect(latencies.outage.length).toBeGreaterThan(50);
    expect(report.outage.p99).toBeLessThan(1_000);

    // Fan-out is back: a change on A reaches a socket on B through the bus alone.
    const pid = s.participants[0]!.id;
    let delivered = false;
    for (let attempt = 0; attempt < 30 && !delivered; attempt++) {
      const res = await syncOk(a.app, s.organizer.token, s.eventId, [
        {
          ...mutation(pid, attempt % 2 ? 'check_in' : 'undo_check_in', Date.now() + attempt * 6_000),
          id: randomUUID(),
        },
      ]);
      const cursor = res.cursor;
      delivered = await watcher!
        .waitFor((m) => m.type === 'checkin_updated' && m.cursor === cursor, 500)
        .then(() => true)
        .catch(() => false);
    }
    expect(delivered).toBe(true);
    // The shared cache and the memos are used again: a new session looked up on A (a miss, then
    // cached) is a cache hit on B, and B's next lookup is answered by its memo (no cache call).
    let shared = false;
    for (let attempt = 0; attempt < 20 && !shared; attempt++) {
      const login = await a.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: s.staff.email, password: s.staff.password },
      });
      const token = (login.json() as { access_token: string }).access_token;
      expect((await a.app.inject({ method: 'GET', url: '/api/me', headers: bearer(token) })).statusCode).toBe(
        200,
      );
      const hits = b.platform.cache.stats.hits;
      expect((await b.app.inject({ method: 'GET', url: '/api/me', headers: bearer(token) })).statusCode).toBe(
        200,
      );
      shared = b.platform.cache.stats.hits === hits + 1;
      if (shared) {
        const calls = b.platform.cache.stats.hits + b.platform.cache.stats.misses;
        await b.app.inject({ method: 'GET', url: '/api/me', headers: bearer(token) });
        expect(b.platform.cache.stats.hits + b.platform.cache.stats.misses).toBe(calls);
      } else await new Promise((r) => setTimeout(r, 250));
    }
    expect(shared).toBe(true);

    // Every participant's stored state is the rule applied to its logs in the database.
    const db = a.shared.database.db;
    const rows = await queryRows<{ id: string; checkin_status: string }>(
      db,
      sql`select id, checkin_status from participants where event_id = ${s.eventId}`,
    );
    const logs = await queryRows<{
      id: string;
      participant_id: string;
      action: 'check_in' | 'undo_check_in';
      at: number;
    }>(
      db,
      sql`select id, participant_id, action, (extract(epoch from action_at) * 1000)::float8 as at
          from checkin_logs where event_id = ${s.eventId}`,
    );
    expect(logs.length).toBeGreaterThan(100);
    for (const row of rows) {
      const own = logs
        .filter((l) => l.participant_id === row.id)
        .map((l) => ({ ...l, timestamp: Number(l.at) }));
      expect({ id: row.id, status: row.checkin_status }).toEqual({
        id: row.id,
        status: resolveCheckinState(own).status,
      });
    }

    // Every device converges on the server's state.
    const truth = await serverHash(a.baseUrl, s.organizer.token, s.eventId);
    await until(() => devices.every((d) => d.hash() === truth), 20_000, 'devices to converge');
    for (const d of devices) expect(d.hash()).toBe(truth);
  }, 180_000);
});
