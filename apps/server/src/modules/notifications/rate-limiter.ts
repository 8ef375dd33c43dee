import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Spaces sends `1000 / perSecond` ms apart (per worker process). It measures real elapsed time on
 * purpose: it protects the SMTP provider's throughput limit, which the scheduling clock says nothing
 * about.
 */
export function createRateLimiter(perSecond: number) {
  const interval = 1000 / perSecond;
  let next = 0;
  return {
    async acquire(): Promise<void> {
      const now = performance.now();
      const at = Math.max(now, next);
      next = at + interval;
      if (at - now >= 1) await sleep(at - now);
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;
