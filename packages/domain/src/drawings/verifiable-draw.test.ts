import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  deriveWinner,
  deriveWinnerIndex,
  deriveWinners,
  generateSeed,
  poolHash,
  seedHash,
  uniformIndex,
  verifyDrawing,
} from './verifiable-draw.ts';

/**
 * An independent implementation of em-draw-v1 on node:crypto (createHmac/createHash instead of Web
 * Crypto), written from the published description: the shared function must agree with it.
 */
function referenceWinnerIndex(seedHex: string, pool: number[]): number {
  const ph = createHash('sha256').update(pool.join(',')).digest('hex');
  const n = pool.length;
  const limit = 2 ** 32 - (2 ** 32 % n);
  for (let counter = 0; ; counter++) {
    const x = createHmac('sha256', Buffer.from(seedHex, 'hex'))
      .update(`${ph}:${counter}`)
      .digest()
      .readUInt32BE(0);
    if (x < limit) return x % n;
  }
}

const seedFor = (label: string) => createHash('sha256').update(label).digest('hex');

describe('em-draw-v1', () => {
  it('matches the published test vector (also reproducible with sha256sum and openssl)', async () => {
    const seed = '1c8c7ca0ce302b2df6c05baa3f9c8f11b8074075ae7219ca515aaf5edf716199';
    const pool = [3, 7, 12, 15, 21, 22, 40];
    expect(await seedHash(seed)).toBe('6f1c4fa851eab1b9a461a10f71a9a44d8f712f4015208d490e87274b8cd441ad');
    expect(await poolHash(pool)).toBe('f50de37da5931150249a56d77abc99ef33c72ea5cef7d442abf32a47ce8b81f1');
    expect(await deriveWinner(seed, pool)).toMatchObject({ index: 6, registrationNumber: 40 });
  });

  it('agrees with an independent node:crypto implementation and is deterministic', async () => {
    for (let i = 0; i < 200; i++) {
      const seed = seedFor(`agree-${i}`);
      const size = 1 + (i % 37);
      const pool = Array.from({ length: size }, (_, k) => k * 3 + 1 + (i % 5));
      const index = await deriveWinnerIndex(seed, pool);
      expect(index).toBe(referenceWinnerIndex(seed, pool));
      expect(await deriveWinnerIndex(seed, pool)).toBe(index);
    }
  });

  it('sorts the pool canonically and refuses duplicate registration numbers', async () => {
    const seed = seedFor('order');
    expect(await deriveWinnerIndex(seed, [5, 1, 3])).toBe(await deriveWinnerIndex(seed, [1, 3, 5]));
    await expect(deriveWinnerIndex(seed, [1, 1, 2])).rejects.toThrow(/duplicate/);
  });

  it('rejects values in the biased tail instead of folding them with modulo', async () => {
    // n = 10: limit = 2^32 - (2^32 mod 10) = 4294967290; 4294967295 and 4294967290 must be skipped.
    const values = [4_294_967_295, 4_294_967_290, 4_294_967_289, 7];
    const seen: number[] = [];
    const index = await uniformIndex(10, async (counter) => {
      seen.push(counter);
      return values[counter]!;
    });
    expect(index).toBe(4_294_967_289 % 10);
    expect(seen).toEqual([0, 1, 2]);
    // A size that divides 2^32 never rejects.
    expect(await uniformIndex(16, async () => 0xffffffff)).toBe(15);
  });

  it('is uniform: 20,000 draws from a pool of 10 pass chi-square at p > 0.001', async () => {
    const pool = [2, 3, 5, 8, 13, 21, 34, 55, 89, 144];
    const draws = 20_000;
    const counts = new Array<number>(pool.length).fill(0);
    for (let i = 0; i < draws; i++) {
      const index = await deriveWinnerIndex(seedFor(`chi-square-${i}`), pool);
      counts[index]! += 1;
    }
    const expected = draws / pool.length;
    const chiSquare = counts.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
    // Critical value of chi-square with 9 degrees of freedom at p = 0.001.
    console.info(
      `chi-square over ${draws} draws, pool of 10: ${chiSquare.toFixed(3)} counts=${counts.join(',')}`,
    );
    expect(chiSquare).toBeLessThan(27.877);
    expect(counts.every((c) => c > 0)).toBe(true);
  }, 60_000);

  it('draws with fresh random seeds as well (every position reachable)', async () => {
    const pool = [1, 2, 3];
    const hit = new Set<number>();
    for (let i = 0; i < 200; i++) hit.add(await deriveWinnerIndex(generateSeed(), pool));
    expect([...hit].sort()).toEqual([0, 1, 2]);
    expect(generateSeed()).toMatch(/^[0-9a-f]{64}$/);
  });
});

/** The k-winner rule written again on node:crypto: one counter stream, each winner leaves the pool. */
function referenceWinners(seedHex: string, pool: number[], k: number): number[] {
  const ph = createHash('sha256').update(pool.join(',')).digest('hex');
  const remaining = [...pool];
  const out: number[] = [];
  let counter = 0;
  while (out.length < k) {
    const n = remaining.length;
    const limit = 2 ** 32 - (2 ** 32 % n);
    let x: number;
    do {
      x = createHmac('sha256', Buffer.from(seedHex, 'hex'))
        .update(`${ph}:${counter++}`)
        .digest()
        .readUInt32BE(0);
    } while (x >= limit);
    out.push(remaining.splice(x % n, 1)[0]!);
  }
  return out;
}

describe('em-draw-v1 with k winners from one seed', () => {
  const seed = '1c8c7ca0ce302b2df6c05baa3f9c8f11b8074075ae7219ca515aaf5edf716199';
  const pool = [3, 7, 12, 15, 21, 22, 40];

  it("matches the published test vector; the first winner is the single draw's winner", async () => {
    expect((await deriveWinners(seed, pool, 3)).registrationNumbers).toEqual([40, 21, 3]);
    expect((await deriveWinners(seed, pool, 7)).registrationNumbers).toEqual([40, 21, 3, 12, 7, 15, 22]);
    expect((await deriveWinners(seed, pool, 1)).registrationNumbers).toEqual([
      (await deriveWinner(seed, pool)).registrationNumber,
    ]);
  });

  it('agrees with an independent implementation; winners are distinct pool members', async () => {
    for (let i = 0; i < 100; i++) {
      const s = seedFor(`k-${i}`);
      const size = 1 + (i % 23);
      const p = Array.from({ length: size }, (_, j) => j * 2 + 1 + (i % 3));
      const k = 1 + (i % size);
      const { registrationNumbers } = await deriveWinners(s, p, k);
      expect(registrationNumbers).toEqual(referenceWinners(s, p, k));
      expect(new Set(registrationNumbers).size).toBe(k);
      for (const n of registrationNumbers) expect(p).toContain(n);
    }
  });

  it('refuses more winners than the pool holds, and counts outside 1..100', async () => {
    await expect(deriveWinners(seed, pool, 8)).rejects.toThrow(/pool of 7/);
    await expect(deriveWinners(seed, pool, 0)).rejects.toThrow(/out of range/);
    const big = Array.from({ length: 200 }, (_, i) => i + 1);
    await expect(deriveWinners(seed, big, 101)).rejects.toThrow(/out of range/);
  });

  it('verifies a k-winner draw and fails a reordered or substituted list', async () => {
    const base = { seed, seed_hash: await seedHash(seed), pool, winner: 40 };
    expect((await verifyDrawing({ ...base, winners: [40, 21, 3] })).valid).toBe(true);
    const swapped = await verifyDrawing({ ...base, winners: [40, 3, 21] });
    expect(swapped).toMatchObject({ valid: false, winnerMatches: false, expectedWinners: [40, 21, 3] });
    expect((await verifyDrawing({ ...base, winners: [40, 21, 22] })).valid).toBe(false);
    // `winner` must be the first of `winners`.
    expect((await verifyDrawing({ ...base, winner: 21, winners: [40, 21, 3] })).valid).toBe(false);
    expect((await verifyDrawing({ ...base, winners: [40, 21, 3, 12, 7, 15, 22, 1] })).valid).toBe(false);
  });
});

describe('verifyDrawing', () => {
  const seed = seedFor('verify');
  const pool = Array.from({ length: 50 }, (_, k) => k + 1);

  async function published() {
    const { registrationNumber, poolHash: ph } = await deriveWinner(seed, pool);
    return { seed, seed_hash: await seedHash(seed), pool, pool_hash: ph, winner: registrationNumber };
  }

  it('accepts a drawing recomputed from its revealed seed', async () => {
    const result = await verifyDrawing(await published());
    expect(result).toMatchObject({
      valid: true,
      seedMatchesHash: true,
      poolMatchesHash: true,
      winnerMatches: true,
    });
  });

  it('fails a tampered seed', async () => {
    const p = await published();
    const flipped = (p.seed[0] === 'a' ? 'b' : 'a') + p.seed.slice(1);
    const result = await verifyDrawing({ ...p, seed: flipped });
    expect(result.valid).toBe(false);
    expect(result.seedMatchesHash).toBe(false);
  });

  it('fails a tampered pool (a number removed, or one added)', async () => {
    const p = await published();
    const without = p.pool.filter((n) => n !== p.winner);
    expect((await verifyDrawing({ ...p, pool: without })).valid).toBe(false);
    const withExtra = [...p.pool, 999];
    const extra = await verifyDrawing({ ...p, pool: withExtra });
    expect(extra.valid).toBe(false);
    expect(extra.poolMatchesHash).toBe(false);
  });

  it('fails a different winner and malformed input', async () => {
    const p = await published();
    const other = p.pool.find((n) => n !== p.winner)!;
    const result = await verifyDrawing({ ...p, winner: other });
    expect(result).toMatchObject({ valid: false, winnerMatches: false, expectedWinner: p.winner });
    expect((await verifyDrawing({ ...p, seed: 'zz' })).valid).toBe(false);
    expect((await verifyDrawing({ ...p, pool: [] })).valid).toBe(false);
    expect((await verifyDrawing({ ...p, pool: [1, 1] })).valid).toBe(false);
  });
});
