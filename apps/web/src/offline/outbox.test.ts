import { describe, expect, it } from 'vitest';
import { Connectivity } from './connectivity.ts';
import { MemoryCheckinStorage } from './memory-storage.ts';
import { Outbox, type OutboxOptions, type SyncOutcome } from './outbox.ts';
import { FakeCheckinServer } from './testing/fake-network.ts';
import { flushMicrotasks, ManualClock } from './testing/manual-clock.ts';
import type { SyncQueueEntry } from './types.ts';

const EVENT = '00000000-0000-4000-8000-000000000001';

function entry(n: number, createdAt: number): SyncQueueEntry {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const iso = new Date(createdAt).toISOString();
  return {
    id,
    eventId: EVENT,
    type: 'check_in',
    payload: { participant_id: `p-${n}`, local_timestamp: iso },
    retry_count: 0,
    created_at: createdAt,
  };
}

async function seed(storage: MemoryCheckinStorage, count: number, clock: ManualClock) {
  for (let i = 1; i <= count; i++) {
    const e = entry(i, clock.now() + i);
    await storage.recordLocalAction(
      {
        id: e.id,
        eventId: EVENT,
        participantId: e.payload.participant_id,
        action: 'check_in',
        timestamp: e.created_at,
        localTimestamp: e.created_at,
        deviceId: 'dev-a',
        deviceName: 'A',
        synced: false,
      },
      e,
    );
  }
}

function setup(overrides: Partial<OutboxOptions> = {}) {
  const clock = new ManualClock();
  const storage = new MemoryCheckinStorage();
  const server = new FakeCheckinServer();
  const connectivity = new Connectivity(undefined);
  connectivity.setBrowserOnline(true);
  const outcomes: SyncOutcome[] = [];
  const make = (extra: Partial<OutboxOptions> = {}) =>
    new Outbox({
      eventId: EVENT,
      storage,
      transport: server,
      connectivity,
      clock,
      device: () => ({ id: 'dev-a', name: '김사라의 iPhone' }),
      onSynced: (o) => {
        outcomes.push(o);
      },
      random: () => 0.5,
      ...overrides,
      ...extra,
    });
  return { clock, storage, server, connectivity, outcomes, make };
}

describe('Outbox', () => {
  it('sends the queue in batches, oldest first, and empties it', async () => {
    const t = setup({ batchSize: 3 });
    await seed(t.storage, 7, t.clock);
    const outbox = t.make();
    outbox.kick();
    await outbox.settled();
    expect(t.server.requests.map((r) => r.mutations.length)).toEqual([3, 3, 1]);
    expect(t.server.sentIds).toEqual([...Array(7)].map((_, i) => entry(i + 1, 0).id));
    expect(t.server.requests[0]?.device).toEqual({ id: 'dev-a', name: '김사라의 iPhone' });
    expect(await t.storage.countQueue(EVENT)).toBe(0);
    expect(outbox.current.phase).toBe('idle');
    expect(t.outcomes.flatMap((o) => o.sent.map((e) => e.id))).toHaveLength(7);
  });

  it('backs off exponentially with jitter, stops after 5 tries, keeps everything, and retries on demand', async () => {
    const t = setup();
    await seed(t.storage, 4, t.clock);
    t.server.down = true;
    const delays: number[] = [];
    const outbox = t.make({
      onStatus: (s) => {
        if (s.phase === 'waiting_retry' && s.nextRetryAt !== null) delays.push(s.nextRetryAt - t.clock.now());
      },
    });
    outbox.kick();
    await outbox.settled();
    for (let i = 0; i < 10; i++) await t.clock.advance(60_000);
    // 5 tries: the first, then 4 retries after 375, 750, 1500, 3000 ms (base 500, jitter fixed at 0.5).
    expect(t.server.requests).toHaveLength(5);
    expect(delays).toEqual([375, 750, 1500, 3000]);
    expect(outbox.current.phase).toBe('stalled');
    expect(outbox.current.pending).toBe(4);
    expect((await t.storage.listQueue(EVENT, 10)).map((e) => e.retry_count)).toEqual([5, 5, 5, 5]);
    expect(t.connectivity.current.serverReachable).toBe(false);

    t.server.down = false;
    outbox.retryNow();
    await outbox.settled();
    expect(outbox.current.phase).toBe('idle');
    expect(outbox.current.pending).toBe(0);
    expect(t.server.answeredIds.size).toBe(4);
  });

  it('jitter spreads retries between half and the whole exponential step', async () => {
    for (const r of [0, 0.999]) {
      const t = setup({ random: () => r });
      await seed(t.storage, 1, t.clock);
      t.server.down = true;
      const outbox = t.make();
      outbox.kick();
      await outbox.settled();
      expect(outbox.current.phase).toBe('waiting_retry');
      const delay = (outbox.current.nextRetryAt ?? 0) - t.clock.now();
      expect(delay).toBeGreaterThanOrEqual(250);
      expect(delay).toBeLessThanOrEqual(500);
      outbox.dispose();
    }
  });

  it('makes no request while the browser is offline and sends when it comes back', async () => {
    const t = setup();
    await seed(t.storage, 3, t.clock);
    t.connectivity.setBrowserOnline(false);
    const outbox = t.make();
    outbox.kick();
    await outbox.settled();
    await t.clock.advance(120_000);
    expect(t.server.requests).toHaveLength(0);
    expect(outbox.current.phase).toBe('offline');
    expect(outbox.current.pending).toBe(3);

    t.connectivity.setBrowserOnline(true);
    await flushMicrotasks();
    await outbox.settled();
    expect(t.server.sentIds).toHaveLength(3);
    expect(outbox.current.pending).toBe(0);
  });

  it('going offline during backoff cancels the retry timer; a server error keeps the entries', async () => {
    const t = setup();
    await seed(t.storage, 2, t.clock);
    t.server.status = 503;
    const outbox = t.make();
    outbox.kick();
    await outbox.settled();
    expect(outbox.current.phase).toBe('waiting_retry');
    t.connectivity.setBrowserOnline(false);
    expect(outbox.current.phase).toBe('offline');
    expect(t.clock.pendingTimers).toBe(0);
    await t.clock.advance(60_000);
    expect(t.server.requests).toHaveLength(1);
    expect(await t.storage.countQueue(EVENT)).toBe(2);
  });

  it('two tabs sharing one queue send each mutation exactly once', async () => {
    const t = setup({ batchSize: 5 });
    await seed(t.storage, 40, t.clock);
    const tabA = t.make();
    const tabB = t.make();
    tabA.kick();
    tabB.kick();
    tabA.kick();
    await Promise.all([tabA.settled(), tabB.settled()]);
    const sent = t.server.sentIds;
    expect(sent).toHaveLength(40);
    expect(new Set(sent).size).toBe(40);
    expect(await t.storage.countQueue(EVENT)).toBe(0);
  });

  it('a new outbox on the same storage (a reload) sends what the previous one left', async () => {
    const t = setup();
    await seed(t.storage, 5, t.clock);
    t.connectivity.setBrowserOnline(false);
    const before = t.make();
    before.kick();
    await before.settled();
    before.dispose();
    t.connectivity.setBrowserOnline(true);
    const after = t.make();
    after.kick();
    await after.settled();
    expect(t.server.sentIds).toHaveLength(5);
  });

  it('an entry the server did not answer for stays queued, and the cycle ends stalled', async () => {
    const t = setup();
    await seed(t.storage, 3, t.clock);
    const unanswered = entry(3, 0).id;
    const partial = {
      sync: async (eventId: string, body: Parameters<FakeCheckinServer['sync']>[1]) => {
        const answer = await t.server.sync(eventId, body);
        return { ...answer, results: answer.results.filter((r) => r.id !== unanswered) };
      },
    };
    const outbox = t.make({ transport: partial });
    outbox.kick();
    await outbox.settled();
    await t.clock.advance(120_000);
    expect((await t.storage.listQueue(EVENT, 10)).map((e) => e.id)).toEqual([unanswered]);
    expect(outbox.current.phase).toBe('stalled');
    expect(outbox.current.pending).toBe(1);
  });
});
