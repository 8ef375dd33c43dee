/**
 * Publish/subscribe between server instances. In-process by default; Redis pub/sub when REDIS_URL is
 * set, so a message published on one instance reaches sockets held by every other instance.
 * Messages are JSON values; delivery is at-most-once (catch-up through /changes covers any gap).
 */
export type BusHandler = (message: unknown) => void;

export interface Bus {
  /**
   * False while the bus cannot deliver (Redis unreachable): messages published meanwhile are lost,
   * so an instance must not rely on hearing about changes (see LocalMemo).
   */
  live(): boolean;
  /**
   * Resolves once the message is on its way, to how many subscriptions it reached (with Redis, one
   * per subscribed instance connection; in process, one per handler). A failed publish rejects.
   */
  publish(channel: string, message: unknown): Promise<number>;
  /**
   * Several messages on one channel in one go (a sync batch's changes): one bus round trip instead
   * of one per message. Subscribers still receive them one by one, in this order.
   */
  publishMany(channel: string, messages: readonly unknown[]): Promise<void>;
  /** Resolves once the subscription is active; the returned function removes this handler. */
  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
