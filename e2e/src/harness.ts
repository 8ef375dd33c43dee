import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type LaunchOptions } from 'playwright-core';

/** The repository root (this file is e2e/src/harness.ts). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface StartServerOptions {
  port: number;
  /** Extra environment; DATABASE_URL / REDIS_URL switch from embedded PGlite to real services. */
  env?: Record<string, string | undefined>;
  /** How long to wait for /healthz (the first start migrates). */
  startTimeoutMs?: number;
}

export interface RunningServer {
  baseUrl: string;
  /** The temporary data folder (embedded database, outbox), when one was created. */
  dataDir: string | undefined;
  /** Output so far, for debugging a failed start. */
  output: () => string;
  /** SIGTERM and wait for a graceful exit; removes the temporary data folder. */
  stop: () => Promise<void>;
  /** SIGKILL at once (crash simulation); the data folder stays for a restart. */
  kill: () => Promise<void>;
}

/**
 * Spawns the real server (`node apps/server/src/main.ts` on the pinned Node 24) serving the built web
 * app, with a fresh temporary DATA_DIR unless DATABASE_URL is given, and waits until /healthz answers.
 */
/**
 * E2E_PORT_OFFSET shifts every test server's port, so that several checkouts on one machine can run
 * their browser tests at the same time without taking each other's ports.
 */
export const PORT_OFFSET = Number(process.env.E2E_PORT_OFFSET ?? 0);

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const port = options.port + PORT_OFFSET;
  const extra = options.env ?? {};
  const dataDir = extra.DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'em-e2e-'));
  const ownsDataDir = extra.DATA_DIR === undefined;
  const baseUrl = `http://127.0.0.1:${port}`;
  // Real services only when the test asks for them: CI exports DATABASE_URL / REDIS_URL for the
  // integration suite, and a scenario written for the embedded default must not inherit them.
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET', 'PII_KEYS', 'SMTP_URL'])
    delete inherited[name];
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    PUBLIC_URL: baseUrl,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    WEB_DIST_DIR: path.join(repoRoot, 'apps/web/dist'),
    // Scenarios seed dozens of registrations from one address within a minute; a test about the
    // limits themselves turns them on.
    RATE_LIMITS: 'off',
    ...extra,
  };
  // Vitest sets these for its own workers; the server must not think it runs under a test runner.
  delete env.VITEST;
  delete env.VITEST_WORKER_ID;
  delete env.VITEST_POOL_ID;

  const node = path.join(repoRoot, 'node_modules/.bin/node');
  const child = spawn(node, ['apps/server/src/main.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + (options.startTimeoutMs ?? 150_000);
  let up = false;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.ok) {
        up = true;
        break;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!up) {
    await terminate(child, exited, 'SIGKILL');
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`server on port ${port} did not become healthy:\n${output}`);
  }

  return {
    baseUrl,
    dataDir: extra.DATABASE_URL ? undefined : dataDir,
    output: () => output,
    stop: async () => {
      await terminate(child, exited, 'SIGTERM');
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    kill: async () => {
      await terminate(child, exited, 'SIGKILL');
    },
  };
}

async function terminate(
  child: ChildProcess,
  exited: Promise<number | null>,
  signal: NodeJS.Signals,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Debian Chromium with the flags this machine needs; never downloads a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
];

export function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    ...options,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}

/** Phone viewport used for screenshots and mobile checks (iPhone 12–15 class). */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};
