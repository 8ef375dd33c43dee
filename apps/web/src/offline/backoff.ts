/**
 * Exponential backoff with "equal jitter": half the exponential step is fixed, half random. The fixed
 * half keeps retries from hammering a server that just came back; the random half spreads the many
 * phones at a venue that lost Wi-Fi at the same moment.
 */
export type BackoffPolicy = { readonly baseMs: number; readonly maxMs: number };

export const outboxBackoff: BackoffPolicy = { baseMs: 500, maxMs: 30_000 };
export const reconnectBackoff: BackoffPolicy = { baseMs: 500, maxMs: 30_000 };

/** Delay before retry number `attempt` (1 = first retry). `random` returns [0, 1). */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const half = exp / 2;
  return Math.round(half + random() * half);
}
