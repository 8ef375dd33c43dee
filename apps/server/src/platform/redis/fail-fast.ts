import { type CircuitBreakerPolicy, ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
import type { RedisOptions } from 'ioredis';

/**
 * Redis is a cache and a fan-out, never a gate: while it is down or slow, no request may wait for
 * it. Connections that answer requests therefore fail fast instead of queueing:
 * - no offline queue: a command sent while disconnected fails at once (ioredis would otherwise hold
 *   it until the connection comes back — a whole outage);
 * - a short command timeout: a Redis that accepts but does not answer fails the command too;
 * - a circuit breaker: after a few failures in a row, commands are not even tried for a while
 *   (then one is, and a success closes the circuit), so a slow Redis costs one timeout, not one
 *   per request.
 * Callers fall back: a cache read is a miss (the database answers), a cache write is skipped, a
 * publish is lost (devices catch up through the change feed's cursor).
 */
export const REDIS_COMMAND_TIMEOUT_MS = 250;
/** Consecutive failures that open the circuit. */
const FAILURES_TO_OPEN = 2;
/** How long an open circuit refuses commands before letting one try again. */
const HALF_OPEN_AFTER_MS = 1_000;

export const failFastOptions: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  maxRetriesPerRequest: 0,
  // Reconnect quickly and keep trying: the breaker, not the connection, decides when to send.
  retryStrategy: (attempt) => Math.min(50 * attempt, 500),
};

export function redisBreaker(): CircuitBreakerPolicy {
  return circuitBreaker(handleAll, {
    halfOpenAfter: HALF_OPEN_AFTER_MS,
    breaker: new ConsecutiveBreaker(FAILURES_TO_OPEN),
  });
}
