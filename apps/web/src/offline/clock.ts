/**
 * Time and timers behind an interface so the outbox and the socket client can be driven by a manual
 * clock in tests (backoff delays, heartbeats) without sleeping.
 */
export type TimerHandle = { readonly cancel: () => void };

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const handle = globalThis.setTimeout(fn, ms);
    return { cancel: () => globalThis.clearTimeout(handle) };
  },
};
