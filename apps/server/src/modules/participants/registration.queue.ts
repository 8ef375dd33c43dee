import { createGroupCommit } from '../../platform/group-commit.ts';
import type { CandidateOutcome, RegistrationCandidate } from './registration.batch.ts';

export type BatchRunner = (
  eventId: string,
  candidates: RegistrationCandidate[],
) => Promise<CandidateOutcome[]>;

/** Most registrations one transaction takes; bounds lock time and statement size. */
export const MAX_BATCH = 500;

/** Answers settled per event-loop turn once a batch commits. */
const SETTLE_CHUNK = 50;

/**
 * Registrations for one event go through the platform's group commit: requests that arrive while
 * the event's transaction runs wait and go together in the next one (up to MAX_BATCH). A burst's
 * first requests share the first transaction (it starts on the next turn), and a committed batch
 * is answered in chunks while the next one runs. Across server instances the event row lock still
 * serialises the batches; a batch that fails as a whole is retried one candidate at a time.
 */
export function createRegistrationQueue(run: BatchRunner) {
  const groups = createGroupCommit<RegistrationCandidate, CandidateOutcome>(run, {
    maxWeight: MAX_BATCH,
    startOnNextTurn: true,
    settleChunk: SETTLE_CHUNK,
  });
  return {
    enqueue(eventId: string, candidate: RegistrationCandidate): Promise<CandidateOutcome> {
      return groups.submit(eventId, candidate);
    },
  };
}
export type RegistrationQueue = ReturnType<typeof createRegistrationQueue>;
