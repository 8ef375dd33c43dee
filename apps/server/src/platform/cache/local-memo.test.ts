import { describe, expect, it } from 'vitest';
import { createMemoryBus } from '../bus/memory-bus.ts';
import { createLocalMemo } from './local-memo.ts';

describe('local memo', () => {
  it('remembers nothing until a bus is attached (it could not be told to forget)', async () => {
    const memo = createLocalMemo<string>({ channel: 'memo', ttlMs: 60_000 });
    memo.set('event-1', 'user-1', 'staff', 0);
    expect(memo.get('event-1', 'user-1')).toBeUndefined();
    await memo.attach(createMemoryBus());
    memo.set('event-1', 'user-1', 'staff', 0);
    expect(memo.get('event-1', 'user-1')).toBe('staff');
  });

  it('while its bus cannot deliver, it drops everything and remembers nothing (invalidations would be lost)', async () => {
    const bus = createMemoryBus();
    let up = true;
    const flaky = { ...bus, live: () => up };
    const memo = createLocalMemo<string>({ channel: 'memo', ttlMs: 60_000 });
    await memo.attach(flaky);
    memo.set('session-1', 'live', 'yes', memo.stamp());
    expect(memo.get('session-1', 'live')).toBe('yes');
    up = false;
    expect(memo.get('session-1', 'live')).toBeUndefined();
    memo.set('session-1', 'live', 'yes', memo.stamp());
    expect(memo.get('session-1', 'live')).toBeUndefined();
    up = true;
    // What it held before the outage is gone (it may have missed an invalidation); new answers stay.
    expect(memo.get('session-1', 'live')).toBeUndefined();
    memo.set('session-1', 'live', 'yes', memo.stamp());
    expect(memo.get('session-1', 'live')).toBe('yes');
  });

  it('an invalidation on one instance has dropped the whole group on the others when it resolves', async () => {
    const bus = createMemoryBus();
    const a = createLocalMemo<string>({ channel: 'memo', ttlMs: 60_000 });
    const b = createLocalMemo<string>({ channel: 'memo', ttlMs: 60_000 });
    await a.attach(bus);
    await b.attach(bus);
    b.set('event-1', 'user-1', 'staff', 0);
    b.set('event-1', 'user-2', 'organizer', 0);
    b.set('event-2', 'user-1', 'staff', 0);
    await a.invalidate('event-1');
    // No waiting: resolved means acknowledged by every instance the bus reached.
    expect(b.get('event-1', 'user-1')).toBeUndefined();
    expect(b.get('event-1', 'user-2')).toBeUndefined();
    expect(b.get('event-2', 'user-1')).toBe('staff');
  });

  it('an answer looked up across an invalidation is not remembered (it may predate the change)', async () => {
    const bus = createMemoryBus();
    const a = createLocalMemo<string>({ channel: 'memo', ttlMs: 60_000 });
    const b = createLocalMemo<string>({ channel: 'memo', ttlMs: 60_000 });
    await a.attach(bus);
    await b.attach(bus);
    const since = b.stamp();
    // b starts a lookup; meanwhile a revokes; b's (stale) answer arrives after the invalidation.
    await a.invalidate('session-1');
    b.set('session-1', 'live', 'yes', since);
    expect(b.get('session-1', 'live')).toBeUndefined();
    b.set('session-1', 'live', 'yes', b.stamp());
    expect(b.get('session-1', 'live')).toBe('yes');
  });

  it('an instance that never acknowledges (died) delays an invalidation by the ack timeout only', async () => {
    const bus = createMemoryBus();
    const a = createLocalMemo<string>({ channel: 'memo', ttlMs: 60_000, ackTimeoutMs: 80 });
    await a.attach(bus);
    await bus.subscribe('memo', () => {}); // subscribed, but silent
    const started = performance.now();
    await a.invalidate('g');
    expect(performance.now() - started).toBeGreaterThanOrEqual(70);
    // With every subscriber answering it does not wait for the timeout.
    const quick = createLocalMemo<string>({ channel: 'quick', ttlMs: 60_000, ackTimeoutMs: 5_000 });
    await quick.attach(bus);
    await createLocalMemo<string>({ channel: 'quick', ttlMs: 60_000 }).attach(bus);
    const t = performance.now();
    await quick.invalidate('g');
    expect(performance.now() - t).toBeLessThan(1_000);
  });

  it('forgets entries after the TTL and stays within its bound', async () => {
    const memo = createLocalMemo<number>({ channel: 'memo', ttlMs: 20, maxEntries: 3 });
    await memo.attach(createMemoryBus());
    memo.set('g', 'k', 1, 0);
    expect(memo.get('g', 'k')).toBe(1);
    await new Promise((r) => setTimeout(r, 30));
    expect(memo.get('g', 'k')).toBeUndefined();
    for (let i = 0; i < 5; i++) memo.set('g', `k${i}`, i, 0);
    const kept = [0, 1, 2, 3, 4].filter((i) => memo.get('g', `k${i}`) !== undefined);
    expect(kept.length).toBeLessThanOrEqual(3);
    expect(memo.get('g', 'k4')).toBe(4);
  });

  it('detaching the last bus forgets everything and stops remembering', async () => {
    const memo = createLocalMemo<number>({ channel: 'memo', ttlMs: 60_000 });
    const detach = await memo.attach(createMemoryBus());
    memo.set('g', 'k', 1, 0);
    await detach();
    expect(memo.get('g', 'k')).toBeUndefined();
    memo.set('g', 'k', 2, 0);
    expect(memo.get('g', 'k')).toBeUndefined();
  });
});
