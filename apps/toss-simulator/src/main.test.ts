import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const node = path.join(repoRoot, 'node_modules/.bin/node');

let child: ChildProcess | undefined;

function run(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = '';
  const spawned = spawn(node, ['apps/toss-simulator/src/main.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  spawned.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child = spawned;
  return { child: spawned, output: () => output };
}

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

describe('node apps/toss-simulator/src/main.ts', () => {
  it('listens on a free port with the configured keys and stops on SIGTERM', {
    timeout: 60_000,
  }, async () => {
    const sim = run({ PORT: '0', TOSS_SECRET_KEY: 'test_sk_cli0000', TOSS_CLIENT_KEY: 'test_ck_cli0000' });
    await vi.waitFor(() => expect(sim.output()).toMatch(/TOSS_API_URL=http:\/\/127\.0\.0\.1:\d+/), {
      timeout: 30_000,
      interval: 100,
    });
    const url = /TOSS_API_URL=(\S+)/.exec(sim.output())![1]!;
    const info = (await (await fetch(`${url}/simulator/info`)).json()) as {
      clientKeys: string[];
      apiUrl: string;
    };
    expect(info).toMatchObject({ apiUrl: url, clientKeys: ['test_ck_cli0000'] });

    const secret = `Basic ${Buffer.from('test_sk_cli0000:').toString('base64')}`;
    expect((await fetch(`${url}/v1/payments/unknown`, { headers: { authorization: secret } })).status).toBe(
      404,
    );
    const other = `Basic ${Buffer.from('test_sk_other:').toString('base64')}`;
    expect((await fetch(`${url}/v1/payments/unknown`, { headers: { authorization: other } })).status).toBe(
      401,
    );

    sim.child.kill('SIGTERM');
    const [code] = await once(sim.child, 'exit');
    expect(code).toBe(0);
  });

  it('refuses to start without keys', { timeout: 60_000 }, async () => {
    const sim = run({ PORT: '0' });
    const [code] = await once(sim.child, 'exit');
    expect(code).toBe(1);
    expect(sim.output()).toContain('TOSS_SECRET_KEY and TOSS_CLIENT_KEY are required');
  });
});
