import { Redis } from 'ioredis';
import { failFastOptions, redisBreaker } from '../redis/fail-fast.ts';
import type { Bus, BusHandler } from './bus.ts';

/** How long `subscribe` waits for Redis to confirm before answering anyway (Redis down). */
const SUBSCRIBE_WAIT_MS = 500;

/** Waits for a subscriber command at most SUBSCRIBE_WAIT_MS; it completes by itself when Redis is back. */
async function briefly(command: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    command.catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS);
    }),
  ]);
  clearTimeout(timer);
}

/**
 * Redis pub/sub needs a dedicated subscriber connection. ioredis re-subscribes every channel by
 * itself after a reconnect, so a Redis restart heals without our help.
 *
 * While Redis is down or slow nothing waits for it: publishing fails fast (redis/fail-fast.ts)
 * — delivery is at-most-once anyway, and devices catch up through the change feed's cursor — and
 * a new subscription is registered here and confirmed by Redis when it is back (its subscribe
 * command waits in the subscriber connection's queue; `subscribe` answers after a short wait).
 */
export async function createRedisBus(url: string, prefix = 'em:'): Promise<Bus> {
  // No auto-pipelining: a batch's messages already go out as ONE publish (publishMany), and the
  // pipeline machinery (an object and a deferred flush per tick) cost more than it saved.
  const pub = new Redis(url, failFastOptions);
  const sub = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: null,
    retryStrategy: failFastOptions.retryStrategy,
  });
  // Errors surface as reconnects; logging them per attempt would flood the log during a Redis blip.
  pub.on('error', () => {});
  sub.on('error', () => {});
  await Promise.all([pub.connect(), sub.connect()]);
  const breaker = redisBreaker();
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
    live() {
      return pub.status === 'ready' && sub.status === 'ready';
    },
    async publish(channel, message) {
      return breaker.execute(() => pub.publish(prefix + channel, JSON.stringify(message)));
    },
    async publishMany(channel, messages) {
      if (messages.length === 0) return;
      const raw = JSON.stringify(messages.length === 1 ? messages[0] : messages);
      await breaker.execute(() => pub.publish(prefix + channel, raw));
    },
    async subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await briefly(sub.subscribe(prefix + channel));
      }
      set.add(handler);
      return async () => {
        set.delete(handler);
        if (set.size === 0 && handlers.get(channel) === set) {
          handlers.delete(channel);
          await briefly(sub.unsubscribe(prefix + channel));
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
