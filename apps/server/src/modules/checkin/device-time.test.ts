import { describe, expect, it } from 'vitest';
import { correctedActionTime, MAX_CLOCK_SKEW_MS, measureOffset } from './device-time.ts';

const NOW = Date.parse('2026-11-25T10:00:00Z');

describe('device clock offsets', () => {
  it('measures server receive time − sent_at; ISO and epoch ms alike', () => {
    expect(measureOffset(NOW, NOW - 3_000, undefined)).toEqual({ offsetMs: 3_000, measured: true });
    expect(measureOffset(NOW, '2026-11-25T10:00:05.000Z', 42)).toEqual({ offsetMs: -5_000, measured: true });
  });

  it('falls back to the last measured offset, else 0, without sent_at', () => {
    expect(measureOffset(NOW, undefined, 1_234)).toEqual({ offsetMs: 1_234, measured: false });
    expect(measureOffset(NOW, undefined, undefined)).toEqual({ offsetMs: 0, measured: false });
  });

  it('corrects local time by the offset and clamps absurd results to the receive time', () => {
    expect(correctedActionTime(NOW - 10_000, 4_000, NOW)).toEqual({ actionAt: NOW - 6_000, clamped: false });
    expect(correctedActionTime(NOW - MAX_CLOCK_SKEW_MS + 1, 0, NOW).clamped).toBe(false);
    expect(correctedActionTime(NOW + MAX_CLOCK_SKEW_MS + 1, 0, NOW)).toEqual({
      actionAt: NOW,
      clamped: true,
    });
    expect(correctedActionTime(0, 0, NOW)).toEqual({ actionAt: NOW, clamped: true });
    expect(correctedActionTime(Number.NaN, 0, NOW)).toEqual({ actionAt: NOW, clamped: true });
  });
});
