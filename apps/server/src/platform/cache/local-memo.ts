import { randomUUID } from 'node:crypto';
import type { Bus } from '../bus/bus.ts';

/**
 * A short-lived in-process copy of answers that every request asks for (is this session live? may
 * this user check in at this event?) and that change rarely, but must stop being given as soon as
 * they change. Entries live `ttlMs` of real time (not the app clock: a test moving its clock must
 * not keep stale answers alive).
 *
 * `invalidate(group)` drops a group's entries here and on every other instance, and resolves only
 * once every instance the bus reached has acknowledged that it dropped them (or after
 * `ackTimeoutMs`, for an instance that died meanwhile): a logout or a staff removal answered to
 * its caller has taken effect everywhere. The TTL bounds staleness when the bus itself is down.
 * Nothing is remembered until a bus is attached, so an instance never keeps answers it could not
 * be told to drop; for the same reason, while an attached bus cannot deliver (Redis down) every
 * entry is dropped and nothing is remembered or answered — invalidations published meanwhile are
 * lost — so lookups go to the source of truth until the bus is back.
 *
 * Entries are grouped (e.g. by event id) so one invalidation drops every user's answer for it.
 */
export interface LocalMemo<V> {
  get(group: string, key: string): V | undefined;
  /**
   * Remembers an answer looked up since `stamp()` returned `since`. If the group was invalidated
   * meanwhile, the answer may predate that change, and is not remembered.
   */
  set(group: string, key: string, value: V, since: number): void;
  /** Take before looking an answer up, and pass to `set`. */
  stamp(): number;
  /** Forgets the group here and on every instance; resolves once they all acknowledged. */
  invalidate(group: string): Promise<void>;
  /** Listens for invalidations on `bus`; resolves once subscribed, to the detach function. */
  attach(bus: Bus): Promise<() => Promise<void>>;
}

interface Entry<V> {
  value: V;
  until: number;
}

interface Invalidation {
  group: string;
  /** Where to acknowledge, and with which id. */
  ackChannel: string;
  id: string;
}

interface PendingAcks {
  from: Set<string>;
  needed: number;
  done: () => void;
}

export function createLocalMemo<V>(options: {
  channel: string;
  ttlMs: number;
  maxEntries?: number;
  ackTimeoutMs?: number;
}): LocalMemo<V> {
  const { channel, ttlMs, maxEntries = 50_000, ackTimeoutMs = 1_000 } = options;
  const ackChannel = `${channel}:ack`;
  const groups = new Map<string, Map<string, Entry<V>>>();
  const buses = new Set<Bus>();
  const pending = new Map<string, PendingAcks>();
  /** Counts invalidations; the last one per group tells `set` whether its answer is too old. */
  let clock = 0;
  const invalidatedAt = new Map<string, number>();
  /** Marks older than this were dropped: an answer looked up before it may predate one of them. */
  let marksFrom = 0;
  let size = 0;

  function forget(group: string): void {
    clock++;
    invalidatedAt.set(group, clock);
    // Bounded: the marks start over, and lookups begun before that are not remembered.
    if (invalidatedAt.size > 10_000) {
      invalidatedAt.clear();
      marksFrom = clock;
    }
    const entries = groups.get(group);
    if (!entries) return;
    size -= entries.size;
    groups.delete(group);
  }

  function acknowledged(id: string, from: string): void {
    const wait = pending.get(id);
    if (!wait) return;
    wait.from.add(from);
    if (wait.from.size >= wait.needed) wait.done();
  }

  async function invalidateOn(bus: Bus, group: string): Promise<void> {
    const id = randomUUID();
    let done!: () => void;
    const all = new Promise<void>((resolve) => {
      done = resolve;
    });
    const wait: PendingAcks = { from: new Set(), needed: Number.POSITIVE_INFINITY, done };
    pending.set(id, wait);
    let timer: NodeJS.Timeout | undefined;
    try {
      const message: Invalidation = { group, ackChannel, id };
      // Every subscription it reached (this instance's own included) acknowledges once.
      wait.needed = await bus.publish(channel, message);
      if (wait.from.size >= wait.needed) return;
      await Promise.race([
        all,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, ackTimeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      pending.delete(id);
    }
  }

  /** All attached buses deliver; if not, everything remembered is dropped. */
  function trusted(): boolean {
    for (const bus of buses) {
      if (bus.live()) continue;
      if (size > 0) {
        groups.clear();
        size = 0;
      }
      return false;
    }
    return true;
  }

  return {
    get(group, key) {
      if (!trusted()) return undefined;
      const entries = groups.get(group);
      const entry = entries?.get(key);
      if (!entries || !entry) return undefined;
      if (entry.until > performance.now()) return entry.value;
      entries.delete(key);
      size--;
      return undefined;
    },
    stamp() {
      return clock;
    },
    set(group, key, value, since) {
      if (buses.size === 0 || !trusted()) return;
      if (since < marksFrom || (invalidatedAt.get(group) ?? 0) > since) return;
      // Bounded: a full memo starts over rather than tracking recency on the hot path.
      if (size >= maxEntries) {
        groups.clear();
        size = 0;
      }
      let entries = groups.get(group);
      if (!entries) {
        entries = new Map();
        groups.set(group, entries);
      }
      if (!entries.has(key)) size++;
      entries.set(key, { value, until: performance.now() + ttlMs });
    },
    async invalidate(group) {
      forget(group);
      // A bus that fails (Redis down) leaves the other instances to the TTL.
      await Promise.allSettled([...buses].map((bus) => invalidateOn(bus, group)));
    },
    async attach(bus) {
      // This subscription, as its acknowledgements name it (a publish counts subscriptions).
      const self = randomUUID();
      const stopAcks = await bus.subscribe(ackChannel, (message) => {
        const ack = message as { id?: unknown; from?: unknown } | null;
        if (typeof ack?.id === 'string' && typeof ack.from === 'string') acknowledged(ack.id, ack.from);
      });
      const stopInvalidations = await bus.subscribe(channel, (message) => {
        const m = message as Partial<Invalidation> | null;
        if (typeof m?.group !== 'string') return;
        // Dropped synchronously, before anything else this instance does: then acknowledged.
        forget(m.group);
        if (typeof m.id === 'string' && typeof m.ackChannel === 'string')
          bus.publish(m.ackChannel, { id: m.id, from: self }).catch(() => {});
      });
      buses.add(bus);
      return async () => {
        buses.delete(bus);
        if (buses.size === 0) {
          groups.clear();
          size = 0;
        }
        await stopInvalidations();
        await stopAcks();
      };
    },
  };
}
