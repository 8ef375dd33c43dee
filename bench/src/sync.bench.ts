/**
 * Check-in sync benchmarks (issue 4), against a real PostgreSQL and Redis on this machine:
 *  1. pgbench with the equivalent raw transaction (insert a log + update the participant), 8 clients;
 *  2. sync throughput: single-mutation requests and 100-mutation batches, 8 clients, two instances;
 *  3. fan-out: 500 WebSocket devices on 2 instances through Redis, 50 check-ins/s, latency from the
 *     sync request to the LAST device receiving `checkin_updated`;
 *  4. catch-up: 1,000 missed changes to a reconnecting device; snapshot of 10,000 participants;
 *  5. memory: RSS of a fresh server with 5,000 idle authenticated sockets.
 * The servers are the real `apps/server/src/main.ts` as child processes; the load generator is this
 * process. Results replace the "Sync" section of BENCHMARKS.md.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379 npm run bench:sync
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type WebSocket from 'ws';
import {
  commandCpuMs,
  dbUrl,
  percentile,
  postgresCpuMs,
  processCpuMs,
  psql,
  ROOT,
  writeBenchmarkSection,
} from './support/bench-kit.ts';
import { openSockets, wallNow } from './support/ws-devices.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORTS = [4301, 4302];
const RSS_PORT = 4303;
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const PARTICIPANTS = Number(process.env.BENCH_PARTICIPANTS ?? 10_000);
const FANOUT_SOCKETS = Number(process.env.BENCH_SOCKETS ?? 500);
const IDLE_SOCKETS = Number(process.env.BENCH_IDLE_SOCKETS ?? 5_000);
/** Fresh instances measured per memory figure (the median is reported). */
const MEMORY_RUNS = Number(process.env.BENCH_MEMORY_RUNS ?? 3);
const CLIENTS = 8;
/** Rounds of each throughput measurement; the median is reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Threads the fan-out devices are spread over (real phones decode their frames in parallel). */
const DEVICE_THREADS = Number(process.env.BENCH_DEVICE_THREADS ?? 2);
/**
 * BENCH_ONLY=throughput: pgbench and the three throughput loads only, for quick experiments
 * (BENCHMARKS.md untouched); or a comma-separated choice of them: pgbench,single,spread,batch,
 * fanout (which runs the catch-up too), memory (only together with fanout, whose event it uses).
 */
const ONLY = process.env.BENCH_ONLY === 'throughput' ? 'pgbench,single,spread,batch' : process.env.BENCH_ONLY;
const runs = (phase: string) => !ONLY || ONLY.split(',').includes(phase);
/**
 * BENCH_TRACE=1 lists the fan-out's slowest check-ins with when they were sent; with
 * BENCH_SERVER_STDOUT=1 the servers' standard output is shown (e.g. with
 * BENCH_SERVER_NODE_ARGS=--trace-gc, to line GC pauses up with them).
 */
const TRACE = process.env.BENCH_TRACE === '1';

const JWT_SECRET = randomBytes(48).toString('base64url');
const PII_KEYS = `k1:${randomBytes(32).toString('base64')}`;
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A keep-alive HTTP request (lighter than fetch for a load generator). */
function request(
  base: string,
  method: string,
  urlPath: string,
  token: string | undefined,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; text: string }> {
  const url = new URL(urlPath, base);
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        method,
        hostname: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload !== undefined
            ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

async function json<T>(p: Promise<{ status: number; text: string }>, expected = 200): Promise<T> {
  const res = await p;
  if (res.status !== expected) throw new Error(`HTTP ${res.status}: ${res.text.slice(0, 300)}`);
  return JSON.parse(res.text) as T;
}

function startServer(
  port: number,
  databaseUrl: string,
  dataDir: string,
  withRedis: boolean,
  nodeFlags: string[] = [],
): Promise<ChildProcess> {
  const { REDIS_URL: _r, ...inherited } = process.env;
  const child = spawn(process.execPath, [...nodeFlags, path.join(ROOT, 'apps/server/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...inherited,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      ...(withRedis ? { REDIS_URL: redisUrl } : {}),
      DATA_DIR: dataDir,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      JWT_SECRET,
      PII_KEYS,
      LOG_LEVEL: 'warn',
      // Benchmarks measure the work itself; request limits would refuse the load generator.
      RATE_LIMITS: 'off',
      // Plan limits are not what this benchmark measures (its events exceed the free plan).
      PLAN_LIMITS: 'off',
      EMBEDDED_WORKER: 'false',
      BODY_LIMIT_BYTES: String(4 * 1024 * 1024),
    },
    stdio: ['ignore', process.env.BENCH_SERVER_STDOUT ? 'inherit' : 'ignore', 'inherit'],
  });
  return (async () => {
    for (let i = 0; i < 300; i++) {
      if (child.exitCode !== null) throw new Error(`server on ${port} exited with ${child.exitCode}`);
      try {
        if ((await request(`http://127.0.0.1:${port}`, 'GET', '/readyz', undefined)).status === 200)
          return child;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    child.kill('SIGTERM');
    throw new Error(`server on ${port} did not become ready`);
  })();
}

function rssMb(pid: number): number {
  const status = execFileSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' });
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function createEvent(
  base: string,
  token: string,
  name: string,
  count: number,
): Promise<{ id: string; ids: string[] }> {
  const start = new Date(Date.now() + 30 * 86_400_000);
  const event = await json<{ id: string }>(
    request(base, 'POST', '/api/events', token, {
      name,
      location: { type: 'online', online_link: 'https://meet.example.com/bench' },
      datetime: {
        start: start.toISOString(),
        end: new Date(start.getTime() + 7_200_000).toISOString(),
        timezone: 'Asia/Seoul',
      },
      capacity: { waitlist_enabled: false },
      registration: { requires_approval: false, form_fields: [] },
    }),
    201,
  );
  for (let done = 0; done < count; done += 1_000) {
    const rows = ['name,email'];
    for (let i = done; i < Math.min(count, done + 1_000); i++)
      rows.push(`참가자${i},p${i}.${randomBytes(3).toString('hex')}@bench.example.com`);
    const res = await json<{ created: number }>(
      request(
        base,
        'POST',
        `/api/events/${event.id}/participants/import`,
        token,
        rows.join('\n'),
        'text/csv',
      ),
    );
    if (res.created !== rows.length - 1)
      throw new Error(`import created ${res.created} of ${rows.length - 1}`);
  }
  const snap = await json<{ snapshot: { id: string }[] }>(
    request(base, 'GET', `/api/events/${event.id}/changes`, token),
  );
  return { id: event.id, ids: snap.snapshot.map((p) => p.id) };
}

interface SyncAnswer {
  cursor: number;
  results: { applied: boolean; duplicate: boolean; conflict?: boolean }[];
}

/**
 * The device time the next load starts from. Device clocks only move forward: each load starts
 * where the one before it stopped. (Restarting every load an hour back, as this benchmark once did,
 * made every mutation of a later round land between logs already held, less than 5 s from one of
 * the other action: a contest, a `sync_conflict` for nearly every mutation — not event day.)
 */
let nextDeviceTime = Date.now() - 3_600_000;

/** `clients` loops for `seconds`, each sending batches of `size` mutations; returns mutations/s. */
async function syncLoad(
  bases: string[],
  token: string,
  targets: { id: string; ids: string[] }[],
  size: number,
  seconds: number,
  serverPids: number[],
  clients = CLIENTS,
) {
  let applied = 0;
  let conflicts = 0;
  let requests = 0;
  const clock = nextDeviceTime;
  let passes = 0;
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1_000;
  // Each client is one device: it keeps its connection to one instance (as a phone behind a load
  // balancer does with keep-alive; 4 per instance) and owns a slice of participants, walking it,
  // alternating check-in and undo with
  // device times 6 s apart, so every mutation changes state (the worst case: every one is a change).
  const worker = async (c: number) => {
    // One event shared by all clients (each its own participants), or one event per client.
    const target = targets[c % targets.length]!;
    const eventId = target.id;
    const mine = targets.length === 1 ? target.ids.filter((_, i) => i % clients === c) : target.ids;
    let k = 0;
    while (performance.now() < deadline) {
      const mutations = [];
      for (let j = 0; j < size; j++) {
        const pid = mine[k % mine.length]!;
        const round = Math.floor(k / mine.length);
        mutations.push({
          id: randomUUID(),
          type: round % 2 === 0 ? 'check_in' : 'undo_check_in',
          participant_id: pid,
          local_timestamp: clock + round * 6_000,
        });
        k++;
      }
      const started = performance.now();
      const res = await json<SyncAnswer>(
        request(bases[c % bases.length]!, 'POST', `/api/events/${eventId}/sync`, token, {
          device: { id: `bench-${c}`, name: `bench ${c}` },
          mutations,
          sent_at: Date.now(),
        }),
      );
      latencies.push(performance.now() - started);
      requests++;
      applied += res.results.filter((r) => r.applied).length;
      conflicts += res.results.filter((r) => r.conflict).length;
    }
    passes = Math.max(passes, Math.ceil(k / mine.length));
  };
  const serversCpu = () => serverPids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
  const cpuBefore = {
    servers: serversCpu(),
    postgres: postgresCpuMs(),
    redis: commandCpuMs('redis-server'),
    client: process.cpuUsage(),
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, (_, c) => worker(c)));
  const elapsed = (performance.now() - t0) / 1_000;
  nextDeviceTime = clock + (passes + 1) * 6_000;
  const clientCpu = process.cpuUsage(cpuBefore.client);
  // CPU per applied mutation (ms): where the two cores went.
  const cpu = {
    servers: (serversCpu() - cpuBefore.servers) / applied,
    postgres: (postgresCpuMs() - cpuBefore.postgres) / applied,
    redis: (commandCpuMs('redis-server') - cpuBefore.redis) / applied,
    client: (clientCpu.user + clientCpu.system) / 1_000 / applied,
  };
  latencies.sort((a, b) => a - b);
  return {
    cpu,
    mutationsPerSecond: applied / elapsed,
    requestsPerSecond: requests / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    applied,
    conflicts,
  };
}

/**
 * Before every measured phase, pgbench's and the servers' alike: VACUUM ANALYZE of the benchmark's
 * database (so autovacuum does not pick its tables up mid-phase after the previous phase's writes),
 * a checkpoint, then `sync`: nothing written before a phase is flushed during it.
 */
function settleDisk(database?: string): void {
  if (database) psql('vacuum analyze', database);
  psql('checkpoint');
  execFileSync('sync');
}

/** CPU per mutation (ms) of the servers, PostgreSQL and the load generator. */
function cpuLine(cpu: { servers: number; postgres: number; redis: number; client: number }): string {
  return `CPU per mutation: servers ${cpu.servers.toFixed(3)} ms, PostgreSQL ${cpu.postgres.toFixed(3)} ms, Redis ${cpu.redis.toFixed(3)} ms, load generator ${cpu.client.toFixed(3)} ms`;
}

function preparePgbench(database: string): void {
  psql(
    `create table bench_participants (n int primary key, id uuid not null default gen_random_uuid(), status text not null default 'not_checked_in', version int not null default 1);
     insert into bench_participants (n) select g from generate_series(1, ${PARTICIPANTS}) g;
     create table bench_logs (id uuid primary key default gen_random_uuid(), participant_id uuid not null, action text not null, at timestamptz not null default now());
     create index on bench_logs (participant_id);`,
    database,
  );
}

function runPgbench(database: string, seconds: number): { tps: number; line: string } {
  const script = path.join(os.tmpdir(), `em-pgbench-${process.pid}.sql`);
  return (() => {
    execFileSync('sh', [
      '-c',
      `cat > ${script} <<'SQL'
\\set pid random(1, ${PARTICIPANTS})
BEGIN;
INSERT INTO bench_logs (participant_id, action) SELECT id, 'check_in' FROM bench_participants WHERE n = :pid;
UPDATE bench_participants SET status = 'checked_in', version = version + 1 WHERE n = :pid;
END;
SQL`,
    ]);
    const pgCpuBefore = postgresCpuMs();
    const out = execFileSync(
      'pgbench',
      ['-n', '-c', String(CLIENTS), '-j', '2', '-T', String(seconds), '-f', script, dbUrl(database)],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const line = out.split('\n').find((l) => l.startsWith('tps')) ?? '';
    const tps = Number(/tps = ([\d.]+)/.exec(line)?.[1] ?? 0);
    // pgbench's backends have exited; give the postmaster a moment to reap them (their CPU counts then).
    execFileSync('sleep', ['0.5']);
    const pgCpuPerTx = (postgresCpuMs() - pgCpuBefore) / (tps * seconds);
    return { tps, line: `${line.trim()}; PostgreSQL CPU ${pgCpuPerTx.toFixed(3)} ms per transaction` };
  })();
}

async function main(): Promise<void> {
  const dbName = `em_bench_sync_${Date.now().toString(36)}`;
  psql(`create database ${dbName}`);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'em-bench-sync-'));
  const children: ChildProcess[] = [];
  const sockets: WebSocket[] = [];
  try {
    console.log(`database ${dbName}; starting two instances on ${PORTS.join(', ')} with Redis …`);
    // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the two servers.
    const serverArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    children.push(await startServer(PORTS[0]!, dbUrl(dbName), dataDir, true, serverArgs));
    children.push(await startServer(PORTS[1]!, dbUrl(dbName), dataDir, true, serverArgs));
    const bases = PORTS.map((p) => `http://127.0.0.1:${p}`);
    const serverPids = children.map((c) => c.pid!);
    const [A] = bases as [string, string];

    const signup = await json<{ access_token: string }>(
      request(A, 'POST', '/api/auth/signup', undefined, {
        email: `bench.${randomBytes(4).toString('hex')}@example.com`,
        password: 'correct-horse-battery',
        name: '김사라',
        accept_terms: true,
      }),
      201,
    );
    const token = signup.access_token;
    console.log(`importing ${PARTICIPANTS} participants …`);
    const main = await createEvent(A, token, '싱크 벤치마크', PARTICIPANTS);
    const small: { id: string; ids: string[] }[] = [];
    for (let i = 0; i < CLIENTS; i++) small.push(await createEvent(A, token, `작은 이벤트 ${i}`, 300));

    // Snapshot for the offline cache (10,000 participants).
    const snapTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const res = await request(A, 'GET', `/api/events/${main.id}/changes`, token);
      snapTimes.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`snapshot ${res.status}`);
    }
    const snapshotMs = Math.min(...snapTimes);

    // The machine is shared (a VM on a busy host): each throughput figure is the median of ROUNDS
    // rounds, and each single-mutation round is set against a pgbench run just before it.
    const skipped = {
      cpu: { servers: 0, postgres: 0, redis: 0, client: 0 },
      mutationsPerSecond: 0,
      p50: 0,
      p99: 0,
      conflicts: 0,
    };
    type Load = typeof skipped;
    const loadLine = (l: Load) =>
      `${l.mutationsPerSecond.toFixed(0)} mutations/s, p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, ${l.conflicts} conflicts; ${cpuLine(l.cpu)}`;
    if (runs('pgbench')) preparePgbench(dbName);
    // Not measured: long enough for both servers' hot paths to be compiled (after 2 s the first
    // round still spent a quarter more server CPU per mutation than the next two).
    console.log('warm-up: single-mutation syncs, 5 s …');
    await syncLoad(bases, token, [main], 1, 5, serverPids);
    const singleRounds: { pgbench: { tps: number; line: string }; single: Load; ratio: number }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      settleDisk(dbName);
      console.log(`round ${round}/${ROUNDS}: pgbench (insert log + update participant, 8 clients) …`);
      const pgbench = runs('pgbench') ? runPgbench(dbName, DURATION_S) : { tps: Number.NaN, line: 'skipped' };
      console.log(`  ${pgbench.line}`);
      settleDisk(dbName);
      console.log(`round ${round}/${ROUNDS}: single-mutation syncs, 8 clients, both instances …`);
      const single = runs('single')
        ? await syncLoad(bases, token, [main], 1, DURATION_S, serverPids)
        : skipped;
      const ratio = single.mutationsPerSecond / pgbench.tps;
      console.log(`  ${loadLine(single)} (${(100 * ratio).toFixed(0)}% of this round's pgbench)`);
      singleRounds.push({ pgbench, single, ratio });
    }
    const bySingle = [...singleRounds].sort((a, b) => a.ratio - b.ratio);
    const { pgbench, single } = bySingle[Math.floor((bySingle.length - 1) / 2)]!;

    settleDisk(dbName);
    console.log('single-mutation syncs, 8 clients on 8 different events …');
    const spread = runs('spread') ? await syncLoad(bases, token, small, 1, DURATION_S, serverPids) : skipped;
    console.log(`  ${loadLine(spread)}`);

    const batchRounds: Load[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      settleDisk(dbName);
      console.log(`round ${round}/${ROUNDS}: 100-mutation batches, 8 clients, both instances …`);
      const b = runs('batch') ? await syncLoad(bases, token, [main], 100, DURATION_S, serverPids) : skipped;
      console.log(`  ${loadLine(b)}`);
      batchRounds.push(b);
    }
    const batch = [...batchRounds].sort((a, b) => a.mutationsPerSecond - b.mutationsPerSecond)[
      Math.floor((batchRounds.length - 1) / 2)
    ]!;

    if (ONLY && !runs('fanout')) return;

    // Catch-up: a device holding cursor C misses 1,000 changes, reconnects and catches up.
    const c0 = (await json<{ cursor: number }>(request(A, 'GET', `/api/events/${main.id}/changes`, token)))
      .cursor;
    let cursorNow = c0;
    for (let round = 0; cursorNow - c0 < 1_000; round++) {
      const mutations = main.ids.slice(0, 1_000 - (cursorNow - c0)).map((pid) => ({
        id: randomUUID(),
        type: round % 2 ? 'check_in' : 'undo_check_in',
        participant_id: pid,
        local_timestamp: Date.now() + 3_600_000 + round * 10_000,
      }));
      cursorNow = (
        await json<SyncAnswer>(
          request(A, 'POST', `/api/events/${main.id}/sync`, token, {
            device: { id: 'other', name: 'other' },
            mutations,
          }),
        )
      ).cursor;
    }
    const catchUpTimes: number[] = [];
    let delivered = 0;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const ws = (await openSockets([bases[1]!], token, main.id, 1))[0]!;
      const page = await json<{ changes: unknown[]; has_more: boolean }>(
        request(bases[1]!, 'GET', `/api/events/${main.id}/changes?since=${c0}&limit=1000`, token),
      );
      catchUpTimes.push(performance.now() - t);
      delivered = page.changes.length;
      ws.terminate();
    }
    const catchUpMs = Math.min(...catchUpTimes);
    console.log(
      `catch-up of ${delivered} changes (connect + auth + subscribe + GET /changes): ${catchUpMs.toFixed(0)} ms`,
    );

    // Fan-out: 500 devices on two instances; 50 check-ins/s for DURATION_S seconds.
    console.log(`fan-out: ${FANOUT_SOCKETS} sockets on 2 instances, 50 check-ins/s …`);
    const fan = await createEvent(A, token, '팬아웃 벤치마크', 50 * DURATION_S + 50);
    // The devices live in DEVICE_THREADS worker threads, each reporting per participant (each
    // check-in is a different person) how many of its devices got the update and when the last did.
    // Keyed by participant, not cursor: requests that share a transaction share its cursor.
    const devices = Array.from({ length: DEVICE_THREADS }, (_, t) => {
      const count =
        Math.floor(FANOUT_SOCKETS / DEVICE_THREADS) + (t < FANOUT_SOCKETS % DEVICE_THREADS ? 1 : 0);
      const firstIndex =
        t * Math.floor(FANOUT_SOCKETS / DEVICE_THREADS) + Math.min(t, FANOUT_SOCKETS % DEVICE_THREADS);
      return new Worker(new URL('./support/fanout-devices.worker.ts', import.meta.url), {
        workerData: { bases, token, eventId: fan.id, count, firstIndex },
      });
    });
    const ask = (worker: Worker, command: 'reset' | 'report') =>
      new Promise<{ type: string; receipts?: [string, { count: number; last: number }][] }>(
        (resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.postMessage(command);
        },
      );
    await Promise.all(
      devices.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('message', () => resolve());
            w.once('error', reject);
          }),
      ),
    );
    // Write out what the setup left dirty (PostgreSQL's buffers, then the kernel's page cache): the
    // kernel flushes dirty pages about 30 s after they were written, and on this VM's disk that
    // flush stalled every commit for a few hundred ms in the middle of the phase.
    // Warm-up, not measured: one second at the same rate for the 50 spare participants, so the
    // phase measures event day, not each instance's first check-in of the event (loading its ledger).
    const warmUp = fan.ids.slice(50 * DURATION_S);
    for (let i = 0; i < warmUp.length; i++) {
      await Promise.all([
        sleep(20),
        json<SyncAnswer>(
          request(bases[i % 2]!, 'POST', `/api/events/${fan.id}/sync`, token, {
            device: { id: 'door', name: 'door' },
            mutations: [
              { id: randomUUID(), type: 'check_in', participant_id: warmUp[i]!, local_timestamp: Date.now() },
            ],
            sent_at: Date.now(),
          }),
        ),
      ]);
    }
    settleDisk(dbName);
    await sleep(500);
    await Promise.all(devices.map((w) => ask(w, 'reset')));
    const sentAt = new Map<string, number>();
    // The fan-out leg alone: from the sync answer (the server publishes before answering) to the last device.
    const answeredAt = new Map<string, number>();
    const sends: Promise<void>[] = [];
    const total = 50 * DURATION_S;
    const fanStart = performance.now();
    const fanWallStart = wallNow();
    for (let i = 0; i < total; i++) {
      const due = fanStart + i * 20;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const t = wallNow();
      sends.push(
        json<SyncAnswer>(
          request(bases[i % 2]!, 'POST', `/api/events/${fan.id}/sync`, token, {
            device: { id: 'door', name: 'door' },
            mutations: [
              {
                id: randomUUID(),
                type: 'check_in',
                participant_id: fan.ids[i]!,
                local_timestamp: Date.now(),
              },
            ],
            sent_at: Date.now(),
          }),
        ).then(() => {
          sentAt.set(fan.ids[i]!, t);
          answeredAt.set(fan.ids[i]!, wallNow());
        }),
      );
    }
    await Promise.all(sends);
    await sleep(2_000);
    const receipts = new Map<string, { count: number; last: number }>();
    for (const report of await Promise.all(devices.map((w) => ask(w, 'report')))) {
      for (const [participant, r] of report.receipts ?? []) {
        const seen = receipts.get(participant);
        if (seen) {
          seen.count += r.count;
          seen.last = Math.max(seen.last, r.last);
        } else receipts.set(participant, { ...r });
      }
    }
    const fanLatencies: number[] = [];
    const legLatencies: number[] = [];
    let complete = 0;
    for (const [participant, t] of sentAt) {
      const r = receipts.get(participant);
      if (r && r.count >= FANOUT_SOCKETS) {
        complete++;
        fanLatencies.push(r.last - t);
        legLatencies.push(Math.max(0, r.last - (answeredAt.get(participant) ?? r.last)));
      }
    }
    if (TRACE) {
      // The 25 slowest check-ins, by when in the phase they were sent: tells a stall from a spread.
      const slowest = [...sentAt]
        .map(([p, t]) => ({
          at: t - fanWallStart,
          total: (receipts.get(p)?.last ?? 0) - t,
          answer: (answeredAt.get(p) ?? 0) - t,
          leg: (receipts.get(p)?.last ?? 0) - (answeredAt.get(p) ?? 0),
        }))
        .sort((a, b) => b.total - a.total)
        .slice(0, 25);
      console.log(`  slowest check-ins (phase began ${new Date(fanWallStart).toISOString()}):`);
      for (const r of slowest)
        console.log(
          `    sent at +${r.at.toFixed(0)} ms: ${r.total.toFixed(1)} ms (answer ${r.answer.toFixed(1)}, fan-out leg ${r.leg.toFixed(1)})`,
        );
    }
    legLatencies.sort((a, b) => a - b);
    fanLatencies.sort((a, b) => a - b);
    const fanP50 = percentile(fanLatencies, 50);
    const fanP99 = percentile(fanLatencies, 99);
    console.log(
      `  ${complete}/${total} check-ins reached all ${FANOUT_SOCKETS} devices; p50 ${fanP50.toFixed(1)} ms, p99 ${fanP99.toFixed(1)} ms`,
    );
    for (const w of devices) {
      w.postMessage('close');
      await new Promise((resolve) => w.once('exit', resolve));
    }

    if (ONLY && !runs('memory')) return;

    // Memory: a fresh single instance, 5,000 idle authenticated (and subscribed) sockets; with
    // Node's defaults and with the smaller young generation `npm start` uses (V8 sizes it from the
    // machine's RAM). Where V8 happens to collect during the 5,000 authentications moves the figure
    // by tens of MB from one fresh instance to the next, so each is the median of MEMORY_RUNS.
    const memory: { flags: string; runs: { before: number; after: number }[] }[] = [];
    for (const flags of [[], ['--max-semi-space-size=8']]) {
      const runs: { before: number; after: number }[] = [];
      for (let run = 1; run <= MEMORY_RUNS; run++) {
        console.log(
          `memory ${run}/${MEMORY_RUNS}: fresh instance ${flags.join(' ') || '(default flags)'}, ${IDLE_SOCKETS} idle sockets …`,
        );
        const rssChild = await startServer(RSS_PORT, dbUrl(dbName), dataDir, false, flags);
        const rssBase = `http://127.0.0.1:${RSS_PORT}`;
        await sleep(1_000);
        const before = rssMb(rssChild.pid!);
        const idle = await openSockets([rssBase], token, fan.id, IDLE_SOCKETS);
        await sleep(3_000);
        const after = rssMb(rssChild.pid!);
        console.log(
          `  RSS ${before.toFixed(0)} MB → ${after.toFixed(0)} MB (${(((after - before) * 1024) / IDLE_SOCKETS).toFixed(1)} KiB per socket)`,
        );
        runs.push({ before, after });
        for (const ws of idle) ws.terminate();
        rssChild.kill('SIGTERM');
        await new Promise((r) => rssChild.once('exit', r));
      }
      memory.push({ flags: flags.join(' ') || 'Node defaults', runs });
    }
    if (ONLY) return;

    const pgVersion = psql('show server_version');
    const fsync = psql('show fsync');
    const syncCommit = psql('show synchronous_commit');
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const ok = (v: boolean) => (v ? 'met' : '**not met**');
    const section = [
      '## Sync',
      '',
      `\`npm run bench:sync\` — ${when} UTC, machine: ${os.cpus().length} cores (${cpu.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, PostgreSQL ${pgVersion} (fsync ${fsync}, synchronous_commit ${syncCommit}), Redis, Node ${process.versions.node}; machine load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(
          ' / ',
        )} at the end (the benchmark's own servers, clients and PostgreSQL share the cores; a higher figure means other work competed too). Two server instances (\`apps/server/src/main.ts\`, pool of 20 connections each) over one database and one Redis; the load generator (8 clients, each a device keeping its connection to one instance, 4 per instance) and all WebSocket clients run in the benchmark process on the same 2 cores (the 500 fan-out devices in 2 worker threads of it, as phones decode their frames in parallel). ${PARTICIPANTS.toLocaleString('en')} participants in the event; ${DURATION_S} s per measurement.`,
      '',
      '| measure | value | target | |',
      '|---|---|---|---|',
      `| pgbench, equivalent raw transaction (insert log + update participant), 8 clients, before each round | ${singleRounds.map((r) => `${r.pgbench.tps.toFixed(0)}`).join(' / ')} TPS (median round: **${pgbench.tps.toFixed(0)} TPS**) | (reference) | |`,
      `| single-mutation \`POST /sync\`, 8 clients, median of ${ROUNDS} rounds by share of its round's pgbench | **${single.mutationsPerSecond.toFixed(0)} mutations/s** (${((100 * single.mutationsPerSecond) / pgbench.tps).toFixed(0)}% of pgbench; p50 ${single.p50.toFixed(1)} ms, p99 ${single.p99.toFixed(1)} ms); rounds ${singleRounds.map((r) => `${r.single.mutationsPerSecond.toFixed(0)} (${(100 * r.ratio).toFixed(0)}%)`).join(' / ')}; CPU per mutation ${single.cpu.servers.toFixed(2)} ms servers, ${single.cpu.postgres.toFixed(2)} ms PostgreSQL, ${single.cpu.client.toFixed(2)} ms load generator | ≥ 40% of pgbench (${(0.4 * pgbench.tps).toFixed(0)}/s) | ${ok(single.mutationsPerSecond >= 0.4 * pgbench.tps)} |`,
      `| single-mutation \`POST /sync\`, 8 clients on 8 different events (one device per event: no grouping) | **${spread.mutationsPerSecond.toFixed(0)} mutations/s** (${((100 * spread.mutationsPerSecond) / pgbench.tps).toFixed(0)}% of pgbench; p50 ${spread.p50.toFixed(1)} ms, p99 ${spread.p99.toFixed(1)} ms) | (diagnostic) | |`,
      `| 100-mutation batches, 8 clients, median of ${ROUNDS} rounds | **${batch.mutationsPerSecond.toFixed(0)} mutations/s** (p50 ${batch.p50.toFixed(1)} ms, p99 ${batch.p99.toFixed(1)} ms per batch); rounds ${batchRounds.map((b) => b.mutationsPerSecond.toFixed(0)).join(' / ')}; CPU per mutation ${batch.cpu.servers.toFixed(3)} ms servers, ${batch.cpu.postgres.toFixed(3)} ms PostgreSQL | ≥ 20,000/s | ${ok(batch.mutationsPerSecond >= 20_000)} |`,
      `| fan-out: ${FANOUT_SOCKETS} sockets on 2 instances via Redis, 50 check-ins/s, sync request → LAST device | **p50 ${fanP50.toFixed(1)} ms, p99 ${fanP99.toFixed(1)} ms** (${complete}/${total} check-ins reached every device) | p99 < 50 ms | ${ok(fanP99 < 50 && complete === total)} |`,
      `| fan-out leg alone: sync answer → LAST device (same run) | p50 ${percentile(legLatencies, 50).toFixed(1)} ms, p99 ${percentile(legLatencies, 99).toFixed(1)} ms | (diagnostic) | |`,
      `| catch-up: ${delivered} missed changes to a reconnecting device (connect, auth, subscribe, \`GET /changes?since=\`) | **${catchUpMs.toFixed(0)} ms** | < 1 s | ${ok(catchUpMs < 1_000 && delivered >= 1_000)} |`,
      `| snapshot: \`GET /changes\` without \`since\`, ${PARTICIPANTS.toLocaleString('en')} participants | **${snapshotMs.toFixed(0)} ms** | well under 1 s | ${ok(snapshotMs < 1_000)} |`,
      ...memory.map((m) => {
        const median = [...m.runs].sort((a, b) => a.after - b.after)[Math.floor((m.runs.length - 1) / 2)]!;
        const perSocketKb = ((median.after - median.before) * 1024) / IDLE_SOCKETS;
        return `| memory: fresh instance (${m.flags}) with ${IDLE_SOCKETS.toLocaleString('en')} idle authenticated, subscribed sockets, median of ${m.runs.length} instances | **${median.after.toFixed(0)} MB RSS** (${median.before.toFixed(0)} MB before; ${perSocketKb.toFixed(1)} KiB per socket); instances ${m.runs.map((r) => r.after.toFixed(0)).join(' / ')} MB | < 300 MB | ${ok(median.after < 300)} |`;
      }),
      '',
      "How: group commit per event and instance: sync requests that arrive while the event's group runs go together in its next one (a lone request goes at once; under sustained load the next group waits up to 2 ms for the devices just answered, like PostgreSQL's commit_delay). A group decides from the instance's in-memory ledger of the event (each participant's state and row revision and all its logs in the rule's order with the rule's fold over them, loaded once in one statement; otherwise one read of the group's participants, their logs and the mutation ids already applied), then the domain rule in the application (a log later than all of a participant's others continues its fold: one step, however long the history), then ONE prepared statement that is its own transaction: a compare-and-set of every touched participant (only if its row is still at the revision read; a HOT update), the logs, the device clock offsets, and the change rows while advancing the per-event cursor row, whose lock orders cursors until commit. If a participant moved on meanwhile (another instance, another writer), or a mutation was applied before (a resend), the statement aborts whole (serialization_failure) and the group is read — refreshing the ledger — and decided again. So a group is one round trip to PostgreSQL when the ledger is current, two otherwise, and no lock is held between them. Per request there is no database or Redis read before that: the caller's role at the event, its live session and its verified access token are remembered per instance (role 5 s, session 10 s; revoking either is acknowledged by every instance before it is answered). After commit one Redis message carries the group's changes; each instance serialises a frame once and writes it to every local socket. What limits single requests here: both instances' writes for the event take turns on its cursor row (dense cursors in commit order), each holding it through its commit, on two cores shared with PostgreSQL, Redis and the load generator; for batches, PostgreSQL's per-row work (heap and index inserts for every log and change row; the logs and the change feed carry no per-row foreign-key checks since migration 0009). Device times in the loads only move forward from one load to the next, and every mutation changes its participant's state (check-in and undo alternate, 6 s apart): no contests, as the conflicts column shows.",
      '',
    ].join('\n');
    await writeBenchmarkSection('Sync', section);
    console.log('BENCHMARKS.md updated (section "Sync").');
  } finally {
    for (const ws of sockets) ws.terminate();
    agent.destroy();
    for (const c of children) c.kill('SIGTERM');
    await sleep(1_500);
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    try {
      // BENCH_KEEP_DB=1 leaves the database for a look at its plans afterwards.
      if (process.env.BENCH_KEEP_DB === '1') console.log(`kept database ${dbName}`);
      else psql(`drop database if exists ${dbName} with (force)`);
    } catch {
      // best effort
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
