import type { Bus, BusHandler } from './bus.ts';

export function createMemoryBus(): Bus {
  const handlers = new Map<string, Set<BusHandler>>();

  function deliver(channel: string, message: unknown): void {
    // Round-trip through JSON so in-process delivery behaves exactly like Redis delivery.
    const copy: unknown = JSON.parse(JSON.stringify(message));
    for (const handler of handlers.get(channel) ?? []) {
      queueMicrotask(() => handler(copy));
    }
  }

  return {
    async publish(channel, message) {
      deliver(channel, message);
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
