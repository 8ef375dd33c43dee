import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BillingService } from './billing.service.ts';
import { startRenewalLoop } from './renewal-loop.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('startRenewalLoop', () => {
  it('runs a renewal pass every interval, never two at once, until stopped', async () => {
    vi.useFakeTimers();
    let release: () => void = () => {};
    const runRenewals = vi.fn(
      () =>
        new Promise<{ renewed: number; failed: number; expired: number; ended: number; deferred: number }>(
          (resolve) => {
            release = () => resolve({ renewed: 1, failed: 0, expired: 0, ended: 0, deferred: 0 });
          },
        ),
    );
    const log = { info: vi.fn(), error: vi.fn() };
    const stop = startRenewalLoop({ runRenewals } as unknown as BillingService, log, 1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(runRenewals).toHaveBeenCalledTimes(1);
    // Still running: the next tick does not start a second pass.
    await vi.advanceTimersByTimeAsync(1000);
    expect(runRenewals).toHaveBeenCalledTimes(1);
    release();
    await vi.advanceTimersByTimeAsync(1000);
    expect(runRenewals).toHaveBeenCalledTimes(2);
    expect(log.info).toHaveBeenCalledWith({ counts: expect.objectContaining({ renewed: 1 }) }, 'renewals');
    stop();
    release();
    await vi.advanceTimersByTimeAsync(5000);
    expect(runRenewals).toHaveBeenCalledTimes(2);
  });
});
