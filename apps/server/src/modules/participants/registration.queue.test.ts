import { describe, expect, it } from 'vitest';
import type { CandidateOutcome, RegistrationCandidate } from './registration.batch.ts';
import { createRegistrationQueue } from './registration.queue.ts';

const candidate = (name: string) => ({ name }) as RegistrationCandidate;

describe('registration queue', () => {
  it('groups requests that arrive while a batch runs, per event, in arrival order', async () => {
    const batches: string[][] = [];
    const queue = createRegistrationQueue(async (eventId, candidates) => {
      batches.push(candidates.map((c) => `${eventId}:${c.name}`));
      await new Promise((r) => setTimeout(r, 10));
      return candidates.map(() => ({ kind: 'duplicate' }) as CandidateOutcome);
    });
    await Promise.all([
      queue.enqueue('a', candidate('1')),
      queue.enqueue('a', candidate('2')),
      queue.enqueue('a', candidate('3')),
      queue.enqueue('b', candidate('1')),
    ]);
    expect(batches).toEqual([['a:1'], ['b:1'], ['a:2', 'a:3']]);
  });

  it('a failing batch is retried one by one, so only the bad request fails', async () => {
    const queue = createRegistrationQueue(async (_eventId, candidates) => {
      if (candidates.some((c) => c.name === 'bad')) throw new Error('hook failed');
      return candidates.map(() => ({ kind: 'duplicate' }) as CandidateOutcome);
    });
    const first = queue.enqueue('e', candidate('first'));
    const results = await Promise.allSettled([
      first,
      queue.enqueue('e', candidate('ok')),
      queue.enqueue('e', candidate('bad')),
      queue.enqueue('e', candidate('ok2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  });
});
