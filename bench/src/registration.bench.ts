/**
 * Registration burst benchmark (issue 3): 2,000 simultaneous registrations into one event with
 * capacity 500 and a waitlist, against a real PostgreSQL. Starts the real server as a child process
 * on a scratch database, fires the requests over HTTP, checks the outcome (exactly 500 registered,
 * 1,500 waitlisted, numbers exactly 1..2,000), runs pgbench on the same machine in the same run for
 * scale, and writes the figures into BENCHMARKS.md ("Registration" section).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:registration
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  dbUrl,
  json,
  percentile,
  postgresCpuMs,
  processCpuMs,
  psql,
  ROOT,
  writeBenchmarkSection,
} from './support/bench-kit.ts';

const TOTAL = Number(process.env.BENCH_TOTAL ?? 2000);
const CAPACITY = Number(process.env.BENCH_CAPACITY ?? 500);
const PORT = Number(process.env.BENCH_PORT ?? 4210);
/** Rounds on fresh events: the machine is shared, so one burst alone says little. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/**
 * The request limits on the registration path are measured both ways: off, and on with bounds far
 * above the burst (nothing is refused), so the difference is the limiter's own cost per request.
 */
type Limiter = 'off' | 'on';
const NEVER_REFUSE = '1000000/1m';

async function startServer(databaseUrl: string, dataDir: string, limiter: Limiter) {
  // One instance: the in-process bus is enough, so no REDIS_URL even when the caller has one set.
  const { REDIS_URL: _redis, ...inherited } = process.env;
  // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the server.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'apps/server/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...inherited,
      NODE_ENV: 'production',
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      PUBLIC_URL: `http://127.0.0.1:${PORT}`,
      JWT_SECRET: randomBytes(48).toString('base64url'),
      PII_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      LOG_LEVEL: 'warn',
      // Plan limits are not what this benchmark measures (its events exceed the free plan).
      PLAN_LIMITS: 'off',
      // The e-mail worker would compete for the same two cores; the benchmark measures the API.
      EMBEDDED_WORKER: 'false',
      ...(limiter === 'off'
        ? { RATE_LIMITS: 'off' }
        : {
            RATE_LIMITS: 'on',
            RATE_LIMIT_REGISTER_IP: NEVER_REFUSE,
            RATE_LIMIT_REGISTER_EVENT: NEVER_REFUSE,
            RATE_LIMIT_SIGNUP_IP: NEVER_REFUSE,
          }),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${PORT}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) return { child, base };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error('server did not become ready');
}

async function setupEvent(base: string, token: string, capacity: number) {
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const start = new Date(Date.now() + 30 * 86_400_000);
  const created = await json<{ id: string; share_url: string }>(
    await fetch(`${base}/api/events`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        name: '벤치마크 밋업',
        location: { type: 'online', online_link: 'https://meet.example.com/bench' },
        datetime: {
          start: start.toISOString(),
          end: new Date(start.getTime() + 7_200_000).toISOString(),
          timezone: 'Asia/Seoul',
        },
        capacity: { max_participants: capacity, waitlist_enabled: true },
        registration: {
          requires_approval: false,
          form_fields: [{ id: 'company', type: 'text', label: '회사', required: true, max_length: 100 }],
        },
      }),
    }),
    201,
  );
  await json(
    await fetch(`${base}/api/events/${created.id}`, {
      method: 'PATCH',
      headers: auth,
      body: JSON.stringify({ status: 'published' }),
    }),
    200,
  );
  return { id: created.id, code: created.share_url.split('/').pop()! };
}

function registrationBody(i: number, tag: string) {
  return JSON.stringify({
    identity: {
      name: `참가자${i}`,
      email: `bench.${tag}.${i}@example.com`,
      phone: `010-${String(1000 + (i % 9000))}-${String(1000 + i).slice(-4)}`,
    },
    custom_responses: { company: `회사${i % 50}` },
    consents: { privacy: true, marketing: i % 2 === 0 },
  });
}

async function burst(base: string, code: string, total: number, tag: string) {
  const latencies: number[] = new Array(total);
  const statuses: number[] = new Array(total);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: total }, async (_, i) => {
      const start = performance.now();
      const res = await fetch(`${base}/api/public/events/${code}/registrations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: registrationBody(i, tag),
      });
      await res.arrayBuffer();
      latencies[i] = performance.now() - start;
      statuses[i] = res.status;
    }),
  );
  const wallMs = performance.now() - t0;
  return { latencies, statuses, wallMs };
}

function runPgbench(): { tps: number; line: string } {
  const name = `em_pgbench_${Date.now().toString(36)}`;
  psql(`create database ${name}`);
  try {
    execFileSync('pgbench', ['-i', '-s', '10', '-q', dbUrl(name)], { stdio: ['ignore', 'ignore', 'ignore'] });
    const out = execFileSync('pgbench', ['-c', '8', '-j', '2', '-T', '10', dbUrl(name)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const line = out.split('\n').find((l) => l.startsWith('tps =')) ?? '';
    const tps = Number(/tps = ([\d.]+)/.exec(line)?.[1] ?? Number.NaN);
    return { tps, line: line.trim() };
  } finally {
    psql(`drop database if exists ${name} with (force)`);
  }
}

interface Round {
  round: number;
  perSecond: number;
  wallMs: number;
  p50: number;
  p99: number;
  max: number;
  load: number;
  /** CPU the server process used during the burst, per registration (ms). */
  serverCpuMs: number;
  /** CPU all PostgreSQL processes used during the burst, per registration (ms). */
  postgresCpuMs: number;
  outcome: string;
  passed: boolean;
}

async function measureRound(
  base: string,
  serverPid: number,
  token: string,
  dbName: string,
  round: number,
): Promise<Round> {
  const event = await setupEvent(base, token, CAPACITY);
  const load = os.loadavg()[0]!;
  console.log(
    `Round ${round}: ${TOTAL} simultaneous registrations (capacity ${CAPACITY} + waitlist), load average ${load.toFixed(1)}`,
  );
  const cpuBefore = {
    server: processCpuMs(serverPid),
    postgres: postgresCpuMs(),
    client: process.cpuUsage(),
  };
  const { latencies, statuses, wallMs } = await burst(base, event.code, TOTAL, `r${round}`);
  const serverCpuMs = (processCpuMs(serverPid) - cpuBefore.server) / TOTAL;
  const pgCpuMs = (postgresCpuMs() - cpuBefore.postgres) / TOTAL;
  const clientCpu = process.cpuUsage(cpuBefore.client);
  const clientCpuMs = (clientCpu.user + clientCpu.system) / 1000 / TOTAL;
  const bad = statuses.filter((s) => s !== 201);
  const [registered, waitlisted, rows, distinctNumbers, minNumber, maxNumber] = psql(
    `select count(*) filter (where registration_status = 'registered') || ',' ||
            count(*) filter (where registration_status = 'waitlist') || ',' ||
            count(*) || ',' || count(distinct registration_number) || ',' ||
            coalesce(min(registration_number), 0) || ',' || coalesce(max(registration_number), 0)
       from participants where event_id = '${event.id}'`,
    dbName,
  )
    .split(',')
    .map(Number) as [number, number, number, number, number, number];
  const checks = {
    'all answered 201': bad.length === 0,
    [`exactly ${CAPACITY} registered`]: registered === CAPACITY,
    [`exactly ${TOTAL - CAPACITY} waitlisted`]: waitlisted === TOTAL - CAPACITY,
    [`numbers exactly 1..${TOTAL}`]:
      rows === TOTAL && distinctNumbers === TOTAL && minNumber === 1 && maxNumber === TOTAL,
  };
  for (const [name, ok] of Object.entries(checks)) console.log(`  ${ok ? 'PASS' : 'FAIL'} ${name}`);
  if (bad.length > 0) console.log(`  non-201 answers: ${JSON.stringify(bad.slice(0, 10))}`);
  const passed = Object.values(checks).every(Boolean);
  const sorted = [...latencies].sort((a, b) => a - b);
  const result: Round = {
    round,
    perSecond: TOTAL / (wallMs / 1000),
    wallMs,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1)!,
    load,
    serverCpuMs,
    postgresCpuMs: pgCpuMs,
    outcome: `${registered} registered, ${waitlisted} waitlisted, numbers ${minNumber}..${maxNumber}${passed ? '' : ' — FAILED'}`,
    passed,
  };
  console.log(
    `  ${result.perSecond.toFixed(0)} registrations/s (${wallMs.toFixed(0)} ms); latency p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms`,
  );
  console.log(
    `  CPU per registration: server ${serverCpuMs.toFixed(2)} ms, PostgreSQL ${pgCpuMs.toFixed(2)} ms, load generator ${clientCpuMs.toFixed(2)} ms`,
  );
  return result;
}

/** One server with the limiter off or on: warm-up, then the measured rounds. */
async function runPass(dbName: string, dataDir: string, limiter: Limiter): Promise<Round[]> {
  const server = await startServer(dbUrl(dbName), dataDir, limiter);
  try {
    const { base } = server;
    const signup = await json<{ access_token: string }>(
      await fetch(`${base}/api/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: `bench.${limiter}.${Date.now()}@example.com`,
          password: 'bench-password-1',
          name: '벤치',
          accept_terms: true,
        }),
      }),
      201,
    );
    const token = signup.access_token;

    // Warm-up on a separate event (JIT, connection pool), not measured.
    const warm = await setupEvent(base, token, 50);
    await burst(base, warm.code, 200, `warm-${limiter}`);

    console.log(`Rate limiter ${limiter}:`);
    const rounds: Round[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      rounds.push(await measureRound(base, server.child.pid ?? 0, token, dbName, round));
    }
    return rounds;
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
  }
}

const medianOf = (rounds: Round[]) => {
  const rates = rounds.map((r) => r.perSecond).sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)]!;
};

const roundRows = (rounds: Round[]) => [
  '| round | registrations/s | wall time | latency p50 / p99 / max | CPU per registration: server / PostgreSQL | outcome | load average |',
  '|---|---|---|---|---|---|---|',
  ...rounds.map(
    (r) =>
      `| ${r.round} | **${r.perSecond.toFixed(0)}** | ${r.wallMs.toFixed(0)} ms | ${r.p50.toFixed(0)} / ${r.p99.toFixed(0)} / ${r.max.toFixed(0)} ms | ${r.serverCpuMs.toFixed(2)} / ${r.postgresCpuMs.toFixed(2)} ms | ${r.outcome} | ${r.load.toFixed(1)} |`,
  ),
];

async function main(): Promise<void> {
  const dbName = `em_bench_${Date.now().toString(36)}`;
  psql(`create database ${dbName}`);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'em-bench-'));
  let failed = false;
  try {
    const off = await runPass(dbName, dataDir, 'off');
    const on = await runPass(dbName, dataDir, 'on');

    console.log('Running pgbench -i -s 10; pgbench -c 8 -j 2 -T 10 …');
    const pgbench = runPgbench();
    console.log(`pgbench: ${pgbench.line}`);
    failed = [...off, ...on].some((r) => !r.passed);
    const median = medianOf(off);
    const medianOn = medianOf(on);
    console.log(
      `registrations/s per round, limiter off: ${off.map((r) => r.perSecond.toFixed(0)).join(', ')} (median ${median.toFixed(0)})`,
    );
    console.log(
      `registrations/s per round, limiter on: ${on.map((r) => r.perSecond.toFixed(0)).join(', ')} (median ${medianOn.toFixed(0)})`,
    );

    const pgVersion = psql('show server_version');
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const machine = `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, PostgreSQL ${pgVersion} (fsync and synchronous_commit on), Node ${process.versions.node}`;
    const section = [
      '## Registration',
      '',
      `\`npm run bench:registration\` — ${when} UTC, ${machine}.`,
      '',
      `Each round: ${TOTAL} simultaneous \`POST /api/public/events/:code/registrations\` over HTTP into a fresh event with capacity ${CAPACITY} and a waitlist, checked afterwards in the database (exactly ${CAPACITY} registered, ${TOTAL - CAPACITY} waitlisted, numbers exactly 1..${TOTAL}). One server process (\`apps/server/src/main.ts\`, pool of 20 connections, e-mail worker off, request limits off — the next section measures them), every module's in-transaction hooks on (check-in change feed, confirmation e-mail queue); the load generator on the same machine; 200 warm-up registrations first. The machine is shared: the load average shows how much other work competed for the 2 cores.`,
      '',
      ...roundRows(off),
      '',
      `Median ${median.toFixed(0)} registrations/s (target ≥ 1,000 — ${median >= 1000 ? 'met' : '**not met**'}). pgbench in the same run (\`pgbench -i -s 10\`, then \`pgbench -c 8 -j 2 -T 10\`): **${pgbench.tps.toFixed(0)} TPS**.`,
      '',
      "How: requests for one event that arrive while its registration transaction runs are grouped into the next transaction (up to 500), so a burst costs a handful of commits instead of 2,000, and numbering stays gap-free because the counter only moves inside committed transactions. A batch is a fixed number of statements whatever its size: lock the event, read seats and duplicates, number and insert every row (one JSON parameter), then the other modules' batch hook writes one statement each (every participant's change-feed row, every confirmation e-mail job), commit; then one bus call announces the batch. Personal data is encrypted as each request arrives, and a committed batch is answered in chunks while the next batch's statements run. CPU per registration is measured from /proc over the burst (server process; all PostgreSQL processes, so other work on the machine counts there too; the load generator itself).",
    ].join('\n');
    await writeBenchmarkSection('Registration', section);
    console.log('BENCHMARKS.md updated (section "Registration").');

    const limiterSection = [
      '## Registration with rate limits',
      '',
      `\`npm run bench:registration\` (same run) — ${when} UTC, ${machine}.`,
      '',
      `The same rounds against a second server started with the request limits on (\`RATE_LIMITS=on\`, the in-process store of a single instance), with \`RATE_LIMIT_REGISTER_IP\` and \`RATE_LIMIT_REGISTER_EVENT\` set to ${NEVER_REFUSE} so nothing is refused: every registration is counted against its address and its event before the handler runs, which is the limiter's whole cost on this path.`,
      '',
      ...roundRows(on),
      '',
      `Median with the limiter on: **${medianOn.toFixed(0)} registrations/s** (target ≥ 1,000 — ${medianOn >= 1000 ? 'met' : '**not met**'}); with it off, in the same run: ${median.toFixed(0)} registrations/s (${(((medianOn - median) / median) * 100).toFixed(1)} %).`,
    ].join('\n');
    await writeBenchmarkSection('Registration with rate limits', limiterSection);
    console.log('BENCHMARKS.md updated (section "Registration with rate limits").');
  } finally {
    psql(`drop database if exists ${dbName} with (force)`);
    await rm(dataDir, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

await main();
