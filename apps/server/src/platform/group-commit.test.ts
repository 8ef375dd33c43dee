import { afterEach, describe, expect, it, vi } from 'vitest';
import { createGroupCommit, type GroupCommitOptions } from './group-commit.ts';

const tick = () => new Promise((r) => setTimeout(r, 1));

/**
 * On a controlled clock: advances it a millisecond at a time until `promise` settles and answers how
 * many milliseconds of (fake) time that took — timing properties without reading the wall clock.
 */
async function fakeMsUntil<T>(promise: Promise<T>, limit = 1_000): Promise<{ value: T; ms: number }> {
  let settled = false;
  let value: T | undefined;
  void promise.then((v) => {
    settled = true;
    value = v;
  });
  await vi.advanceTimersByTimeAsync(0);
  let ms = 0;
  while (!settled) {
    if (ms >= limit) throw new Error(`not settled after ${limit} ms of fake time`);
    await vi.advanceTimersByTimeAsync(1);
    ms++;
  }
  return { value: value as T, ms };
}

/** Submits `item` after `ms` of fake time. */
const submitLater = <T>(ms: number, submit: () => Promise<T>) =>
  new Promise<T>((resolve, reject) => setTimeout(() => submit().then(resolve, reject), ms));

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
  afterEach(() => {
    vi.useRealTimers();
  });

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
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate'] });
    const { gc, runs } = recording<string>({ maxWeight: 100, gatherMs: 30 });
    // Quiet: a lone item runs at once (its own 1 ms run, no gathering).
    expect((await fakeMsUntil(gc.submit('e', 'alone'))).ms).toBe(1);
    // Busy: 'b' waits behind 'a'; the wait before its group lets 'c' (arriving 10 ms later) join it.
    const a = gc.submit('e', 'a');
    const b = gc.submit('e', 'b');
    await fakeMsUntil(a);
    const c = submitLater(10, () => gc.submit('e', 'c'));
    const { ms } = await fakeMsUntil(Promise.all([b, c]));
    expect(runs).toEqual([['alone'], ['a'], ['b', 'c']]);
    // It stopped gathering once as many had come as the last group answered (one: 'c', at 10 ms),
    // not at the 30 ms bound: 10 ms of gathering, then the group's 1 ms run.
    expect(ms).toBe(11);
  });

  it('after a group of several, the first device back waits (at most gatherMs) for the others', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate'] });
    const { gc, runs } = recording<string>({ maxWeight: 100, gatherMs: 40, startOnNextTurn: true });
    await fakeMsUntil(Promise.all(['a', 'b', 'c'].map((i) => gc.submit('e', i))));
    const next = Promise.all([
      gc.submit('e', 'd'),
      submitLater(5, () => gc.submit('e', 'e')),
      submitLater(10, () => gc.submit('e', 'f')),
    ]);
    const { ms } = await fakeMsUntil(next);
    expect(runs).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e', 'f'],
    ]);
    // Gathering ended when the third came back (10 ms), well before the 40 ms bound.
    expect(ms).toBe(11);
  });

  it('gathers no longer than gatherMs when the answered clients do not come back', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate'] });
    const { gc, runs } = recording<string>({ maxWeight: 100, gatherMs: 40, startOnNextTurn: true });
    await fakeMsUntil(Promise.all(['a', 'b', 'c'].map((i) => gc.submit('e', i))));
    const { ms } = await fakeMsUntil(gc.submit('e', 'd'));
    expect(runs).toEqual([['a', 'b', 'c'], ['d']]);
    expect(ms).toBe(41);
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
