/**
 * Server CPU and SQL statements per check-in sync request (issue 4). A profiling script, not a
 * test: measured INSIDE the server process so a loaded shared machine does not distort the figure
 * the way wall-clock throughput would. Builds the real app (real PostgreSQL, Redis when REDIS_URL is set) in this process, sends
 * requests through Fastify's inject (no sockets: HTTP parsing is left out, the same before and
 * after), and reports process CPU ms and database statements per request.
 *
 *   TEST_DB_ENGINE=postgres DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
 *     REDIS_URL=redis://127.0.0.1:6379 npx node apps/server/test/checkin/sync-cpu.profile.ts
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { bearer, createTestContext, signupUser } from '../helpers/test-app.ts';

const SINGLES = Number(process.env.PROFILE_SINGLES ?? 500);
const BATCHES = Number(process.env.PROFILE_BATCHES ?? 50);
const CONCURRENCY = 8;
const PARTICIPANTS = 2_000;

process.env.TEST_DB_ENGINE ??= 'postgres';
const ctx = await createTestContext();
const { app, platform } = ctx;
try {
  const owner = await signupUser(app);
  const created = await app.inject({
    method: 'POST',
    url: '/api/events',
    headers: bearer(owner.token),
    payload: {
      name: '싱크 CPU 프로파일',
      location: { type: 'online', online_link: 'https://meet.example.com/p' },
      datetime: {
        start: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        end: new Date(Date.now() + 30 * 86_400_000 + 7_200_000).toISOString(),
        timezone: 'Asia/Seoul',
      },
      capacity: { waitlist_enabled: false },
      registration: { requires_approval: false, form_fields: [] },
    },
  });
  const eventId = (created.json() as { id: string }).id;
  for (let done = 0; done < PARTICIPANTS; done += 1_000) {
    const rows = ['name,email'];
    for (let i = done; i < done + 1_000; i++)
      rows.push(`참가자${i},p${i}.${randomBytes(3).toString('hex')}@bench.example.com`);
    const res = await app.inject({
      method: 'POST',
      url: `/api/events/${eventId}/participants/import`,
      headers: { ...bearer(owner.token), 'content-type': 'text/csv' },
      payload: rows.join('\n'),
    });
    if (res.statusCode !== 200) throw new Error(`import: ${res.statusCode} ${res.body}`);
  }
  const snap = await app.inject({
    method: 'GET',
    url: `/api/events/${eventId}/changes`,
    headers: bearer(owner.token),
  });
  const ids = (snap.json() as { snapshot: { id: string }[] }).snapshot.map((p) => p.id);

  // Every mutation changes state: each client walks its own participants, alternating check-in and
  // undo with device times 6 s apart (the worst case, as in bench:sync).
  const cursors = Array.from({ length: CONCURRENCY }, () => 0);
  const clock = Date.now() - 3_600_000;
  const mine = (c: number) => ids.filter((_, i) => i % CONCURRENCY === c);
  const slices = Array.from({ length: CONCURRENCY }, (_, c) => mine(c));

  async function run(requests: number, size: number) {
    let next = 0;
    let applied = 0;
    const worker = async (c: number) => {
      const own = slices[c]!;
      while (next++ < requests) {
        const mutations = [];
        for (let j = 0; j < size; j++) {
          const k = cursors[c]!++;
          const round = Math.floor(k / own.length);
          mutations.push({
            id: randomUUID(),
            type: round % 2 === 0 ? 'check_in' : 'undo_check_in',
            participant_id: own[k % own.length]!,
            local_timestamp: clock + round * 6_000,
          });
        }
        const res = await app.inject({
          method: 'POST',
          url: `/api/events/${eventId}/sync`,
          headers: bearer(owner.token),
          payload: { device: { id: `dev-${c}`, name: `dev ${c}` }, mutations, sent_at: Date.now() },
        });
        if (res.statusCode !== 200) throw new Error(`sync: ${res.statusCode} ${res.body}`);
        applied += (res.json() as { results: { applied: boolean }[] }).results.filter(
          (r) => r.applied,
        ).length;
      }
    };
    const cpu0 = process.cpuUsage();
    const q0 = platform.database.stats.queries;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, c) => worker(c)));
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1_000;
    return {
      size,
      requests,
      applied,
      cpuMsPerRequest: +(cpuMs / requests).toFixed(3),
      cpuUsPerMutation: +((cpuMs * 1_000) / (requests * size)).toFixed(1),
      statementsPerRequest: +((platform.database.stats.queries - q0) / requests).toFixed(2),
      wallMs: Math.round(wall),
    };
  }

  /** A floor for comparison: an authenticated read with the same access check and one query. */
  async function reference(requests: number) {
    const cpu0 = process.cpuUsage();
    const q0 = platform.database.stats.queries;
    let next = 0;
    const worker = async () => {
      while (next++ < requests) {
        const res = await app.inject({
          method: 'GET',
          url: `/api/events/${eventId}/checkin-logs?limit=1`,
          headers: bearer(owner.token),
        });
        if (res.statusCode !== 200) throw new Error(`logs: ${res.statusCode} ${res.body}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const cpu = process.cpuUsage(cpu0);
    return {
      requests,
      cpuMsPerRequest: +((cpu.user + cpu.system) / 1_000 / requests).toFixed(3),
      statementsPerRequest: +((platform.database.stats.queries - q0) / requests).toFixed(2),
    };
  }

  await reference(100);
  await run(100, 1); // warm-up (JIT, pools, caches)
  await run(5, 100);
  const single = await run(SINGLES, 1);
  const batch = await run(BATCHES, 100);
  const readFloor = await reference(SINGLES);
  console.log(JSON.stringify({ single, batch, readFloor }, null, 2));
} finally {
  await ctx.close();
}
