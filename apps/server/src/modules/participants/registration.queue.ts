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

/**
 * Application-level group commit for registrations: requests for the same event that arrive while
 * a transaction for it is running wait, then go together in the next one. One request alone is
 * processed at once, so a quiet event sees no added latency; a burst shares locks and commits.
 * Across server instances the event row lock still serialises the batches.
 *
 * A batch that fails as a whole (a hook throwing, a lost connection) is retried one candidate at a
 * time, so one bad registration cannot fail its neighbours.
 */
export function createRegistrationQueue(run: BatchRunner) {
  const queues = new Map<string, Waiting[]>();

  async function drain(eventId: string, queue: Waiting[]): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      try {
        const outcomes = await run(
          eventId,
          batch.map((w) => w.candidate),
        );
        batch.forEach((w, i) => {
          w.resolve(outcomes[i]!);
        });
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
        void drain(eventId, queue);
      });
    },
  };
}
export type RegistrationQueue = ReturnType<typeof createRegistrationQueue>;
