import type { DeviceTimestamp } from '@eventmanager/domain/checkin/sync.schema';

/** Corrected action times further than this from the server's clock are not trusted. */
export const MAX_CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

export function deviceMs(value: DeviceTimestamp): number {
  return typeof value === 'number' ? value : Date.parse(value);
}

/**
 * How a sync measures the device's clock offset (server − device, ms):
 * - with `sent_at` (the device's clock when it sent the request): server receive time − sent_at. The
 *   error is the one-way network latency (milliseconds), far inside the 5 s contest window;
 * - without it: the offset last measured for this device (sync or WebSocket heartbeat), else 0.
 * The newest mutation's local_timestamp is NOT used: a queue that waited offline for an hour would
 * read as an hour of clock skew.
 */
export function measureOffset(
  receivedAt: number,
  sentAt: DeviceTimestamp | undefined,
  known: number | undefined,
) {
  if (sentAt !== undefined) {
    const sent = deviceMs(sentAt);
    if (Number.isFinite(sent)) return { offsetMs: Math.round(receivedAt - sent), measured: true };
  }
  return { offsetMs: known ?? 0, measured: false };
}

/**
 * The action time on the server's clock. A corrected time more than 24 h before or after the server's
 * clock is absurd (a device with a wild clock and no measurement): it is clamped to the server's
 * receive time (nothing happens in the future; a wildly old time would otherwise win or lose every
 * contest by accident) and flagged `clamped` on the log and in the result.
 */
export function correctedActionTime(localMs: number, offsetMs: number, receivedAt: number) {
  const corrected = localMs + offsetMs;
  if (!Number.isFinite(corrected) || Math.abs(corrected - receivedAt) > MAX_CLOCK_SKEW_MS) {
    return { actionAt: receivedAt, clamped: true };
  }
  return { actionAt: corrected, clamped: false };
}
