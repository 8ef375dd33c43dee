import type { Bus } from '../bus/bus.ts';

/**
 * A short-lived in-process copy of answers that every request asks for (is this session live? may
 * this user check in at this event?) and that change rarely, but must stop being given soon after
 * they change. Entries live `ttlMs` of real time (not the app clock: a test moving its clock must
 * not keep stale answers alive). `invalidate(group)` drops a group's entries here at once and on
 * every other instance through the bus; the TTL bounds staleness when a bus message is lost (bus
 * delivery is at-most-once). Nothing is remembered until a bus is attached, so an instance never
 * keeps answers it could not be told to drop.
 *
 * Entries are grouped (e.g. by event id) so one invalidation drops every user's answer for it.
 */
export interface LocalMemo<V> {
  get(group: string, key: string): V | undefined;
  set(group: string, key: string, value: V): void;
  /** Forgets the group here and tells the other instances (every attached bus) to forget it too. */
  invalidate(group: string): Promise<void>;
  /** Listens for invalidations on `bus`; resolves once subscribed, to the detach function. */
  attach(bus: Bus): Promise<() => Promise<void>>;
}

interface Entry<V> {
  value: V;
  until: number;
}

export function createLocalMemo<V>(options: {
  channel: string;
  ttlMs: number;
  maxEntries?: number;
}): LocalMemo<V> {
  const { channel, ttlMs, maxEntries = 50_000 } = options;
  const groups = new Map<string, Map<string, Entry<V>>>();
  const buses = new Set<Bus>();
  let size = 0;

  function forget(group: string): void {
    const entries = groups.get(group);
    if (!entries) return;
    size -= entries.size;
    groups.delete(group);
  }

  return {
    get(group, key) {
      const entries = groups.get(group);
      const entry = entries?.get(key);
      if (!entries || !entry) return undefined;
      if (entry.until > performance.now()) return entry.value;
      entries.delete(key);
      size--;
      return undefined;
    },
    set(group, key, value) {
      if (buses.size === 0) return;
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
      await Promise.allSettled([...buses].map((bus) => bus.publish(channel, { group })));
    },
    async attach(bus) {
      const unsubscribe = await bus.subscribe(channel, (message) => {
        const group = (message as { group?: unknown } | null)?.group;
        if (typeof group === 'string') forget(group);
      });
      buses.add(bus);
      return async () => {
        buses.delete(bus);
        if (buses.size === 0) {
          groups.clear();
          size = 0;
        }
        await unsubscribe();
      };
    },
  };
}
