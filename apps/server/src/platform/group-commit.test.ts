import { describe, expect, it } from 'vitest';
import { createGroupCommit, type GroupCommitOptions } from './group-commit.ts';

const tick = () => new Promise((r) => setTimeout(r, 1));

/** A group commit whose runner records each group's items and answers each item with itself. */
function recording<T>(options: GroupCommitOptions<T>) {
  const runs: T[][] = [];
  const gc = createGroupCommit<T, T>(async (_key, items) => {
    runs.push(items);
    await tick();
    return items;
  }, options);
  return { gc, runs };
}

describe('group commit', () => {
  it('runs a lone item at once and groups what arrives while a group runs, in order', async () => {
    const runs: string[][] = [];
    const gc = createGroupCommit<string, string>(
      async (key, items) => {
        runs.push([key, ...items]);
        await tick();
        return items.map((i) => `${i}!`);
      },
      { maxWeight: 100 },
    );
    const first = gc.submit('e1', 'a');
    const rest = ['b', 'c', 'd'].map((i) => gc.submit('e1', i));
    const other = gc.submit('e2', 'x');
    expect(await first).toBe('a!');
    expect(await Promise.all(rest)).toEqual(['b!', 'c!', 'd!']);
    expect(await other).toBe('x!');
    expect(runs).toEqual([
      ['e1', 'a'],
      ['e2', 'x'],
      ['e1', 'b', 'c', 'd'],
    ]);
  });

  it('under sustained load gathers until the answered clients are back (at most gatherMs); a quiet key never waits', async () => {
    const { gc, runs } = recording<string>({ maxWeight: 100, gatherMs: 30 });
    // Quiet: a lone item runs at once.
    const started = performance.now();
    await gc.submit('e', 'alone');
    expect(performance.now() - started).toBeLessThan(25);
    await tick();
    // Busy: 'b' waits behind 'a'; the wait before its group lets 'c' (arriving later) join it.
    const a = gc.submit('e', 'a');
    const b = gc.submit('e', 'b');
    await a;
    const answeredA = performance.now();
    await new Promise((r) => setTimeout(r, 10));
    const c = gc.submit('e', 'c');
    await Promise.all([b, c]);
    expect(runs).toEqual([['alone'], ['a'], ['b', 'c']]);
    // It stopped gathering once as many had come as the last group answered (one: 'c'), not at 30 ms.
    expect(performance.now() - answeredA).toBeLessThan(28);
  });

  it('after a group of several, the first device back waits (at most gatherMs) for the others', async () => {
    const { gc, runs } = recording<string>({ maxWeight: 100, gatherMs: 40, startOnNextTurn: true });
    await Promise.all(['a', 'b', 'c'].map((i) => gc.submit('e', i)));
    const back = performance.now();
    const later = (ms: number, item: string) =>
      new Promise<string>((resolve) => setTimeout(() => resolve(gc.submit('e', item)), ms));
    await Promise.all([gc.submit('e', 'd'), later(5, 'e'), later(10, 'f')]);
    expect(runs).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e', 'f'],
    ]);
    // Gathering ended when the third came back, well before the 40 ms bound.
    expect(performance.now() - back).toBeLessThan(35);
  });

  it('caps a group by weight but always takes one item', async () => {
    const { gc, runs: sizes } = recording<number>({ maxWeight: 10, weigh: (n) => n });
    await Promise.all([1, 6, 4, 3, 20, 2].map((n) => gc.submit('e', n)));
    expect(sizes).toEqual([[1], [6, 4], [3], [20], [2]]);
  });

  it('a failing group is retried item by item, so only the bad item fails', async () => {
    let calls = 0;
    const gc = createGroupCommit<string, string>(
      async (_key, items) => {
        calls++;
        await tick();
        if (items.includes('bad')) throw new Error('constraint');
        return items;
      },
      { maxWeight: 100 },
    );
    const results = await Promise.allSettled(['first', 'ok1', 'bad', 'ok2'].map((i) => gc.submit('e', i)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(results[3]).toEqual({ status: 'fulfilled', value: 'ok2' });
    // first alone, then [ok1, bad, ok2] failing, then each of the three alone.
    expect(calls).toBe(5);
  });
});
