import type { BillingService } from './billing.service.ts';

export interface RenewalLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** How often an instance looks for due renewals; each due subscription is charged by one run only. */
const RENEWAL_EVERY_MS = 60_000;

/** Runs the renewal pass on a timer in this process; returns the function that stops it. */
export function startRenewalLoop(billing: BillingService, log: RenewalLog, everyMs = RENEWAL_EVERY_MS) {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    billing
      .runRenewals()
      .then((counts) => {
        if (counts.renewed + counts.failed + counts.expired + counts.ended > 0)
          log.info({ counts }, 'renewals');
      })
      .catch((err: unknown) => log.error({ err }, 'renewal run failed'))
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
