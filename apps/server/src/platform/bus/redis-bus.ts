import { Redis } from 'ioredis';
import type { Bus, BusHandler } from './bus.ts';

/**
 * Redis pub/sub needs a dedicated subscriber connection. ioredis re-subscribes every channel by
 * itself after a reconnect, so a Redis restart heals without our help.
 */
export async function createRedisBus(url: string, prefix = 'em:'): Promise<Bus> {
  // No auto-pipelining: a batch's messages already go out as ONE publish (publishMany), and the
  // pipeline machinery (an object and a deferred flush per tick) cost more than it saved.
  const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const sub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null });
  // Errors surface as reconnects; logging them per attempt would flood the log during a Redis blip.
  pub.on('error', () => {});
  sub.on('error', () => {});
  await Promise.all([pub.connect(), sub.connect()]);
  const handlers = new Map<string, Set<BusHandler>>();

  sub.on('message', (channel: string, raw: string) => {
    const set = handlers.get(channel.slice(prefix.length));
    if (!set) return;
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    // A JSON array is a publishMany batch (single messages are always objects).
    if (Array.isArray(message)) {
      for (const one of message) for (const handler of set) handler(one);
    } else for (const handler of set) handler(message);
  });

  return {
    async publish(channel, message) {
      return pub.publish(prefix + channel, JSON.stringify(message));
    },
    async publishMany(channel, messages) {
      if (messages.length === 0) return;
      await pub.publish(prefix + channel, JSON.stringify(messages.length === 1 ? messages[0] : messages));
    },
    async subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await sub.subscribe(prefix + channel);
      }
      set.add(handler);
      return async () => {
        set.delete(handler);
        if (set.size === 0 && handlers.get(channel) === set) {
          handlers.delete(channel);
          await sub.unsubscribe(prefix + channel);
        }
      };
    },
    async close() {
      handlers.clear();
      pub.disconnect();
      sub.disconnect();
    },
  };
}
