import { describe, expect, it } from 'vitest';
import { createMemoryBus } from '../bus/memory-bus.ts';
import { createLocalMemo } from './local-memo.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('local memo', () => {
  it('remembers nothing until a bus is attached (it could not be told to forget)', async () => {
    const memo = createLocalMemo<string>({ channel: 'memo', ttlMs: 60_000 });
    memo.set('event-1', 'user-1', 'staff');
    expect(memo.get('event-1', 'user-1')).toBeUndefined();
    await memo.attach(createMemoryBus());
    memo.set('event-1', 'user-1', 'staff');
    expect(memo.get('event-1', 'user-1')).toBe('staff');
  });

  it('an invalidation on one instance drops the whole group on the others through the bus', async () => {
    const bus = createMemoryBus();
    const a = createLocalMemo<string>({ channel: 'memo', ttlMs: 60_000 });
    const b = createLocalMemo<string>({ channel: 'memo', ttlMs: 60_000 });
    await a.attach(bus);
    await b.attach(bus);
    b.set('event-1', 'user-1', 'staff');
    b.set('event-1', 'user-2', 'organizer');
    b.set('event-2', 'user-1', 'staff');
    await a.invalidate('event-1');
    await tick();
    expect(b.get('event-1', 'user-1')).toBeUndefined();
    expect(b.get('event-1', 'user-2')).toBeUndefined();
    expect(b.get('event-2', 'user-1')).toBe('staff');
  });

  it('forgets entries after the TTL and stays within its bound', async () => {
    const memo = createLocalMemo<number>({ channel: 'memo', ttlMs: 20, maxEntries: 3 });
    await memo.attach(createMemoryBus());
    memo.set('g', 'k', 1);
    expect(memo.get('g', 'k')).toBe(1);
    await new Promise((r) => setTimeout(r, 30));
    expect(memo.get('g', 'k')).toBeUndefined();
    for (let i = 0; i < 5; i++) memo.set('g', `k${i}`, i);
    const kept = [0, 1, 2, 3, 4].filter((i) => memo.get('g', `k${i}`) !== undefined);
    expect(kept.length).toBeLessThanOrEqual(3);
    expect(memo.get('g', 'k4')).toBe(4);
  });

  it('detaching the last bus forgets everything and stops remembering', async () => {
    const memo = createLocalMemo<number>({ channel: 'memo', ttlMs: 60_000 });
    const detach = await memo.attach(createMemoryBus());
    memo.set('g', 'k', 1);
    await detach();
    expect(memo.get('g', 'k')).toBeUndefined();
    memo.set('g', 'k', 2);
    expect(memo.get('g', 'k')).toBeUndefined();
  });
});
