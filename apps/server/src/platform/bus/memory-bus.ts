import type { Bus, BusHandler } from './bus.ts';

export function createMemoryBus(): Bus {
  const handlers = new Map<string, Set<BusHandler>>();

  function deliver(channel: string, message: unknown): number {
    // Round-trip through JSON so in-process delivery behaves exactly like Redis delivery.
    const copy: unknown = JSON.parse(JSON.stringify(message));
    const set = handlers.get(channel) ?? new Set<BusHandler>();
    for (const handler of set) {
      queueMicrotask(() => handler(copy));
    }
    return set.size;
  }

  return {
    live() {
      return true;
    },
    async publish(channel, message) {
      return deliver(channel, message);
    },
    async publishMany(channel, messages) {
      for (const message of messages) deliver(channel, message);
    },
    async subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
      }
      set.add(handler);
      return async () => {
        set.delete(handler);
        if (set.size === 0) handlers.delete(channel);
      };
    },
    async close() {
      handlers.clear();
    },
  };
}
