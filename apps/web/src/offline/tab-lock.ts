/**
 * Mutual exclusion between the tabs of one browser: each outbox flush (read queue → POST → delete sent
 * entries) runs under an exclusive Web Lock, so two tabs never send the same queued mutation at once —
 * the second tab to get the lock finds the entries already removed. Where the Web Locks API is missing
 * (old browsers, jsdom) a per-page promise chain gives the same guarantee inside one page.
 */
type LockManagerLike = {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
};

const localChains = new Map<string, Promise<unknown>>();

function pageLocalLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const previous = localChains.get(name) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  localChains.set(name, settled);
  void settled.then(() => {
    if (localChains.get(name) === settled) localChains.delete(name);
  });
  return run;
}

export function withExclusiveLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  if (locks && typeof locks.request === 'function') return locks.request(name, fn);
  return pageLocalLock(name, fn);
}
