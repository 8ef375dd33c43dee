/**
 * The verifiable draw (algorithm `em-draw-v1`). Runs unchanged in browsers and Node through Web
 * Crypto (`globalThis.crypto.subtle`), so anyone can recompute a published drawing.
 *
 *   seed       32 random bytes, published as 64 lowercase hex digits after the draw
 *   seed_hash  SHA-256(seed bytes), published before the winner is derived (the commitment)
 *   pool       the eligible registration numbers, ascending, e.g. [3, 7, 12]
 *   pool_hash  SHA-256 of the UTF-8 text "3,7,12" (numbers joined by commas, no spaces)
 *   winner     for counter = 0, 1, 2, …: block = HMAC-SHA256(key = seed bytes,
 *              message = "<pool_hash>:<counter>"); x = first 4 bytes of block as a big-endian
 *              unsigned integer; with n = pool size and limit = 2^32 − (2^32 mod n), the first
 *              x < limit gives index = x mod n; winner = pool[index].
 *   k winners  one seed for all of them: the winner above is the first; it leaves the pool (the
 *              others keep their order) and the counter carries on from where the first pick
 *              stopped, with n = the remaining pool size, for the second; and so on up to k.
 *              pool_hash stays the hash of the whole pool. For k = 1 this is the draw above.
 *
 * Rejecting x ≥ limit keeps every index exactly equally likely (plain `x mod n` would favour the
 * low indices whenever n does not divide 2^32).
 */
import { DRAW_ALGORITHM_ID, MAX_WINNERS_PER_DRAW } from './schema.ts';

export { DRAW_ALGORITHM_ID, MAX_WINNERS_PER_DRAW };

export const DRAW_ALGORITHM_DESCRIPTION =
  'em-draw-v1: seed_hash = SHA-256(seed bytes). pool = eligible registration numbers sorted ascending; ' +
  'pool_hash = SHA-256(UTF-8 of the numbers joined by ","). For counter = 0, 1, 2, …: ' +
  'block = HMAC-SHA256(key = seed bytes, message = "<pool_hash>:<counter>"); ' +
  'x = first 4 bytes of block, big-endian unsigned; n = pool size; limit = 2^32 - (2^32 mod n); ' +
  'the first x < limit gives index = x mod n (rejection sampling, no modulo bias); winner = pool[index]. ' +
  'k winners come from the same seed: each winner leaves the pool (the rest keep their order) and the ' +
  'counter carries on where the previous pick stopped, with n = the remaining pool size; ' +
  'pool_hash stays that of the whole pool. For one winner this is exactly the single draw.';

const TWO_POW_32 = 0x1_0000_0000;
const encoder = new TextEncoder();

function subtle(): typeof globalThis.crypto.subtle {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('Web Crypto (crypto.subtle) is not available in this environment');
  return s;
}

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new Error('not a hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export async function sha256Hex(data: Uint8Array<ArrayBuffer> | string): Promise<string> {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  return bytesToHex(new Uint8Array(await subtle().digest('SHA-256', bytes)));
}

/** A fresh 32-byte seed from the platform's cryptographic generator, as hex. */
export function generateSeed(): string {
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  return bytesToHex(bytes);
}

/** The commitment published before the draw: SHA-256 of the seed's bytes (not of its hex text). */
export function seedHash(seedHex: string): Promise<string> {
  return sha256Hex(hexToBytes(seedHex));
}

/** Canonical pool order: ascending, duplicates are an error (registration numbers are unique). */
export function canonicalPool(numbers: readonly number[]): number[] {
  const sorted = [...numbers].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) throw new Error(`duplicate registration number ${sorted[i]} in pool`);
  }
  for (const n of sorted) if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return sorted;
}

export function poolHash(sortedNumbers: readonly number[]): Promise<string> {
  return sha256Hex(sortedNumbers.join(','));
}

/**
 * An unbiased index in [0, n) from a stream of uniform 32-bit values, by rejection sampling.
 * Exposed so tests can feed values from the rejection zone; the draw itself uses HMAC blocks.
 */
export async function uniformIndex(
  n: number,
  nextUint32: (counter: number) => Promise<number>,
): Promise<number> {
  if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) throw new Error(`pool size out of range: ${n}`);
  const limit = TWO_POW_32 - (TWO_POW_32 % n);
  for (let counter = 0; ; counter++) {
    const x = await nextUint32(counter);
    if (x < limit) return x % n;
  }
}

/**
 * The winners' positions, in draw order, each an index into the pool as it stood when that winner
 * was picked (earlier winners removed). One seed, one HMAC counter stream for all k picks.
 */
async function derivePicks(seedHex: string, pool: readonly number[], k: number): Promise<number[]> {
  if (!Number.isInteger(k) || k < 1 || k > MAX_WINNERS_PER_DRAW)
    throw new Error(`winner count out of range: ${k}`);
  if (k > pool.length) throw new Error(`cannot draw ${k} winners from a pool of ${pool.length}`);
  const hash = await poolHash(pool);
  const key = await subtle().importKey('raw', hexToBytes(seedHex), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  let next = 0;
  const block = async () => {
    const mac = await subtle().sign('HMAC', key, encoder.encode(`${hash}:${next++}`));
    return new DataView(mac).getUint32(0, false);
  };
  const picks: number[] = [];
  for (let remaining = pool.length; picks.length < k; remaining--) {
    picks.push(await uniformIndex(remaining, block));
  }
  return picks;
}

/** The winner's position in the sorted pool, derived deterministically from the seed and the pool. */
export async function deriveWinnerIndex(
  seedHex: string,
  sortedRegistrationNumbers: readonly number[],
): Promise<number> {
  const [index] = await derivePicks(seedHex, canonicalPool(sortedRegistrationNumbers), 1);
  return index!;
}

export async function deriveWinner(
  seedHex: string,
  registrationNumbers: readonly number[],
): Promise<{ index: number; registrationNumber: number; pool: number[]; poolHash: string }> {
  const pool = canonicalPool(registrationNumbers);
  const index = await deriveWinnerIndex(seedHex, pool);
  return { index, registrationNumber: pool[index]!, pool, poolHash: await poolHash(pool) };
}

/**
 * k distinct winners from one seed, in draw order (the first is the one a single draw would give).
 * Throws when k exceeds the pool: a draw never hands out fewer prizes than asked without saying so.
 */
export async function deriveWinners(
  seedHex: string,
  registrationNumbers: readonly number[],
  k: number,
): Promise<{ registrationNumbers: number[]; pool: number[]; poolHash: string }> {
  const pool = canonicalPool(registrationNumbers);
  const remaining = [...pool];
  const winners = (await derivePicks(seedHex, pool, k)).map((i) => remaining.splice(i, 1)[0]!);
  return { registrationNumbers: winners, pool, poolHash: await poolHash(pool) };
}

export interface DrawingToVerify {
  seed: string;
  seed_hash: string;
  pool: readonly number[];
  /** When given, the pool must hash to it (checks that the published list is the one drawn from). */
  pool_hash?: string;
  /** The published winner's registration number (the first, when there are several). */
  winner: number;
  /** All published winners in draw order, for a draw of several; `winner` must be the first. */
  winners?: readonly number[];
}

export interface VerificationResult {
  valid: boolean;
  seedMatchesHash: boolean;
  poolMatchesHash: boolean;
  winnerMatches: boolean;
  /** The registration number the algorithm yields for this seed and pool (null if the input is malformed). */
  expectedWinner: number | null;
  /** Every winner the algorithm yields, in draw order (null if the input is malformed). */
  expectedWinners: number[] | null;
}

/** Recomputes a published drawing: the seed must match its commitment and yield the published winner. */
export async function verifyDrawing(input: DrawingToVerify): Promise<VerificationResult> {
  const invalid: VerificationResult = {
    valid: false,
    seedMatchesHash: false,
    poolMatchesHash: false,
    winnerMatches: false,
    expectedWinner: null,
    expectedWinners: null,
  };
  const published = input.winners ?? [input.winner];
  if (!/^[0-9a-fA-F]{64}$/.test(input.seed) || input.pool.length === 0) return invalid;
  if (published.length === 0 || published.length > Math.min(input.pool.length, MAX_WINNERS_PER_DRAW)) {
    return invalid;
  }
  let pool: number[];
  try {
    pool = canonicalPool(input.pool);
  } catch {
    return invalid;
  }
  const seedMatchesHash = (await seedHash(input.seed)) === input.seed_hash.toLowerCase();
  const poolMatchesHash =
    input.pool_hash === undefined || (await poolHash(pool)) === input.pool_hash.toLowerCase();
  const expected = await deriveWinners(input.seed.toLowerCase(), pool, published.length);
  const expectedWinners = expected.registrationNumbers;
  const expectedWinner = expectedWinners[0]!;
  const winnerMatches = published[0] === input.winner && expectedWinners.every((n, i) => n === published[i]);
  return {
    valid: seedMatchesHash && poolMatchesHash && winnerMatches,
    seedMatchesHash,
    poolMatchesHash,
    winnerMatches,
    expectedWinner,
    expectedWinners,
  };
}
