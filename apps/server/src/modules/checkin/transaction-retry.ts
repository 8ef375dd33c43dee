/** PostgreSQL errors that mean "run the whole transaction again": deadlock, serialization failure. */
const RETRYABLE = new Set(['40P01', '40001']);

function sqlState(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Retries a transaction that lost a deadlock (possible when another module's transaction records a
 * change through a lifecycle hook and then locks a participant this batch holds). Nothing was
 * committed by a failed attempt, so a retry is safe.
 */
export async function withTransactionRetry<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      const code = sqlState(err);
      if (attempt >= attempts || !code || !RETRYABLE.has(code)) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
