import { describe, expect, it } from 'vitest';
import { newShareCode, SHARE_CODE_ALPHABET, SHARE_CODE_LENGTH } from './share-code.ts';

describe('newShareCode', () => {
  it('has no ambiguous characters and is URL-safe', () => {
    for (const c of '0O1lIo') expect(SHARE_CODE_ALPHABET).not.toContain(c);
    expect(SHARE_CODE_ALPHABET).toMatch(/^[A-Za-z0-9]+$/);
    expect(new Set(SHARE_CODE_ALPHABET).size).toBe(SHARE_CODE_ALPHABET.length);
  });

  it('draws at least 8 characters from the alphabet, roughly uniformly', () => {
    expect(SHARE_CODE_LENGTH).toBeGreaterThanOrEqual(8);
    const counts = new Map<string, number>();
    const codes = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const code = newShareCode();
      expect(code).toHaveLength(SHARE_CODE_LENGTH);
      codes.add(code);
      for (const c of code) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(codes.size).toBe(5000);
    expect([...counts.keys()].every((c) => SHARE_CODE_ALPHABET.includes(c))).toBe(true);
    // 50,000 draws over 56 symbols: expected ≈ 893 each; a biased generator drifts far from that.
    const expected = (5000 * SHARE_CODE_LENGTH) / SHARE_CODE_ALPHABET.length;
    for (const n of counts.values()) expect(Math.abs(n - expected)).toBeLessThan(expected * 0.25);
    expect(counts.size).toBe(SHARE_CODE_ALPHABET.length);
  });
});
