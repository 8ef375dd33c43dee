/**
 * Application-level group commit: work items for the same key (an event) that arrive while a
 * transaction for that key is running wait, then go together in the next one. One item alone is
 * processed at once, so a quiet key sees no added latency; a burst shares one lock set, one round
 * trip per statement and one commit (one fsync) instead of one each. Across server instances the
 * database's row locks still serialise what must be serialised.
 *
 * A group that fails as a whole (a lost connection, a constraint one item trips) is run again one
 * item at a time, so one bad item cannot fail its neighbours; each item then gets its own answer.
 */
export type GroupRunner<I, O> = (key: string, items: I[]) => Promise<O[]>;

interface Waiting<I, O> {
  item: I;
  weight: number;
  resolve(outcome: O): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions<I> {
  /** Most weight one group takes (e.g. mutations per transaction); one item is always taken. */
  maxWeight: number;
  /** An item's share of maxWeight; 1 by default. */
  weigh?: (item: I) => number;
  /**
   * Start a key's first group on the next turn of the event loop instead of at once, so items
   * parsed in the same turn (a burst) share the first transaction rather than one of them holding
   * up the rest for a whole transaction. Costs microseconds on a quiet key.
   */
  startOnNextTurn?: boolean;
  /**
   * Answer a committed group this many items per event-loop turn while the next group already
   * runs: hundreds of answers at once would keep the loop busy for tens of milliseconds and the
   * next transaction's round trips would wait behind all of them. Unset: all at once.
   */
  settleChunk?: number;
  /**
   * Under sustained load — the group that just ended answered several items, or items are already
   * waiting — wait up to this long before taking the next group, until as many items wait as the
   * group just answered (its clients' next requests), so that they go together (PostgreSQL's
   * commit_delay, MySQL's binlog_group_commit_sync_delay): fewer, fuller transactions for at most
   * this much latency. After a lone item nothing waits: the next one starts at once. Unset: no wait.
   */
  gatherMs?: number;
}

export function createGroupCommit<I, O>(run: GroupRunner<I, O>, options: GroupCommitOptions<I>) {
  const queues = new Map<string, Waiting<I, O>[]>();
  const weigh = options.weigh ?? (() => 1);
  const chunk = options.settleChunk ?? Number.POSITIVE_INFINITY;

  function settle(group: Waiting<I, O>[], outcomes: O[], from = 0): void {
    const end = Math.min(group.length, from + chunk);
    for (let i = from; i < end; i++) group[i]!.resolve(outcomes[i] as O);
    if (end < group.length) setImmediate(() => settle(group, outcomes, end));
  }

  function queueWeight(queue: Waiting<I, O>[]): number {
    let weight = 0;
    for (const w of queue) weight += w.weight;
    return weight;
  }

  function takeGroup(queue: Waiting<I, O>[]): Waiting<I, O>[] {
    let count = 1;
    let weight = queue[0]!.weight;
    while (count < queue.length && weight + queue[count]!.weight <= options.maxWeight) {
      weight += queue[count]!.weight;
      count++;
    }
    return queue.splice(0, count);
  }

  async function runAlone(key: string, waiting: Waiting<I, O>): Promise<void> {
    try {
      const [outcome] = await run(key, [waiting.item]);
      waiting.resolve(outcome as O);
    } catch (error) {
      waiting.reject(error);
    }
  }

  /** Per key gathering: how many waiting items end it early, and how to end it. */
  const gathering = new Map<string, { until: number; stop: () => void }>();

  function gather(key: string, queue: Waiting<I, O>[], answered: number, ms: number): Promise<void> {
    const until = queue.length + answered;
    return new Promise<void>((resolve) => {
      const stop = () => {
        clearTimeout(timer);
        gathering.delete(key);
        resolve();
      };
      const timer = setTimeout(stop, ms);
      gathering.set(key, { until, stop });
    });
  }

  async function drain(key: string, queue: Waiting<I, O>[]): Promise<void> {
    let answered = 0;
    for (let first = true; ; first = false) {
      // Busy (the last group answered several, or items wait): gather before the next group.
      if (
        !first &&
        options.gatherMs &&
        (answered > 1 || queue.length > 0) &&
        queueWeight(queue) < options.maxWeight
      )
        await gather(key, queue, answered, options.gatherMs);
      if (queue.length === 0) break;
      const group = takeGroup(queue);
      answered = group.length;
      if (group.length === 1) {
        await runAlone(key, group[0]!);
        continue;
      }
      try {
        settle(
          group,
          await run(
            key,
            group.map((w) => w.item),
          ),
        );
      } catch {
        for (const w of group) await runAlone(key, w);
      }
    }
    queues.delete(key);
  }

  return {
    /** Runs `item` in the next group for `key`; resolves with its own outcome. */
    submit(key: string, item: I): Promise<O> {
      return new Promise<O>((resolve, reject) => {
        const waiting: Waiting<I, O> = { item, weight: weigh(item), resolve, reject };
        const existing = queues.get(key);
        if (existing) {
          existing.push(waiting);
          const g = gathering.get(key);
          if (g && (existing.length >= g.until || queueWeight(existing) >= options.maxWeight)) g.stop();
          return;
        }
        const queue = [waiting];
        queues.set(key, queue);
        if (options.startOnNextTurn) setImmediate(() => void drain(key, queue));
        else void drain(key, queue);
      });
    },
  };
}
export type GroupCommit<I, O> = ReturnType<typeof createGroupCommit<I, O>>;
