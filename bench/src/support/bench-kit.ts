import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Helpers every benchmark script shares: the scratch databases, percentiles and BENCHMARKS.md. */

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const baseDbUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The URL of another database on the benchmark's PostgreSQL server. */
export function dbUrl(name: string): string {
  const url = new URL(baseDbUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs one SQL statement through psql (stops on error) and returns its unaligned output. */
export function psql(sql: string, database = new URL(baseDbUrl).pathname.slice(1)): string {
  return execFileSync('psql', [dbUrl(database), '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    encoding: 'utf8',
  }).trim();
}

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

/** The JSON body of a fetch response that must have the expected status. */
export async function json<T>(res: Response, expected: number): Promise<T> {
  const body = await res.text();
  if (res.status !== expected) throw new Error(`${res.url}: ${res.status} ${body}`);
  return JSON.parse(body) as T;
}

/**
 * Rewrites this script's own section of BENCHMARKS.md (from its "## heading" up to the next "## "),
 * keeping every other script's section; appends it when absent.
 */
export async function writeBenchmarkSection(heading: string, section: string): Promise<void> {
  const file = path.join(ROOT, 'BENCHMARKS.md');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    text =
      '# Benchmarks\n\nMeasured on the development machine; each section is rewritten by its benchmark script.\n';
  }
  const marker = `\n## ${heading}\n`;
  const start = text.indexOf(marker);
  if (start >= 0) {
    const next = text.indexOf('\n## ', start + marker.length - 1);
    text = `${text.slice(0, start)}\n${section}\n${next >= 0 ? text.slice(next) : ''}`;
  } else {
    text = `${text.trimEnd()}\n\n${section}\n`;
  }
  await writeFile(file, text.replace(/\n{3,}/g, '\n\n'));
}

/** Linux clock ticks per second (the unit of /proc/<pid>/stat times). */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU time (user + system, ms) of one process so far; NaN where /proc is not available. With
 * `reapedChildren`, plus that of its children that exited (PostgreSQL's postmaster reaps the
 * backends of closed connections, pgbench's for one).
 */
export function processCpuMs(pid: number, reapedChildren = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(fields[11]) + Number(fields[12]);
    const reaped = reapedChildren ? Number(fields[13]) + Number(fields[14]) : 0;
    return ((own + reaped) / CLOCK_TICKS) * 1000;
  } catch {
    return Number.NaN;
  }
}

/** CPU time of every PostgreSQL process on the machine, with the backends that exited (any database: other users' work counts too). */
export function postgresCpuMs(): number {
  return commandCpuMs('postgres');
}

/** CPU time of every process whose command name is `comm` (e.g. redis-server), with reaped children. */
export function commandCpuMs(comm: string): number {
  let total = 0;
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm)
          total += processCpuMs(Number(entry), true);
      } catch {
        // exited meanwhile
      }
    }
  } catch {
    return Number.NaN;
  }
  return total;
}
