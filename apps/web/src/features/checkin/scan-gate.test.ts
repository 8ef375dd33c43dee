import { describe, expect, it } from 'vitest';
import { ScanGate } from './scan-gate.ts';

describe('ScanGate', () => {
  it('acts once while a ticket stays in front of the camera, however long', () => {
    const gate = new ScanGate(5_000);
    expect(gate.admit('T1', 0)).toBe(true);
    // Ten detections a second for 12 s: the same presentation, never a second result.
    for (let t = 100; t <= 12_000; t += 100) expect(gate.admit('T1', t)).toBe(false);
  });

  it('a ticket shown again after a pause is a new presentation (a reused ticket still warns)', () => {
    const gate = new ScanGate(5_000);
    expect(gate.admit('T1', 0)).toBe(true);
    expect(gate.admit('T1', 1_000)).toBe(false);
    expect(gate.admit('T1', 6_000)).toBe(true);
  });

  it('keeps codes apart', () => {
    const gate = new ScanGate(5_000);
    expect(gate.admit('T1', 0)).toBe(true);
    expect(gate.admit('T2', 10)).toBe(true);
    expect(gate.admit('T1', 20)).toBe(false);
  });
});
