import type { CandidateOutcome, RegistrationCandidate } from './registration.batch.ts';

interface Waiting {
  candidate: RegistrationCandidate;
  resolve(outcome: CandidateOutcome): void;
  reject(error: unknown): void;
}

export type BatchRunner = (
  eventId: string,
  candidates: RegistrationCandidate[],
) => Promise<CandidateOutcome[]>;

/** Most registrations one transaction takes; bounds lock time and statement size. */
export const MAX_BATCH = 500;

/** Answers settled per event-loop turn once a batch commits (see `settle`). */
const SETTLE_CHUNK = 50;

/**
 * Application-level group commit for registrations: requests for the same event that arrive while
 * a transaction for it is running wait, then go together in the next one. A request that finds no
 * transaction running starts one on the next turn of the event loop (setImmediate: microseconds on
 * a quiet event), so the requests of a burst parsed in the same turn share the first transaction
 * instead of one of them holding up the rest for a whole transaction. Across server instances the
 * event row lock still serialises the batches.
 *
 * A batch that fails as a whole (a hook throwing, a lost connection) is retried one candidate at a
 * time, so one bad registration cannot fail its neighbours.
 */
export function createRegistrationQueue(run: BatchRunner) {
  const queues = new Map<string, Waiting[]>();

  /**
   * Answers a committed batch a chunk per event-loop turn, while the next batch is already running:
   * hundreds of answers at once would keep the event loop busy for tens of milliseconds, and the
   * next transaction's round trips would wait for all of them (its statements wait for PostgreSQL
   * on another core in between the chunks instead).
   */
  function settle(batch: Waiting[], outcomes: CandidateOutcome[], from = 0): void {
    const end = Math.min(batch.length, from + SETTLE_CHUNK);
    for (let i = from; i < end; i++) batch[i]!.resolve(outcomes[i]!);
    if (end < batch.length) setImmediate(() => settle(batch, outcomes, end));
  }

  async function drain(eventId: string, queue: Waiting[]): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      try {
        settle(
          batch,
          await run(
            eventId,
            batch.map((w) => w.candidate),
          ),
        );
      } catch (batchError) {
        if (batch.length === 1) {
          batch[0]!.reject(batchError);
          continue;
        }
        for (const w of batch) {
          try {
            const [outcome] = await run(eventId, [w.candidate]);
            w.resolve(outcome!);
          } catch (error) {
            w.reject(error);
          }
        }
      }
    }
    queues.delete(eventId);
  }

  return {
    enqueue(eventId: string, candidate: RegistrationCandidate): Promise<CandidateOutcome> {
      return new Promise<CandidateOutcome>((resolve, reject) => {
        const existing = queues.get(eventId);
        if (existing) {
          existing.push({ candidate, resolve, reject });
          return;
        }
        const queue: Waiting[] = [{ candidate, resolve, reject }];
        queues.set(eventId, queue);
        setImmediate(() => void drain(eventId, queue));
      });
    },
  };
}
export type RegistrationQueue = ReturnType<typeof createRegistrationQueue>;
